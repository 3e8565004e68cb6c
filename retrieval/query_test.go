package retrieval

import (
	"strings"
	"testing"
)

// hostileQueries are inputs that would be FTS5 or SQL syntax if they
// reached MATCH unquoted. They are shared with the store's tests, which run
// them against SQLite.
var hostileQueries = []struct{ name, in string }{
	{"quote", `Kohavi"`},
	{"quotes", `"accord" "Maroc`},
	{"near", `NEAR(Kohavi Maroc, 2)`},
	{"star", `Koh* Mar*`},
	{"caret", `^Kohavi`},
	{"minus", `-Maroc accord -`},
	{"column filter", `title:Maroc body : x`},
	{"column set", `{title body}: Maroc`},
	{"parentheses", `((Maroc OR) AND (`},
	{"operators", `AND OR NOT Maroc NOT`},
	{"sql", `'; DROP TABLE documents; --`},
	{"sql union", `x" UNION SELECT * FROM sqlite_master --`},
	{"control", "Maroc\x00\x01\x1b[31m\r\n\t"},
	{"emoji", "🇲🇦 Maroc 🤝 Israël 🇮🇱"},
	{"rtl", "المغرب إسرائيل \u202eMaroc"},
	{"cjk", "摩洛哥和以色列"},
	{"invalid utf8", "Maroc \xff\xfe accord"},
	{"only punctuation", `?!... ,;:`},
	{"huge", strings.Repeat("Maroc Israël accord défense ", 400)},
	{"long word", strings.Repeat("a", 10_000)},
}

func TestParseQueryHostile(t *testing.T) {
	t.Parallel()
	an := NewAnalyzer()
	for _, tc := range hostileQueries {
		t.Run(tc.name, func(t *testing.T) {
			q := an.ParseQuery(tc.in)
			m := q.Match()
			if len(m.All) > 1 {
				t.Errorf("Match() = %v, want one clause", m)
			}
			wellFormed(t, tc.in, m)
			if len(q.Terms) > maxQueryTerms {
				t.Errorf("%d terms, want at most %d", len(q.Terms), maxQueryTerms)
			}
		})
	}
}

func TestParseQueryTerms(t *testing.T) {
	t.Parallel()
	an := NewAnalyzer()
	tests := []struct {
		in        string
		lang      Lang
		words     []string
		variantOf map[string]string // word -> a variant it must have
	}{
		{"Qui a accueilli le chef d'état-major ?", French, []string{"accueilli", "chef", "état", "major"}, map[string]string{"état": "etat"}},
		{"What threat does Morocco want to counter?", English, []string{"threat", "morocco", "want", "counter"}, map[string]string{"threat": "menac", "morocco": "maroc", "counter": "contr"}},
		{"maroc MAROC Maroc", French, []string{"maroc"}, nil},
		{"Qu'est-ce que les F.A.R. ?", French, []string{"far"}, map[string]string{"far": "far"}},
		{"la co-operation par e-mail", French, []string{"co", "operation", "e", "mail"}, map[string]string{"co": "cooper", "e": "email"}},
		{"le plan B et la vitamine C", French, []string{"plan", "b", "vitamine"}, nil},
		{"Who welcomed the Moroccan general? <@123456> <@!42> <@&7> <#9> <:maroc:11> @everyone @here", English, []string{"welcomed", "moroccan", "general"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			q := an.ParseQuery(tc.in)
			if q.Lang != tc.lang {
				t.Errorf("lang = %s, want %s", q.Lang, tc.lang)
			}
			var words []string
			for _, term := range q.Terms {
				words = append(words, term.Word)
				if want, ok := tc.variantOf[term.Word]; ok && !strings.Contains(" "+strings.Join(term.All(), " ")+" ", " "+want+" ") {
					t.Errorf("variants of %q = %q, want %q among them", term.Word, term.All(), want)
				}
			}
			if strings.Join(words, " ") != strings.Join(tc.words, " ") {
				t.Errorf("words = %q, want %q", words, tc.words)
			}
		})
	}
}

func TestParseQueryFlags(t *testing.T) {
	t.Parallel()
	an := NewAnalyzer()
	q := an.ParseQuery("Qui a reçu Benny Gantz à Rabat ? merci beaucoup xyzzy")
	want := map[string][2]bool{ // word -> name, tail
		"reçu": {false, false}, "benny": {true, false}, "gantz": {true, false}, "rabat": {true, false},
		"merci": {false, true}, "beaucoup": {false, true}, "xyzzy": {false, true},
	}
	if len(q.Terms) != len(want) {
		t.Fatalf("terms = %+v, want %d", q.Terms, len(want))
	}
	for _, term := range q.Terms {
		if w := want[term.Word]; term.Name != w[0] || term.Tail != w[1] {
			t.Errorf("%s: name %v, tail %v; want %v, %v", term.Word, term.Name, term.Tail, w[0], w[1])
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, tc := range hostileQueries {
		f.Add(tc.in)
	}
	an := NewAnalyzer()
	f.Fuzz(func(t *testing.T, in string) {
		q := an.ParseQuery(in)
		m := q.Match()
		if len(m.All) > 1 {
			t.Fatalf("ParseQuery(%q).Match() = %v, want one clause", in, m)
		}
		wellFormed(t, in, m)
		if len(q.Terms) > maxQueryTerms {
			t.Fatalf("%d terms, want at most %d", len(q.Terms), maxQueryTerms)
		}
	})
}
