// Package convstore keeps package answer's conversations in the index
// file: the store's turns, as answer reads and writes them.
package convstore

import (
	"context"
	"time"

	"citebot/answer"
	"citebot/store"
)

// Store is the index's conversation turns as answer.Conversations.
type Store struct{ DB *store.DB }

var _ answer.Conversations = Store{}

// Turns returns conv's last turns, at most limit, none older than since.
func (c Store) Turns(ctx context.Context, conv string, limit int, since time.Time) ([]answer.Turn, error) {
	ts, err := c.DB.Turns(ctx, conv, limit, since)
	out := make([]answer.Turn, 0, len(ts))
	for _, t := range ts {
		at := answer.Turn{N: t.N, Question: t.Question, Understood: t.Understood, Answer: t.Answer, At: t.At}
		for _, ci := range t.Cited {
			at.Cited = append(at.Cited, answer.Cited{File: ci.File, Paragraph: ci.Paragraph})
		}
		out = append(out, at)
	}
	return out, err
}

// AddTurn records t in conv, keeping its last keep turns and forgetting
// those older than forget.
func (c Store) AddTurn(ctx context.Context, conv string, t answer.Turn, keep int, forget time.Time) error {
	st := store.Turn{N: t.N, Question: t.Question, Understood: t.Understood, Answer: t.Answer, At: t.At}
	for _, ci := range t.Cited {
		st.Cited = append(st.Cited, store.Cited{File: ci.File, Paragraph: ci.Paragraph})
	}
	return c.DB.AddTurn(ctx, conv, st, keep, forget)
}
