package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	db, err := a.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := a.answerer(db)
	var onText func(string)
	streamed := ""
	if !a.json && isTerminal(a.stdout) {
		// Show the model's words as they come; the checked answer follows
		// if the model's final text had to be corrected.
		onText = func(partial string) {
			if rest, ok := strings.CutPrefix(partial, streamed); ok {
				fmt.Fprint(a.stdout, rest)
				streamed = partial
			}
		}
	}
	ans, err := svc.AskStream(ctx, question, onText)
	if errors.Is(err, answer.ErrEmptyQuestion) {
		return usageError{"the question has no words to search for"}
	}
	if err != nil {
		return err
	}
	if a.json {
		return writeJSON(a.stdout, answerJSON(ans))
	}
	if streamed != "" {
		fmt.Fprintln(a.stdout)
		if streamed == ans.Text {
			ans.Text = "" // already on screen
		} else {
			fmt.Fprintln(a.stdout)
		}
	}
	writeAnswer(a.stdout, ans)
	return nil
}
