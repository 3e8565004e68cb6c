package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxRegisterWait caps the wait between two registration attempts.
const maxRegisterWait = 10 * time.Minute

// registerLoop registers the slash commands, retrying with a growing wait
// until it succeeds or ctx ends. Registration is not needed for chat
// commands, mentions and direct messages, which keep working meanwhile.
func (b *Bot) registerLoop(ctx context.Context) {
	wait := b.cfg.RegisterRetry
	for attempt := 1; ; attempt++ {
		err := b.register(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			b.log.Info("slash commands registered", "guild_id", b.cfg.GuildID, "attempt", attempt)
			return
		}
		b.log.Error("slash commands are not registered; chat commands, mentions and direct messages still work",
			"attempt", attempt, "retry_in", wait, "fix", registrationFix(err), "err", err)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
		wait = min(2*wait, maxRegisterWait)
	}
}

// register replaces the application's commands with the bot's, so that
// removed commands disappear.
func (b *Bot) register(ctx context.Context) error {
	_, appID := b.ids()
	_, err := b.session.ApplicationCommandBulkOverwrite(appID, b.cfg.GuildID, commands(),
		discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("register slash commands: %w", err)
	}
	return nil
}

// registrationFix says what an operator can do about a refused
// registration.
func registrationFix(err error) string {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return "Discord could not be reached; check the network and DISCORD_API_URL"
	}
	switch re.Response.StatusCode {
	case http.StatusUnauthorized:
		return "Discord refused the token: reset it in the developer portal (Bot, Reset Token) and set DISCORD_TOKEN"
	case http.StatusForbidden:
		return "Discord refused access: invite the bot with the applications.commands scope " +
			"(docs/discord.md, Invite the bot); if DISCORD_GUILD_ID is set, the bot must be in that server"
	case http.StatusBadRequest:
		if fields := refusedFields(re.ResponseBody); len(fields) > 0 {
			return "Discord refused these fields of the commands: " + strings.Join(fields, "; ")
		}
		return "Discord refused the commands' definition"
	}
	return "Discord answered " + re.Response.Status + "; retrying"
}

// refusedFields reads the errors object of a Discord 400 (Invalid Form
// Body), which mirrors the request: {"2": {"options": {"0": {"name":
// {"_errors": [{"code": …, "message": …}]}}}}}. It returns each refused
// field as its path, the command's name standing for its index, and
// Discord's message: "source.options.0.name: Command name is invalid
// (APPLICATION_COMMAND_INVALID_NAME)".
func refusedFields(body []byte) []string {
	var resp struct {
		Errors map[string]json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &resp) != nil {
		return nil
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(resp.Errors)) {
		name := k
		if i, err := strconv.Atoi(k); err == nil && i >= 0 && i < len(commands()) {
			name = commands()[i].Name
		}
		out = appendRefused(out, name, resp.Errors[k], 0)
	}
	return out
}

// maxErrorDepth bounds the walk down a hostile errors object.
const maxErrorDepth = 16

func appendRefused(out []string, path string, raw json.RawMessage, depth int) []string {
	var node map[string]json.RawMessage
	if depth > maxErrorDepth || json.Unmarshal(raw, &node) != nil {
		return out
	}
	var errs []struct{ Code, Message string }
	if json.Unmarshal(node["_errors"], &errs) == nil {
		for _, e := range errs {
			out = append(out, fmt.Sprintf("%s: %s (%s)", path, e.Message, e.Code))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(node)) {
		if k != "_errors" {
			out = appendRefused(out, path+"."+k, node[k], depth+1)
		}
	}
	return out
}
