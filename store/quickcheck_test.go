package store

import (
	"io/fs"
	"path/filepath"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"citebot/corpus"
)

// countingFS counts the files a reload opens, to tell a file that was
// read from one judged unchanged by its size and modification time.
type countingFS struct {
	fsys  fs.FS
	opens atomic.Int64
}

func (c *countingFS) Open(name string) (fs.File, error) {
	f, err := c.fsys.Open(name)
	if err == nil {
		if info, err := f.Stat(); err == nil && !info.IsDir() {
			c.opens.Add(1)
		}
	}
	return f, err
}

func (c *countingFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(c.fsys, name) }
func (c *countingFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(c.fsys, name) }

// reads reloads and returns the report and how many files it opened.
func reads(tb testing.TB, db *DB, fsys fs.FS) (Report, int64) {
	tb.Helper()
	c := &countingFS{fsys: fsys}
	rep := reload(tb, db, c)
	return rep, c.opens.Load()
}

func TestReloadQuickCheck(t *testing.T) {
	t.Parallel()
	old := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	mapFS := fstest.MapFS{
		"a.txt": {Data: []byte("Le port de Tanger.\n"), ModTime: old},
		"b.txt": {Data: []byte("Un zeppelin survole Rabat.\n"), ModTime: old},
		"c.txt": {Data: []byte("Une caravane traverse le désert.\n"), ModTime: old},
	}
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	steps := []struct {
		name      string
		change    func()
		opens     int64
		changed   int
		unchanged int
	}{
		{"first reload reads every file", func() {}, 3, 0, 0},
		{"nothing changed: nothing read", func() {}, 0, 0, 3},
		{"new content and time: that file read", func() {
			mapFS["b.txt"] = &fstest.MapFile{Data: []byte("Un dirigeable survole Rabat.\n"), ModTime: old.Add(time.Hour)}
		}, 1, 1, 2},
		{"touched, same content: read once, unchanged", func() {
			mapFS["a.txt"].ModTime = old.Add(2 * time.Hour)
		}, 1, 0, 3},
		{"the new time was recorded", func() {}, 0, 0, 3},
	}
	for _, s := range steps {
		s.change()
		rep, opens := reads(t, db, mapFS)
		if opens != s.opens || len(rep.Changed) != s.changed || rep.Unchanged != s.unchanged {
			t.Errorf("%s: %d files read, %d changed, %d unchanged; want %d, %d, %d", s.name, opens, len(rep.Changed), rep.Unchanged, s.opens, s.changed, s.unchanged)
		}
	}
}

// TestReloadQuickCheckUntrusted: without a modification time (an embedded
// corpus) or with one too recent to rule out a second write in the same
// tick, every file is hashed, and a same-size edit is still seen.
func TestReloadQuickCheckUntrusted(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		mtime time.Time
	}{
		{"no modification time", time.Time{}},
		// Later than any reload of this test begins, however slow the machine.
		{"modified during the reload", time.Now().Add(time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mapFS := fstest.MapFS{
				"a.txt": {Data: []byte("Le port de Tanger.\n"), ModTime: tc.mtime},
				"b.txt": {Data: []byte("Un zeppelin survole Rabat.\n"), ModTime: tc.mtime},
			}
			db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
			reads(t, db, mapFS)
			if rep, opens := reads(t, db, mapFS); opens != 2 || rep.Modified() || rep.Unchanged != 2 {
				t.Errorf("second reload: %d files read, report %+v; want 2 read, 2 unchanged", opens, rep)
			}
			edit := []byte("Un dirigeable survole Oran\n")
			if len(edit) != len(mapFS["b.txt"].Data) {
				t.Fatalf("the edit changes the size")
			}
			mapFS["b.txt"].Data = edit
			if rep, _ := reads(t, db, mapFS); len(rep.Changed) != 1 {
				t.Errorf("same-size edit: changed %q, want b.txt", rep.Changed)
			}
			if res, err := db.Search(t.Context(), match("dirigeable"), 10); err != nil || len(res) != 1 {
				t.Errorf("search for the new text: %d hits, %v", len(res), err)
			}
		})
	}
}

func TestTrustedMTime(t *testing.T) {
	t.Parallel()
	began := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name  string
		mtime time.Time
		want  bool
	}{
		{"well before the reload", began.Add(-time.Minute), true},
		{"just outside the window", began.Add(-racyWindow - time.Nanosecond), true},
		{"inside the window", began.Add(-racyWindow / 2), false},
		{"as the reload began", began, false},
		{"in the future", began.Add(time.Hour), false},
	}
	for _, tc := range tests {
		ns := tc.mtime.UnixNano()
		if got := trustedMTime(ns, began); (got == ns) != tc.want || (got != ns && got != 0) {
			t.Errorf("%s: trustedMTime = %d, want trusted %v", tc.name, got, tc.want)
		}
	}
}

// TestReloadEmbeddedCorpus: the shipped articles have no modification
// time, so every reload hashes them, and finds them unchanged.
func TestReloadEmbeddedCorpus(t *testing.T) {
	t.Parallel()
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	reads(t, db, corpus.FS())
	if rep, opens := reads(t, db, corpus.FS()); opens != 2 || rep.Modified() || rep.Unchanged != 2 {
		t.Errorf("second reload of the shipped articles: %d files read, report %+v; want 2 read, 2 unchanged", opens, rep)
	}
}
