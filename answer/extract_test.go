package answer_test

import (
	"strings"
	"testing"

	"citebot/answer"
	"citebot/internal/indextest"
	"citebot/retrieval"
)

func extractiveService(tb testing.TB) *answer.Service {
	tb.Helper()
	_, search := indextest.Shipped(tb)
	return answer.New(search, answer.Options{K: 5})
}

func TestExtractive(t *testing.T) {
	t.Parallel()
	svc := extractiveService(t)
	tests := []struct {
		question string
		grounded bool
		lang     retrieval.Lang
		contains string // in the answer text
		cites    string // a ref among the citations
		nearest  bool   // a refusal points to nearby paragraphs
	}{
		{"Qui a accueilli le chef d'état-major marocain en Israël ?", true, retrieval.French, "Aviv Kohavi", "000_9fa98d75917ce04d.txt ¶1", false},
		{"À quelle heure Benny Gantz doit-il s'entretenir avec Nasser Bourita ?", true, retrieval.French, "18h45", "002_2352071ffc99a4ce.txt ¶10", false},
		{"What threat does Morocco want to counter with Israel's defense expertise?", true, retrieval.English, "Polisario", "000_9fa98d75917ce04d.txt ¶3", false},
		// "defense" and "signed" are indexed as they are (défense, signé);
		// "agreement" only as its translation, "accord".
		{"When was the defense agreement signed?", true, retrieval.English, "accord", "000_9fa98d75917ce04d.txt ¶6", false},
		{"Quel est le prix des drones achetés par le Maroc ?", false, retrieval.French, "ne contiennent pas", "", true},
		{"Who won the 2022 football World Cup?", false, retrieval.English, "do not answer", "", false},
		// The paragraph names the general or the army, not what is asked.
		{"Quel âge a le général Belkhir ?", false, retrieval.French, "ne contiennent pas", "", true},
		{"Quelle est la taille de l'armée marocaine ?", false, retrieval.French, "ne contiennent pas", "", true},
		{"Qu'est-ce que les F.A.R. ?", true, retrieval.French, "FAR", "002_2352071ffc99a4ce.txt ¶6", false},
		// Site furniture glued to a paragraph is not quoted.
		{"Quand les deux pays ont-ils signé un protocole d'accord de coopération en matière de défense ?", true, retrieval.French, "En novembre", "000_9fa98d75917ce04d.txt ¶6", false},
	}
	for _, tc := range tests {
		t.Run(tc.question, func(t *testing.T) {
			ans, err := svc.Ask(t.Context(), tc.question)
			if err != nil {
				t.Fatal(err)
			}
			if ans.Mode != answer.Extractive {
				t.Errorf("mode = %s, want extractive", ans.Mode)
			}
			if ans.Grounded != tc.grounded || ans.Lang != tc.lang {
				t.Errorf("grounded, lang = %v, %s; want %v, %s", ans.Grounded, ans.Lang, tc.grounded, tc.lang)
			}
			if strings.Contains(ans.Text, "COPYRIGHTS") || strings.Contains(ans.Text, "TIMES OF ISRAEL") {
				t.Errorf("answer %q quotes site furniture", ans.Text)
			}
			if !strings.Contains(ans.Text, tc.contains) {
				t.Errorf("answer %q does not contain %q", ans.Text, tc.contains)
			}
			if !tc.grounded {
				if len(ans.Citations) != 0 {
					t.Errorf("a refusal cites %d passages", len(ans.Citations))
				}
				if got := len(ans.Nearest) > 0; got != tc.nearest {
					t.Errorf("refusal points to nearest paragraphs: %v, want %v", got, tc.nearest)
				}
				return
			}
			found := false
			for i, c := range ans.Citations {
				if c.N != i+1 {
					t.Errorf("citation %d labelled [%d]", i, c.N)
				}
				if !strings.Contains(ans.Text, "["+string(rune('0'+c.N))+"]") {
					t.Errorf("citation [%d] not used in %q", c.N, ans.Text)
				}
				found = found || c.Passage.Ref() == tc.cites
			}
			if !found {
				t.Errorf("citations do not include %s", tc.cites)
			}
		})
	}
}

// TestExtractiveQuotesVerbatim checks that every quote in an extractive
// answer is text of the paragraph it cites.
func TestExtractiveQuotesVerbatim(t *testing.T) {
	t.Parallel()
	svc := extractiveService(t)
	for _, q := range []string{"Quand l'accord de défense a-t-il été signé ?", "Qui est le général Belheir ?", "Who is Kochavi?"} {
		ans, err := svc.Ask(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(ans.Text, "\n")[1:]
		if len(lines) != len(ans.Citations) {
			t.Fatalf("%q: %d quotes for %d citations", q, len(lines), len(ans.Citations))
		}
		for i, line := range lines {
			open, closing := "« ", " »"
			if ans.Lang == retrieval.English {
				open, closing = "“", "”"
			}
			start, end := strings.Index(line, open), strings.LastIndex(line, closing)
			if start < 0 || end < start {
				t.Fatalf("%q: no quote in %q", q, line)
			}
			quoted := line[start+len(open) : end]
			text := strings.Join(strings.Fields(ans.Citations[i].Passage.Text), " ")
			if !strings.Contains(text, quoted) {
				t.Errorf("%q: quote %q is not in %s", q, quoted, ans.Citations[i].Passage.Ref())
			}
		}
	}
}

// TestExtractiveIgnoresMentions checks that chat markup in a question
// changes nothing of its answer.
func TestExtractiveIgnoresMentions(t *testing.T) {
	t.Parallel()
	svc := extractiveService(t)
	for _, q := range []string{"Who welcomed the Moroccan general?", "Qui a accueilli le chef d'état-major marocain ?"} {
		plain, err := svc.Ask(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		noisy, err := svc.Ask(t.Context(), q+" <@123456> <@&42> @everyone @here")
		if err != nil {
			t.Fatal(err)
		}
		if plain.Text != noisy.Text || plain.Grounded != noisy.Grounded {
			t.Errorf("%q: with mentions %v %q, without %v %q", q, noisy.Grounded, noisy.Text, plain.Grounded, plain.Text)
		}
	}
}
