package retrieval

import "context"

// Plan returns what Search(ctx, text, k) asks the index: the matches, in
// the order it tries them (the next only when the
// previous found fewer than k rows), and the row limit of each, after
// looking the question's terms up in the index as Search does. It exists
// so that a benchmark can time the bare engine on exactly the question
// citebot asks, not on an unpruned one.
func (s *Searcher) Plan(ctx context.Context, text string, k int) (matches []Match, limit int, err error) {
	if k <= 0 {
		k = 5
	}
	q := s.an.ParseQuery(text)
	if len(q.Terms) == 0 {
		return nil, 0, ErrEmptyQuery
	}
	_, dfs, total, err := s.expand(ctx, &q)
	if err != nil {
		return nil, 0, err
	}
	return matchPlan(q, dfs, total), max(k, s.opts.Candidates), nil
}
