package store

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseText(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/messy.txt")
	if err != nil {
		t.Fatal(err)
	}
	doc := parseText(string(data))
	if doc.Title != "Titre de page" {
		t.Errorf("title = %q", doc.Title)
	}
	want := []block{
		{1, 3, 3, "Premier paragraphe sur le port de Tanger."},
		{2, 6, 6, "Deuxième paragraphe, avec une ligne de bruit au-dessus."},
		{3, 12, 13, "Troisième paragraphe\nsur deux lignes."},
	}
	if len(doc.Paragraphs) != len(want) {
		t.Fatalf("got %d paragraphs %+v, want %d", len(doc.Paragraphs), doc.Paragraphs, len(want))
	}
	for i, w := range want {
		if doc.Paragraphs[i] != w {
			t.Errorf("paragraph %d = %+v, want %+v", i, doc.Paragraphs[i], w)
		}
	}
}

func TestParseTextCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		title string
		paras []string
	}{
		{"no title: first block is a sentence", "Il est venu.\n\nIl est reparti.\n", "", []string{"Il est venu.", "Il est reparti."}},
		{"markdown heading", "# Titre\n\nTexte.\n", "Titre", []string{"Texte."}},
		{"lone short line is content", "Bonjour\n", "", []string{"Bonjour"}},
		{"crlf", "Un.\r\n\r\nDeux.\r\n", "", []string{"Un.", "Deux."}},
		{"only junk", "&&&&\n----\n²²²\n", "", nil},
		{"blank lines with spaces", "Un.\n   \t\nDeux.\n", "", []string{"Un.", "Deux."}},
		{"share stubs", "Texte.\n\nPartager sur Facebook\n\nLire aussi\n", "", []string{"Texte."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := parseText(tc.in)
			var got []string
			for _, p := range doc.Paragraphs {
				got = append(got, p.Text)
			}
			if doc.Title != tc.title || strings.Join(got, "|") != strings.Join(tc.paras, "|") {
				t.Errorf("parseText(%q) = title %q paragraphs %q; want %q %q", tc.in, doc.Title, got, tc.title, tc.paras)
			}
		})
	}
}

// FuzzParseText: any text parses; paragraphs are numbered 1..n, their line
// ranges are ordered and inside the file, and their text is in the file.
func FuzzParseText(f *testing.F) {
	data, _ := os.ReadFile("testdata/messy.txt")
	f.Add(string(data))
	f.Add("Titre\n\n\n\nUn.\r\n&&&\nDeux.")
	f.Add("\n\n\xff\n# x\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		doc := parseText(in)
		lines := strings.Count(in, "\n") + 1
		last := 0
		for i, p := range doc.Paragraphs {
			if p.N != i+1 {
				t.Fatalf("paragraph %d numbered %d", i, p.N)
			}
			if p.LineStart < 1 || p.LineEnd < p.LineStart || p.LineEnd > lines || p.LineStart <= last {
				t.Fatalf("paragraph %d at lines %d-%d (file has %d, previous ended %d)", p.N, p.LineStart, p.LineEnd, lines, last)
			}
			last = p.LineEnd
			for l := range strings.SplitSeq(p.Text, "\n") {
				if !strings.Contains(in, l) {
					t.Fatalf("paragraph line %q is not in the input", l)
				}
			}
			if utf8.ValidString(in) && !utf8.ValidString(p.Text) {
				t.Fatalf("paragraph %q is not valid UTF-8", p.Text)
			}
		}
	})
}

func TestStripMarkdown(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"# Titre", "Titre"},
		{"Un [lien](http://x.org/secret) ici", "Un lien ici"},
		{"![carte du Maroc](carte.png)", "carte du Maroc"},
		{"**gras**, _italique_ et `code`", "gras, italique et code"},
		{"> citation", "citation"},
		{"- puce\n* autre\n1. numéro", "puce\nautre\nnuméro"},
		{"~~barré~~", "barré"},
		{"texte simple", "texte simple"},
	}
	for _, tc := range tests {
		if got := stripMarkdown(tc.in); got != tc.want {
			t.Errorf("stripMarkdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
