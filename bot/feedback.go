package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/bwmarrin/discordgo"

	"citebot/retrieval"
	"citebot/usage"
)

// Every answer carries 👍 and 👎 buttons whose custom_id names the
// question by its reference ("citebot:vote:+:1a2b3c4d"); on a chat
// answer the same reactions count too. A user has one vote per answer,
// which a later click or reaction replaces.

const (
	votePrefix = "citebot:vote:"
	voteUp     = "👍"
	voteDown   = "👎"
	// maxButtons is how many buttons Discord allows in one row.
	maxButtons = 5
)

func isVoteButton(id string) bool { return strings.HasPrefix(id, votePrefix) }

// voteID is the custom_id of a vote button.
func voteID(value int, ref string) string {
	sign := "+"
	if value < 0 {
		sign = "-"
	}
	return votePrefix + sign + ":" + ref
}

// parseVoteID reads a vote button's custom_id.
func parseVoteID(id string) (value int, ref string, ok bool) {
	rest, found := strings.CutPrefix(id, votePrefix)
	if !found || len(rest) < 3 || rest[1] != ':' {
		return 0, "", false
	}
	switch rest[0] {
	case '+':
		value = 1
	case '-':
		value = -1
	default:
		return 0, "", false
	}
	return value, rest[2:], true
}

// withVotes adds the vote buttons to the last part of an answer: in the
// row of its "Show sources" button when there is room, else in a row of
// their own.
func withVotes(parts []part, lang retrieval.Lang, ref string) []part {
	if len(parts) == 0 || len(voteID(-1, ref)) > maxCustomID {
		return parts
	}
	buttons := []discordgo.MessageComponent{
		discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: voteUp}, Style: discordgo.SecondaryButton, CustomID: voteID(1, ref)},
		discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: voteDown}, Style: discordgo.SecondaryButton, CustomID: voteID(-1, ref)},
	}
	last := &parts[len(parts)-1]
	comps := append([]discordgo.MessageComponent(nil), last.Components...)
	if n := len(comps); n > 0 {
		if row, ok := comps[n-1].(discordgo.ActionsRow); ok && len(row.Components)+len(buttons) <= maxButtons {
			row.Components = append(append([]discordgo.MessageComponent(nil), row.Components...), buttons...)
			comps[n-1] = row
			last.Components = comps
			return parts
		}
	}
	last.Components = append(comps, discordgo.ActionsRow{Components: buttons})
	return parts
}

// onVoteButton records a click on 👍 or 👎 and thanks the user privately.
func (b *Bot) onVoteButton(work context.Context, ic *discordgo.Interaction, id string) {
	lang := langOf(string(ic.Locale))
	attrs := interactionAttrs(ic, "vote")
	value, ref, ok := parseVoteID(id)
	if !ok || b.deps.Log == nil {
		b.respond(work, ic, say(lang, msgVotesOff), true, attrs)
		return
	}
	ctx, cancel := context.WithTimeout(work, ackBudget)
	defer cancel()
	err := b.deps.Log.Vote(ctx, usage.Vote{Ref: ref, User: interactionUser(ic).ID, Value: value, At: b.deps.Now()})
	switch {
	case errors.Is(err, ErrNotFound):
		b.respond(work, ic, say(lang, msgVoteGone), true, attrs)
	case err != nil:
		ref := newRef()
		b.log.Error("record a vote", append(attrs, "ref", ref, "err", err)...)
		b.respond(work, ic, say(lang, msgError, ref), true, attrs)
	default:
		b.log.Info("vote", append(attrs, "question_ref", ref, "value", value)...)
		emoji := voteUp
		if value < 0 {
			emoji = voteDown
		}
		b.respond(work, ic, say(lang, msgVoteThanks, emoji), true, attrs)
	}
}

// onReaction counts 👍 and 👎 on the bot's chat answers as votes; the
// reaction's removal withdraws the user's vote. Other reactions, and
// reactions on other messages, are ignored.
func (b *Bot) onReaction(work context.Context, r *discordgo.MessageReaction, added bool) {
	if r == nil || b.deps.Log == nil {
		return
	}
	attrs := []any{"command", "reaction", "message_id", r.MessageID, "user_id", r.UserID,
		"guild_id", r.GuildID, "channel_id", r.ChannelID}
	defer b.recoverPanic(attrs, nil)
	value := 0
	switch {
	case strings.HasPrefix(r.Emoji.Name, voteUp):
		value = 1
	case strings.HasPrefix(r.Emoji.Name, voteDown):
		value = -1
	default:
		return
	}
	if botID, _ := b.ids(); r.UserID == "" || r.UserID == botID {
		return
	}
	if !added {
		value = 0
	}
	ctx, cancel := context.WithTimeout(work, logBudget)
	defer cancel()
	err := b.deps.Log.Vote(ctx, usage.Vote{MessageID: r.MessageID, User: r.UserID, Value: value, At: b.deps.Now()})
	switch {
	case errors.Is(err, ErrNotFound):
		b.log.Debug("reaction on a message that is not a logged answer", attrs...)
	case err != nil:
		b.log.Warn("record a reaction vote", append(attrs, "err", err)...)
	default:
		b.log.Info("vote", append(attrs, "value", value)...)
	}
}
