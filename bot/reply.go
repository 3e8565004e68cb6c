package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"citebot/retrieval"
)

// noMentions is set on every message the bot sends: nothing the model or
// a user writes (@everyone, <@id>, <@&role>) can ping anyone, and replies
// do not ping their author.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// part is one message of a reply.
type part struct {
	Content    string
	Components []discordgo.MessageComponent
}

func (p part) components() []discordgo.MessageComponent {
	if p.Components == nil {
		return []discordgo.MessageComponent{}
	}
	return p.Components
}

// replier sends a reply in parts: the first replaces what the user sees
// so far (a deferred response, or the reply being streamed), the others
// follow it.
type replier interface {
	// first shows p as the reply's first message; a non-final edit gives
	// up on a rate limit rather than wait, as a newer one will follow.
	first(ctx context.Context, p part, final bool) error
	more(ctx context.Context, p part) error
	// anew shows p as a new message in place of the first, after the
	// first could not be edited: it deletes the first message, or if it
	// cannot, edits it to mark (which says that it was given up).
	anew(ctx context.Context, p part, mark string) error
	// sentMessage is the channel and id of the reply's first message,
	// once sent; "" before, or if unknown.
	sentMessage() (channel, id string)
}

func requestOptions(ctx context.Context, final bool) []discordgo.RequestOption {
	opts := []discordgo.RequestOption{discordgo.WithContext(ctx)}
	if !final {
		opts = append(opts, discordgo.WithRetryOnRatelimit(false))
	}
	return opts
}

// interactionReply answers an interaction that was deferred: the first
// part edits the original response, the others are follow-ups.
type interactionReply struct {
	s         *discordgo.Session
	ic        *discordgo.Interaction
	ephemeral bool
	sent      *sentRef // nil when no one asks what was sent
}

func (r interactionReply) first(ctx context.Context, p part, final bool) error {
	comps := p.components()
	m, err := r.s.InteractionResponseEdit(r.ic, &discordgo.WebhookEdit{
		Content: &p.Content, Components: &comps, AllowedMentions: noMentions(),
	}, requestOptions(ctx, final)...)
	if err == nil && m != nil {
		if m.ChannelID == "" {
			m.ChannelID = r.ic.ChannelID
		}
		r.sent.set(m)
	}
	return err
}

func (r interactionReply) sentMessage() (string, string) { return r.sent.get() }

func (r interactionReply) more(ctx context.Context, p part) error {
	params := &discordgo.WebhookParams{Content: p.Content, Components: p.components(), AllowedMentions: noMentions()}
	if r.ephemeral {
		params.Flags = discordgo.MessageFlagsEphemeral
	}
	_, err := r.s.FollowupMessageCreate(r.ic, true, params, requestOptions(ctx, true)...)
	return err
}

func (r interactionReply) anew(ctx context.Context, p part, mark string) error {
	if err := r.s.InteractionResponseDelete(r.ic, discordgo.WithContext(ctx)); err != nil {
		comps := []discordgo.MessageComponent{}
		_, _ = r.s.InteractionResponseEdit(r.ic, &discordgo.WebhookEdit{ // best effort
			Content: &mark, Components: &comps, AllowedMentions: noMentions(),
		}, discordgo.WithContext(ctx))
	}
	return r.more(ctx, p)
}

// messageReply answers a chat message: the first part is a reply to it,
// created on first use and edited after; the others follow in the channel.
type messageReply struct {
	s  *discordgo.Session
	to *discordgo.Message

	mu   sync.Mutex
	sent *discordgo.Message
}

func (r *messageReply) first(ctx context.Context, p part, final bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	comps := p.components()
	if r.sent != nil {
		_, err := r.s.ChannelMessageEditComplex(&discordgo.MessageEdit{
			ID: r.sent.ID, Channel: r.sent.ChannelID, Content: &p.Content, Components: &comps,
			AllowedMentions: noMentions(),
		}, requestOptions(ctx, final)...)
		return err
	}
	m, err := r.s.ChannelMessageSendComplex(r.to.ChannelID, &discordgo.MessageSend{
		Content: p.Content, Components: comps, AllowedMentions: noMentions(),
		Reference: r.to.SoftReference(),
	}, requestOptions(ctx, true)...)
	if err == nil {
		r.sent = m
	}
	return err
}

func (r *messageReply) sentMessage() (string, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sent == nil {
		return "", ""
	}
	return r.sent.ChannelID, r.sent.ID
}

func (r *messageReply) anew(ctx context.Context, p part, mark string) error {
	r.mu.Lock()
	sent := r.sent
	r.sent = nil
	r.mu.Unlock()
	if sent != nil {
		if err := r.s.ChannelMessageDelete(sent.ChannelID, sent.ID, discordgo.WithContext(ctx)); err != nil {
			comps := []discordgo.MessageComponent{}
			_, _ = r.s.ChannelMessageEditComplex(&discordgo.MessageEdit{ // best effort
				ID: sent.ID, Channel: sent.ChannelID, Content: &mark, Components: &comps,
				AllowedMentions: noMentions(),
			}, discordgo.WithContext(ctx))
		}
	}
	return r.first(ctx, p, true) // a new reply to the question
}

// sentID is the id of the reply's first message, once sent.
func (r *messageReply) sentID() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sent == nil {
		return ""
	}
	return r.sent.ID
}

func (r *messageReply) more(ctx context.Context, p part) error {
	_, err := r.s.ChannelMessageSendComplex(r.to.ChannelID, &discordgo.MessageSend{
		Content: p.Content, Components: p.components(), AllowedMentions: noMentions(),
	}, requestOptions(ctx, true)...)
	return err
}

// sendBudget bounds sending a reply once its work is done, even when the
// work's own context has ended.
const sendBudget = 15 * time.Second

// send delivers parts through r. If the first message, which may be a
// draft being streamed, cannot be edited, the reply starts anew below it,
// so that a half answer is never left on screen as if it were the
// answer. A failure is logged: there is no one left to tell.
func (b *Bot) send(ctx context.Context, r replier, parts []part, attrs []any) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendBudget)
	defer cancel()
	if len(parts) > b.cfg.MaxMessages {
		b.log.Warn("reply cut", append(attrs, "parts", len(parts), "max", b.cfg.MaxMessages)...)
		parts = capParts(parts, b.cfg.MaxMessages)
	}
	for i, p := range parts {
		var err error
		if i == 0 {
			err = r.first(ctx, p, true)
			if err != nil {
				b.log.Warn("edit reply failed: sending it anew", append(attrs, "err", err)...)
				err = r.anew(ctx, p, draftGivenUp)
			}
		} else {
			err = r.more(ctx, p)
		}
		if err != nil {
			b.log.Error("send reply", append(attrs, "part", i+1, "parts", len(parts), "err", err)...)
			return
		}
	}
}

// sendText sends a message of the bot's own.
func (b *Bot) sendText(ctx context.Context, r replier, text string, attrs []any) {
	b.send(ctx, r, textParts(text), attrs)
}

func textParts(text string) []part {
	var parts []part
	for _, t := range split(text, MaxContent) {
		parts = append(parts, part{Content: t})
	}
	return parts
}

// fail tells the user that their request failed, in their language, with
// a reference that the log line, which has the full error, shares.
func (b *Bot) fail(ctx context.Context, r replier, lang retrieval.Lang, err error, attrs []any) {
	b.failRef(ctx, r, lang, newRef(), err, attrs)
}

// failRef is fail with the reference given: a question's own.
func (b *Bot) failRef(ctx context.Context, r replier, lang retrieval.Lang, ref string, err error, attrs []any) {
	msg := msgError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		msg = msgTimeout
	case errors.Is(err, context.Canceled):
		msg = msgShutdown
	}
	b.log.Error("request failed", append(attrs, "ref", ref, "err", err)...)
	text := say(lang, msg)
	if msg != msgShutdown {
		text = say(lang, msg, ref)
	}
	b.sendText(ctx, r, text, attrs)
}

// newRef is a short random reference shown to a user and logged.
func newRef() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
