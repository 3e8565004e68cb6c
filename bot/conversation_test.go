package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"citebot/internal/convstore"
	"citebot/internal/discordtest"
	"citebot/store"
)

// storeConversations is the store as answer.Chat and the bot see it, as
// cmd/citebot wires it.
type storeConversations struct{ convstore.Store }

func (c storeConversations) Link(ctx context.Context, key, conv string) error {
	return c.DB.Link(ctx, key, conv, time.Now(), time.Time{})
}

func (c storeConversations) Linked(ctx context.Context, key string) (string, error) {
	conv, err := c.DB.Linked(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return conv, err
}

const (
	seedQuestion = "Quel accord Benny Gantz a-t-il signé à Rabat ?"
	seedFollowUp = "Et quand a-t-il été signé ?"
	pactFile     = "002_2352071ffc99a4ce.txt"
)

// nthMessage waits for the bot's n-th message (from 1) created in a
// channel and returns it.
func nthMessage(t *testing.T, h *harness, n int) discordtest.Call {
	t.Helper()
	calls := h.srv.Wait(t, fmt.Sprintf("message %d", n), func(c []discordtest.Call) bool {
		return len(discordtest.Of(c, discordtest.Message)) >= n
	})
	return discordtest.Of(calls, discordtest.Message)[n-1]
}

// linked waits until the bot has linked its message id to a
// conversation: the link is written just after Discord has the message,
// and a user cannot reply sooner than that. It polls the store.
func linked(t *testing.T, h *harness, id string) {
	t.Helper()
	deadline := time.Now().Add(discordtest.WaitTimeout)
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		if _, err := h.db.Linked(t.Context(), id); err == nil {
			return
		}
		<-tick.C
	}
	t.Fatalf("message %s never linked to a conversation", id)
}

// answersDate checks that a follow-up's answer gives the agreement's date
// and cites a paragraph of the agreement's article holding it.
func answersDate(t *testing.T, content string) {
	t.Helper()
	if !strings.Contains(content, "24 novembre 2021") || !strings.Contains(content, pactFile) {
		t.Errorf("follow-up answer lacks the date or the agreement's article:\n%s", content)
	}
	if !strings.Contains(content, "compris :") {
		t.Errorf("follow-up answer does not say what it understood:\n%s", content)
	}
}

func TestFollowUpByReply(t *testing.T) {
	t.Parallel()
	h := start(t, setup{chat: true})
	ask := h.say(t, discordtest.Event{Text: "!ask " + seedQuestion})
	first := nthMessage(t, h, 1)
	if b := first.Decode(t); b.Reference == nil || b.Reference.MessageID != ask.ID {
		t.Fatalf("first answer does not reply to the question: %s", first.Body)
	}
	linked(t, h, first.MessageID)
	reply := h.say(t, discordtest.Event{Text: seedFollowUp, ReplyTo: first.MessageID})
	second := nthMessage(t, h, 2)
	b := second.Decode(t)
	if b.Reference == nil || b.Reference.MessageID != reply.ID {
		t.Errorf("follow-up answer does not reply to the follow-up: %s", second.Body)
	}
	answersDate(t, b.Content)
	if !b.AllowedMentions.Blocked() {
		t.Errorf("follow-up answer may ping: %s", second.Body)
	}
	// A reply to the follow-up's answer goes on with the same conversation.
	linked(t, h, second.MessageID)
	h.say(t, discordtest.Event{Text: "Qui l'a signé avec lui ?", ReplyTo: second.MessageID})
	third := nthMessage(t, h, 3).Decode(t)
	if !strings.Contains(third.Content, "Loud") {
		t.Errorf("third turn does not name the Moroccan minister:\n%s", third.Content)
	}
}

func TestFollowUpInThread(t *testing.T) {
	t.Parallel()
	h := start(t, setup{chat: true, cfg: Config{Threads: true}})
	h.interact(t, "slash_ask.json", discordtest.Event{Text: seedQuestion})
	calls := h.srv.Wait(t, "thread on the answer", func(c []discordtest.Call) bool {
		return len(discordtest.Of(c, discordtest.ThreadStart)) > 0
	})
	th := discordtest.Of(calls, discordtest.ThreadStart)[0]
	edits := discordtest.Of(calls, discordtest.EditOriginal)
	if len(edits) == 0 || th.Params["message"] != edits[len(edits)-1].MessageID || th.Params["channel"] != discordtest.ChannelID {
		t.Fatalf("thread opened on %v, want the answer %v in the channel", th.Params, edits)
	}
	thread := th.Params["message"] // a thread opened on a message has its id
	// In the thread, a follow-up needs no prefix and no reply, from anyone.
	h.say(t, discordtest.Event{ChannelID: thread, Text: seedFollowUp, UserID: "1200000000000000099", Username: "bob"})
	m := nthMessage(t, h, 1)
	if m.Params["channel"] != thread {
		t.Errorf("follow-up answered in channel %s, want the thread %s", m.Params["channel"], thread)
	}
	answersDate(t, m.Decode(t).Content)
	if n := len(discordtest.Of(h.srv.Calls(), discordtest.ThreadStart)); n != 1 {
		t.Errorf("%d threads opened, want 1 (none inside a thread)", n)
	}
}

// A restart between two turns keeps the conversation: it is in the store.
func TestFollowUpAfterRestart(t *testing.T) {
	t.Parallel()
	h := start(t, setup{chat: true})
	h.say(t, discordtest.Event{Text: "!ask " + seedQuestion})
	first := nthMessage(t, h, 1)
	linked(t, h, first.MessageID)
	if err := h.shutdown(t); err != nil {
		t.Fatal(err)
	}
	h2 := start(t, setup{chat: true, db: h.db})
	h2.say(t, discordtest.Event{Text: seedFollowUp, ReplyTo: first.MessageID})
	answersDate(t, nthMessage(t, h2, 1).Decode(t).Content)
}

// Two users in one channel: each one's replies go on with their own
// conversation, and a reply to another's answer starts a new one.
func TestFollowUpTwoUsers(t *testing.T) {
	t.Parallel()
	h := start(t, setup{chat: true})
	const bob = "1200000000000000099"
	h.say(t, discordtest.Event{Text: "!ask " + seedQuestion})
	alice := nthMessage(t, h, 1)
	h.say(t, discordtest.Event{Text: "!ask Qui a accueilli le chef d'état-major marocain en Israël ?", UserID: bob, Username: "bob"})
	bobs := nthMessage(t, h, 2)
	linked(t, h, alice.MessageID)
	linked(t, h, bobs.MessageID)
	// Bob's !ask in reply to Alice's answer is his own new question.
	h.say(t, discordtest.Event{Text: "!ask " + seedFollowUp, ReplyTo: alice.MessageID, UserID: bob, Username: "bob"})
	if c := nthMessage(t, h, 3).Decode(t).Content; strings.Contains(c, "gantz") {
		t.Errorf("bob's question was read with alice's conversation:\n%s", c)
	}
	// Bob's reply to his own answer goes on with his conversation.
	h.say(t, discordtest.Event{Text: "Et où ?", ReplyTo: bobs.MessageID, UserID: bob, Username: "bob"})
	if c := nthMessage(t, h, 4).Decode(t).Content; strings.Contains(strings.ToLower(c), "gantz, rabat") {
		t.Errorf("bob's follow-up was read with alice's words:\n%s", c)
	}
	// Alice's reply is still read with hers.
	h.say(t, discordtest.Event{Text: seedFollowUp, ReplyTo: alice.MessageID})
	answersDate(t, nthMessage(t, h, 5).Decode(t).Content)
}
