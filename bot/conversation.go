package bot

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"

	"citebot/answer"
)

// Conversation answers a question as the next turn of a conversation
// (a new one when conv has no turns). *answer.Chat implements it.
type Conversation interface {
	AskIn(ctx context.Context, conv, question string, onText func(partial string)) (answer.Answer, error)
}

// Links remembers which conversation a bot answer, or a thread opened on
// one, continues.
type Links interface {
	Link(ctx context.Context, key, conv string) error
	// Linked returns the conversation of key, or an error wrapping
	// ErrNotFound.
	Linked(ctx context.Context, key string) (string, error)
}

// convRef says in which conversation an answer is asked, and what to do
// with the answer once sent.
type convRef struct {
	id string // "" answers outside any conversation
	// thread opens a thread on the answer (CITEBOT_THREADS), unless the
	// answer is already in one.
	thread bool
	name   string // the thread's name: the question, shortened
}

// A conversation's id says where it lives and whose it is: replies
// continue it only in its channel and for its user, so nothing of one
// user's conversation reaches another's. A thread's conversation is the
// thread's, shared by those who talk in it.
func newConv(channel, user, root string) string {
	return "discord/" + channel + "/" + user + "/" + root
}

func convOwnedBy(conv, channel, user string) bool {
	return strings.HasPrefix(conv, "discord/"+channel+"/"+user+"/")
}

// threadKey is the link key of a thread opened on an answer.
func threadKey(channel string) string { return "thread:" + channel }

// conversations reports whether follow-ups are on: both services given.
func (b *Bot) conversations() bool { return b.deps.Chat != nil && b.deps.Links != nil }

// followUp finds the conversation a chat message continues: a reply to
// one of the bot's answers, by the user whose conversation it is, or any
// message in a thread the bot opened on an answer. ok is false for a
// message that continues none.
func (b *Bot) followUp(ctx context.Context, m *discordgo.Message) (conv string, ok bool) {
	if !b.conversations() || m.Author == nil {
		return "", false
	}
	if ref := m.MessageReference; ref != nil && ref.MessageID != "" {
		conv, err := b.deps.Links.Linked(ctx, ref.MessageID)
		if err == nil && (convOwnedBy(conv, m.ChannelID, m.Author.ID) || b.inThread(ctx, m.ChannelID)) {
			return conv, true
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			b.log.Warn("look up the conversation of a reply", "message_id", m.ID, "err", err)
		}
	}
	if b.cfg.Threads {
		conv, err := b.deps.Links.Linked(ctx, threadKey(m.ChannelID))
		if err == nil {
			return conv, true
		}
		if !errors.Is(err, ErrNotFound) {
			b.log.Warn("look up the conversation of a thread", "channel_id", m.ChannelID, "err", err)
		}
	}
	return "", false
}

func (b *Bot) inThread(ctx context.Context, channel string) bool {
	if !b.cfg.Threads {
		return false
	}
	_, err := b.deps.Links.Linked(ctx, threadKey(channel))
	return err == nil
}

// remember links the answer just sent to its conversation, and opens a
// thread on it when asked to. A failure costs the follow-ups, not the
// answer: it is logged.
func (b *Bot) remember(ctx context.Context, r replier, conv convRef, attrs []any) {
	if conv.id == "" {
		return
	}
	channel, id := r.sentMessage()
	if id == "" {
		return
	}
	// The answer is sent, but its slot is still held: another process's
	// reload, which holds the store, must not keep it for long.
	lctx, cancel := context.WithTimeout(ctx, rememberBudget)
	defer cancel()
	if err := b.deps.Links.Link(lctx, id, conv.id); err != nil {
		b.log.Warn("remember the conversation of an answer", append(attrs, "err", err)...)
		return
	}
	if !conv.thread || b.inThread(ctx, channel) {
		return
	}
	// A thread opened on a message has the message's id: it is linked
	// before it exists, so that no message in it comes before the link.
	if err := b.deps.Links.Link(lctx, threadKey(id), conv.id); err != nil {
		b.log.Warn("remember the conversation of a thread", append(attrs, "err", err)...)
		return
	}
	_, err := b.session.MessageThreadStartComplex(channel, id, &discordgo.ThreadStart{
		Name: threadName(conv.name), AutoArchiveDuration: 1440, Type: discordgo.ChannelTypeGuildPublicThread,
	}, discordgo.WithContext(ctx))
	if err != nil {
		b.log.Warn("open a thread on the answer (does the bot have Create Public Threads?)", append(attrs, "err", err)...)
	}
}

// maxThreadName is Discord's limit on a thread's name.
const maxThreadName = 100

func threadName(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if r := []rune(q); len(r) > maxThreadName {
		q = string(r[:maxThreadName-1]) + "…"
	}
	if q == "" {
		q = "citebot"
	}
	return q
}

// sentRef holds the first message a reply sent, once sent.
type sentRef struct {
	mu               sync.Mutex
	channel, message string
}

func (s *sentRef) set(m *discordgo.Message) {
	if s == nil || m == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channel, s.message = m.ChannelID, m.ID
}

func (s *sentRef) get() (channel, message string) {
	if s == nil {
		return "", ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.channel, s.message
}
