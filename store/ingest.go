package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// MaxFileBytes is the largest corpus file indexed; larger ones are skipped.
const MaxFileBytes = 16 << 20

// Skip names a corpus file that was not indexed, and why.
type Skip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Report says what a reload changed.
type Report struct {
	Added             []string      `json:"added"`
	Changed           []string      `json:"changed"`
	Removed           []string      `json:"removed"`
	Unchanged         int           `json:"unchanged"`
	Skipped           []Skip        `json:"skipped"`
	ParagraphsAdded   int           `json:"paragraphs_added"`
	ParagraphsRemoved int           `json:"paragraphs_removed"`
	Documents         int           `json:"documents"`
	Paragraphs        int           `json:"paragraphs"`
	Duration          time.Duration `json:"duration_ns"`
}

// Modified reports whether the reload changed the index.
func (r Report) Modified() bool {
	return len(r.Added)+len(r.Changed)+len(r.Removed) > 0
}

// Progress is called during a reload with files done of total and the
// paragraphs indexed so far.
type Progress func(filesDone, filesTotal, paragraphs int)

// Reload brings the index in line with the corpus in fsys: new files are
// added, changed ones re-indexed, deleted ones removed, and the rest left
// untouched, keeping their paragraph numbers. It runs in one transaction:
// readers see the old index until it commits and the new one after. A file
// that cannot be indexed is skipped and named in the report; a failure of
// the reload itself (cancellation included) leaves the previous index as
// it was.
func (d *DB) Reload(ctx context.Context, fsys fs.FS, progress Progress) (Report, error) {
	if !d.reloadMu.TryLock() {
		return Report{}, ErrReloadRunning
	}
	defer d.reloadMu.Unlock()
	began := time.Now()
	files, skipped, err := listCorpus(fsys)
	if err != nil {
		return Report{}, fmt.Errorf("reload: %w", err)
	}
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return Report{}, fmt.Errorf("reload: %w", translate(err))
	}
	defer tx.Rollback()
	rep, err := d.reload(ctx, tx, fsys, files, began, progress)
	if err != nil {
		return Report{}, fmt.Errorf("reload: %w", err)
	}
	rep.Skipped = append(skipped, rep.Skipped...)
	slices.SortFunc(rep.Skipped, func(a, b Skip) int { return strings.Compare(a.Path, b.Path) })
	if err := tx.Commit(); err != nil {
		return Report{}, fmt.Errorf("reload: commit: %w", translate(err))
	}
	// A large reload leaves a WAL as large as the index (165 MB at 100k
	// paragraphs), which SQLite's own checkpoints copy back but never
	// shrink. Best effort: the reload is committed, and a reader in the
	// way only leaves the log for the next checkpoint.
	if rep.ParagraphsAdded+rep.ParagraphsRemoved > rep.Paragraphs/optimizeShare {
		d.sql.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	}
	rep.Duration = time.Since(began)
	return rep, nil
}

// indexedDoc is what the index knows of a file.
type indexedDoc struct {
	id    int64
	sum   string
	size  int64
	mtime int64
}

// unchanged reports whether f is, by its size and modification time, the
// file indexed as doc: then it is not even read. Without a modification
// time (an embedded corpus) the content hash decides.
func (doc indexedDoc) unchanged(f corpusFile) bool {
	return f.mtime != 0 && doc.mtime == f.mtime && doc.size == f.size
}

// racyWindow is how recent a modification time may be and still not be
// trusted: a file written again within the same timestamp tick, with the
// same size, would otherwise look unchanged (git's "racily clean" entries).
// Two seconds covers the coarsest file systems (FAT).
const racyWindow = 2 * time.Second

// trustedMTime is the modification time to record for a file read by a
// reload that began at began: 0, so that the next reload hashes the file
// again, when it is too recent to tell a later write in the same tick.
func trustedMTime(mtime int64, began time.Time) int64 {
	if mtime >= began.Add(-racyWindow).UnixNano() {
		return 0
	}
	return mtime
}

func (d *DB) reload(ctx context.Context, tx *sql.Tx, fsys fs.FS, files []corpusFile, began time.Time, progress Progress) (Report, error) {
	var rep Report
	known, err := loadDocuments(ctx, tx)
	if err != nil {
		return rep, err
	}
	deltas := make(map[string]int)
	listed := make(map[string]bool, len(files))
	var work []corpusFile
	for _, f := range files {
		listed[f.path] = true
		if doc, ok := known[f.path]; ok && doc.unchanged(f) {
			rep.Unchanged++
			continue
		}
		f.mtime = trustedMTime(f.mtime, began)
		work = append(work, f)
	}
	for _, p := range slices.Sorted(maps.Keys(known)) {
		if listed[p] {
			continue
		}
		n, err := deleteDocument(ctx, tx, known[p].id, deltas)
		if err != nil {
			return rep, fmt.Errorf("remove %s: %w", p, err)
		}
		rep.Removed = append(rep.Removed, p)
		rep.ParagraphsRemoved += n
	}
	// Merging segments while a bulk load is still writing them is wasted
	// work; the load ends with one merge instead. The setting is part of
	// the transaction, so a failed reload restores it too.
	if err := tune(ctx, tx, "automerge", 0); err != nil {
		return rep, err
	}
	if err := tune(ctx, tx, "hashsize", pendingBytes); err != nil {
		return rep, err
	}
	ins, err := prepareInserts(ctx, tx)
	if err != nil {
		return rep, err
	}
	defer ins.close()
	err = d.ingest(ctx, fsys, work, known, func(r parsed) error {
		return apply(ctx, tx, ins, r, known, deltas, &rep)
	}, progress)
	if err != nil {
		return rep, err
	}
	if err := applyDeltas(ctx, tx, deltas); err != nil {
		return rep, err
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM documents").Scan(&rep.Documents); err != nil {
		return rep, translate(err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM paragraphs").Scan(&rep.Paragraphs); err != nil {
		return rep, translate(err)
	}
	if err := tune(ctx, tx, "automerge", defaultAutomerge); err != nil {
		return rep, err
	}
	// A large change is merged into one segment for the fastest queries;
	// a small one is left to FTS5's incremental merging, which is far
	// cheaper than rewriting a large index for one file.
	if big := rep.ParagraphsAdded+rep.ParagraphsRemoved > rep.Paragraphs/optimizeShare; big && rep.Modified() {
		if _, err := tx.ExecContext(ctx, "INSERT INTO paragraphs_fts(paragraphs_fts) VALUES('optimize')"); err != nil {
			return rep, fmt.Errorf("optimize: %w", translate(err))
		}
	}
	meta := map[string]string{
		"paragraphs":  strconv.Itoa(rep.Paragraphs),
		"reloaded_at": time.Now().UTC().Format(time.RFC3339),
	}
	for k, v := range meta {
		if _, err := tx.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", k, v); err != nil {
			return rep, translate(err)
		}
	}
	return rep, nil
}

const (
	// defaultAutomerge is FTS5's own default.
	defaultAutomerge = 4
	// optimizeShare: a reload touching more than 1/optimizeShare of the
	// paragraphs ends with a full merge.
	optimizeShare = 10
	// pendingBytes is how much FTS5 buffers before writing a segment:
	// 64 times its default, so a bulk load leaves that many fewer segments
	// for the final merge (BenchmarkBuild/100000: +10 %). The memory is
	// only held while a reload writes.
	pendingBytes = 64 << 20
)

// tune sets an FTS5 configuration option of the paragraph index.
func tune(ctx context.Context, tx *sql.Tx, option string, value int) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO paragraphs_fts(paragraphs_fts, rank) VALUES(?, ?)", option, value)
	if err != nil {
		return fmt.Errorf("set %s: %w", option, translate(err))
	}
	return nil
}

// apply writes one read file into the index and the report.
func apply(ctx context.Context, tx *sql.Tx, ins *inserts, r parsed, known map[string]indexedDoc, deltas map[string]int, rep *Report) error {
	old, existed := known[r.path]
	switch {
	case r.skip != "":
		rep.Skipped = append(rep.Skipped, Skip{Path: r.path, Reason: r.skip})
		if existed {
			// A file that became unreadable leaves the index rather than
			// being cited with text it no longer has.
			n, err := deleteDocument(ctx, tx, old.id, deltas)
			if err != nil {
				return fmt.Errorf("remove %s: %w", r.path, err)
			}
			rep.Removed = append(rep.Removed, r.path)
			rep.ParagraphsRemoved += n
		}
		return nil
	case existed && old.sum == r.sum:
		// Same content, new modification time: remember it, so the next
		// reload does not read the file again.
		rep.Unchanged++
		_, err := tx.ExecContext(ctx, "UPDATE documents SET mtime_ns = ?, size = ? WHERE id = ?", r.mtime, r.size, old.id)
		return translate(err)
	case existed:
		n, err := deleteDocument(ctx, tx, old.id, deltas)
		if err != nil {
			return fmt.Errorf("replace %s: %w", r.path, err)
		}
		rep.ParagraphsRemoved += n
		rep.Changed = append(rep.Changed, r.path)
	default:
		rep.Added = append(rep.Added, r.path)
	}
	if err := ins.document(ctx, r, deltas); err != nil {
		return fmt.Errorf("index %s: %w", r.path, err)
	}
	rep.ParagraphsAdded += len(r.doc.Paragraphs)
	return nil
}

// parsed is a corpus file read and analysed, or the reason it was skipped.
type parsed struct {
	path  string
	sum   string
	size  int64
	mtime int64
	skip  string
	doc   document
	terms []string // analysed text of each paragraph
	title string   // analysed title
	// counts is how many of the file's paragraphs hold each term, counted
	// by the reader so that the single writer only merges them.
	counts map[string]int
}

// ingestBatch is how many files are read and analysed together.
const ingestBatch = 64

// ingest reads and analyses files on all cores, a batch ahead of apply,
// which writes them in the order of files so that the index is built
// deterministically. Files whose hash matches the index are not analysed.
func (d *DB) ingest(ctx context.Context, fsys fs.FS, files []corpusFile, known map[string]indexedDoc, apply func(parsed) error, progress Progress) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []parsed, 1)
	go func() {
		defer close(batches)
		for i := 0; i < len(files); i += ingestBatch {
			if ctx.Err() != nil {
				return
			}
			batch := d.readBatch(fsys, files[i:min(i+ingestBatch, len(files))], known)
			select {
			case batches <- batch:
			case <-ctx.Done():
				return
			}
		}
	}()
	done, paragraphs := 0, 0
	for batch := range batches {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, r := range batch {
			if err := apply(r); err != nil {
				return err
			}
			paragraphs += len(r.doc.Paragraphs)
		}
		done += len(batch)
		if progress != nil {
			progress(done, len(files), paragraphs)
		}
	}
	return ctx.Err()
}

// readBatch reads and analyses files in parallel, keeping their order.
func (d *DB) readBatch(fsys fs.FS, files []corpusFile, known map[string]indexedDoc) []parsed {
	out := make([]parsed, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for j := range next {
				out[j] = d.readFile(fsys, files[j], known)
			}
		})
	}
	for j := range files {
		next <- j
	}
	close(next)
	wg.Wait()
	return out
}

// readFile reads, checks and analyses one corpus file. It never fails:
// a file that cannot be indexed comes back with the reason.
func (d *DB) readFile(fsys fs.FS, f corpusFile, known map[string]indexedDoc) parsed {
	r := parsed{path: f.path, mtime: f.mtime}
	data, err := readLimited(fsys, f.path)
	if err != nil {
		r.skip = err.Error()
		return r
	}
	r.size = int64(len(data))
	h := sha256.Sum256(data)
	r.sum = hex.EncodeToString(h[:])
	if old, ok := known[f.path]; ok && old.sum == r.sum {
		return r
	}
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		r.skip = "empty"
		return r
	case bytes.IndexByte(data, 0) >= 0:
		r.skip = "binary (contains NUL bytes)"
		return r
	case !utf8.Valid(data):
		r.skip = "not valid UTF-8"
		return r
	}
	text := string(bytes.TrimPrefix(data, []byte("\uFEFF")))
	forIndex := func(s string) string { return s }
	switch strings.ToLower(path.Ext(f.path)) {
	case ".md", ".markdown":
		forIndex = stripMarkdown
		r.doc = parseText(text)
	case ".html", ".htm":
		r.doc = parseHTML(text)
	default:
		r.doc = parseText(text)
	}
	if len(r.doc.Paragraphs) == 0 {
		r.skip = "no text (only blank, junk or boilerplate lines)"
		return r
	}
	r.title, _ = d.an.IndexTerms(forIndex(r.doc.Title))
	r.terms = make([]string, len(r.doc.Paragraphs))
	r.counts = make(map[string]int)
	for i, p := range r.doc.Paragraphs {
		r.terms[i], _ = d.an.IndexTerms(forIndex(p.Text))
		countTerms(r.terms[i], r.counts, +1)
	}
	return r
}

var errTooLarge = errors.New("too large")

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, errors.New(openReason(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		// The reason without the path, which the report already names.
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		return nil, fmt.Errorf("unreadable: %v", err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%w (over %d MiB)", errTooLarge, MaxFileBytes>>20)
	}
	return data, nil
}

// openReason says in a few words why a corpus file could not be opened.
func openReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "unreadable: permission denied"
	case errors.Is(err, fs.ErrNotExist):
		return "unreadable: broken link or removed while reading"
	case strings.Contains(err.Error(), "escapes"):
		return "link leads outside the corpus"
	}
	return "unreadable"
}

func loadDocuments(ctx context.Context, tx *sql.Tx) (map[string]indexedDoc, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, path, sha256, size, mtime_ns FROM documents")
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	known := make(map[string]indexedDoc)
	for rows.Next() {
		var p string
		var doc indexedDoc
		if err := rows.Scan(&doc.id, &p, &doc.sum, &doc.size, &doc.mtime); err != nil {
			return nil, err
		}
		known[p] = doc
	}
	return known, translate(rows.Err())
}

// deleteDocument removes a document, its paragraphs and their FTS rows,
// counting the terms it takes away. It returns how many paragraphs went.
func deleteDocument(ctx context.Context, tx *sql.Tx, id int64, deltas map[string]int) (int, error) {
	rows, err := tx.QueryContext(ctx, "SELECT f.body FROM paragraphs p JOIN paragraphs_fts f ON f.rowid = p.id WHERE p.document_id = ?", id)
	if err != nil {
		return 0, translate(err)
	}
	n := 0
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			rows.Close()
			return 0, err
		}
		countTerms(body, deltas, -1)
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, translate(err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM paragraphs_fts WHERE rowid IN (SELECT id FROM paragraphs WHERE document_id = ?)", id); err != nil {
		return 0, translate(err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM documents WHERE id = ?", id); err != nil {
		return 0, translate(err)
	}
	return n, nil
}

// inserts holds the statements a reload runs for every paragraph,
// prepared once.
type inserts struct {
	doc, para, fts *sql.Stmt
}

func prepareInserts(ctx context.Context, tx *sql.Tx) (*inserts, error) {
	var ins inserts
	var err error
	for _, p := range []struct {
		dst  **sql.Stmt
		stmt string
	}{
		{&ins.doc, "INSERT INTO documents(path, title, sha256, size, mtime_ns, indexed_at) VALUES(?, ?, ?, ?, ?, ?)"},
		{&ins.para, "INSERT INTO paragraphs(document_id, n, line_start, line_end, text) VALUES(?, ?, ?, ?, ?)"},
		{&ins.fts, "INSERT INTO paragraphs_fts(rowid, title, body) VALUES(?, ?, ?)"},
	} {
		if *p.dst, err = tx.PrepareContext(ctx, p.stmt); err != nil {
			ins.close()
			return nil, fmt.Errorf("prepare: %w", translate(err))
		}
	}
	return &ins, nil
}

func (ins *inserts) close() {
	for _, s := range []*sql.Stmt{ins.doc, ins.para, ins.fts} {
		if s != nil {
			s.Close()
		}
	}
}

// document inserts a parsed file, its paragraphs and their FTS rows.
func (ins *inserts) document(ctx context.Context, r parsed, deltas map[string]int) error {
	res, err := ins.doc.ExecContext(ctx, r.path, r.doc.Title, r.sum, r.size, r.mtime, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return translate(err)
	}
	docID, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for i, p := range r.doc.Paragraphs {
		res, err := ins.para.ExecContext(ctx, docID, p.N, p.LineStart, p.LineEnd, p.Text)
		if err != nil {
			return translate(err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if _, err := ins.fts.ExecContext(ctx, id, r.title, r.terms[i]); err != nil {
			return translate(err)
		}
	}
	for t, n := range r.counts {
		deltas[t] += n
	}
	return nil
}

// countTerms adds sign to the paragraph count of each distinct term in terms.
func countTerms(terms string, deltas map[string]int, sign int) {
	seen := make(map[string]struct{}, 64)
	for t := range strings.FieldsSeq(terms) {
		if _, ok := seen[t]; !ok {
			seen[t] = struct{}{}
			deltas[t] += sign
		}
	}
}

func applyDeltas(ctx context.Context, tx *sql.Tx, deltas map[string]int) error {
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO terms(term, docs) VALUES(?, ?) ON CONFLICT(term) DO UPDATE SET docs = docs + excluded.docs")
	if err != nil {
		return translate(err)
	}
	defer stmt.Close()
	keys := make([]string, 0, len(deltas))
	for t, n := range deltas {
		if n != 0 {
			keys = append(keys, t)
		}
	}
	slices.Sort(keys)
	for _, t := range keys {
		if _, err := stmt.ExecContext(ctx, t, deltas[t]); err != nil {
			return fmt.Errorf("count terms: %w", translate(err))
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM terms WHERE docs <= 0"); err != nil {
		return translate(err)
	}
	return nil
}
