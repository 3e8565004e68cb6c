package retrieval

import (
	"math"
	"slices"
	"testing"
)

// readQuery has three terms: one with two stems, one with a translation
// and a near spelling, and one whose stem the first term shares.
var readQuery = Query{Terms: []Term{
	{Word: "accords", Variants: []string{"accord", "accords"}},
	{Word: "signé", Variants: []string{"sign"}, Translated: []string{"paraph"}, Fuzzy: []string{"signe"}},
	{Word: "accordé", Variants: []string{"accord"}},
}}

func TestProximity(t *testing.T) {
	t.Parallel()
	weights := []float64{1, 2, 3}
	tests := []struct {
		name  string
		terms string
		want  float64 // share of the pairs' weight, (1+2) and (2+3), near
	}{
		{"empty", "", 0},
		{"pairs three apart", "accord x x sign", 1},
		{"four apart", "accord x x x sign", 0},
		{"after, and a stem of one term only", "sign x x accords", 3.0 / 8},
		{"through a translation", "paraph accord", 1},
		{"through a near spelling", "accord signe", 1},
		{"one shared stem is both terms", "accord", 0},
		{"a later occurrence of one stem", "accord x x x x x x sign x accords", 3.0 / 8},
		{"other words only", "rabat maroc", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Proximity(readQuery, weights, tc.terms); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("Proximity(%q) = %.4f, want %.4f", tc.terms, got, tc.want)
			}
		})
	}
}

func TestMatched(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		terms string
		want  []float64
	}{
		{"none", "rabat", []float64{0, 0, 0}},
		{"own stems", "accords sign", []float64{1, 1, 0}},
		{"shared stem", "accord", []float64{1, 0, 1}},
		{"translation over near spelling", "signe paraph", []float64{0, TranslatedWeight, 0}},
		{"near spelling", "signe", []float64{0, 0.5, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Matched(readQuery, tc.terms); !slices.Equal(got, tc.want) {
				t.Errorf("Matched(%q) = %v, want %v", tc.terms, got, tc.want)
			}
		})
	}
}

// A reader that reads many passages keeps each one's counts and positions
// apart, as its shared arrays grow.
func TestReaderKeepsPassagesApart(t *testing.T) {
	t.Parallel()
	lex := newLexicon(readQuery)
	r := reader{lex: lex}
	var rds []reading
	for range 200 {
		rds = append(rds, r.read("accord sign"), r.read("x paraph x x x signe"))
	}
	for i, rd := range rds {
		want := reading{n: 2, counts: []int32{1, 0, 1, 0, 0}, hits: []hit{{0, 0}, {2, 1}}}
		if i%2 == 1 {
			want = reading{n: 6, counts: []int32{0, 0, 0, 1, 1}, hits: []hit{{3, 1}, {4, 5}}}
		}
		if rd.n != want.n || !slices.Equal(rd.counts, want.counts) || !slices.Equal(rd.hits, want.hits) {
			t.Fatalf("reading %d = %+v, want %+v", i, rd, want)
		}
	}
}
