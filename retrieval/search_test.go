package retrieval_test

import (
	"context"
	"slices"
	"testing"

	"citebot/internal/indextest"
	"citebot/retrieval"
	"citebot/store"
)

// openShipped searches the shipped articles in a real SQLite index.
func openShipped(tb testing.TB) *retrieval.Searcher {
	tb.Helper()
	_, s := indextest.Shipped(tb)
	return s
}

func refs(ps []retrieval.Passage) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Ref())
	}
	return out
}

const (
	visit = "000_9fa98d75917ce04d.txt"
	pact  = "002_2352071ffc99a4ce.txt"
)

func TestSearchShipped(t *testing.T) {
	t.Parallel()
	s := openShipped(t)
	tests := []struct {
		name     string
		query    string
		k        int
		want     []string // refs that must all be in the top k
		relevant bool
	}{
		{"accents and elisions", "Qui a accueilli le chef d'état-major de l'armée marocaine en Israël ?", 1, []string{visit + " ¶1"}, true},
		{"misspelled name finds other spelling", "Kochavi", 3, []string{visit + " ¶7", visit + " ¶1"}, true},
		{"unknown spelling finds known ones", "Belkheirr", 3, []string{visit + " ¶2"}, true},
		{"name in three spellings", "général Belheir", 5, []string{visit + " ¶2", visit + " ¶8", pact + " ¶6"}, true},
		{"english question on french text", "What threat does Morocco want to counter with Israel's defense expertise?", 1, []string{visit + " ¶3"}, true},
		{"not in the articles (fr)", "Quel est le prix des drones achetés par le Maroc ?", 3, nil, false},
		{"not in the articles (en)", "Who won the 2022 football World Cup?", 3, nil, false},
		{"mentions are not words", "Who welcomed the Moroccan general? <@123456> @everyone", 3, []string{visit + " ¶1"}, true},
		{"noise after the question", "Qui a accueilli le chef d'état-major de l'armée marocaine ? zorglub xyzzy plugh frobnitz", 1, []string{visit + " ¶1"}, true},
		{"dotted acronym", "Qu'est-ce que les F.A.R. ?", 3, []string{pact + " ¶6"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Search(t.Context(), tc.query, tc.k)
			if err != nil {
				t.Fatal(err)
			}
			got := refs(res.Passages)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("Search(%q) top %d = %q, want %s among them", tc.query, tc.k, got, w)
				}
			}
			if res.Relevant != tc.relevant {
				t.Errorf("Relevant = %v (coverage %.2f), want %v", res.Relevant, res.Coverage, tc.relevant)
			}
		})
	}
}

func TestSearchDeterministic(t *testing.T) {
	t.Parallel()
	s := openShipped(t)
	first, err := s.Search(t.Context(), "Maroc Israël", 10)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := s.Search(t.Context(), "Maroc Israël", 10)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(refs(again.Passages), refs(first.Passages)) {
			t.Fatalf("order changed: %q then %q", refs(first.Passages), refs(again.Passages))
		}
	}
}

// TestSearchHostile runs hostile input through the real FTS5: none may
// fail with a syntax error or escape the quoting.
func TestSearchHostile(t *testing.T) {
	t.Parallel()
	s := openShipped(t)
	for _, tc := range []string{
		`Kohavi"`, `NEAR(Kohavi Maroc, 2)`, `Koh* ^Maroc -accord`, `title:Maroc`, `{title body}: Maroc`,
		`((Maroc OR) AND (`, `'; DROP TABLE documents; --`, `x" UNION SELECT * FROM sqlite_master --`,
		"Maroc\x00\x1b[31m", "🇲🇦 Maroc 🤝", "المغرب \u202eMaroc", "Maroc \xff\xfe",
	} {
		if _, err := s.Search(t.Context(), tc, 5); err != nil && err != retrieval.ErrEmptyQuery {
			t.Errorf("Search(%q): %v", tc, err)
		}
	}
	res, err := s.Search(t.Context(), "Kohavi", 5)
	if err != nil || len(res.Passages) == 0 {
		t.Fatalf("index damaged after hostile queries: %v, %d results", err, len(res.Passages))
	}
}

func TestSearchEmpty(t *testing.T) {
	t.Parallel()
	s := openShipped(t)
	for _, q := range []string{"", "   ", "?!", "le la les de", "the of and"} {
		if _, err := s.Search(t.Context(), q, 5); err != retrieval.ErrEmptyQuery {
			t.Errorf("Search(%q) error = %v, want ErrEmptyQuery", q, err)
		}
	}
}

// scaled makes a small real index look larger to the searcher, its
// paragraphs df times more frequent and total times more numerous, so that
// the large-index match plans run through the real FTS5.
type scaled struct {
	*store.DB
	df, total int
}

func (s scaled) DocFreqs(ctx context.Context, terms []string) (map[string]int, int, error) {
	dfs, total, err := s.DB.DocFreqs(ctx, terms)
	for t := range dfs {
		dfs[t] *= s.df
	}
	return dfs, total * s.total, err
}

// TestSearchLargePlans runs the expressions made for a large index through
// the real FTS5: questions still find their paragraph, hostile ones fail
// no syntax check.
func TestSearchLargePlans(t *testing.T) {
	t.Parallel()
	db, _ := indextest.Shipped(t)
	for _, k := range []scaled{{db, 1000, 1000}, {db, 20_000, 20_000}, {db, 10_000, 500_000}} {
		s := retrieval.NewSearcher(retrieval.NewAnalyzer(), k, retrieval.Options{})
		for _, q := range []string{"Kohavi", "Qui a accueilli le chef d'état-major ?", "le Maroc et Israël ont signé un accord", "colloque Kiria innovation sécurité semaine", `((Maroc OR) AND ( "x`} {
			res, err := s.Search(t.Context(), q, 5)
			if err != nil {
				t.Errorf("scaled %d/%d: Search(%q): %v", k.df, k.total, q, err)
				continue
			}
			if len(res.Passages) == 0 {
				t.Errorf("scaled %d/%d: Search(%q) found nothing", k.df, k.total, q)
			}
		}
	}
}

// FuzzSearch runs any text through the real FTS5, on the shipped index and
// on the same index made to look large: no input may fail other than as an
// empty query. (Had the index detail=column, a quoted term the tokenizer
// split would be a phrase, an error: with the unicode61 tokenizer, U+19B0,
// a letter to Go but not in SQLite's Unicode 6.1 tables, did that.)
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"Kohavi", `NEAR(a b)`, "l·a Maroc", "a𞤀b", "ab\u0301c", "x\u00a0y", "Ⅻ ⅻ", "ﬁn", "ǅemal", "１２３", "xa\u0305b Maroc", "xa\u19b0bz Maroc"} {
		f.Add(s)
	}
	db, small := indextest.Shipped(f)
	large := retrieval.NewSearcher(retrieval.NewAnalyzer(), scaled{db, 10_000, 500_000}, retrieval.Options{})
	f.Fuzz(func(t *testing.T, in string) {
		for _, s := range []*retrieval.Searcher{small, large} {
			if _, err := s.Search(t.Context(), in, 5); err != nil && err != retrieval.ErrEmptyQuery {
				t.Fatalf("Search(%q): %v", in, err)
			}
		}
	})
}
