package retrieval

import (
	"slices"
	"testing"
	"unicode/utf8"
)

// queryOf is a query whose terms are the words themselves.
func queryOf(words ...string) Query {
	var q Query
	for _, w := range words {
		q.Terms = append(q.Terms, Term{Word: w, Variants: []string{w}})
	}
	return q
}

func TestMatchPlan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		q     Query
		dfs   []int
		total int
		want  []string // as Match.String shows them
	}{
		{"small index matches every term", queryOf("a", "b", "c"), []int{9000, 5, 100}, 10_000,
			[]string{`a OR b OR c`}},
		{"no terms", queryOf(), nil, 1_000_000, nil},
		{"rare terms within budget, common left out", queryOf("a", "b", "c"), []int{100, 50_000, 500}, 1_000_000,
			[]string{`a OR c`}},
		{"over budget but not common ranks only", queryOf("a", "b", "c"), []int{100, 15_000, 25_000}, 1_000_000,
			[]string{`(a OR b) AND (a OR b OR c)`}},
		{"every term common: intersection, then the rarest two", queryOf("a", "b", "c"), []int{200_000, 100_000, 300_000}, 1_000_000,
			[]string{`(b) AND (a)`, `b OR a`}},
		{"one common term alone", queryOf("a"), []int{200_000}, 1_000_000,
			[]string{`a`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, m := range matchPlan(tc.q, tc.dfs, tc.total) {
				got = append(got, m.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("matchPlan = %q, want %q", got, tc.want)
			}
		})
	}
}

// wellFormed fails t unless every clause of m has alternatives, each a
// non-empty, valid, distinct term.
func wellFormed(t *testing.T, in string, m Match) {
	t.Helper()
	for _, c := range m.All {
		if len(c) == 0 {
			t.Fatalf("match for %.80q has an empty clause: %v", in, m)
		}
		seen := map[string]bool{}
		for _, term := range c {
			if term == "" || !utf8.ValidString(term) || seen[term] {
				t.Fatalf("match for %.80q: term %q empty, invalid or repeated in %.200v", in, term, m)
			}
			seen[term] = true
		}
	}
}

// FuzzMatchPlan checks that whatever the question and the frequencies, a
// plan is made of well-formed matches.
func FuzzMatchPlan(f *testing.F) {
	for _, tc := range hostileQueries {
		f.Add(tc.in, 7, 1_000_000)
	}
	an := NewAnalyzer()
	f.Fuzz(func(t *testing.T, in string, seed, total int) {
		q := an.ParseQuery(in)
		total = max(total%2_000_000, 1)
		dfs := make([]int, len(q.Terms))
		for i := range dfs {
			dfs[i] = (seed * (i + 31) * 7919) % total
			if dfs[i] < 0 {
				dfs[i] = -dfs[i]
			}
		}
		for _, m := range matchPlan(q, dfs, total) {
			if m.Empty() {
				t.Fatalf("plan for %.80q holds an empty match", in)
			}
			wellFormed(t, in, m)
		}
	})
}
