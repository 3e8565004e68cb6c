package main

import (
	"context"
	"errors"
	"fmt"

	"citebot/retrieval"
)

func runSearch(ctx context.Context, a *app, args []string) error {
	fs := a.flags("search")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	query := joinArgs(pos)
	if query == "" {
		return usageError{"search needs a query"}
	}
	db, err := a.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := a.searcher(db).Search(ctx, query, a.cfg.K)
	if errors.Is(err, retrieval.ErrEmptyQuery) {
		return usageError{"the query has no words to search for"}
	}
	if err != nil {
		return err
	}
	out := jsonSearch{Query: query, Relevant: res.Relevant, Coverage: res.Coverage, Results: []jsonResult{}}
	for i, p := range res.Passages {
		out.Results = append(out.Results, jsonResult{Rank: i + 1, File: p.File, Paragraph: p.Paragraph,
			Lines: [2]int{p.LineStart, p.LineEnd}, jsonArticle: articleJSON(p), Score: p.Score, Text: p.Text})
	}
	if a.json {
		return writeJSON(a.stdout, out)
	}
	if len(out.Results) == 0 {
		fmt.Fprintln(a.stdout, "No paragraph matches.")
		return nil
	}
	if !res.Relevant {
		fmt.Fprintln(a.stdout, "(No paragraph seems to answer this; the closest ones are below.)")
	}
	for _, r := range res.Passages {
		fmt.Fprintf(a.stdout, "%.3f  %s\n", r.Score, cite(r))
		writeIndented(a.stdout, r.Text)
	}
	return nil
}
