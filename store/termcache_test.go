package store

import (
	"path/filepath"
	"testing"
	"time"
)

// Two handles on one file stand for two processes: each has its own
// connections and its own cache, and only SQLite links them.
func TestTermCacheSeesOtherWriters(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "index.db")
	c := newCorpus(t, map[string]string{
		"a.txt": "Le zeppelin Klaxovia a atterri à Rabat.\n",
	})
	writer := openDB(t, path)
	reload(t, writer, c.fs())
	reader := openDB(t, path)

	docs := func(term string) (int, int) {
		t.Helper()
		freqs, total, err := reader.DocFreqs(t.Context(), []string{term})
		if err != nil {
			t.Fatal(err)
		}
		return freqs[term], total
	}
	near := func(term string) int {
		t.Helper()
		vs, err := reader.TermsNear(t.Context(), term)
		if err != nil {
			t.Fatal(err)
		}
		return len(vs)
	}
	if n, total := docs("klaxovi"); n != 1 || total != 1 {
		t.Fatalf("before: klaxovi in %d of %d paragraphs, want 1 of 1", n, total)
	}
	if n := near("klaxovio"); n != 1 {
		t.Fatalf("before: %d near spellings of klaxovio, want 1", n)
	}
	gen := reader.terms.gen

	// A write that leaves the terms alone keeps what the reader knows.
	if err := writer.AddTurn(t.Context(), "conv", Turn{Question: "q", At: time.Now()}, 6, time.Time{}); err != nil {
		t.Fatal(err)
	}
	docs("klaxovi")
	if reader.terms.gen != gen || reader.terms.docs["klaxovi"] != 1 {
		t.Errorf("a conversation write emptied the term cache")
	}

	c.write("b.txt", "Le Klaxovia repart vendredi.\n\nKlaxovib, son jumeau, reste au sol.\n")
	reload(t, writer, c.fs())
	if n, total := docs("klaxovi"); n != 2 || total != 3 {
		t.Errorf("after another handle's reload: klaxovi in %d of %d paragraphs, want 2 of 3", n, total)
	}
	if n := near("klaxovio"); n != 2 {
		t.Errorf("after another handle's reload: %d near spellings of klaxovio, want 2", n)
	}
	if reader.terms.gen == gen {
		t.Error("the index's generation did not change with its terms")
	}
}
