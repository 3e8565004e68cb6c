package store

import (
	"strings"
	"testing"

	"citebot/retrieval"
)

func TestFTSMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		m    retrieval.Match
		want string
	}{
		{retrieval.Match{}, ""},
		{retrieval.AnyOf([]string{"abc"}), `"abc"`},
		{retrieval.AnyOf([]string{"a", "b", "a", ""}), `"a" OR "b"`},
		{retrieval.AnyOf([]string{`a"b`, `""`}), `"a""b" OR """"""`},
		{retrieval.AnyOf([]string{"a"}).And(retrieval.AnyOf([]string{"a", "c"})), `("a") AND ("a" OR "c")`},
		{retrieval.Match{All: [][]string{{"a"}, {}}}, ""},
		{retrieval.AnyOf([]string{"a\x00b", "c"}), `"c"`},
		{retrieval.AnyOf([]string{"\x00"}), ""},
	} {
		if got := ftsMatch(tc.m); got != tc.want {
			t.Errorf("ftsMatch(%v) = %q, want %q", tc.m, got, tc.want)
		}
	}
}

// FuzzFTSMatch runs whatever terms an index might be asked for through a
// real FTS5 table: none may be read as syntax, or fail.
func FuzzFTSMatch(f *testing.F) {
	for _, s := range []string{`a`, `"`, `a" OR "b`, `NEAR(a b)`, `*`, `^a`, `col:a`, `-a`, `a AND`, "\x00", "\xff", `(`, `)`} {
		f.Add(s, "b")
	}
	db := openDB(f, f.TempDir()+"/fuzz.db")
	reload(f, db, newCorpus(f, map[string]string{"a.txt": "alpha beta gamma\n"}).fs())
	f.Fuzz(func(t *testing.T, a, b string) {
		m := retrieval.AnyOf([]string{a, b}).And(retrieval.AnyOf(strings.Fields(a + " " + b)))
		if _, err := db.Search(t.Context(), m, 5); err != nil {
			t.Fatalf("Search(%v): %v", m, err)
		}
	})
}
