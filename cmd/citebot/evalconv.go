package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"citebot/answer"
	"citebot/internal/evalset"
	"citebot/retrieval"
	"citebot/store"
)

// convGroup scores one kind of later turn with and without its
// conversation.
type convGroup struct {
	Turns           int     `json:"turns"`
	RecallAlone     float64 `json:"recall_alone"`
	RecallContext   float64 `json:"recall_context"`
	AccuracyAlone   float64 `json:"answer_accuracy_alone"`
	AccuracyContext float64 `json:"answer_accuracy_context"`

	hitsAlone, hitsContext, rightAlone, rightContext int
}

func (g *convGroup) add(hitAlone, hitContext, rightAlone, rightContext bool) {
	g.Turns++
	count := func(n *int, b bool) {
		if b {
			*n++
		}
	}
	count(&g.hitsAlone, hitAlone)
	count(&g.hitsContext, hitContext)
	count(&g.rightAlone, rightAlone)
	count(&g.rightContext, rightContext)
	g.RecallAlone, g.RecallContext = ratio(g.hitsAlone, g.Turns), ratio(g.hitsContext, g.Turns)
	g.AccuracyAlone, g.AccuracyContext = ratio(g.rightAlone, g.Turns), ratio(g.rightContext, g.Turns)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// convJSON is eval --conversations' output: recall@k and answer accuracy
// of the later turns of same-article conversations, apart for those that
// retrieval misses alone and those it finds alone, and of the second
// question of topic-switch pairs, each asked alone and in conversation.
type convJSON struct {
	Conversations int       `json:"conversations"`
	K             int       `json:"k"`
	FailAlone     convGroup `json:"later_fail_alone"`
	SucceedAlone  convGroup `json:"later_succeed_alone"`
	TopicSwitch   convGroup `json:"topic_switch"`
}

// evalConversations asks each conversation's turns in order, the later
// ones both alone and read in the conversation so far (whose turns hold
// what citebot answered).
func (e *evaluator) evalConversations(ctx context.Context, db *store.DB, cs []evalset.Conversation) (convJSON, error) {
	s := e.a.searcher(db)
	svc := answer.New(s, answer.Options{K: e.a.cfg.K, Logger: e.a.log})
	if e.f.llm {
		svc = e.a.answerer(db)
	}
	k := e.a.cfg.K
	out := convJSON{Conversations: len(cs), K: k}
	now := time.Now()
	for _, c := range cs {
		var history []answer.Turn
		for i, q := range c.Turns {
			if err := ctx.Err(); err != nil {
				return out, err
			}
			ans, err := svc.AskFollowUp(ctx, q.Question, history, nil)
			if err != nil && !errors.Is(err, answer.ErrEmptyQuestion) {
				return out, fmt.Errorf("eval %s turn %d: %w", c.ID, i+1, err)
			}
			if i > 0 {
				if err := e.scoreTurn(ctx, s, svc, c, q, history, ans, &out); err != nil {
					return out, err
				}
			}
			t := answer.TurnOf(ans, now)
			t.N = i + 1
			history = append(history, t)
		}
	}
	return out, nil
}

func (e *evaluator) scoreTurn(ctx context.Context, s *retrieval.Searcher, svc *answer.Service, c evalset.Conversation,
	q evalset.Question, history []answer.Turn, inContext answer.Answer, out *convJSON) error {
	k := e.a.cfg.K
	alone, err := s.Search(ctx, q.Question, k)
	if err != nil && !errors.Is(err, retrieval.ErrEmptyQuery) {
		return fmt.Errorf("eval %s: %w", c.ID, err)
	}
	res, _, err := svc.Retrieve(ctx, q.Question, history, k)
	if err != nil && !errors.Is(err, retrieval.ErrEmptyQuery) {
		return fmt.Errorf("eval %s: %w", c.ID, err)
	}
	ansAlone, err := svc.Ask(ctx, q.Question)
	if err != nil && !errors.Is(err, answer.ErrEmptyQuestion) {
		return fmt.Errorf("eval %s: %w", c.ID, err)
	}
	hitAlone, hitContext := hitIn(q, alone.Passages, k), hitIn(q, res.Passages, k)
	right := func(a answer.Answer) bool { return a.Grounded && q.AnswerHolds(a.Text) }
	g := &out.TopicSwitch
	switch {
	case c.Kind == evalset.TopicSwitch:
	case hitAlone:
		g = &out.SucceedAlone
	default:
		g = &out.FailAlone
	}
	g.add(hitAlone, hitContext, right(ansAlone), right(inContext))
	if hitAlone && !hitContext {
		e.verbosef("lost in conversation %s (%s): %s\n", c.ID, c.Kind, q.Question)
	}
	return nil
}

func hitIn(q evalset.Question, ps []retrieval.Passage, k int) bool {
	for i := range min(len(ps), k) {
		if q.Hit(ps[i].File, ps[i].Text) {
			return true
		}
	}
	return false
}

func writeConvEval(w io.Writer, m convJSON) {
	fmt.Fprintf(w, "conversations %d; later turns, alone -> in conversation:\n", m.Conversations)
	for _, g := range []struct {
		name string
		g    convGroup
	}{{"fail alone", m.FailAlone}, {"succeed alone", m.SucceedAlone}, {"topic switch", m.TopicSwitch}} {
		fmt.Fprintf(w, "  %-14s %5d turns: recall@%d %.3f -> %.3f (%+.3f), answers %.3f -> %.3f\n", g.name, g.g.Turns, m.K,
			g.g.RecallAlone, g.g.RecallContext, g.g.RecallContext-g.g.RecallAlone, g.g.AccuracyAlone, g.g.AccuracyContext)
	}
}
