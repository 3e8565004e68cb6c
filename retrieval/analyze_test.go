package retrieval

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalizeFold(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, norm, fold string }{
		{"L’Armée", "l'armée", "l'armee"},
		{"«Israël»", "\"israël\"", "\"israel\""},
		{"Cœur", "coeur", "coeur"},
		{"e\u0301te\u0301", "été", "ete"}, // decomposed input is composed first
		{"Tel\u2011Aviv", "tel-aviv", "tel-aviv"},
		{"18h45\u00a0mardi", "18h45 mardi", "18h45 mardi"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.norm {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.norm)
			}
			if got := Fold(Normalize(tc.in)); got != tc.fold {
				t.Errorf("Fold(Normalize(%q)) = %q, want %q", tc.in, got, tc.fold)
			}
		})
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"l'armée d'israël", []string{"l", "armée", "d", "israël"}},
		{"état-major", []string{"état", "major"}},
		{"à 18h45, le 24 novembre", []string{"à", "18h45", "le", "24", "novembre"}},
		{"&&&²²²", nil},
		{"NEAR(a b) OR c*", []string{"NEAR", "a", "b", "OR", "c"}},
		{strings.Repeat("x", 41) + " ok", []string{"ok"}},
		{"les f.a.r. et l'o.n.u", []string{"les", "far", "et", "l", "onu"}},
		{"F.A.R.", []string{"FAR"}},
		{"j. k. rowling", []string{"j", "k", "rowling"}},
		{"fin. Puis", []string{"fin", "Puis"}},
		{"a.b2", []string{"a", "b2"}},
		{"le plan b", []string{"le", "plan", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := Words(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("Words(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestIndexTerms(t *testing.T) {
	t.Parallel()
	an := NewAnalyzer()
	tests := []struct {
		in       string
		lang     Lang
		has, not []string
	}{
		{"Le chef d’état-major de l’armée marocaine", French, []string{"chef", "etat", "major", "arme", "marocain"}, []string{"le", "de", "d", "l"}},
		{"The Israeli ministers were welcomed", English, []string{"isra", "minist", "welcom"}, []string{"the", "were"}},
		{"Les accords d'Abraham", French, []string{"accord", "abraham"}, []string{"les", "d"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			terms, lang := an.IndexTerms(tc.in)
			if lang != tc.lang {
				t.Errorf("lang = %s, want %s", lang, tc.lang)
			}
			got := strings.Fields(terms)
			for _, w := range tc.has {
				if !slices.Contains(got, w) {
					t.Errorf("IndexTerms(%q) = %q, missing %q", tc.in, terms, w)
				}
			}
			for _, w := range tc.not {
				if slices.Contains(got, w) {
					t.Errorf("IndexTerms(%q) = %q, should drop %q", tc.in, terms, w)
				}
			}
		})
	}
}

func TestDetectLang(t *testing.T) {
	t.Parallel()
	an := NewAnalyzer()
	tests := []struct {
		in   string
		want Lang
	}{
		{"Qui a accueilli le chef d'état-major ?", French},
		{"Who won the 2022 football World Cup?", English},
		{"Kochavi", French},
		{"What threat does Morocco want to counter?", English},
	}
	for _, tc := range tests {
		if got := an.DetectLang(Words(Normalize(tc.in))); got != tc.want {
			t.Errorf("DetectLang(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
