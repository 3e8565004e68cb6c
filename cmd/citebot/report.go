package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"citebot/internal/evalset"
	"citebot/store"
	"citebot/usage"
)

// runReport sums up the question log: counts, refusals, votes, latency,
// and the questions the articles could not answer. With --export-eval it
// also writes them as a question set for citebot eval.
func runReport(ctx context.Context, a *app, args []string) error {
	fl := a.flags("report")
	days := fl.Int("days", 7, "days to cover, ending now")
	export := fl.String("export-eval", "", "write refused and voted-down questions (to label) and voted-up answers (with their cited paragraph as gold) to this JSONL file")
	pos, err := a.parse(fl, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *days < 1 {
		return usageError{"report takes --days N (at least 1), --json and --export-eval FILE, no arguments"}
	}
	path := a.cfg.LogPath()
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no question log at %s: citebot serve (or ask --log) writes it; CITEBOT_LOG_DB names another file", path)
	}
	l, err := store.OpenLog(ctx, path, store.LogOptions{Days: a.cfg.Ops.LogDays, Key: a.cfg.Ops.LogKey})
	if err != nil {
		return err
	}
	defer l.Close()
	now := time.Now()
	since := now.AddDate(0, 0, -*days)
	qs, err := l.Questions(ctx, since)
	if err != nil {
		return err
	}
	rep := usage.Summarize(qs, since, now, contentKey(a.an))
	if *export != "" {
		if err := a.exportEval(ctx, *export, qs); err != nil {
			return err
		}
	}
	if a.json {
		return writeJSON(a.stdout, rep)
	}
	writeUsage(a.stdout, rep, *days)
	return nil
}

// writeUsage prints a report for a person. Questions are what users
// typed: made safe for the terminal, on one line.
func writeUsage(w io.Writer, r usage.Report, days int) {
	fmt.Fprintf(w, "Questions, last %d days: %d from %d people\n", days, r.Questions, r.Users)
	for _, s := range usage.Surfaces {
		if n := r.Surfaces[s]; n > 0 {
			fmt.Fprintf(w, "  %-13s %d\n", s, n)
		}
	}
	fmt.Fprintln(w, "Outcomes:")
	for _, o := range usage.Outcomes {
		fmt.Fprintf(w, "  %-13s %d\n", o, r.Outcomes[o])
	}
	fmt.Fprintf(w, "Refusal rate:   %.1f%% of the questions searched\n", 100*r.RefusalRate)
	fmt.Fprintf(w, "Votes:          %d up, %d down\n", r.VotesUp, r.VotesDown)
	fmt.Fprintf(w, "Answer time:    p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms\n",
		r.Latency.P50, r.Latency.P90, r.Latency.P99, r.Latency.Max)
	fmt.Fprintf(w, "Model fallbacks: %d\n", r.Fallbacks)
	if len(r.Unanswered) > 0 {
		fmt.Fprintln(w, "\nWhat the articles could not answer (most asked first):")
		for _, g := range r.Unanswered {
			fmt.Fprintf(w, "  %3d× %s\n", g.Count, oneLineSafe(g.Texts[0]))
			for _, t := range g.Texts[1:] {
				fmt.Fprintf(w, "        also: %s\n", oneLineSafe(t))
			}
		}
	}
	if len(r.VotedDown) > 0 {
		fmt.Fprintln(w, "\nAnswers voted down:")
		for _, q := range r.VotedDown {
			fmt.Fprintf(w, "  %d down, %d up  [%s] %s\n", q.Down, q.Up, q.Ref, oneLineSafe(q.Text))
		}
	}
}

func oneLineSafe(s string) string { return termSafe(strings.Join(strings.Fields(s), " ")) }

// exportLine is a question-set line (../shared/eval/README.md) made from
// the log. Label says what a person should do with it.
type exportLine struct {
	evalset.Question
	Label string `json:"label"`
	Ref   string `json:"log_ref"`
}

// Labels of exported lines.
const (
	labelRefused   = "refused: say whether the articles answer it (answerable) and where (gold)"
	labelVotedDown = "voted down: check the answer, set answerable and gold"
	labelVotedUp   = "voted up: gold is the paragraph the answer cited first; add answers"
)

// exportEval writes the refused and voted-down questions, answerable
// unknown (null), and the voted-up answers with the paragraph they cite
// first as gold, so that citebot eval runs on what people really ask.
func (a *app) exportEval(ctx context.Context, name string, qs []usage.Question) error {
	var lines []exportLine
	var db *store.DB
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	for _, q := range qs {
		line := exportLine{Question: evalset.Question{ID: "log-" + q.Ref, Question: q.Text, Lang: q.Lang,
			Gold: []evalset.Gold{}, Answers: []string{}}, Ref: q.Ref}
		switch {
		case q.Down > q.Up:
			line.Label = labelVotedDown
		case q.Outcome == usage.Refused:
			line.Label = labelRefused
		case q.Up > q.Down && q.Grounded && len(q.Cited) > 0:
			if db == nil {
				var err error
				if db, err = a.openIndex(ctx, nil); err != nil {
					return fmt.Errorf("export: %w", err)
				}
			}
			p, err := db.Paragraph(ctx, q.Cited[0].File, q.Cited[0].Paragraph)
			if errors.Is(err, store.ErrNotFound) {
				continue // the article changed since: nothing to point at
			}
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			yes := true
			line.Label, line.Answerable = labelVotedUp, &yes
			line.Gold = []evalset.Gold{{File: p.File, Contains: goldExcerpt(p.Text)}}
		default:
			continue
		}
		lines = append(lines, line)
	}
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			f.Close()
			return fmt.Errorf("export %s: %w", name, err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	a.log.Info("exported questions", "file", name, "lines", len(lines))
	return nil
}

// goldExcerpt is the start of a paragraph, long enough to name it:
// about 120 characters ending at a word.
func goldExcerpt(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= 120 {
		return text
	}
	cut := string(r[:120])
	if i := strings.LastIndexByte(cut, ' '); i > 60 {
		cut = cut[:i]
	}
	return cut
}
