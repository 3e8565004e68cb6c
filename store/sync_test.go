package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"citebot/retrieval"
)

func source(c *corpusDir) Source { return Source{Name: c.dir, FS: c.fs()} }

func syncCorpus(tb testing.TB, db *DB, src Source, opt SyncOptions) Report {
	tb.Helper()
	rep, err := db.Sync(tb.Context(), src, opt)
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

// TestSyncBelongsToCorpus: an index refuses another corpus, changing
// nothing, until it is rebuilt on purpose.
func TestSyncBelongsToCorpus(t *testing.T) {
	t.Parallel()
	a := newCorpus(t, map[string]string{"a.txt": "Le zèbre galope dans la savane.\n"})
	b := newCorpus(t, map[string]string{"b.txt": "Le lion dort à l'ombre.\n"})
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	syncCorpus(t, db, source(a), SyncOptions{})
	before := snapshot(t, db)

	_, err := db.Sync(t.Context(), source(b), SyncOptions{})
	var ce *CorpusError
	if !errors.As(err, &ce) || ce.Index != a.dir || ce.Given != b.dir || !errors.Is(err, ErrOtherCorpus) {
		t.Fatalf("sync of another corpus: err = %v, want a CorpusError naming both", err)
	}
	if _, err := db.Fresh(t.Context(), source(b)); !errors.As(err, &ce) {
		t.Errorf("Fresh for another corpus: err = %v, want a CorpusError", err)
	}
	if got := snapshot(t, db); got != before {
		t.Errorf("a refused sync changed the index:\n%s\nwant\n%s", got, before)
	}

	rep := syncCorpus(t, db, source(b), SyncOptions{Rebuild: true})
	if !slices.Equal(rep.Added, []string{"b.txt"}) || rep.Documents != 1 {
		t.Errorf("rebuild: added %q, %d documents; want only b.txt", rep.Added, rep.Documents)
	}
	if _, err := db.Sync(t.Context(), source(a), SyncOptions{}); !errors.As(err, &ce) || ce.Index != b.dir {
		t.Errorf("after the rebuild the index belongs to %v, want %s", err, b.dir)
	}
}

// TestFresh: the cheap check sees files added, removed and renamed, and a
// never-built index; it trusts folder times for in-place edits until
// FullCheckEvery has passed.
func TestFresh(t *testing.T) {
	t.Parallel()
	old := time.Now().Add(-time.Hour)
	tests := []struct {
		name   string
		change func(c *corpusDir)
		fresh  bool
	}{
		{"unchanged", func(*corpusDir) {}, true},
		{"file added", func(c *corpusDir) { c.write("sub/new.txt", "Nouveau texte ici.\n") }, false},
		{"file removed", func(c *corpusDir) { os.Remove(filepath.Join(c.dir, "sub", "b.txt")) }, false},
		{"file renamed", func(c *corpusDir) {
			os.Rename(filepath.Join(c.dir, "a.txt"), filepath.Join(c.dir, "z.txt"))
		}, false},
		{"folder added", func(c *corpusDir) { os.Mkdir(filepath.Join(c.dir, "empty"), 0o755) }, false},
		{"edited in place", func(c *corpusDir) {
			os.WriteFile(filepath.Join(c.dir, "a.txt"), []byte("Autre texte, même dossier.\n"), 0o644)
		}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCorpus(t, map[string]string{"a.txt": "Le zèbre galope.\n", "sub/b.txt": "Le lion dort.\n"})
			for _, p := range []string{"a.txt", "sub/b.txt", "sub", "."} {
				os.Chtimes(filepath.Join(c.dir, p), old, old) // older than the racy window
			}
			db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
			if fresh, err := db.Fresh(t.Context(), source(c)); err != nil || fresh {
				t.Fatalf("never built: fresh %v, %v; want stale", fresh, err)
			}
			syncCorpus(t, db, source(c), SyncOptions{})
			tc.change(c)
			fresh, err := db.Fresh(t.Context(), source(c))
			if err != nil || fresh != tc.fresh {
				t.Errorf("fresh = %v, %v; want %v", fresh, err, tc.fresh)
			}
		})
	}
}

// TestFreshRacyFolder: a folder changed within the racy window of the
// reload is compared by the names it holds.
func TestFreshRacyFolder(t *testing.T) {
	t.Parallel()
	c := newCorpus(t, map[string]string{"a.txt": "Le zèbre galope.\n"})
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	syncCorpus(t, db, source(c), SyncOptions{})
	if fresh, err := db.Fresh(t.Context(), source(c)); err != nil || !fresh {
		t.Fatalf("just synced: fresh %v, %v; want fresh", fresh, err)
	}
	c.write("b.txt", "Un zeppelin passe.\n")
	if fresh, err := db.Fresh(t.Context(), source(c)); err != nil || fresh {
		t.Errorf("file added in the same second: fresh %v, %v; want stale", fresh, err)
	}
}

// TestReadersDoNotWait: while another connection holds the index's write
// lock, as a running `citebot index` does, a reader opens, checks and
// searches at once, and an update that must not wait fails with ErrBusy.
func TestReadersDoNotWait(t *testing.T) {
	t.Parallel()
	c := newCorpus(t, nil)
	manyFiles(c, 130, "alpha")
	path := filepath.Join(t.TempDir(), "i.db")
	writer := openDB(t, path)
	syncCorpus(t, writer, source(c), SyncOptions{})
	manyFiles(c, 130, "beta")

	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		var once atomic.Bool
		_, err := writer.Sync(context.Background(), source(c), SyncOptions{Progress: func(int, int, int) {
			if once.CompareAndSwap(false, true) {
				close(holding)
				<-release
			}
		}})
		done <- err
	}()
	<-holding
	began := time.Now()
	reader := openDB(t, path)
	if _, err := reader.Fresh(t.Context(), source(c)); err != nil {
		t.Errorf("Fresh during a reload: %v", err)
	}
	res, err := reader.Search(t.Context(), match("alpha"), 5)
	if err != nil || len(res) != 5 {
		t.Errorf("search during a reload: %d results, %v; want 5 from the old index", len(res), err)
	}
	_, err = reader.Sync(t.Context(), source(c), SyncOptions{Wait: time.Millisecond})
	if !errors.Is(err, ErrBusy) {
		t.Errorf("sync without waiting during a reload: err = %v, want ErrBusy", err)
	}
	if d := time.Since(began); d > busyWait/2 {
		t.Errorf("the reader took %v, want no wait for the writer", d)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestOpenPathIsNotURI: characters that mean something in a URI are part
// of the file name.
func TestOpenPathIsNotURI(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"my#x.db", "x%41.db", "y.db?mode=ro", "a b&c=d.db"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			db := openDB(t, filepath.Join(dir, name))
			reload(t, db, newCorpus(t, map[string]string{"a.txt": "Un texte.\n"}).fs())
			db.Close()
			es, _ := os.ReadDir(dir)
			var got []string
			for _, e := range es {
				got = append(got, e.Name())
			}
			if !slices.Contains(got, name) || slices.ContainsFunc(got, func(n string) bool { return !strings.HasPrefix(n, name) }) {
				t.Errorf("files %q, want %q and its journals only", got, name)
			}
		})
	}
}

// TestReadOnly: an index opened read-only, with its folder unwritable
// (immutable), answers searches and refuses updates.
func TestReadOnly(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "i.db")
	db := openDB(t, path)
	reload(t, db, newCorpus(t, map[string]string{"a.txt": "Le zèbre galope.\n"}).fs())
	db.Close()
	abs, _ := filepath.Abs(path)
	ro := &DB{path: path, an: retrieval.NewAnalyzer()}
	if err := ro.openReadOnly(t.Context(), abs); err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.init(t.Context()); err != nil {
		t.Fatal(err)
	}
	if res, err := ro.Search(t.Context(), match("zèbre"), 5); err != nil || len(res) != 1 {
		t.Errorf("read-only search: %d results, %v; want 1", len(res), err)
	}
	if _, err := ro.Reload(t.Context(), newCorpus(t, nil).fs(), nil); !errors.Is(err, ErrReadOnly) || !ro.ReadOnly() {
		t.Errorf("read-only reload: err = %v, want ErrReadOnly", err)
	}
}

// TestDamaged: a corrupt index is named as damaged, and Delete removes it
// but not another application's file.
func TestDamaged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "i.db")
	db := openDB(t, path)
	c := newCorpus(t, nil)
	manyFiles(c, 50, "alpha")
	reload(t, db, c.fs())
	db.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte(strings.Repeat("\xde\xad\xbe\xef", 4096)), 3*4096)
	f.Close()
	err = func() error {
		db, err := Open(t.Context(), path, retrieval.NewAnalyzer())
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Reload(t.Context(), c.fs(), nil)
		return err
	}()
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("damaged index: err = %v, want ErrDamaged", err)
	}
	if err := Delete(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after Delete: %v, want the file gone", err)
	}
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte(strings.Repeat("x", 200)), 0o644)
	if err := Delete(other); !errors.Is(err, ErrForeignDB) {
		t.Errorf("Delete of a text file: err = %v, want ErrForeignDB", err)
	}
}

// TestSkippedRemembered: a file skipped for what it holds is not read
// again until its size or time changes.
func TestSkippedRemembered(t *testing.T) {
	t.Parallel()
	c := newCorpus(t, map[string]string{"ok.txt": "Un paragraphe.\n", "bin.txt": "a\x00b", "u16.txt": "\xff\xfeL\x00e\x00"})
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{"ok.txt", "bin.txt", "u16.txt"} {
		os.Chtimes(filepath.Join(c.dir, p), old, old)
	}
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	fsys := c.fs()
	first, opened := reads(t, db, fsys)
	want := []Skip{{"bin.txt", "binary (contains NUL bytes)"}, {"u16.txt", "UTF-16 text: save it as UTF-8 to index it"}}
	if !slices.Equal(first.Skipped, want) || opened != 3 {
		t.Fatalf("first reload: skipped %q, %d files opened; want %q, 3", first.Skipped, opened, want)
	}
	if again, opened := reads(t, db, fsys); !slices.Equal(again.Skipped, want) || opened != 0 {
		t.Errorf("second reload: skipped %q, %d files opened; want the same skips and none read", again.Skipped, opened)
	}
	c.write("bin.txt", "Maintenant du texte.\n")
	if again := reload(t, db, fsys); !slices.Equal(again.Added, []string{"bin.txt"}) {
		t.Errorf("after a fix: added %q, want bin.txt", again.Added)
	}
}

func TestBatches(t *testing.T) {
	t.Parallel()
	files := func(sizes ...int64) []corpusFile {
		var out []corpusFile
		for _, s := range sizes {
			out = append(out, corpusFile{size: s})
		}
		return out
	}
	const M = 1 << 20
	many := make([]int64, 130)
	tests := []struct {
		name  string
		in    []corpusFile
		sizes []int
		cuts  int
	}{
		{"none", nil, nil, 0},
		{"small files by count", files(many...), []int{64, 64, 2}, 0},
		{"large files one at a time", files(16*M, 16*M, 16*M), []int{1, 1, 1}, 2},
		{"over the budget alone", files(40*M, 1), []int{1, 1}, 1},
		{"packed to the budget", files(6*M, 6*M, 6*M, 1), []int{2, 2}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, cuts := batches(tc.in)
			var sizes []int
			for _, b := range got {
				sizes = append(sizes, len(b))
			}
			if !slices.Equal(sizes, tc.sizes) || cuts != tc.cuts {
				t.Errorf("batches = %v, %d cuts; want %v, %d", sizes, cuts, tc.sizes, tc.cuts)
			}
		})
	}
}

func TestParagraphLimits(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("mot ", MaxParagraphBytes/2)
	tests := []struct {
		name      string
		doc       document
		paras     int
		truncated bool
		split     int
	}{
		{"tiny paragraphs", parseText(strings.Repeat("ab\n\n", MaxParagraphs+5)), MaxParagraphs, true, 0},
		{"tiny html paragraphs", parseHTML(strings.Repeat("<p>ab</p>", MaxParagraphs+5)), MaxParagraphs, true, 0},
		{"one long paragraph", parseText("Titre\n\n" + long), 2, false, 1},
		{"at the limit", parseText("Titre\n\n" + strings.Repeat("ab\n\n", MaxParagraphs)), MaxParagraphs, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.doc
			if len(d.Paragraphs) != tc.paras || d.Truncated != tc.truncated || d.Split != tc.split {
				t.Errorf("%d paragraphs, truncated %v, split %d; want %d, %v, %d",
					len(d.Paragraphs), d.Truncated, d.Split, tc.paras, tc.truncated, tc.split)
			}
			for i, p := range d.Paragraphs {
				if len(p.Text) > MaxParagraphBytes || p.N != i+1 {
					t.Fatalf("paragraph %d: N %d, %d bytes", i, p.N, len(p.Text))
				}
			}
		})
	}
}
