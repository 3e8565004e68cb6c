package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"citebot/store"
)

func runIndex(ctx context.Context, a *app, args []string) error {
	fs := a.flags("index")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	db, rep, err := a.openIndex(ctx, a.progress())
	if err != nil {
		return err
	}
	defer db.Close()
	if a.json {
		return writeJSON(a.stdout, rep)
	}
	writeReport(a.stdout, rep)
	return nil
}

// progress reports indexing progress on a terminal, at most a few times a
// second; elsewhere it stays quiet.
func (a *app) progress() store.Progress {
	if !isTerminal(a.stderr) {
		return nil
	}
	f := a.stderr
	began := time.Now()
	var last time.Time
	return func(done, total, paragraphs int) {
		if time.Since(last) < 200*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		rate := float64(paragraphs) / max(time.Since(began).Seconds(), 1e-3)
		fmt.Fprintf(f, "\rindexing: %d/%d files, %d paragraphs (%.0f/s)   ", done, total, paragraphs, rate)
		if done == total {
			fmt.Fprintln(f)
		}
	}
}

func writeReport(w interface{ Write([]byte) (int, error) }, rep store.Report) {
	fmt.Fprintf(w, "Index: %d files, %d paragraphs (updated in %s)\n", rep.Documents, rep.Paragraphs, rep.Duration.Round(time.Millisecond))
	fmt.Fprintf(w, "  added %d, changed %d, removed %d, unchanged %d, skipped %d\n",
		len(rep.Added), len(rep.Changed), len(rep.Removed), rep.Unchanged, len(rep.Skipped))
	fmt.Fprintf(w, "  paragraphs added %d, removed %d\n", rep.ParagraphsAdded, rep.ParagraphsRemoved)
	for _, f := range rep.Added {
		fmt.Fprintf(w, "  + %s\n", termSafe(f))
	}
	for _, f := range rep.Changed {
		fmt.Fprintf(w, "  ~ %s\n", termSafe(f))
	}
	for _, f := range rep.Removed {
		fmt.Fprintf(w, "  - %s\n", termSafe(f))
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(w, "  ! %s: %s\n", termSafe(s.Path), termSafe(s.Reason))
	}
}

// isTerminal reports whether w is a terminal, where progress and streamed
// text are worth showing.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
