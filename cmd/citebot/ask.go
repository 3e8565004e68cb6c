package main

import (
	"context"
	"errors"

	"citebot/answer"
)

func runAsk(ctx context.Context, a *app, args []string) error {
	fs := a.flags("ask")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	question := joinArgs(pos)
	if question == "" {
		return usageError{"ask needs a question, e.g. citebot ask \"Qui a signé l'accord ?\""}
	}
	db, _, err := a.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := answer.New(a.searcher(db), answer.Options{K: a.cfg.K, Logger: a.log})
	ans, err := svc.Ask(ctx, question)
	if errors.Is(err, answer.ErrEmptyQuestion) {
		return usageError{"the question has no words to search for"}
	}
	if err != nil {
		return err
	}
	if a.json {
		return writeJSON(a.stdout, answerJSON(ans))
	}
	writeAnswer(a.stdout, ans)
	return nil
}
