package retrieval_test

import (
	"context"
	"slices"
	"testing"

	"citebot/internal/indextest"
	"citebot/retrieval"
)

// recording is an Index that remembers the matches it ran.
type recording struct {
	retrieval.Index
	matches []string // as Match.String shows them
	limits  []int
}

func (r *recording) Search(ctx context.Context, match retrieval.Match, limit int) ([]retrieval.Candidate, error) {
	r.matches = append(r.matches, match.String())
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
			var shown []string
			for _, m := range plan {
				shown = append(shown, m.String())
			}
			if len(rec.matches) == 0 || len(rec.matches) > len(shown) || !slices.Equal(shown[:len(rec.matches)], rec.matches) {
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

// reloading is an Index that a reload changes between Search and Passages
// the first stale times: the paragraphs it then reads are not those ranked.
type reloading struct {
	retrieval.Index
	stale, calls int
}

func (r *reloading) Passages(ctx context.Context, ids []int64) (map[int64]retrieval.Passage, error) {
	r.calls++
	ps, err := r.Index.Passages(ctx, ids)
	if r.calls <= r.stale {
		for id, p := range ps {
			p.Terms += " nouveau"
			ps[id] = p
		}
	}
	return ps, err
}

// A reload between reading candidates and reading the passages kept must
// not pair one paragraph's ranking with another's text: the search starts
// over, and gives up with an error if the index keeps changing.
func TestSearchIndexChanged(t *testing.T) {
	t.Parallel()
	db, s := indextest.Shipped(t)
	const q = "Qui a accueilli le chef d'état-major de l'armée marocaine en Israël ?"
	want, err := s.Search(t.Context(), q, 5)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		stale     int
		wantCalls int
		wantErr   bool
	}{
		{"unchanged", 0, 1, false},
		{"changed once", 1, 2, false},
		{"changed twice", 2, 3, false},
		{"keeps changing", 100, 3, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			idx := &reloading{Index: db, stale: tc.stale}
			got, err := retrieval.NewSearcher(retrieval.NewAnalyzer(), idx, retrieval.Options{}).Search(t.Context(), q, 5)
			if idx.calls != tc.wantCalls {
				t.Errorf("Passages called %d times, want %d", idx.calls, tc.wantCalls)
			}
			if tc.wantErr {
				if err == nil {
					t.Errorf("Search = %q, nil; want an error", refs(got.Passages))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Passages, want.Passages) {
				t.Errorf("Search = %q, want %q", refs(got.Passages), refs(want.Passages))
			}
		})
	}
}
