package retrieval_test

import (
	"context"
	"slices"
	"testing"

	"citebot/internal/indextest"
	"citebot/retrieval"
)

// recording is an Index that remembers the MATCH expressions it ran.
type recording struct {
	retrieval.Index
	matches []string
	limits  []int
}

func (r *recording) Search(ctx context.Context, match string, limit int) ([]retrieval.Passage, error) {
	r.matches = append(r.matches, match)
	r.limits = append(r.limits, limit)
	return r.Index.Search(ctx, match, limit)
}

// Plan must list what Search runs, or a benchmark of bare FTS5 on "the same
// expression" times another question.
func TestPlanIsWhatSearchRuns(t *testing.T) {
	t.Parallel()
	db, _ := indextest.Shipped(t)
	rec := &recording{Index: db}
	s := retrieval.NewSearcher(retrieval.NewAnalyzer(), rec, retrieval.Options{})
	for _, q := range []string{
		"Qui a accueilli le chef d'état-major de l'armée marocaine en Israël ?",
		"Belkheirr",
		"What threat does Morocco want to counter with Israel's defense expertise?",
	} {
		t.Run(q, func(t *testing.T) {
			rec.matches, rec.limits = nil, nil
			if _, err := s.Search(t.Context(), q, 5); err != nil {
				t.Fatal(err)
			}
			plan, limit, err := s.Plan(t.Context(), q, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.matches) == 0 || len(rec.matches) > len(plan) || !slices.Equal(plan[:len(rec.matches)], rec.matches) {
				t.Errorf("Plan = %q; Search ran %q", plan, rec.matches)
			}
			for _, l := range rec.limits {
				if l != limit {
					t.Errorf("Plan's limit = %d; Search asked for %d", limit, l)
				}
			}
		})
	}
}
