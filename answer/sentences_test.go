package answer

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSentences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"Il est venu. Il est reparti.", []string{"Il est venu.", "Il est reparti."}},
		{"Il a dit « Oui. » Puis il est parti !", []string{"Il a dit « Oui. »", "Puis il est parti !"}},
		{"En 2021. 24 novembre.", []string{"En 2021.", "24 novembre."}},
		{"Aviv Kochavi.", []string{"Aviv Kochavi."}},
		{"le 24 nov. à Rabat", []string{"le 24 nov. à Rabat"}}, // no capital after: one sentence
		{"Ligne un\nligne deux.", []string{"Ligne un ligne deux."}},
		{"", nil},
	}
	for _, tc := range tests {
		if got := sentences(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("sentences(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzSentences(f *testing.F) {
	f.Add("Il est venu. Il est reparti.")
	f.Add("« Oui. » Non ! 3… Peut-être?")
	f.Add("a.\xff B")
	f.Fuzz(func(t *testing.T, in string) {
		got := sentences(in)
		// Splitting loses nothing but white space.
		joined := strings.Join(got, " ")
		if want := strings.Join(strings.Fields(in), " "); joined != want {
			t.Fatalf("sentences(%q) joined = %q, want %q", in, joined, want)
		}
		for _, s := range got {
			if s == "" {
				t.Fatalf("sentences(%q) has an empty sentence", in)
			}
			if utf8.ValidString(in) && !utf8.ValidString(s) {
				t.Fatalf("sentences(%q) split inside a rune: %q", in, s)
			}
		}
	})
}

func TestQuestionKindFits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q    string
		want kind
		fits string
		not  string
	}{
		{"À quelle heure Benny Gantz arrive-t-il ?", kindTime, "Et enfin, à 18h45, le responsable", "Il a été reçu par le roi."},
		{"What time does the meeting start?", kindTime, "The meeting starts at 6:30 p.m. sharp", "The meeting starts late"},
		{"When were relations restored?", kindTime, "rétabli en 2020 dans le cadre", "rétabli dans le cadre"},
		{"Combien de soldats ?", kindNumber, "deux brigades", "la brigade"},
		{"Who is Kochavi?", kindPerson, "conduite par Aviv Kochavi", "conduite par le chef"},
		{"Pourquoi ?", kindOther, "", ""},
	}
	for _, tc := range tests {
		k := questionKind(tc.q)
		if k != tc.want {
			t.Errorf("questionKind(%q) = %d, want %d", tc.q, k, tc.want)
		}
		if tc.fits != "" && !k.fits(tc.fits) {
			t.Errorf("%q: %q should fit", tc.q, tc.fits)
		}
		if tc.not != "" && k.fits(tc.not) {
			t.Errorf("%q: %q should not fit", tc.q, tc.not)
		}
	}
}
