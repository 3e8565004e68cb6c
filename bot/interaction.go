package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"citebot/retrieval"
	"citebot/usage"
)

// ackBudget bounds the immediate response to an interaction: Discord
// gives three seconds.
const ackBudget = 3 * time.Second

// onInteraction routes an interaction. Every path answers Discord at
// once, deferring when work follows, then works under its own budget. An
// interaction whose data discordgo could not decode is refused politely.
func (b *Bot) onInteraction(work context.Context, stopping <-chan struct{}, ic *discordgo.Interaction) {
	lang := langOf(string(ic.Locale))
	attrs := interactionAttrs(ic, interactionName(ic))
	defer b.acked.Delete(ic.ID)
	defer b.recoverPanic(attrs, func(ref string) { b.tell(work, ic, say(lang, msgError, ref), attrs) })
	cost, ok := interactionCost(ic)
	if !ok {
		return
	}
	if !b.allowedChannel(ic.ChannelID) {
		// Said before any rate limit: a channel the bot does not serve
		// costs the user nothing.
		if ic.Type == discordgo.InteractionApplicationCommand {
			b.respond(work, ic, say(lang, msgChannel), true, attrs)
		}
		return
	}
	notify := func(wait time.Duration) { b.respond(work, ic, say(lang, msgRateLimited, wait), true, attrs) }
	if ic.Type == discordgo.InteractionApplicationCommandAutocomplete {
		notify = nil // the user is typing; the command itself will say it
	}
	if !b.mayPost(interactionUser(ic).ID, ic.ChannelID, cost, attrs, notify) {
		b.limitedQuestion(work, ic, attrs)
		return
	}
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		if data, ok := commandData(ic); ok {
			b.onCommand(work, stopping, ic, data)
		} else {
			b.malformed(work, ic, lang, attrs)
		}
	case discordgo.InteractionApplicationCommandAutocomplete:
		if data, ok := commandData(ic); ok {
			b.onAutocomplete(work, ic, data)
		} else {
			b.malformed(work, ic, lang, attrs)
		}
	case discordgo.InteractionMessageComponent:
		data, _ := ic.Data.(discordgo.MessageComponentInteractionData)
		switch {
		case isSourcesButton(data.CustomID):
			b.onSourcesButton(work, stopping, ic)
		case isVoteButton(data.CustomID):
			b.onVoteButton(work, ic, data.CustomID)
		}
	}
}

// interactionCost is what an interaction costs against the rate limit,
// and false for an interaction the bot does not answer.
func interactionCost(ic *discordgo.Interaction) (float64, bool) {
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		return requestCost, true
	case discordgo.InteractionApplicationCommandAutocomplete:
		return autocompleteCost, true
	case discordgo.InteractionMessageComponent:
		data, ok := ic.Data.(discordgo.MessageComponentInteractionData)
		return requestCost, ok && (isSourcesButton(data.CustomID) || isVoteButton(data.CustomID))
	}
	return 0, false
}

// commandData is a command's or autocomplete's data, if discordgo could
// decode it: ApplicationCommandData panics when it could not.
func commandData(ic *discordgo.Interaction) (discordgo.ApplicationCommandInteractionData, bool) {
	data, ok := ic.Data.(discordgo.ApplicationCommandInteractionData)
	return data, ok && data.Name != ""
}

// interactionName names an interaction for the logs, whatever its shape.
func interactionName(ic *discordgo.Interaction) string {
	switch data := ic.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		return data.Name
	case discordgo.MessageComponentInteractionData:
		return data.CustomID
	}
	return ic.Type.String()
}

// malformed answers an interaction that carries no usable data: an empty
// list of choices for autocomplete, a short error for a command.
func (b *Bot) malformed(ctx context.Context, ic *discordgo.Interaction, lang retrieval.Lang, attrs []any) {
	ref := newRef()
	b.log.Warn("interaction without usable data (discordgo could not decode it)",
		append(attrs, "ref", ref, "type", ic.Type.String())...)
	if ic.Type == discordgo.InteractionApplicationCommandAutocomplete {
		b.choices(ctx, ic, nil, attrs)
		return
	}
	b.respond(ctx, ic, say(lang, msgError, ref), true, attrs)
}

// tell shows text to an interaction's user privately: as the response,
// or in place of it once the interaction has been acknowledged.
func (b *Bot) tell(ctx context.Context, ic *discordgo.Interaction, text string, attrs []any) {
	if _, acked := b.acked.Load(ic.ID); !acked {
		b.respond(ctx, ic, text, true, attrs)
		return
	}
	b.sendText(ctx, interactionReply{s: b.session, ic: ic}, text, attrs)
}

func (b *Bot) onCommand(work context.Context, stopping <-chan struct{}, ic *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) {
	lang := langOf(string(ic.Locale))
	attrs := interactionAttrs(ic, data.Name)
	if !b.admit(stopping) {
		b.respond(work, ic, say(lang, msgShutdown), true, attrs)
		return
	}
	defer b.inflight.Done()
	opts := options(data.Options)
	switch data.Name {
	case cmdAsk:
		q, _ := opts[optQuestion].(string)
		private, _ := opts[optPrivate].(bool)
		rec := b.slashQuestion(ic, q)
		if !b.checkQuestion(work, ic, q, lang, attrs) {
			b.done(work, rec, usage.Invalid, lang, attrs)
			return
		}
		if b.deferReply(work, ic, private, attrs) {
			var conv convRef
			if b.conversations() && !private {
				// A private answer has no message to reply to.
				conv = convRef{id: newConv(ic.ChannelID, interactionUser(ic).ID, ic.ID), thread: b.cfg.Threads && ic.GuildID != "", name: q}
			}
			b.ask(work, interactionReply{s: b.session, ic: ic, ephemeral: private, sent: &sentRef{}}, rec, lang, attrs, conv)
		}
	case cmdSearch:
		q, _ := opts[optQuery].(string)
		if b.deferReply(work, ic, false, attrs) {
			b.search(work, interactionReply{s: b.session, ic: ic}, q, lang, attrs)
		}
	case cmdSource:
		file, _ := opts[optFile].(string)
		n, _ := opts[optParagraph].(float64)
		if b.deferReply(work, ic, false, attrs) {
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
	case cmdStats:
		b.onStats(work, ic, opts, lang, attrs)
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

// checkQuestion refuses, at once and privately, a question that is too
// long.
func (b *Bot) checkQuestion(ctx context.Context, ic *discordgo.Interaction, q string, lang retrieval.Lang, attrs []any) bool {
	if n := utf8.RuneCountInString(q); n > b.cfg.MaxQuestion {
		b.respond(ctx, ic, say(lang, msgTooLong, n, b.cfg.MaxQuestion), true, attrs)
		return false
	}
	return true
}

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
	start := time.Now()
	if err := b.session.InteractionRespond(ic, resp, discordgo.WithContext(ctx)); err != nil {
		b.log.Error("acknowledge interaction", append(attrs, "err", err)...)
		return false
	}
	b.obs.Acked(time.Since(start))
	b.acked.Store(ic.ID, struct{}{})
	return true
}

func flags(ephemeral bool) discordgo.MessageFlags {
	if ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

func (b *Bot) onAutocomplete(work context.Context, ic *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) {
	var typed string
	for _, o := range data.Options {
		if o.Focused {
			typed, _ = o.Value.(string)
		}
	}
	attrs := interactionAttrs(ic, data.Name)
	ctx, cancel := context.WithTimeout(work, ackBudget/2)
	defer cancel()
	articles, err := b.deps.Index.Articles(ctx, typed, 25)
	if err != nil {
		b.log.Error("autocomplete articles", append(attrs, "err", err)...)
	}
	b.choices(work, ic, articles, attrs)
}

// maxChoice is the longest name or value of an autocomplete choice.
const maxChoice = 100

// choices answers an autocomplete with the articles whose file name fits
// in a choice: each shows the title and the file, and gives the file.
func (b *Bot) choices(ctx context.Context, ic *discordgo.Interaction, articles []Article, attrs []any) {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	for _, a := range articles {
		if len(a.File) <= maxChoice {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: choiceName(a), Value: a.File})
		}
	}
	b.callback(ctx, ic, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}, attrs)
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
	refs, _ := b.cited.lookup(ctx, ic.MessageComponentData().CustomID)
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

// choiceName is "Title — file", the title cut to fit in a choice's name;
// the file alone when there is no room for a title.
func choiceName(a Article) string {
	title := oneLine(a.Title)
	room := maxChoice - utf8.RuneCountInString(a.File) - len(" — ")
	if title == "" || room < 10 {
		return a.File
	}
	if utf8.RuneCountInString(title) > room {
		title = strings.TrimSpace(string([]rune(title)[:room-1])) + "…"
	}
	return title + " — " + a.File
}
