package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"citebot/answer"
	"citebot/bot"
	"citebot/internal/convstore"
	"citebot/store"
)

// conversations is the store as answer and the bot see it: turns of
// conversations, and the links from the bot's messages and threads to
// them.
type conversations struct {
	convstore.Store
	now func() time.Time
	// maxAge is how long a link is kept; 0 keeps them until a turn's
	// recording forgets them.
	maxAge time.Duration
}

var (
	_ answer.Conversations = conversations{}
	_ bot.Links            = conversations{}
)

func (c conversations) Link(ctx context.Context, key, conv string) error {
	now := c.now()
	var forget time.Time
	if c.maxAge > 0 {
		forget = now.Add(-c.maxAge)
	}
	return c.DB.Link(ctx, key, conv, now, forget)
}

func (c conversations) Linked(ctx context.Context, key string) (string, error) {
	conv, err := c.DB.Linked(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("%w: %w", bot.ErrNotFound, err)
	}
	return conv, err
}

// chat is the conversation service over db, answering through svc (the
// observed one in serve, so follow-ups are counted like questions).
func (a *app) chat(db *store.DB, svc *answer.Service) *answer.Chat {
	return answer.NewChat(svc, conversations{Store: convstore.Store{DB: db}, now: time.Now}, answer.ChatOptions{
		MaxTurns: a.cfg.Conversations.MaxTurns, MaxAge: a.cfg.Conversations.MaxAge,
	})
}
