package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"citebot/store"
)

func runIndex(ctx context.Context, a *app, args []string) error {
	fs := a.flags("index")
	var rebuild bool
	fs.BoolVar(&rebuild, "rebuild", false, "build the index from scratch, replacing it even if it was built from another corpus")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	src, err := a.source()
	if err != nil {
		return err
	}
	rep, err := a.sync(ctx, src, rebuild)
	if rebuild && errors.Is(err, store.ErrDamaged) {
		// The index is to be replaced anyway: a damaged one goes first.
		a.log.Warn("the index is damaged: deleting it to rebuild it", "db", a.cfg.DB)
		if err := store.Delete(a.cfg.DB); err != nil {
			return err
		}
		rep, err = a.sync(ctx, src, rebuild)
	}
	if err != nil {
		return err
	}
	if a.json {
		return writeJSON(a.stdout, rep)
	}
	writeReport(a.stdout, rep)
	return nil
}

// sync opens the index and brings it in line with src, waiting for
// another writer if need be.
func (a *app) sync(ctx context.Context, src store.Source, rebuild bool) (store.Report, error) {
	db, err := store.Open(ctx, a.cfg.DB, a.an)
	if err != nil {
		return store.Report{}, err
	}
	defer db.Close()
	return db.Sync(ctx, src, store.SyncOptions{Rebuild: rebuild, Progress: a.progress()})
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

// maxSkipLines is how many skipped files the report names one by one.
const maxSkipLines = 20

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
	for i, s := range rep.Skipped {
		if i == maxSkipLines && len(rep.Skipped) > maxSkipLines+1 {
			fmt.Fprintf(w, "  ! … and %d more skipped: %s (--json lists them all)\n",
				len(rep.Skipped)-i, skipReasons(rep.Skipped[i:]))
			break
		}
		fmt.Fprintf(w, "  ! %s: %s\n", termSafe(s.Path), termSafe(s.Reason))
	}
	for _, l := range rep.Limits {
		fmt.Fprintf(w, "  limit: %s\n", termSafe(l))
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
