package retrieval

import (
	"slices"
	"testing"
)

// fakeDict is a dictionary of a few words, as a Translator gives them.
func fakeDict(en string) []string {
	return map[string][]string{
		"threat":    {"menace"},
		"welcomed":  {"recevoir solennellement", "bienvenue"},
		"agreement": {"accord", "atmosphère", "réglage", "concordance", "convention", "entente"},
		"army":      {"armée", "armée militaire"},
		"heel":      {"talon d'Achille"},
		"dice":      {"dé"},
		"harbour":   {"port"},
	}[en]
}

func TestAnalyzerTranslations(t *testing.T) {
	t.Parallel()
	withDict := NewAnalyzer(WithTranslator(fakeDict))
	plain := NewAnalyzer()
	tests := []struct {
		name     string
		an       *Analyzer
		question string
		word     string
		want     []string // among Translated
		not      []string // not among Translated
	}{
		{"dictionary word", withDict, "What is the threat?", "threat", []string{"menac"}, nil},
		{"single words before phrases", withDict, "Who welcomed him?", "welcomed", []string{"bienvenu"}, []string{"recevoir", "solennel"}},
		{"phrase words when no single word", withDict, "Where is the heel?", "heel", []string{"talon", "achill"}, nil},
		{"senses capped", withDict, "When was the agreement?", "agreement", []string{"accord", "atmospher"}, []string{"convent"}},
		{"glossary merged first", withDict, "Who leads the army?", "army", []string{"arme"}, []string{"militair"}},
		{"stop word stems dropped", withDict, "What are the dice?", "dice", nil, []string{"de"}},
		{"glossary without dictionary", plain, "What threat does Morocco want?", "threat", []string{"menac"}, nil},
		{"cognate", plain, "Who is the secretary?", "secretary", []string{"secretair"}, nil},
		{"no dictionary for French questions", withDict, "Quel est le harbour de la ville ?", "harbour", nil, []string{"port"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.an.ParseQuery(tc.question)
			i := slices.IndexFunc(q.Terms, func(t Term) bool { return t.Word == tc.word })
			if i < 0 {
				t.Fatalf("ParseQuery(%q) has no term %q: %+v", tc.question, tc.word, q.Terms)
			}
			term := q.Terms[i]
			for _, w := range tc.want {
				if !slices.Contains(term.Translated, w) {
					t.Errorf("Translated of %q = %q, want %q among them", tc.word, term.Translated, w)
				}
				if !slices.Contains(term.All(), w) {
					t.Errorf("All() of %q = %q, want %q among them", tc.word, term.All(), w)
				}
			}
			for _, w := range tc.not {
				if slices.Contains(term.Translated, w) {
					t.Errorf("Translated of %q = %q, want no %q", tc.word, term.Translated, w)
				}
			}
			for _, v := range term.Translated {
				if slices.Contains(term.Variants, v) {
					t.Errorf("%q is both a variant and a translation of %q", v, tc.word)
				}
			}
		})
	}
}
