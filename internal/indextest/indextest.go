// Package indextest gives tests a real index: a SQLite file in the test's
// temporary folder holding the shipped articles.
package indextest

import (
	"path/filepath"
	"testing"

	"citebot/corpus"
	"citebot/retrieval"
	"citebot/store"
)

// Shipped indexes the shipped articles into a fresh SQLite file and
// returns a searcher over it. The database closes when the test ends.
func Shipped(tb testing.TB) (*store.DB, *retrieval.Searcher) {
	tb.Helper()
	an := retrieval.NewAnalyzer()
	db, err := store.Open(tb.Context(), filepath.Join(tb.TempDir(), "index.db"), an)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Reload(tb.Context(), corpus.FS(), nil); err != nil {
		tb.Fatal(err)
	}
	return db, retrieval.NewSearcher(an, db, retrieval.Options{})
}
