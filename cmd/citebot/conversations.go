package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"citebot/answer"
	"citebot/bot"
	"citebot/store"
)

// conversations is the store as answer and the bot see it: turns of
// conversations, and the links from the bot's messages and threads to
// them.
type conversations struct {
	db  *store.DB
	now func() time.Time
	// maxAge is how long a link is kept; 0 keeps them until a turn's
	// recording forgets them.
	maxAge time.Duration
}

var (
	_ answer.Conversations = conversations{}
	_ bot.Links            = conversations{}
)

func (c conversations) Turns(ctx context.Context, conv string, limit int, since time.Time) ([]answer.Turn, error) {
	ts, err := c.db.Turns(ctx, conv, limit, since)
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

func (c conversations) AddTurn(ctx context.Context, conv string, t answer.Turn, keep int, forget time.Time) error {
	st := store.Turn{N: t.N, Question: t.Question, Understood: t.Understood, Answer: t.Answer, At: t.At}
	for _, ci := range t.Cited {
		st.Cited = append(st.Cited, store.Cited{File: ci.File, Paragraph: ci.Paragraph})
	}
	return c.db.AddTurn(ctx, conv, st, keep, forget)
}

func (c conversations) Link(ctx context.Context, key, conv string) error {
	now := c.now()
	var forget time.Time
	if c.maxAge > 0 {
		forget = now.Add(-c.maxAge)
	}
	return c.db.Link(ctx, key, conv, now, forget)
}

func (c conversations) Linked(ctx context.Context, key string) (string, error) {
	conv, err := c.db.Linked(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("%w: %w", bot.ErrNotFound, err)
	}
	return conv, err
}

// chat is the conversation service over db, answering through svc (the
// observed one in serve, so follow-ups are counted like questions).
func (a *app) chat(db *store.DB, svc *answer.Service) *answer.Chat {
	return answer.NewChat(svc, conversations{db: db, now: time.Now}, answer.ChatOptions{
		MaxTurns: a.cfg.Conversations.MaxTurns, MaxAge: a.cfg.Conversations.MaxAge,
	})
}
