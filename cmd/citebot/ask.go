package main

import (
	"context"
	"errors"
	"time"

	"citebot/answer"
)

func runAsk(ctx context.Context, a *app, args []string) error {
	fs := a.flags("ask")
	explain := fs.Bool("explain", false, "say how sure citebot is that the articles answer, and which words it did not find")
	logIt := fs.Bool("log", false, "record the question in the question log, as the bot does")
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
	d := &draft{w: a.stdout}
	if !a.json && isTerminal(a.stdout) {
		// Show the model's words as they come, as a draft: pipes and
		// --json only ever get the checked answer.
		onText = d.update
	}
	start := time.Now()
	ans, err := svc.AskStream(ctx, question, onText)
	if *logIt {
		defer a.logCLI(ctx, question, start, ans, err)
	}
	if errors.Is(err, answer.ErrEmptyQuestion) {
		return usageError{"the question has no words to search for"}
	}
	if err != nil {
		return err
	}
	if a.json {
		out := answerJSON(ans)
		if *explain {
			out.Confidence, out.Missing = &ans.Confidence, ans.Missing
		}
		return writeJSON(a.stdout, out)
	}
	if !d.settle(ans) {
		ans.Text = "" // already on screen, checked
	}
	writeAnswer(a.stdout, ans)
	if *explain {
		writeExplain(a.stdout, ans)
	}
	return nil
}
