package retrieval

import "context"

// Plan returns the FTS5 MATCH expressions that Search would run for text,
// in the order it would try them (the next only when the previous found
// fewer than k rows), after looking its terms up in the index as Search
// does. It exists so that a benchmark can time bare FTS5 on exactly the
// question citebot asks, not on an unpruned one.
func (s *Searcher) Plan(ctx context.Context, text string) ([]string, error) {
	q := s.an.ParseQuery(text)
	if len(q.Terms) == 0 {
		return nil, ErrEmptyQuery
	}
	_, dfs, total, err := s.expand(ctx, &q)
	if err != nil {
		return nil, err
	}
	return matchPlan(q, dfs, total), nil
}
