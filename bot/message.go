package bot

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"citebot/retrieval"
	"citebot/usage"
)

// onMessage answers a chat command or a mention, as a reply to the
// message.
func (b *Bot) onMessage(work context.Context, stopping <-chan struct{}, m *discordgo.Message) {
	var r *messageReply
	lang := retrieval.French
	defer b.recoverPanic(messageAttrs(m, ""), func(ref string) {
		if r != nil {
			b.sendText(work, r, say(lang, msgError, ref), messageAttrs(m, ""))
		}
	})
	if m.Author == nil || m.Author.Bot {
		return
	}
	botID, _ := b.ids()
	cmd, ok := parseChat(m.Content, b.cfg.Prefix, botID)
	conv, follows := b.followUpOf(work, m, cmd, ok)
	switch {
	case follows:
		// A follow-up needs no prefix; its channel was allowed when the
		// conversation began (a thread is a channel of its own).
		cmd, ok = chatCommand{Name: cmdAsk, Arg: followUpText(m.Content, cmd, ok)}, true
	case !ok || !b.allowedChannel(m.ChannelID):
		return
	case cmd.Name == cmdAsk && b.conversations():
		conv = convRef{id: newConv(m.ChannelID, m.Author.ID, m.ID), thread: b.cfg.Threads && m.GuildID != "", name: cmd.Arg}
	}
	attrs := messageAttrs(m, cmd.Name)
	notify := func(time.Duration) { b.react(work, m, attrs) }
	// A message the bot will not take (it is stopping) costs the user
	// nothing.
	if !b.admit(stopping) {
		return
	}
	defer b.inflight.Done()
	if !b.mayPost(m.Author.ID, m.ChannelID, requestCost, attrs, notify) {
		if cmd.Name == cmdAsk {
			b.done(work, b.chatQuestion(m, cmd), usage.RateLimited, b.messageLang(m, cmd), attrs)
		}
		return
	}
	lang = b.messageLang(m, cmd)
	r = &messageReply{s: b.session, to: m}
	switch cmd.Name {
	case cmdAsk:
		rec := b.chatQuestion(m, cmd)
		switch n := utf8.RuneCountInString(cmd.Arg); {
		case n == 0:
			b.sendText(work, r, say(lang, msgEmptyQuestion, b.cfg.Prefix), attrs)
			b.done(work, rec, usage.Invalid, lang, attrs)
		case n > b.cfg.MaxQuestion:
			b.sendText(work, r, say(lang, msgTooLong, n, b.cfg.MaxQuestion), attrs)
			b.done(work, rec, usage.Invalid, lang, attrs)
		default:
			b.typing(work, m.ChannelID)
			b.ask(work, r, rec, lang, attrs, conv)
		}
	case cmdSearch:
		if cmd.Arg == "" {
			b.sendText(work, r, say(lang, msgNoWords), attrs)
		} else {
			b.search(work, r, cmd.Arg, lang, attrs)
		}
	case cmdSource:
		file, n, ok := parseSource(cmd.Arg)
		if !ok {
			b.sendText(work, r, say(lang, msgSourceUsage, b.cfg.Prefix), attrs)
		} else {
			b.source(work, r, file, n, lang, attrs)
		}
	case cmdReload:
		if !b.isAdmin(b.messageAdmin(m)) {
			b.refuseReload(attrs)
			b.sendText(work, r, say(lang, msgNotAdmin), attrs)
			return
		}
		b.reload(work, r, lang, attrs)
	case cmdHelp:
		b.help(work, r, lang)
	}
}

// messageAttrs are a chat message's ids, for the logs.
func messageAttrs(m *discordgo.Message, command string) []any {
	u := m.Author
	if u == nil {
		u = &discordgo.User{}
	}
	return []any{"command", command, "message_id", m.ID, "user_id", u.ID, "user", u.Username,
		"guild_id", m.GuildID, "channel_id", m.ChannelID}
}

// typing shows "citebot is typing…" while an answer is computed.
func (b *Bot) typing(ctx context.Context, channelID string) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := b.session.ChannelTyping(channelID, discordgo.WithContext(ctx)); err != nil {
		b.log.Debug("typing indicator", "channel_id", channelID, "err", err)
	}
}

// followUpOf finds the conversation a message continues, if it is a
// follow-up: a reply to an answer or a message in an answer's thread that
// is not another command (!search in a thread is a search).
func (b *Bot) followUpOf(ctx context.Context, m *discordgo.Message, cmd chatCommand, isCmd bool) (convRef, bool) {
	if isCmd && cmd.Name != cmdAsk {
		return convRef{}, false
	}
	if !isCmd && strings.TrimSpace(m.Content) == "" {
		return convRef{}, false
	}
	id, ok := b.followUp(ctx, m)
	if !ok {
		return convRef{}, false
	}
	return convRef{id: id}, true
}

// followUpText is the question a follow-up asks: the argument of an
// !ask or a mention, or the whole message.
func followUpText(content string, cmd chatCommand, isCmd bool) string {
	if isCmd {
		return cmd.Arg
	}
	return strings.TrimSpace(content)
}
