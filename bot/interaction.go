package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"citebot/retrieval"
)

// ackBudget bounds the immediate response to an interaction: Discord
// gives three seconds.
const ackBudget = 3 * time.Second

// onInteraction routes an interaction. Every path answers Discord at
// once, deferring when work follows, then works under its own budget.
func (b *Bot) onInteraction(work context.Context, stopping <-chan struct{}, ic *discordgo.Interaction) {
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		b.onCommand(work, stopping, ic)
	case discordgo.InteractionApplicationCommandAutocomplete:
		b.onAutocomplete(work, ic)
	case discordgo.InteractionMessageComponent:
		if isSourcesButton(ic.MessageComponentData().CustomID) {
			b.onSourcesButton(work, stopping, ic)
		}
	}
}

func (b *Bot) onCommand(work context.Context, stopping <-chan struct{}, ic *discordgo.Interaction) {
	data := ic.ApplicationCommandData()
	lang := langOf(string(ic.Locale))
	attrs := interactionAttrs(ic, data.Name)
	if !b.admit(stopping) {
		b.respond(work, ic, say(lang, msgShutdown), true, attrs)
		return
	}
	defer b.inflight.Done()
	if !b.allowedChannel(ic.ChannelID) {
		b.respond(work, ic, say(lang, msgChannel), true, attrs)
		return
	}
	opts := options(data.Options)
	switch data.Name {
	case cmdAsk:
		q, _ := opts[optQuestion].(string)
		private, _ := opts[optPrivate].(bool)
		if !b.checkQuestion(work, ic, q, lang, attrs) {
			return
		}
		if b.deferReply(work, ic, private, attrs) {
			b.ask(work, interactionReply{s: b.session, ic: ic, ephemeral: private}, q, lang, attrs)
		}
	case cmdSearch:
		q, _ := opts[optQuery].(string)
		if b.checkRate(work, ic, lang, attrs) && b.deferReply(work, ic, false, attrs) {
			b.search(work, interactionReply{s: b.session, ic: ic}, q, lang, attrs)
		}
	case cmdSource:
		file, _ := opts[optFile].(string)
		n, _ := opts[optParagraph].(float64)
		if b.checkRate(work, ic, lang, attrs) && b.deferReply(work, ic, false, attrs) {
			b.source(work, interactionReply{s: b.session, ic: ic}, file, int(n), lang, attrs)
		}
	case cmdReload:
		if !b.isAdmin(interactionAdmin(ic)) {
			b.refuseReload(attrs)
			b.respond(work, ic, say(lang, msgNotAdmin), true, attrs)
			return
		}
		if b.deferReply(work, ic, true, attrs) {
			b.reload(work, interactionReply{s: b.session, ic: ic, ephemeral: true}, lang, attrs)
		}
	case cmdHelp:
		if b.deferReply(work, ic, true, attrs) {
			b.help(work, interactionReply{s: b.session, ic: ic, ephemeral: true}, lang)
		}
	default:
		b.log.Warn("unknown command", attrs...)
	}
}

// options maps a command's option names to their values.
func options(opts []*discordgo.ApplicationCommandInteractionDataOption) map[string]any {
	m := make(map[string]any, len(opts))
	for _, o := range opts {
		m[o.Name] = o.Value
	}
	return m
}

// checkQuestion refuses, at once and privately, a question that is empty,
// too long, or over the user's rate.
func (b *Bot) checkQuestion(ctx context.Context, ic *discordgo.Interaction, q string, lang retrieval.Lang, attrs []any) bool {
	if n := utf8.RuneCountInString(q); n > b.cfg.MaxQuestion {
		b.respond(ctx, ic, say(lang, msgTooLong, n, b.cfg.MaxQuestion), true, attrs)
		return false
	}
	return b.checkRate(ctx, ic, lang, attrs)
}

func (b *Bot) checkRate(ctx context.Context, ic *discordgo.Interaction, lang retrieval.Lang, attrs []any) bool {
	if ok, wait := b.limits.allow(interactionUser(ic).ID); !ok {
		b.log.Info("rate limited", append(attrs, "wait", wait)...)
		b.respond(ctx, ic, say(lang, msgRateLimited, roundUp(wait)), true, attrs)
		return false
	}
	return true
}

func roundUp(d time.Duration) time.Duration { return (d + time.Second - 1).Truncate(time.Second) }

// deferReply acknowledges an interaction whose answer will follow.
func (b *Bot) deferReply(ctx context.Context, ic *discordgo.Interaction, ephemeral bool, attrs []any) bool {
	return b.callback(ctx, ic, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: flags(ephemeral), AllowedMentions: noMentions()},
	}, attrs)
}

// respond answers an interaction at once with text.
func (b *Bot) respond(ctx context.Context, ic *discordgo.Interaction, text string, ephemeral bool, attrs []any) {
	b.callback(ctx, ic, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: text, Flags: flags(ephemeral), AllowedMentions: noMentions()},
	}, attrs)
}

func (b *Bot) callback(ctx context.Context, ic *discordgo.Interaction, resp *discordgo.InteractionResponse, attrs []any) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackBudget)
	defer cancel()
	if err := b.session.InteractionRespond(ic, resp, discordgo.WithContext(ctx)); err != nil {
		b.log.Error("acknowledge interaction", append(attrs, "err", err)...)
		return false
	}
	return true
}

func flags(ephemeral bool) discordgo.MessageFlags {
	if ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

func (b *Bot) onAutocomplete(work context.Context, ic *discordgo.Interaction) {
	data := ic.ApplicationCommandData()
	var typed string
	for _, o := range data.Options {
		if o.Focused {
			typed, _ = o.Value.(string)
		}
	}
	ctx, cancel := context.WithTimeout(work, ackBudget/2)
	defer cancel()
	files, err := b.deps.Index.Files(ctx, typed, 25)
	if err != nil {
		b.log.Error("autocomplete files", append(interactionAttrs(ic, data.Name), "err", err)...)
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	for _, f := range files {
		if len(f) <= 100 {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: f, Value: f})
		}
	}
	b.callback(work, ic, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}, interactionAttrs(ic, data.Name))
}

// onSourcesButton shows whoever clicked the exact text of the paragraphs
// an answer cites, privately.
func (b *Bot) onSourcesButton(work context.Context, stopping <-chan struct{}, ic *discordgo.Interaction) {
	lang := langOf(string(ic.Locale))
	attrs := interactionAttrs(ic, "sources")
	if !b.admit(stopping) {
		b.respond(work, ic, say(lang, msgShutdown), true, attrs)
		return
	}
	defer b.inflight.Done()
	if !b.deferReply(work, ic, true, attrs) {
		return
	}
	r := interactionReply{s: b.session, ic: ic, ephemeral: true}
	ctx, cancel := context.WithTimeout(work, b.cfg.AnswerTimeout)
	defer cancel()
	refs, _ := b.cited.lookup(ic.MessageComponentData().CustomID)
	var text string
	for _, rf := range refs {
		p, err := b.deps.Index.Paragraph(ctx, rf.File, rf.Para)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			b.fail(ctx, r, lang, fmt.Errorf("show sources: %w", err), attrs)
			return
		}
		text += renderPassage(fmt.Sprintf("[%d]", rf.N), p) + "\n\n"
	}
	if text == "" {
		text = say(lang, msgSourcesGone)
	}
	b.sendText(ctx, r, text, attrs)
}

// interactionUser is who sent an interaction, in a guild or a DM.
func interactionUser(ic *discordgo.Interaction) *discordgo.User {
	if ic.Member != nil && ic.Member.User != nil {
		return ic.Member.User
	}
	if ic.User != nil {
		return ic.User
	}
	return &discordgo.User{}
}

func interactionAttrs(ic *discordgo.Interaction, command string) []any {
	u := interactionUser(ic)
	return []any{"command", command, "interaction_id", ic.ID, "user_id", u.ID, "user", u.Username,
		"guild_id", ic.GuildID, "channel_id", ic.ChannelID}
}

// interactionAdmin is what decides whether an interaction's user may
// reload.
func interactionAdmin(ic *discordgo.Interaction) (userID string, roles []string, perms int64) {
	if ic.Member != nil {
		return interactionUser(ic).ID, ic.Member.Roles, ic.Member.Permissions
	}
	return interactionUser(ic).ID, nil, 0
}
