package main

import (
	"context"
	"errors"
	"fmt"

	"citebot/internal/evalset"
	"citebot/retrieval"
)

func runEval(ctx context.Context, a *app, args []string) error {
	fs := a.flags("eval")
	fs.Lookup("k").DefValue = "5"
	verbose := fs.Bool("v", false, "list the questions whose gold paragraph was missed")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"eval needs one question file, e.g. citebot eval --corpus ../shared/eval/piaf-v1.1/corpus ../shared/eval/piaf-v1.1/dev.jsonl"}
	}
	qs, err := evalset.Load(pos[0])
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	db, _, err := a.openIndex(ctx, a.progress())
	if err != nil {
		return err
	}
	defer db.Close()
	s := a.searcher(db)
	sc := evalset.NewScorer(a.cfg.K)
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := s.Search(ctx, q.Question, max(a.cfg.K, evalset.Ranks))
		if err != nil && !errors.Is(err, retrieval.ErrEmptyQuery) {
			return fmt.Errorf("eval %s: %w", q.ID, err)
		}
		var r evalset.Retrieved
		r.Refused = !res.Relevant
		for _, p := range res.Passages {
			r.Files = append(r.Files, p.File)
			r.Texts = append(r.Texts, p.Text)
		}
		sc.Add(q, r)
		if *verbose && q.IsAnswerable() && !hitWithin(q, r, a.cfg.K) {
			fmt.Fprintf(a.stderr, "miss %s: %s\n", q.ID, q.Question)
		}
		if *verbose && (q.IsAnswerable() == r.Refused) {
			fmt.Fprintf(a.stderr, "refusal wrong %s (answerable=%v, coverage %.2f): %s\n", q.ID, q.IsAnswerable(), res.Coverage, q.Question)
		}
	}
	m := sc.Metrics()
	if a.json {
		return writeJSON(a.stdout, m)
	}
	fmt.Fprintf(a.stdout, "questions     %d (%d answerable, %d unanswerable)\n", m.Questions, m.Answerable, m.Unanswerable)
	for _, k := range []int{1, 3, 5, 10, 20} {
		fmt.Fprintf(a.stdout, "recall@%-2d     %.3f\n", k, m.Recall[k])
	}
	fmt.Fprintf(a.stdout, "MRR           %.3f\n", m.MRR)
	fmt.Fprintf(a.stdout, "refusals      accuracy %.3f, false-refusal rate %.3f\n", m.RefusalAccuracy, m.FalseRefusalRate)
	return nil
}

func hitWithin(q evalset.Question, r evalset.Retrieved, k int) bool {
	for i := range min(len(r.Files), k) {
		if q.Hit(r.Files[i], r.Texts[i]) {
			return true
		}
	}
	return false
}
