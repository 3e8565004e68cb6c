package dictd

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseEntry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		headword string
		want     []string
	}{
		{"plain line", "army /ɑːmiː/\narmée, armée militaire\n", "army", []string{"armée", "armée militaire"}},
		{"numbered senses", "abandon /əbændən/\n1. abdiquer\n2. abandonner, délaisser\n3. renoncer, résigner\n", "abandon",
			[]string{"abdiquer", "abandonner", "délaisser", "renoncer", "résigner"}},
		{"notes and glosses", "menace /mənas/ <n, fem>\nthreat (of violence), menace <fig>\n", "menace", []string{"threat", "menace"}},
		{"semicolons and brackets", "x /x/\n1. un; deux [vieilli]\n", "x", []string{"un", "deux"}},
		{"duplicates kept once", "a /a/\n1. un\n2. un, une\n", "a", []string{"un", "une"}},
		{"no pronunciation", "ABC book\nabécédaire\n", "ABC book", []string{"abécédaire"}},
		{"elision kept", "Achilles' heel /ətʃilshiːl/\ntalon d'Achille\n", "Achilles' heel", []string{"talon d'Achille"}},
		{"ellipsis dropped", "... à /ˈa/\n... to, from ... to\n", "à", []string{"to", "from ... to"}},
		{"unclosed paren kept", "x /x/\ndeux (trois\n", "x", []string{"deux (trois"}},
		{"CRLF and blank lines", "\r\nx /x/\r\n\r\nun\r\n", "x", []string{"un"}},
		{"headword only", "x /x/", "x", nil},
		{"empty", "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseEntry(tc.in)
			if got.Headword != tc.headword {
				t.Errorf("Headword = %q, want %q", got.Headword, tc.headword)
			}
			if !slices.Equal(got.Translations, tc.want) {
				t.Errorf("Translations = %q, want %q", got.Translations, tc.want)
			}
		})
	}
}

func FuzzParseEntry(f *testing.F) {
	f.Add("army /ɑːmiː/\narmée, armée militaire\n")
	f.Add("abandon /əbændən/\n1. abdiquer\n2. abandonner, délaisser (un lieu)\n")
	f.Add("menace /mənas/ <n, fem>\nthreat, menace <fig>\n")
	f.Add("x /\n1. ((<)>)/ , ; 12.\n")
	f.Fuzz(func(t *testing.T, in string) {
		e := ParseEntry(in)
		seen := make(map[string]bool)
		for _, tr := range e.Translations {
			if tr == "" || tr != strings.TrimSpace(tr) {
				t.Fatalf("translation %q is empty or untrimmed (from %q)", tr, in)
			}
			if strings.ContainsAny(tr, ",;\n") {
				t.Fatalf("translation %q holds a separator (from %q)", tr, in)
			}
			if seen[tr] {
				t.Fatalf("translation %q repeated (from %q)", tr, in)
			}
			seen[tr] = true
			if utf8.ValidString(in) && !utf8.ValidString(tr) {
				t.Fatalf("translation %q is not UTF-8 though the entry is", tr)
			}
		}
	})
}
