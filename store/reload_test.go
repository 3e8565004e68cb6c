package store

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"citebot/corpus"
	"citebot/retrieval"
)

func openDB(tb testing.TB, path string) *DB {
	tb.Helper()
	db, err := Open(tb.Context(), path, retrieval.NewAnalyzer())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// corpusDir is a corpus folder the test can change, opened as the CLI
// opens one: links may not lead outside it.
type corpusDir struct {
	tb  testing.TB
	dir string
}

func newCorpus(tb testing.TB, files map[string]string) *corpusDir {
	c := &corpusDir{tb: tb, dir: tb.TempDir()}
	for name, text := range files {
		c.write(name, text)
	}
	return c
}

func (c *corpusDir) write(name, text string) {
	c.tb.Helper()
	p := filepath.Join(c.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		c.tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		c.tb.Fatal(err)
	}
}

func (c *corpusDir) fs() fs.FS {
	c.tb.Helper()
	root, err := os.OpenRoot(c.dir)
	if err != nil {
		c.tb.Fatal(err)
	}
	c.tb.Cleanup(func() { root.Close() })
	return root.FS()
}

// match is what a small index is asked for words, analysed as a question.
func match(words string) retrieval.Match {
	return retrieval.NewAnalyzer().ParseQuery(words).Match()
}

func reload(tb testing.TB, db *DB, fsys fs.FS) Report {
	tb.Helper()
	rep, err := db.Reload(tb.Context(), fsys, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

// snapshot is everything a reader of the index can see, in a fixed order,
// so that "exactly as before" is one comparison.
func snapshot(tb testing.TB, db *DB) string {
	tb.Helper()
	return rowsText(tb, db,
		"SELECT path, title, sha256, size, mtime_ns, indexed_at FROM documents ORDER BY path",
		"SELECT d.path, p.n, p.line_start, p.line_end, p.text, f.title, f.body FROM paragraphs p JOIN documents d ON d.id = p.document_id JOIN paragraphs_fts f ON f.rowid = p.id ORDER BY d.path, p.n",
		"SELECT term, docs FROM terms ORDER BY term",
		"SELECT count(*) FROM paragraphs_fts",
		"SELECT key, value FROM meta ORDER BY key",
	)
}

// rowsText runs queries and returns their rows, a line each.
func rowsText(tb testing.TB, db *DB, queries ...string) string {
	tb.Helper()
	var b strings.Builder
	for _, q := range queries {
		rows, err := db.sql.QueryContext(tb.Context(), q)
		if err != nil {
			tb.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		if err := rows.Err(); err != nil {
			tb.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

func TestReloadFoundingArticles(t *testing.T) {
	t.Parallel()
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	rep := reload(t, db, corpus.FS())
	if rep.Documents != 2 || rep.Paragraphs != 18 || len(rep.Skipped) != 0 {
		t.Fatalf("report %+v; want 2 files, 18 paragraphs (8 + 10), nothing skipped", rep)
	}
	tests := []struct {
		file       string
		n          int
		start, end int
		prefix     string
	}{
		{"000_9fa98d75917ce04d.txt", 1, 1, 1, "Le chef d’état-major"},
		{"000_9fa98d75917ce04d.txt", 3, 6, 6, "Le général Al-Farouq rencontrera"}, // the &&&²²² line 5 is gone
		{"000_9fa98d75917ce04d.txt", 8, 16, 16, "Selon des informations"},         // "Partager :" is not ¶9
		{"002_2352071ffc99a4ce.txt", 7, 13, 13, "Le ministre israélien de la Défense, Benny Gantz, reçu"},
		{"002_2352071ffc99a4ce.txt", 8, 17, 17, "A 15h30"}, // "© Copyright : DR" (line 15) is not counted
		{"002_2352071ffc99a4ce.txt", 10, 21, 21, "Et enfin, à 18h45"},
	}
	for _, tc := range tests {
		p, err := db.Paragraph(t.Context(), tc.file, tc.n)
		if err != nil {
			t.Errorf("%s ¶%d: %v", tc.file, tc.n, err)
			continue
		}
		if p.LineStart != tc.start || p.LineEnd != tc.end || !strings.HasPrefix(p.Text, tc.prefix) {
			t.Errorf("%s ¶%d = lines %d-%d %q; want %d-%d starting %q", tc.file, tc.n, p.LineStart, p.LineEnd, p.Text, tc.start, tc.end, tc.prefix)
		}
	}
	for _, junk := range []string{"&&&", "Partager", "Copyright : DR"} {
		res := found(t, db, retrieval.AnyOf(strings.Fields(strings.ToLower(retrieval.Fold(junk)))), 50)
		for _, p := range res {
			if strings.Contains(p.Text, junk) {
				t.Errorf("junk %q indexed in %s", junk, p.Ref())
			}
		}
	}
	if _, err := db.Paragraph(t.Context(), "000_9fa98d75917ce04d.txt", 9); !errors.Is(err, ErrNotFound) {
		t.Errorf("¶9 of an 8-paragraph file: err = %v, want ErrNotFound", err)
	}
}

func TestReloadIncremental(t *testing.T) {
	t.Parallel()
	c := newCorpus(t, map[string]string{
		"a.txt":     "Le port de Tanger.\n\nLe port de Casablanca.\n",
		"b.txt":     "Un zeppelin survole Rabat.\n",
		"sub/c.txt": "Une caravane traverse le désert.\n",
	})
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	rep := reload(t, db, c.fs())
	if !slices.Equal(rep.Added, []string{"a.txt", "b.txt", "sub/c.txt"}) || rep.Paragraphs != 4 {
		t.Fatalf("first reload %+v", rep)
	}
	if rep := reload(t, db, c.fs()); rep.Modified() || rep.Unchanged != 3 {
		t.Fatalf("second reload changed something: %+v", rep)
	}
	c.write("b.txt", "Un dirigeable survole Rabat.\n\nPuis Fès.\n")
	c.write("d.md", "# Nouveau\n\nUn [lien](http://example.com/secret) vers **Tanger**.\n")
	os.Remove(filepath.Join(c.dir, "sub/c.txt"))
	rep = reload(t, db, c.fs())
	if !slices.Equal(rep.Added, []string{"d.md"}) || !slices.Equal(rep.Changed, []string{"b.txt"}) ||
		!slices.Equal(rep.Removed, []string{"sub/c.txt"}) || rep.Unchanged != 1 ||
		rep.ParagraphsAdded != 3 || rep.ParagraphsRemoved != 2 || rep.Paragraphs != 5 {
		t.Fatalf("third reload %+v", rep)
	}
	// a.txt was untouched: its numbers stand.
	if p, err := db.Paragraph(t.Context(), "a.txt", 2); err != nil || !strings.Contains(p.Text, "Casablanca") {
		t.Errorf("a.txt ¶2 = %+v, %v", p, err)
	}
	for word, want := range map[string]int{"zeppelin": 0, "dirigeable": 1, "désert": 0, "Tanger": 2, "secret": 0, "example": 0} {
		res, err := db.Search(t.Context(), match(word), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != want {
			t.Errorf("%s: %d hits, want %d", word, len(res), want)
		}
	}
	// Term counts follow the changes: "zeppelin" left the vocabulary.
	tanger := retrieval.Stem("tanger", retrieval.French)
	freqs, total, err := db.DocFreqs(t.Context(), []string{"zeppelin", tanger})
	if err != nil || freqs["zeppelin"] != 0 || freqs[tanger] != 2 || total != 5 {
		t.Errorf("DocFreqs = %v, %d, %v; want zeppelin 0, tanger 2, 5 paragraphs", freqs, total, err)
	}
}

func TestReloadBadFiles(t *testing.T) {
	t.Parallel()
	c := newCorpus(t, map[string]string{
		"good.txt":    "Un bon paragraphe.\n",
		"latin1.txt":  "caf\xe9 cr\xe8me\n",
		"binary.txt":  "PK\x03\x04\x00\x00binary",
		"empty.txt":   "  \n\n ",
		"junk.txt":    "&&&²²²\n----\n",
		"picture.png": "\x89PNG",
		".hidden.txt": "secret",
	})
	c.write("big.txt", strings.Repeat("a", MaxFileBytes+1))
	outside := filepath.Join(t.TempDir(), "outside.txt")
	os.WriteFile(outside, []byte("Hors du corpus.\n"), 0o644)
	if err := os.Symlink(outside, filepath.Join(c.dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	os.Symlink("good.txt", filepath.Join(c.dir, "inside.txt"))
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	rep := reload(t, db, c.fs())
	if !slices.Equal(rep.Added, []string{"good.txt", "inside.txt"}) {
		t.Errorf("added %q, want good.txt and inside.txt (a link inside the corpus)", rep.Added)
	}
	want := map[string]string{
		"latin1.txt": "UTF-8", "binary.txt": "binary", "empty.txt": "empty", "junk.txt": "no text",
		"picture.png": "unsupported", "big.txt": "too large", "link.txt": "outside the corpus",
	}
	got := map[string]string{}
	for _, s := range rep.Skipped {
		got[s.Path] = s.Reason
	}
	for file, reason := range want {
		if !strings.Contains(got[file], reason) {
			t.Errorf("%s skipped with %q, want a reason mentioning %q", file, got[file], reason)
		}
	}
	if len(got) != len(want) {
		t.Errorf("skipped %v, want exactly %v", got, want)
	}
	// A file that turns bad later leaves the index.
	c.write("good.txt", "\xff\xfe")
	rep = reload(t, db, c.fs())
	if !slices.Contains(rep.Removed, "good.txt") {
		t.Errorf("good.txt turned invalid but was not removed: %+v", rep)
	}
}

// manyFiles writes n files whose paragraphs all hold word.
func manyFiles(c *corpusDir, n int, word string) {
	for i := range n {
		c.write(fmt.Sprintf("f%04d.txt", i), fmt.Sprintf("Paragraphe %d avec %s.\n\nEncore %s ici.\n", i, word, word))
	}
}

func TestReloadCancelledKeepsIndex(t *testing.T) {
	t.Parallel()
	c := newCorpus(t, nil)
	manyFiles(c, 300, "alpha")
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	reload(t, db, c.fs())
	before := snapshot(t, db)
	manyFiles(c, 300, "beta")
	c.write("new.txt", "Un fichier nouveau.\n")
	os.Remove(filepath.Join(c.dir, "f0000.txt"))
	ctx, cancel := context.WithCancel(t.Context())
	calls := 0
	_, err := db.Reload(ctx, c.fs(), func(done, total, _ int) {
		calls++
		if done < total {
			cancel() // midway: some files are already written in the transaction
		}
	})
	if !errors.Is(err, context.Canceled) || calls == 0 {
		t.Fatalf("cancelled reload: err = %v after %d progress calls, want context.Canceled", err, calls)
	}
	if after := snapshot(t, db); after != before {
		t.Errorf("a cancelled reload changed the index")
	}
	for word, want := range map[string]int{"alpha": 600, "beta": 0} {
		res, err := db.Search(t.Context(), match(word), 1000)
		if err != nil || len(res) != want {
			t.Errorf("%s after a cancelled reload: %d hits, %v; want %d", word, len(res), err, want)
		}
	}
	// The next reload does the whole job.
	if rep := reload(t, db, c.fs()); len(rep.Changed) != 299 || len(rep.Added) != 1 || len(rep.Removed) != 1 {
		t.Errorf("reload after the cancelled one: %d changed, %q added, %q removed", len(rep.Changed), rep.Added, rep.Removed)
	}
}

// TestReloadWhileSearching: searches never fail during a reload and each
// sees one corpus, old or new, never a mix. Every paragraph of the old
// corpus says "alpha", every one of the new says "beta", and a search for
// either word must return all of one and none of the other.
func TestReloadWhileSearching(t *testing.T) {
	t.Parallel()
	const files = 200
	c := newCorpus(t, nil)
	manyFiles(c, files, "alpha")
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	reload(t, db, c.fs())
	manyFiles(c, files, "beta")
	either := match("alpha beta")
	searcher := retrieval.NewSearcher(retrieval.NewAnalyzer(), db, retrieval.Options{})

	var searches, failures, mixed, sawOld, sawNew atomic.Int64
	stop := make(chan struct{})
	started := make(chan struct{}, 8) // each searcher's first search is done
	newSeen := make(chan struct{})
	var once sync.Once
	// corpus reports which corpus paragraphs (their text or their index
	// terms) come from: "alpha", "beta", or "" for a mix.
	corpus := func(ps []string) string {
		which := ""
		for _, p := range ps {
			w := "beta"
			if strings.Contains(p, "alpha") {
				w = "alpha"
			}
			if which != "" && w != which {
				return ""
			}
			which = w
		}
		return which
	}
	search := []func() ([]string, error){
		func() ([]string, error) { // one FTS5 query, all the rows
			res, err := db.Search(context.Background(), either, 1000)
			if err == nil && len(res) != 2*files {
				err = fmt.Errorf("%d hits, want %d", len(res), 2*files)
			}
			var terms []string
			for _, c := range res {
				terms = append(terms, c.Terms)
			}
			return terms, err
		},
		func() ([]string, error) { // the full search path, as the bot runs it
			res, err := searcher.Search(context.Background(), "alpha beta ici", 10)
			if err == nil && len(res.Passages) == 0 {
				err = errors.New("no passage")
			}
			var texts []string
			for _, p := range res.Passages {
				texts = append(texts, p.Text)
			}
			return texts, err
		},
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			first := true
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := search[i%2]()
				searches.Add(1)
				switch which := corpus(res); {
				case err != nil:
					failures.Add(1)
					t.Errorf("search during reload: %v", err)
				case which == "":
					mixed.Add(1)
				case which == "alpha":
					sawOld.Add(1)
				default:
					sawNew.Add(1)
					once.Do(func() { close(newSeen) })
				}
				if first {
					first = false
					started <- struct{}{}
				}
			}
		})
	}
	for range 8 {
		<-started
	}
	rep := reload(t, db, c.fs())
	<-newSeen
	close(stop)
	wg.Wait()
	if len(rep.Changed) != files {
		t.Errorf("reload changed %d files, want %d", len(rep.Changed), files)
	}
	t.Logf("%d searches by 8 goroutines across the reload: %d saw the old corpus, %d the new, %d a mix, %d failed",
		searches.Load(), sawOld.Load(), sawNew.Load(), mixed.Load(), failures.Load())
	if failures.Load() != 0 || mixed.Load() != 0 || sawOld.Load() == 0 || sawNew.Load() == 0 {
		t.Errorf("%d failed searches and %d mixed results, want none; old %d and new %d, want both",
			failures.Load(), mixed.Load(), sawOld.Load(), sawNew.Load())
	}
}

func TestReloadOneAtATime(t *testing.T) {
	t.Parallel()
	c := newCorpus(t, nil)
	manyFiles(c, 130, "alpha")
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	var second error
	_, err := db.Reload(t.Context(), c.fs(), func(done, total, _ int) {
		if second == nil {
			_, second = db.Reload(t.Context(), c.fs(), nil)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(second, ErrReloadRunning) {
		t.Errorf("second reload: err = %v, want ErrReloadRunning", second)
	}
}

func TestOpenSchema(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old := filepath.Join(dir, "old.db")
	db := openDB(t, old)
	reload(t, db, corpus.FS())
	db.Close()
	raw, err := sql.Open("sqlite3", old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db = openDB(t, old)
	if st, err := db.Stats(t.Context()); err != nil || st.Documents != 0 {
		t.Errorf("old-schema index: stats %+v, %v; want an empty, rebuilt index", st, err)
	}
	if rep := reload(t, db, corpus.FS()); rep.Paragraphs != 18 {
		t.Errorf("rebuilt index holds %d paragraphs, want 18", rep.Paragraphs)
	}

	foreign := filepath.Join(dir, "foreign.db")
	raw, _ = sql.Open("sqlite3", foreign)
	raw.Exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
	raw.Close()
	if _, err := Open(t.Context(), foreign, retrieval.NewAnalyzer()); !errors.Is(err, ErrForeignDB) {
		t.Errorf("foreign database: err = %v, want ErrForeignDB", err)
	}
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte(strings.Repeat("not a database ", 100)), 0o644)
	if _, err := Open(t.Context(), notDB, retrieval.NewAnalyzer()); !errors.Is(err, ErrForeignDB) {
		t.Errorf("text file: err = %v, want ErrForeignDB", err)
	}
}

// TestReloadKilled kills a process with SIGKILL in the middle of a large
// reload, once that reload has written uncommitted pages to the WAL: the
// database must open and answer with the previous corpus, exactly.
func TestReloadKilled(t *testing.T) {
	if os.Getenv("CITEBOT_KILL_HELPER") != "" {
		killHelper(t)
		return
	}
	t.Parallel()
	c := newCorpus(t, nil)
	manyFiles(c, 100, "alpha")
	path := filepath.Join(t.TempDir(), "i.db")
	db := openDB(t, path)
	reload(t, db, c.fs())
	before := snapshot(t, db)
	db.Close()
	manyFiles(c, 3000, "beta")

	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestReloadKilled$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CITEBOT_KILL_HELPER=1", "CITEBOT_KILL_DB="+path, "CITEBOT_KILL_CORPUS="+c.dir)
	stdin, err := cmd.StdinPipe() // never written: the helper waits on it
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The helper writes a line once its reload is under way.
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "reloading\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper said %q, %v", line, err)
	}
	wal, err := os.Stat(path + "-wal")
	if err != nil || wal.Size() <= 32 {
		t.Errorf("WAL before the kill: %v, %v; want uncommitted frames on disk", wal, err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("helper ended with %v, want killed by SIGKILL", err)
	}
	t.Logf("killed mid-reload with %d bytes of WAL", wal.Size())

	db = openDB(t, path)
	if after := snapshot(t, db); after != before {
		t.Errorf("the index after SIGKILL differs from the index before the reload")
	}
	for word, want := range map[string]int{"alpha": 200, "beta": 0} {
		res, err := db.Search(t.Context(), match(word), 10000)
		if err != nil || len(res) != want {
			t.Errorf("%s after SIGKILL: %d hits, %v; want %d", word, len(res), err, want)
		}
	}
	if rep := reload(t, db, c.fs()); rep.Paragraphs != 6000 {
		t.Errorf("reload after the kill: %d paragraphs, want 6000", rep.Paragraphs)
	}
}

// killHelper runs in the child process: a reload that announces itself
// midway, once it has written pages to the WAL, and waits to be killed.
// A small page cache on the only connection makes the transaction spill
// its pages to the WAL early, as a large reload does.
func killHelper(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, os.Getenv("CITEBOT_KILL_DB"), retrieval.NewAnalyzer())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, "PRAGMA cache_size = 50"); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(os.Getenv("CITEBOT_KILL_CORPUS"))
	if err != nil {
		t.Fatal(err)
	}
	wal := os.Getenv("CITEBOT_KILL_DB") + "-wal"
	db.Reload(ctx, root.FS(), func(done, total, _ int) {
		if info, err := os.Stat(wal); done < total/2 || err != nil || info.Size() <= 32 {
			return
		}
		fmt.Println("reloading")
		io.ReadAll(os.Stdin) // until SIGKILL
	})
	t.Fatal("reload finished before the kill")
}

// faultFS fails where a real disk would: opening a file in locked, reading
// one in failing, or finding one in vanished gone since it was listed.
type faultFS struct {
	fs.FS
	locked, failing, vanished string
}

func (f faultFS) Open(name string) (fs.File, error) {
	switch name {
	case f.locked:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	case f.vanished:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	file, err := f.FS.Open(name)
	if err != nil || name != f.failing {
		return file, err
	}
	return failingFile{file}, nil
}

type failingFile struct{ fs.File }

func (failingFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: "failing.txt", Err: syscall.EIO}
}

// TestReloadUnreadable: files that cannot be opened or read are skipped
// with the reason, and the others are indexed.
func TestReloadUnreadable(t *testing.T) {
	t.Parallel()
	t.Run("faults", func(t *testing.T) {
		t.Parallel()
		c := newCorpus(t, map[string]string{
			"good.txt": "Un bon paragraphe.\n", "locked.txt": "Secret.\n",
			"failing.txt": "Disque abîmé.\n", "vanished.txt": "Parti.\n",
		})
		db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
		rep := reload(t, db, faultFS{FS: c.fs(), locked: "locked.txt", failing: "failing.txt", vanished: "vanished.txt"})
		want := []Skip{
			{"failing.txt", "unreadable: input/output error"},
			{"locked.txt", "unreadable: permission denied"},
			{"vanished.txt", "unreadable: broken link or removed while reading"},
		}
		if !slices.Equal(rep.Added, []string{"good.txt"}) || !slices.Equal(rep.Skipped, want) {
			t.Errorf("added %q skipped %q; want good.txt and %q", rep.Added, rep.Skipped, want)
		}
	})
	t.Run("permissions", func(t *testing.T) {
		t.Parallel()
		if os.Geteuid() == 0 {
			t.Skip("root reads any file: permissions cannot make one unreadable")
		}
		c := newCorpus(t, map[string]string{"good.txt": "Un bon paragraphe.\n", "locked.txt": "Secret.\n"})
		locked := filepath.Join(c.dir, "locked.txt")
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(locked, 0o644) })
		db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
		rep := reload(t, db, c.fs())
		want := []Skip{{"locked.txt", "unreadable: permission denied"}}
		if !slices.Equal(rep.Added, []string{"good.txt"}) || !slices.Equal(rep.Skipped, want) {
			t.Errorf("added %q skipped %q; want good.txt and %q", rep.Added, rep.Skipped, want)
		}
	})
}

// TestReloadFormats: .txt, Markdown and HTML are indexed, other types are
// skipped; Markdown link targets and the HTML page's chrome and scripts are
// not searchable, and HTML paragraphs cite the lines of the .html file.
func TestReloadFormats(t *testing.T) {
	t.Parallel()
	root, err := os.OpenRoot(filepath.Join("testdata", "formats"))
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	rep := reload(t, db, root.FS())
	if !slices.Equal(rep.Added, []string{"brut.txt", "note.md", "page.html"}) ||
		len(rep.Skipped) != 1 || rep.Skipped[0].Path != "scan.pdf" || !strings.Contains(rep.Skipped[0].Reason, "unsupported") {
		t.Fatalf("added %q skipped %q; want the .txt, .md and .html, and scan.pdf as unsupported", rep.Added, rep.Skipped)
	}
	paragraphs := []struct {
		file       string
		n          int
		start, end int
		title      string
		text       string
	}{
		{"page.html", 1, 11, 11, "Visite à Rabat", "Une délégation reçue au palais"},
		{"page.html", 2, 12, 13, "Visite à Rabat", "La délégation a été reçue par le ministre des affaires étrangères."},
		{"page.html", 4, 16, 16, "Visite à Rabat", "Second point : les échanges universitaires."},
		{"note.md", 1, 3, 3, "Note de lecture", "Un [rapport](https://example.org/cachette) sur le **commerce** des dattes."},
		{"brut.txt", 1, 1, 1, "Un texte brut sur les oliviers", "Un texte brut sur les oliviers."}, // a headline from its first sentence
	}
	for _, tc := range paragraphs {
		p, err := db.Paragraph(t.Context(), tc.file, tc.n)
		if err != nil || p.LineStart != tc.start || p.LineEnd != tc.end || p.Title != tc.title || p.Text != tc.text {
			t.Errorf("%s ¶%d = lines %d-%d title %q %q, %v; want %d-%d %q %q",
				tc.file, tc.n, p.LineStart, p.LineEnd, p.Title, p.Text, err, tc.start, tc.end, tc.title, tc.text)
		}
	}
	if _, err := db.Paragraph(t.Context(), "page.html", 5); !errors.Is(err, ErrNotFound) {
		t.Errorf("page.html ¶5: %v, want ErrNotFound (4 paragraphs)", err)
	}
	for word, want := range map[string]int{
		"espion": 0, "accueil": 0, "mentions": 0, "courriel": 0, "serif": 0, // page chrome and code
		"cachette": 0, "example": 0, // link target
		"universitaires": 1, "commerce": 1, "code": 1, "oliviers": 1,
	} {
		res, err := db.Search(t.Context(), match(word), 10)
		if err != nil || len(res) != want {
			t.Errorf("%s: %d hits, %v; want %d", word, len(res), err, want)
		}
	}
}

// TestTermCountsMatchIndex: the paragraph counts that readers keep while
// analysing equal a count over the analysed text as stored, after a build
// and after files changed and went.
func TestTermCountsMatchIndex(t *testing.T) {
	t.Parallel()
	files := map[string]string{"z.md": "# Le port\n\nLe port de **Tanger**, port du détroit.\n"}
	for i := range 150 { // more than one batch
		files[fmt.Sprintf("f%03d.txt", i)] = fmt.Sprintf("Le port numéro %d de Tanger.\n\nUn zeppelin survole le port %d, puis Rabat et Rabat.\n", i%7, i)
	}
	c := newCorpus(t, files)
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	check := func(when string) {
		t.Helper()
		want := make(map[string]int)
		for body := range strings.Lines(rowsText(t, db, "SELECT body FROM paragraphs_fts")) {
			countTerms(body, want, +1)
		}
		got := make(map[string]int)
		for line := range strings.Lines(rowsText(t, db, "SELECT term, docs FROM terms")) {
			var term string
			var n int
			if _, err := fmt.Sscan(line, &term, &n); err != nil {
				t.Fatalf("%s: terms row %q: %v", when, line, err)
			}
			got[term] = n
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s: terms table %v, want the stored text's %v", when, got, want)
		}
	}
	reload(t, db, c.fs())
	check("first build")
	c.write("f001.txt", "Un dirigeable au-dessus de Tanger.\n")
	os.Remove(filepath.Join(c.dir, "f002.txt"))
	reload(t, db, c.fs())
	check("after a change and a removal")
}
