package store

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseHTML(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(string(data))
	if doc.Title != "Accord de défense" {
		t.Errorf("title = %q", doc.Title)
	}
	// The share bar, navigation, header, footer, script and style are gone;
	// lines are those of the .html file.
	want := []block{
		{1, 11, 11, "Le Maroc et Israël signent un accord"},
		{2, 12, 13, "Le ministre israélien de la Défense, Benny Gantz, a signé mercredi un accord avec son homologue marocain."},
		{3, 14, 14, "L'accord comprend la coopération en matière de renseignement."},
	}
	if len(doc.Paragraphs) != len(want) {
		t.Fatalf("got %d paragraphs %+v, want %d", len(doc.Paragraphs), doc.Paragraphs, len(want))
	}
	for i, w := range want {
		if doc.Paragraphs[i] != w {
			t.Errorf("¶%d = %+v, want %+v", i+1, doc.Paragraphs[i], w)
		}
	}
}

func TestParseHTMLCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		title string
		paras []string
	}{
		{"head without its end tag", "<html><head><title>T</title><body><p>Un texte.</p>", "T", []string{"Un texte."}},
		{"unclosed paragraphs", "<p>Un texte.<p>Deux textes.", "", []string{"Un texte.", "Deux textes."}},
		{"div text around a paragraph", "<div>avant<p>dedans</p>après</div>", "", []string{"avant", "dedans", "après"}},
		{"list items and headings", "<h2>Titre</h2><ul><li>Un élément</li><li>Deux</li></ul>", "", []string{"Titre", "Un élément", "Deux"}},
		{"br separates words", "<p>un<br>deux</p>", "", []string{"un deux"}},
		{"inline markup joins", "<p>un <b>gras</b> et <a href='x'>lien</a>.</p>", "", []string{"un gras et lien."}},
		{"skipped element separates words", "<p>a<button>x</button>b</p>", "", []string{"a b"}},
		{"script with markup inside", "<script>document.write('<p>faux</p>')</script><p>Vrai.</p>", "", []string{"Vrai."}},
		{"style, noscript, form, aside", "<style>p{}</style><noscript>Activez JS</noscript><form>Nom</form><aside>Pub</aside><p>Texte.</p>", "", []string{"Texte."}},
		{"unclosed footer closed by its parent", "<nav><footer>pied</nav><p>Texte.</p>", "", []string{"Texte."}},
		{"svg title is not the title", "<title>Vrai</title><svg><title>icône</title></svg><p>Texte.</p>", "Vrai", []string{"Texte."}},
		{"second title is not text", "<title>Un</title><title>Deux</title><p>Texte.</p>", "Un", []string{"Texte."}},
		{"entities", "<p>L&#39;&eacute;t&eacute; &amp; l&rsquo;hiver</p>", "", []string{"L'été & l’hiver"}},
		{"boilerplate and junk", "<p>Partager :</p><p>&&&²²²</p><p>Texte.</p>", "", []string{"Texte."}},
		{"blockquote", "<blockquote>Citation.</blockquote>", "", []string{"Citation."}},
		{"not html at all", "Juste du texte.", "", []string{"Juste du texte."}},
		{"empty", "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := parseHTML(tc.in)
			var got []string
			for _, p := range doc.Paragraphs {
				got = append(got, p.Text)
			}
			if doc.Title != tc.title || strings.Join(got, "|") != strings.Join(tc.paras, "|") {
				t.Errorf("parseHTML(%q) = title %q paragraphs %q; want %q %q", tc.in, doc.Title, got, tc.title, tc.paras)
			}
		})
	}
}

func TestParseHTMLUnclosedTitle(t *testing.T) {
	t.Parallel()
	doc := parseHTML("<title>" + strings.Repeat("mot ", 10_000))
	if n := utf8.RuneCountInString(doc.Title); n > maxTitleRunes {
		t.Errorf("title of %d runes, want at most %d", n, maxTitleRunes)
	}
}

// FuzzParseHTML: any input parses; paragraphs are numbered 1..n, their
// line ranges are ordered and inside the file, and their text is trimmed,
// non-empty and valid UTF-8 when the input is.
func FuzzParseHTML(f *testing.F) {
	data, _ := os.ReadFile("testdata/article.html")
	f.Add(string(data))
	f.Add("<p>un<script>deux</p>trois")
	f.Add("<title>T</title>\n<div>a\n<p>b</p>\n&#10;c</div><nav><footer>x</nav>y")
	f.Add("<svg><title>i</title></svg><p>&nbsp;\n&amp;texte</p>")
	f.Fuzz(func(t *testing.T, in string) {
		doc := parseHTML(in)
		lines := strings.Count(in, "\n") + 1
		last := 0
		for i, p := range doc.Paragraphs {
			if p.N != i+1 {
				t.Fatalf("paragraph %d numbered %d", i, p.N)
			}
			if p.LineStart < 1 || p.LineEnd < p.LineStart || p.LineEnd > lines || p.LineStart < last {
				t.Fatalf("¶%d at lines %d-%d (file has %d, previous ended %d)", p.N, p.LineStart, p.LineEnd, lines, last)
			}
			last = p.LineEnd
			if p.Text == "" || p.Text != strings.TrimSpace(p.Text) || strings.ContainsAny(p.Text, "\n\t") {
				t.Fatalf("¶%d text %q is not one trimmed line", p.N, p.Text)
			}
			if utf8.ValidString(in) && !utf8.ValidString(p.Text) {
				t.Fatalf("¶%d text %q is not valid UTF-8", p.N, p.Text)
			}
		}
		if strings.Contains(doc.Title, "\n") || utf8.RuneCountInString(doc.Title) > maxTitleRunes {
			t.Fatalf("title %q", doc.Title)
		}
	})
}
