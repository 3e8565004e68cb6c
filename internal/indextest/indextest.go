// Package indextest gives tests a real index: a SQLite file in the test's
// temporary folder holding the shipped articles.
package indextest

import (
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"

	"citebot/corpus"
	"citebot/retrieval"
	"citebot/store"
)

// Shipped indexes the shipped articles into a fresh SQLite file and
// returns a searcher over it. The database closes when the test ends.
func Shipped(tb testing.TB) (*store.DB, *retrieval.Searcher) {
	tb.Helper()
	return Index(tb, corpus.FS())
}

// Planted is Shipped with extra files (name to text) beside the shipped
// articles: an article written to mislead, say.
func Planted(tb testing.TB, extra map[string]string) (*store.DB, *retrieval.Searcher) {
	tb.Helper()
	return Index(tb, PlantedFS(tb, extra))
}

// PlantedFS is the shipped articles plus extra files.
func PlantedFS(tb testing.TB, extra map[string]string) fstest.MapFS {
	tb.Helper()
	fsys := fstest.MapFS{}
	names, err := fs.Glob(corpus.FS(), "*.txt")
	if err != nil {
		tb.Fatal(err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(corpus.FS(), name)
		if err != nil {
			tb.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	for name, text := range extra {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// Index indexes the articles of fsys into a fresh SQLite file.
func Index(tb testing.TB, fsys fs.FS) (*store.DB, *retrieval.Searcher) {
	tb.Helper()
	an := retrieval.NewAnalyzer()
	db, err := store.Open(tb.Context(), filepath.Join(tb.TempDir(), "index.db"), an)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Reload(tb.Context(), fsys, nil); err != nil {
		tb.Fatal(err)
	}
	return db, retrieval.NewSearcher(an, db, retrieval.Options{})
}
