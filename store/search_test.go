package store

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"citebot/retrieval"
)

// found runs match and reads the passages found in full, best first.
func found(tb testing.TB, db *DB, match retrieval.Match, limit int) []retrieval.Passage {
	tb.Helper()
	cands, err := db.Search(tb.Context(), match, limit)
	if err != nil {
		tb.Fatal(err)
	}
	ids := make([]int64, len(cands))
	for i, c := range cands {
		ids[i] = c.ID
	}
	byID, err := db.Passages(tb.Context(), ids)
	if err != nil {
		tb.Fatal(err)
	}
	var out []retrieval.Passage
	for _, c := range cands {
		p, ok := byID[c.ID]
		if !ok {
			tb.Fatalf("Passages left out %s ¶%d, id %d, which Search found", c.File, c.Paragraph, c.ID)
		}
		out = append(out, p)
	}
	return out
}

// TestPassages: the passages of Search's candidates are those paragraphs,
// as Paragraph reads them, with the terms Search ranked; ids not indexed
// are left out.
func TestPassages(t *testing.T) {
	t.Parallel()
	c := newCorpus(t, map[string]string{
		"a.md":  "---\ntitle: Le désert\nsource: Le Monde\ndate: 2021-11-24\nurl: https://example.org/desert\n---\n\nLe dromadaire traverse le désert.\n\nLa caravane du dromadaire arrive.\n",
		"b.txt": "Un dromadaire à Tanger.\n",
	})
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	reload(t, db, c.fs())
	cands, err := db.Search(t.Context(), match("dromadaire"), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 3 {
		t.Fatalf("Search found %d candidates, want 3", len(cands))
	}
	var ids []int64
	for _, c := range cands {
		ids = append(ids, c.ID)
	}
	gone := slices.Max(ids) + 1000
	byID, err := db.Passages(t.Context(), append(ids, gone))
	if err != nil {
		t.Fatal(err)
	}
	if len(byID) != len(cands) {
		t.Errorf("Passages returned %d paragraphs, want %d: the unknown id %d left out", len(byID), len(cands), gone)
	}
	for _, c := range cands {
		want, err := db.Paragraph(t.Context(), c.File, c.Paragraph)
		if err != nil {
			t.Fatal(err)
		}
		want.Terms = c.Terms
		if c.File == "a.md" && (want.Title != "Le désert" || want.URL == "") {
			t.Fatalf("a.md ¶%d = %+v; want its front matter read", c.Paragraph, want)
		}
		if got := byID[c.ID]; got != want {
			t.Errorf("Passages[%d] = %+v\nwant %+v", c.ID, got, want)
		}
	}
	if byID, err := db.Passages(t.Context(), nil); err != nil || len(byID) != 0 {
		t.Errorf("Passages(nil) = %v, %v; want none", byID, err)
	}
}

// Candidates with the same BM25 score come in file, then paragraph,
// order, whatever order FTS5 found them in.
func TestSearchTies(t *testing.T) {
	t.Parallel()
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	same := "Le dromadaire boit peu.\n\nLe dromadaire boit peu.\n"
	c := newCorpus(t, map[string]string{"b.txt": same, "c/a.txt": same})
	reload(t, db, c.fs())
	c.write("a.txt", same) // indexed last, named first
	reload(t, db, c.fs())
	cands, err := db.Search(t.Context(), match("dromadaire"), 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cands {
		got = append(got, fmt.Sprintf("%s ¶%d", c.File, c.Paragraph))
	}
	want := []string{"a.txt ¶1", "a.txt ¶2", "b.txt ¶1", "b.txt ¶2", "c/a.txt ¶1", "c/a.txt ¶2"}
	if !slices.Equal(got, want) {
		t.Errorf("ties in order %q, want %q", got, want)
	}
}
