package retrieval

import (
	"slices"
	"testing"
)

func TestEditDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"kochav", "kohav", 2, 1},
		{"belheir", "belkheir", 2, 1},
		{"belheir", "belkhir", 2, 2},
		{"abcd", "abdc", 2, 1}, // transposition
		{"israel", "israel", 2, 0},
		{"maroc", "sahara", 1, 2}, // over the limit: limit+1
		{"", "abc", 3, 3},
		{"défense", "defense", 2, 1},
	}
	for _, tc := range tests {
		if got := editDistance(tc.a, tc.b, tc.limit); got != tc.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.limit, got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	t.Parallel()
	vocab := []VocabTerm{{"kohav", 2}, {"kochav", 0}, {"belkheir", 1}, {"belkhir", 1}, {"bel", 9}, {"belgiqu", 3}}
	tests := []struct {
		term string
		want []string
	}{
		{"kochav", []string{"kohav"}}, // a term with no paragraphs is never offered
		{"belheir", []string{"belkheir", "belkhir"}},
		{"belh", nil}, // too short to guess
		{"zzzzzz", nil},
	}
	for _, tc := range tests {
		if got := Nearest(tc.term, vocab); !slices.Equal(got, tc.want) {
			t.Errorf("Nearest(%q) = %q, want %q", tc.term, got, tc.want)
		}
	}
}
