package retrieval

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestCoverageTranslated(t *testing.T) {
	t.Parallel()
	q := Query{Terms: []Term{
		{Word: "threat", Variants: []string{"threat"}, Translated: []string{"menac"}},
		{Word: "kochavi", Variants: []string{"kochavi"}, Fuzzy: []string{"kohavi"}},
		{Word: "year", Variants: []string{"year"}, Translated: []string{"anne"}, TranslatedIDF: 1},
	}}
	weights := []float64{4, 4, 2}
	tests := []struct {
		name  string
		terms string
		want  float64
	}{
		{"own stem counts fully", "threat", 4.0 / 10},
		{"translation at reduced weight", "menac", 4 * TranslatedWeight / 10},
		{"own stem wins over translation", "menac threat", 4.0 / 10},
		{"near spelling half", "kohavi", 2.0 / 10},
		{"common translation worth its own IDF", "anne", 1 * TranslatedWeight / 10},
		{"all", "threat kochavi year", 1},
		{"nothing", "autre chose", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Coverage(q, weights, tc.terms); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("Coverage(%q) = %.4f, want %.4f", tc.terms, got, tc.want)
			}
		})
	}
}

// vocabIndex is an Index over a fixed vocabulary: enough for expand.
type vocabIndex map[string]int

func (v vocabIndex) Search(context.Context, Match, int) ([]Candidate, error) { return nil, nil }

func (v vocabIndex) Passages(context.Context, []int64) (map[int64]Passage, error) { return nil, nil }

func (v vocabIndex) DocFreqs(_ context.Context, terms []string) (map[string]int, int, error) {
	out := make(map[string]int)
	for _, t := range terms {
		if n, ok := v[t]; ok {
			out[t] = n
		}
	}
	return out, 1000, nil
}

func (v vocabIndex) TermsNear(_ context.Context, term string) ([]VocabTerm, error) {
	var out []VocabTerm
	for t, n := range v {
		if len(term) >= 2 && strings.HasPrefix(t, term[:2]) {
			out = append(out, VocabTerm{t, n})
		}
	}
	return out, nil
}

var _ Index = vocabIndex(nil)

func TestSnapTranslations(t *testing.T) {
	t.Parallel()
	idx := vocabIndex{"soutenu": 12, "menac": 30, "univers": 8, "tir": 5}
	s := NewSearcher(NewAnalyzer(), idx, Options{})
	tests := []struct {
		name       string
		translated []string
		want       []string
	}{
		{"infinitive snaps to participle", []string{"souten"}, []string{"soutenu"}},
		{"indexed translation kept", []string{"menac"}, []string{"menac"}},
		{"short stems kept", []string{"tire"}, []string{"tire"}},
		{"nothing near: kept", []string{"zzzzzz"}, []string{"zzzzzz"}},
		{"two edits too many for a short stem", []string{"unive"}, []string{"unive"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			orig := slices.Clone(tc.translated)
			q := Query{Terms: []Term{{Word: "x", Variants: []string{"x"}, Translated: tc.translated}}}
			if _, _, _, err := s.expand(t.Context(), &q); err != nil {
				t.Fatal(err)
			}
			if got := q.Terms[0].Translated; !slices.Equal(got, tc.want) {
				t.Errorf("Translated after expand = %q, want %q", got, tc.want)
			}
			if !slices.Equal(tc.translated, orig) {
				t.Errorf("expand changed the caller's slice: %q", tc.translated)
			}
		})
	}
}
