package retrieval_test

import (
	"strings"
	"testing"

	"citebot/internal/indextest"
	"citebot/retrieval"
)

func TestWithContext(t *testing.T) {
	t.Parallel()
	an := retrieval.NewAnalyzer()
	prev := an.ParseQuery("Quel accord Benny Gantz a-t-il signé à Rabat ?")
	tests := []struct {
		name      string
		followUp  string
		boost     float64
		wantWords []string // in order
		wantBoost []float64
	}{
		{"adds the previous words it lacks", "Et quand a-t-il été signé ?", 0.5,
			[]string{"signé", "accord", "benny", "gantz", "rabat"}, []float64{0, 0.5, 0.5, 0.5, 0.5}},
		{"a word said again keeps full weight", "Gantz était-il à Rabat ?", 0.25,
			[]string{"gantz", "rabat", "accord", "benny", "signé"}, []float64{0, 0, 0.25, 0.25, 0.25}},
		{"no words of its own", "et alors ?", 0.5,
			[]string{"accord", "benny", "gantz", "signé", "rabat"}, []float64{0.5, 0.5, 0.5, 0.5, 0.5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := an.ParseQuery(tc.followUp).WithContext(prev, tc.boost, []string{"a.txt"})
			if len(q.Terms) != len(tc.wantWords) {
				t.Fatalf("terms %v, want %v", words(q), tc.wantWords)
			}
			for i, term := range q.Terms {
				if term.Word != tc.wantWords[i] || term.Boost != tc.wantBoost[i] {
					t.Errorf("term %d = %s×%g, want %s×%g", i, term.Word, term.Boost, tc.wantWords[i], tc.wantBoost[i])
				}
			}
			if len(q.Prior) != 1 || !q.Boosted() || q.Own().Boosted() {
				t.Errorf("prior %v, boosted %v, own boosted %v", q.Prior, q.Boosted(), q.Own().Boosted())
			}
		})
	}
}

func words(q retrieval.Query) []string {
	var ws []string
	for _, t := range q.Terms {
		ws = append(ws, t.Word)
	}
	return ws
}

// A follow-up's own words outrank the context's, however many of the
// context's a passage holds; and the prior breaks a near tie.
func TestSearchInContext(t *testing.T) {
	t.Parallel()
	_, s := indextest.Planted(t, map[string]string{
		"ctx.txt":   "Le traité de Lisbonne fut signé par les ministres européens à Lisbonne en 2007, traité de Lisbonne.",
		"own.txt":   "La cathédrale de Chartres mesure cent treize mètres de haut.",
		"prior.txt": "La cathédrale de Chartres a brûlé en 1194 puis fut reconstruite.",
	})
	prev := s.Analyzer().ParseQuery("Quand le traité de Lisbonne fut-il signé ?")
	tests := []struct {
		name  string
		prior []string
		want  string
	}{
		{"prior breaks a tie", []string{"prior.txt"}, "prior.txt"},
		{"prior breaks a tie the other way", []string{"own.txt"}, "own.txt"},
		{"context alone does not outrank the follow-up's words", nil, "!ctx.txt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := s.Analyzer().ParseQuery("cathédrale de Chartres").WithContext(prev, 0.5, tc.prior)
			res, err := s.SearchQuery(t.Context(), q, 3)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Passages[0].File
			if bad, ok := strings.CutPrefix(tc.want, "!"); ok && got == bad {
				t.Errorf("top = %s (%v), want another", got, refs(res.Passages))
			} else if !ok && got != tc.want {
				t.Errorf("top = %s (%v), want %s", got, refs(res.Passages), tc.want)
			}
		})
	}
}
