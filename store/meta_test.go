package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// parseFile parses a fixture as ingest does, by its extension.
func parseFile(tb testing.TB, name string) document {
	tb.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	switch filepath.Ext(name) {
	case ".md":
		return parseMarkdown(string(data))
	case ".html":
		return parseHTML(string(data))
	}
	return parseText(string(data))
}

func TestTitles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file              string
		stated, headline  string // Title, Headline
		date, source, url string
		firstLine         int    // line of ¶1
		first             string // start of ¶1
	}{
		{file: "title-line.txt", stated: "Rabat et Tel-Aviv signent un accord de défense", headline: "Rabat et Tel-Aviv signent un accord de défense",
			firstLine: 3, first: "Le Maroc"},
		{file: "long-sentence.txt", headline: "Le partenariat entre le Maroc et Israël franchit une nouvelle étape avec la signature…",
			firstLine: 1, first: "Le partenariat"},
		{file: "captions.txt", headline: "M. Gantz est arrivé mardi à Rabat pour une visite de deux jours",
			firstLine: 1, first: "Le ministre reçoit"},
		{file: "kicker.txt", headline: "Le chef d’état-major est en visite en Israël", source: "TIMES OF ISRAEL",
			firstLine: 1, first: "Le chef"},
		{file: "front-matter.md", stated: `Maroc–Israël : un accord de défense "historique"`, headline: `Maroc–Israël : un accord de défense "historique"`,
			date: "2021-11-24", source: "Le360", url: "https://example.org/articles/accord", firstLine: 11, first: "Le **partenariat**"},
		{file: "heading.md", stated: "Une visite historique à Rabat", headline: "Une visite historique à Rabat", firstLine: 3, first: "Le ministre"},
		{file: "rule-not-front-matter.md", headline: "Un texte qui commence par une ligne horizontale, sans front matter", firstLine: 3, first: "Un texte"},
		{file: "meta.html", stated: "Le Maroc et Israël signent un accord de défense historique", headline: "Le Maroc et Israël signent un accord de défense historique",
			date: "2021-11-24", source: "Le360", url: "https://example.org/politique/accord", firstLine: 11, first: "Le partenariat"},
		{file: "title-suffix.html", stated: "Le port de Tanger s’agrandit", headline: "Le port de Tanger s’agrandit",
			date: "2021-11-24", source: "Le Journal", url: "https://example.org/tanger", firstLine: 8, first: "Le port"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			doc := parseFile(t, filepath.Join("testdata", "titles", tc.file))
			if doc.Title != tc.stated || doc.Headline != tc.headline {
				t.Errorf("title %q headline %q; want %q %q", doc.Title, doc.Headline, tc.stated, tc.headline)
			}
			if doc.Date != tc.date || doc.Source != tc.source || doc.URL != tc.url {
				t.Errorf("date %q source %q url %q; want %q %q %q", doc.Date, doc.Source, doc.URL, tc.date, tc.source, tc.url)
			}
			if len(doc.Paragraphs) == 0 {
				t.Fatal("no paragraphs")
			}
			p := doc.Paragraphs[0]
			if p.N != 1 || p.LineStart != tc.firstLine || !strings.HasPrefix(p.Text, tc.first) {
				t.Errorf("¶1 = ¶%d line %d %q; want ¶1 line %d %q…", p.N, p.LineStart, p.Text, tc.firstLine, tc.first)
			}
		})
	}
}

// TestShippedHeadlines: the articles citebot ships have no title line;
// their citations name them by a headline made from their opening.
func TestShippedHeadlines(t *testing.T) {
	t.Parallel()
	for file, want := range map[string]struct{ headline, source string }{
		"000_9fa98d75917ce04d.txt": {"Le chef d’état-major de l’armée marocaine est en visite en Israël", "TIMES OF ISRAEL"},
		// ¶1 and ¶2 are photo captions; ¶3 opens the article.
		"002_2352071ffc99a4ce.txt": {"Le partenariat entre le Maroc et Israël franchit une nouvelle étape avec la signature…", ""},
	} {
		doc := parseFile(t, filepath.Join("..", "corpus", file))
		if doc.Headline != want.headline || doc.Source != want.source {
			t.Errorf("%s: headline %q source %q; want %q %q", file, doc.Headline, doc.Source, want.headline, want.source)
		}
	}
}

func TestHeadline(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"one sentence", "Il est venu.", "Il est venu"},
		{"first of two", "Il est venu. Il est reparti.", "Il est venu"},
		{"question kept", "Qui est venu ? Lui.", "Qui est venu ?"},
		{"initial is no end", "M. Dupont est venu à Rabat. Puis il est reparti.", "M. Dupont est venu à Rabat"},
		{"acronym is no end", "Les F.A.R. défilent à Rabat. Puis elles rentrent.", "Les F.A.R. défilent à Rabat"},
		{"quote closes", "« Nous avons signé. » Il sourit.", "« Nous avons signé. »"},
		{"opening kicker skipped", "LE PLUS. Pour la première fois, un général est reçu.", "Pour la première fois, un général est reçu"},
		{"long cut at a word", strings.Repeat("mot ", 40) + "fin.", strings.TrimSpace(strings.Repeat("mot ", 22)) + "…"},
		{"no spaces", strings.Repeat("a", 200), strings.Repeat("a", 90) + "…"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := headline([]block{{Text: tc.in}}); got != tc.want {
				t.Errorf("headline(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseFrontMatter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		want  frontMatter
		lines int
		ok    bool
	}{
		{"plain", "---\ntitle: Un titre\ndate: 2021-11-24\n---\nTexte", frontMatter{Title: "Un titre", Date: "2021-11-24"}, 4, true},
		{"quotes", "---\ntitle: 'l''accord'\nsource: \"Le \\\"Monde\\\"\"\n---\n", frontMatter{Title: "l'accord", Source: `Le "Monde"`}, 4, true},
		{"comment and crlf", "---\r\ntitle: Titre # note\r\n...\r\nTexte", frontMatter{Title: "Titre"}, 3, true},
		{"nested and lists skipped", "---\nauthor:\n  title: non\ntags: [a, b]\nurl: https://e.org/a\n---\n", frontMatter{URL: "https://e.org/a"}, 6, true},
		{"block scalar skipped", "---\ntitle: |\n  Long\n---\n", frontMatter{}, 4, true},
		{"first key wins", "---\ntitle: Un\ntitre: Deux\n---\n", frontMatter{Title: "Un"}, 4, true},
		{"unclosed", "---\ntitle: Un titre\n\nTexte.\n", frontMatter{}, 0, false},
		{"not first line", "\n---\ntitle: x\n---\n", frontMatter{}, 0, false},
		{"rule only", "---", frontMatter{}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fm, body, lines, ok := parseFrontMatter(tc.in)
			if fm != tc.want || lines != tc.lines || ok != tc.ok {
				t.Errorf("parseFrontMatter(%q) = %+v, %d lines, %v; want %+v, %d, %v", tc.in, fm, lines, ok, tc.want, tc.lines, tc.ok)
			}
			if !ok && body != tc.in {
				t.Errorf("body %q, want the text whole", body)
			}
		})
	}
}

// FuzzParseMarkdown: any Markdown file parses without panic; its front
// matter takes lines, never text, so paragraphs keep lines within the
// file in order, and what a citation shows is one bounded line.
func FuzzParseMarkdown(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: Un titre\ndate: 2021-11-24\nsource: Le360\nurl: https://e.org/a\n---\n\nTexte.\n",
		"---\ntitle: \"a\\\"b\"\n...\n# Titre\n\nTexte.",
		"---\n---\n---\n",
		"---\ntitle: '\n---\n",
		"# T\n\nLE PLUS. Un texte. AFP.\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		_, body, lines, ok := parseFrontMatter(in)
		if ok && !strings.HasSuffix(in, body) {
			t.Fatalf("body %q is not the end of %q", body, in)
		}
		if lines > strings.Count(in, "\n")+1 {
			t.Fatalf("front matter of %d lines in a text of %d", lines, strings.Count(in, "\n")+1)
		}
		doc := parseMarkdown(in)
		total := strings.Count(in, "\n") + 1
		prev := 0
		for _, p := range doc.Paragraphs {
			if p.LineStart <= lines || p.LineStart < prev || p.LineEnd > total || p.LineEnd < p.LineStart {
				t.Fatalf("¶%d at lines %d-%d (front matter %d lines, file %d)", p.N, p.LineStart, p.LineEnd, lines, total)
			}
			prev = p.LineEnd
		}
		for _, v := range []string{doc.Headline, doc.Date, doc.Source, doc.URL} {
			if strings.ContainsAny(v, "\n\r") || utf8.RuneCountInString(v) > maxURLBytes {
				t.Fatalf("shown value %q is not one bounded line", v)
			}
		}
		if utf8.RuneCountInString(doc.Headline) > maxTitleRunes+1 {
			t.Fatalf("headline of %d runes", utf8.RuneCountInString(doc.Headline))
		}
	})
}

// oneLineCases are texts on either side of oneLine's fast path.
var oneLineCases = []string{
	"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\r\nb", "\n",
	"Le général Belkheir. TIMES OF ISRAEL.", "état-major l’armée",
	"a\u00a0b", "a\u202fb", "a\u2009b", "a\u3000b", "a\u0085b", "a\u2028b",
	"\u00a0a", "a\u00a0", "é", "é è", "\xff\xfe", "a \xff b", "a\v", "\fa",
}

// TestOneLine compares oneLine's fast path with the slow one.
func TestOneLine(t *testing.T) {
	for _, s := range oneLineCases {
		if got, want := oneLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzOneLine(f *testing.F) {
	for _, s := range oneLineCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := oneLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", s, got, want)
		}
	})
}
