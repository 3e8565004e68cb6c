package answer_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"citebot/answer"
	"citebot/internal/openaitest"
)

// memConversations is a working answer.Conversations in memory, for tests.
type memConversations struct {
	mu    sync.Mutex
	turns map[string][]answer.Turn
}

func (m *memConversations) Turns(_ context.Context, conv string, n int, since time.Time) ([]answer.Turn, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ts := slices.DeleteFunc(slices.Clone(m.turns[conv]), func(t answer.Turn) bool { return t.At.Before(since) })
	return ts[max(0, len(ts)-n):], nil
}

func (m *memConversations) AddTurn(_ context.Context, conv string, t answer.Turn, keep int, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.turns == nil {
		m.turns = make(map[string][]answer.Turn)
	}
	ts := append(m.turns[conv], t)
	m.turns[conv] = ts[max(0, len(ts)-keep):]
	return nil
}

var _ answer.Conversations = (*memConversations)(nil)

const pact = "002_2352071ffc99a4ce.txt"

func TestFollowUpSeed(t *testing.T) {
	t.Parallel()
	svc := extractiveService(t)
	chat := answer.NewChat(svc, &memConversations{}, answer.ChatOptions{})
	ctx := t.Context()
	first, n, err := chat.Ask(ctx, "c1", "Quel accord Benny Gantz a-t-il signé à Rabat ?", nil)
	if err != nil || n != 1 {
		t.Fatalf("first turn: %v, turn %d", err, n)
	}
	if !first.Grounded {
		t.Fatalf("first turn refused: %q", first.Text)
	}
	second, n, err := chat.Ask(ctx, "c1", "Et quand a-t-il été signé ?", nil)
	if err != nil || n != 2 {
		t.Fatalf("second turn: %v, turn %d", err, n)
	}
	if !second.Grounded || !strings.Contains(second.Text, "24 novembre 2021") {
		t.Errorf("follow-up answered %q (grounded %v), want the date 24 novembre 2021", second.Text, second.Grounded)
	}
	dated := false
	for _, c := range second.Citations {
		dated = dated || (c.Passage.File == pact && strings.Contains(c.Passage.Text, "24 novembre 2021"))
	}
	if !dated {
		t.Errorf("follow-up cites %v, want a paragraph of %s with the date", second.Citations, pact)
	}
	if second.About == "" {
		t.Errorf("follow-up says nothing of what it understood")
	}
	alone, _, err := chat.Ask(ctx, "c2", "Et quand a-t-il été signé ?", nil)
	if err != nil {
		t.Fatal(err)
	}
	if alone.Grounded && strings.Contains(alone.Text, "24 novembre 2021") && alone.Citations[0].Passage.File == pact && alone.About != "" {
		t.Errorf("another conversation was read with c1's context: %q", alone.Text)
	}
	t.Logf("alone: %q\nfollow-up: %q about %q", alone.Text, second.Text, second.About)
}

// With a model, a follow-up is first rewritten into a standalone question,
// which is then answered as usual, citations checked.
func TestFollowUpWithModel(t *testing.T) {
	t.Parallel()
	const standalone = "Quand l'accord de défense entre le Maroc et Israël a-t-il été signé ?"
	srv := openaitest.New(t, token, func(_ int, req openaitest.Request) openaitest.Reply {
		if strings.Contains(req.User, "Next question:") {
			return openaitest.Reply{Content: standalone}
		}
		return openaitest.Reply{Content: "L'accord de défense a été signé le mercredi 24 novembre 2021 [1]."}
	})
	svc, search := llmService(t, srv, 5*time.Second)
	history := []answer.Turn{{N: 1, Question: "Quel accord Benny Gantz a-t-il signé à Rabat ?",
		Answer: "Un accord de coopération sécuritaire [1]", Cited: []answer.Cited{{File: pact, Paragraph: 4}}}}
	ans, err := svc.AskFollowUp(t.Context(), "Et quand a-t-il été signé ?", history, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, search, ans)
	if ans.Understood != standalone || ans.Question != "Et quand a-t-il été signé ?" {
		t.Errorf("understood %q as %q, want the model's rewrite", ans.Question, ans.Understood)
	}
	if !ans.Grounded || !strings.Contains(ans.Text, "24 novembre 2021") {
		t.Errorf("answer %q (grounded %v), want the date", ans.Text, ans.Grounded)
	}
	if !srv.Contains("Question: Quel accord Benny Gantz") {
		t.Errorf("the rewrite request did not show the conversation")
	}
	// A model that fails the rewrite leaves the lexical reading.
	down := openaitest.New(t, token, openaitest.Always(openaitest.Reply{Status: 500}))
	svc, _ = llmService(t, down, 2*time.Second)
	ans, err = svc.AskFollowUp(t.Context(), "Et quand a-t-il été signé ?", history, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Understood != "" || ans.About == "" {
		t.Errorf("with the model down: understood %q, about %q; want the conversation's words", ans.Understood, ans.About)
	}
}

// heldConversations is a store that another process's reload holds: a
// write waits until it gives up.
type heldConversations struct{ memConversations }

func (h *heldConversations) AddTurn(ctx context.Context, _ string, _ answer.Turn, _ int, _ time.Time) error {
	<-ctx.Done()
	return ctx.Err()
}

// A turn that cannot be recorded does not cost the user the answer, nor
// hold it back for longer than the recording budget.
func TestFollowUpStoreHeld(t *testing.T) {
	t.Parallel()
	chat := answer.NewChat(extractiveService(t), &heldConversations{}, answer.ChatOptions{})
	began := time.Now()
	ans, n, err := chat.Ask(t.Context(), "c1", "Quel accord Benny Gantz a-t-il signé à Rabat ?", nil)
	if !errors.Is(err, answer.ErrTurnNotRecorded) {
		t.Errorf("Ask with a held store: %v, want ErrTurnNotRecorded", err)
	}
	if !ans.Grounded || n != 1 {
		t.Errorf("Ask with a held store: grounded %v, turn %d; want the answer of turn 1", ans.Grounded, n)
	}
	if waited := time.Since(began); waited > 10*time.Second {
		t.Errorf("the answer waited %v for the store", waited)
	}
}
