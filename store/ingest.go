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
	Added     []string `json:"added"`
	Changed   []string `json:"changed"`
	Removed   []string `json:"removed"`
	Unchanged int      `json:"unchanged"`
	Skipped   []Skip   `json:"skipped"`
	// Truncated names files cut at MaxParagraphs.
	Truncated []Skip `json:"truncated,omitempty"`
	// Limits says, in a line each, which memory and size limits bit.
	Limits            []string      `json:"limits,omitempty"`
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
// the reload itself (cancellation included, as ErrInterrupted) leaves the
// previous index as it was. Reload does not check which corpus the index
// belongs to: Sync does.
func (d *DB) Reload(ctx context.Context, fsys fs.FS, progress Progress) (Report, error) {
	rep, err := d.update(ctx, Source{FS: fsys}, SyncOptions{Progress: progress}, false)
	if err == nil {
		d.truncateWAL(ctx, rep)
	}
	return rep, err
}

// update is Reload, and with claimIt Sync.
func (d *DB) update(ctx context.Context, src Source, opt SyncOptions, claimIt bool) (Report, error) {
	if d.w == nil {
		return Report{}, fmt.Errorf("reload: %w", ErrReadOnly)
	}
	if !d.reloadMu.TryLock() {
		return Report{}, ErrReloadRunning
	}
	defer d.reloadMu.Unlock()
	began := time.Now()
	// The lock first: a reader that finds another process writing gives
	// up at once, without walking the corpus.
	tx, done, err := d.begin(ctx, opt.wait())
	if err != nil {
		return Report{}, fmt.Errorf("reload: %w", interrupted(ctx, err))
	}
	defer done()
	defer tx.Rollback()
	ls, err := listCorpus(src.FS)
	if err != nil {
		return Report{}, fmt.Errorf("reload: %w", err)
	}
	if claimIt {
		if err := claim(ctx, tx, src.Name, opt.Rebuild); err != nil {
			return Report{}, fmt.Errorf("reload: %w", interrupted(ctx, err))
		}
	}
	rep, err := d.reload(ctx, tx, src.FS, ls.files, began, opt.Progress)
	if err == nil {
		err = saveFolders(ctx, tx, ls.folders, began)
	}
	if err != nil {
		return Report{}, fmt.Errorf("reload: %w", interrupted(ctx, err))
	}
	rep.Skipped = append(ls.skipped, rep.Skipped...)
	slices.SortFunc(rep.Skipped, func(a, b Skip) int { return strings.Compare(a.Path, b.Path) })
	if err := tx.Commit(); err != nil {
		return Report{}, fmt.Errorf("reload: commit: %w", interrupted(ctx, translate(err)))
	}
	rep.Duration = time.Since(began)
	return rep, nil
}

// walTruncateWait bounds the checkpoint after a large reload: a reader in
// the way only leaves the log for the next one.
const walTruncateWait = 5 * time.Second

// truncateWAL shrinks the write-ahead log after a large reload, which
// leaves it as large as the index (165 MB at 100k paragraphs): SQLite's
// own checkpoints copy it back but never shrink it. Best effort, through
// the writer, once the reload's locks are released.
func (d *DB) truncateWAL(ctx context.Context, rep Report) {
	if rep.ParagraphsAdded+rep.ParagraphsRemoved <= rep.Paragraphs/optimizeShare {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, walTruncateWait)
	defer cancel()
	d.w.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
}

// interrupted says that a failure caused by ctx's end left the index
// as it was: the transaction is rolled back.
func interrupted(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%w)", ErrInterrupted, ctx.Err())
	}
	return err
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
	remembered, err := loadSkipped(ctx, tx)
	if err != nil {
		return rep, err
	}
	var skips []skipped // to remember for the next reload
	var split splitCount
	deltas := make(map[string]int)
	listed := make(map[string]bool, len(files))
	var work []corpusFile
	for _, f := range files {
		listed[f.path] = true
		if doc, ok := known[f.path]; ok && doc.unchanged(f) {
			rep.Unchanged++
			continue
		}
		if s, ok := remembered[f.path]; ok && s.unchanged(f) {
			rep.Skipped = append(rep.Skipped, Skip{Path: f.path, Reason: s.reason})
			skips = append(skips, s)
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
	cuts, added, err := d.ingest(ctx, fsys, work, known, func(r parsed) error {
		if r.skip != "" && r.remember {
			skips = append(skips, skipped{path: r.path, size: r.size, mtime: r.mtime, reason: r.skip})
		}
		if r.doc.Truncated {
			rep.Truncated = append(rep.Truncated, Skip{Path: r.path, Reason: fmt.Sprintf("only the first %d paragraphs indexed", MaxParagraphs)})
		}
		if r.doc.Split > 0 {
			split.files++
			split.paragraphs += r.doc.Split
		}
		return apply(ctx, tx, ins, r, known, deltas, &rep)
	}, progress)
	if err != nil {
		return rep, err
	}
	if err := saveSkipped(ctx, tx, skips); err != nil {
		return rep, err
	}
	rep.Limits = limits(rep.Truncated, split, cuts)
	for t, n := range added {
		deltas[t] += n
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
	if rep.Modified() {
		// Processes sharing the file drop what they remember of the
		// index's terms when this changes (see termCache).
		meta["generation"] = newGeneration()
	}
	for k, v := range meta {
		if _, err := tx.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", k, v); err != nil {
			return rep, translate(err)
		}
	}
	// An index written before generations existed gets its first one.
	if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO meta(key, value) VALUES('generation', ?)", newGeneration()); err != nil {
		return rep, translate(err)
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
	if err := ins.document(ctx, r); err != nil {
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
	// remember is set when the file was skipped for what it holds, so
	// that it is not read again while its size and time stay the same.
	remember bool
	doc      document
	terms    []string // analysed text of each paragraph
	title    string   // analysed title
}

const (
	// ingestBatch is how many files are read and analysed together.
	ingestBatch = 64
	// MaxBatchBytes bounds the bytes of the files in one batch: a batch is
	// analysed while the one before it is written, so at most two batches'
	// text, and what analysis makes of it, are held at once. A file larger
	// than this is a batch of its own.
	MaxBatchBytes = 16 << 20
)

// batches cuts files into consecutive batches of at most ingestBatch files
// and MaxBatchBytes bytes, and counts the batches that the bytes cut.
func batches(files []corpusFile) (out [][]corpusFile, cuts int) {
	for i := 0; i < len(files); {
		j, size := i, int64(0)
		for j < len(files) && j-i < ingestBatch && (j == i || size+files[j].size <= MaxBatchBytes) {
			size += files[j].size
			j++
		}
		if j < len(files) && j-i < ingestBatch {
			cuts++
		}
		out = append(out, files[i:j])
		i = j
	}
	return out, cuts
}

// splitCount counts paragraphs cut at MaxParagraphBytes, and their files.
type splitCount struct{ files, paragraphs int }

// limits describes, a line each, the limits that bit during a reload.
func limits(truncated []Skip, split splitCount, cuts int) []string {
	var out []string
	if split.paragraphs > 0 {
		out = append(out, fmt.Sprintf("%d paragraph(s) in %d file(s) were longer than %d KiB: each is indexed in pieces of at most that size",
			split.paragraphs, split.files, MaxParagraphBytes>>10))
	}
	if n := len(truncated); n > 0 {
		out = append(out, fmt.Sprintf("%d file(s) held more than %d paragraphs: only the first %d of each are indexed (first: %s)",
			n, MaxParagraphs, MaxParagraphs, truncated[0].Path))
	}
	if cuts > 0 {
		out = append(out, fmt.Sprintf("large files were analysed in %d smaller groups, at most %d MiB at a time, to bound memory",
			cuts, MaxBatchBytes>>20))
	}
	return out
}

// ingest reads and analyses files on all cores, a batch ahead of apply,
// which writes them in the order of files so that the index is built
// deterministically. Files whose hash matches the index are not analysed.
// It returns how many batches MaxBatchBytes cut, and how many paragraphs
// of the files it analysed, every one of which apply wrote, hold each
// term.
func (d *DB) ingest(ctx context.Context, fsys fs.FS, files []corpusFile, known map[string]indexedDoc, apply func(parsed) error, progress Progress) (int, map[string]int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work, cuts := batches(files)
	// The readers count terms as they analyse: the single writer, which
	// the build waits on, only writes.
	counters := make([]termCounter, runtime.GOMAXPROCS(0))
	// Unbuffered: the next batch is read while this one is written, and
	// no further.
	ready := make(chan []parsed)
	go func() {
		defer close(ready)
		for _, b := range work {
			if ctx.Err() != nil {
				return
			}
			batch := d.readBatch(fsys, b, known, counters)
			select {
			case ready <- batch:
			case <-ctx.Done():
				return
			}
		}
	}()
	done, paragraphs := 0, 0
	for batch := range ready {
		if err := ctx.Err(); err != nil {
			return cuts, nil, err
		}
		for i := range batch {
			if err := apply(batch[i]); err != nil {
				return cuts, nil, err
			}
			paragraphs += len(batch[i].doc.Paragraphs)
			batch[i] = parsed{} // its text is written: let it go
		}
		done += len(batch)
		if progress != nil {
			progress(done, len(files), paragraphs)
		}
	}
	if err := ctx.Err(); err != nil {
		return cuts, nil, err
	}
	// ready is closed: the readers are done with the counters.
	return cuts, mergeCounts(counters), nil
}

// readBatch reads and analyses files in parallel, keeping their order.
// Reader j counts terms in counters[j].
func (d *DB) readBatch(fsys fs.FS, files []corpusFile, known map[string]indexedDoc, counters []termCounter) []parsed {
	out := make([]parsed, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range min(len(counters), len(files)) {
		c := &counters[w]
		wg.Go(func() {
			for j := range next {
				out[j] = d.readFile(fsys, files[j], known, c)
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

// readFile reads, checks and analyses one corpus file, counting the terms
// of its paragraphs in c. It never fails: a file that cannot be indexed
// comes back with the reason.
func (d *DB) readFile(fsys fs.FS, f corpusFile, known map[string]indexedDoc, c *termCounter) parsed {
	r := parsed{path: f.path, mtime: f.mtime, size: f.size}
	if f.size > MaxFileBytes {
		r.skip, r.remember = tooLarge, true
		return r
	}
	data, err := readLimited(fsys, f.path, f.size)
	if errors.Is(err, errTooLarge) {
		r.skip, r.remember = tooLarge, true
		return r
	}
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
	if r.skip = unreadableText(data); r.skip != "" {
		r.remember = true
		return r
	}
	text := string(bytes.TrimPrefix(data, []byte("\uFEFF")))
	forIndex := func(s string) string { return s }
	switch strings.ToLower(path.Ext(f.path)) {
	case ".md", ".markdown":
		forIndex = stripMarkdown
		r.doc = parseMarkdown(text)
	case ".html", ".htm":
		r.doc = parseHTML(text)
	default:
		r.doc = parseText(text)
	}
	if len(r.doc.Paragraphs) == 0 {
		r.skip, r.remember = "no text (only blank, junk or boilerplate lines)", true
		return r
	}
	r.title, _ = d.an.IndexTerms(forIndex(r.doc.TitleText))
	r.terms = make([]string, len(r.doc.Paragraphs))
	for i, p := range r.doc.Paragraphs {
		c.stems, _ = d.an.AppendIndexTerms(c.stems[:0], forIndex(p.Text))
		r.terms[i] = strings.Join(c.stems, " ")
		c.paragraph(c.stems)
	}
	return r
}

// termCounter counts, for each term, the paragraphs that hold it. One
// reader uses it at a time.
type termCounter struct {
	terms map[string]*termCount
	n     int      // paragraphs counted
	stems []string // the paragraph being analysed, reused
}

type termCount struct {
	paragraphs int
	last       int // the paragraph that counted it last, from 1
}

// paragraph counts the distinct terms among stems as one more paragraph:
// one map look-up per term, and none to split the joined text again.
func (c *termCounter) paragraph(stems []string) {
	if c.terms == nil {
		c.terms = make(map[string]*termCount)
	}
	c.n++
	for _, t := range stems {
		tc := c.terms[t]
		if tc == nil {
			tc = &termCount{}
			c.terms[t] = tc
		}
		if tc.last != c.n {
			tc.last = c.n
			tc.paragraphs++
		}
	}
}

// mergeCounts sums the counters' paragraph counts.
func mergeCounts(counters []termCounter) map[string]int {
	out := make(map[string]int, len(counters[0].terms))
	for _, c := range counters {
		for t, tc := range c.terms {
			out[t] += tc.paragraphs
		}
	}
	return out
}

var (
	errTooLarge = errors.New("too large")
	tooLarge    = fmt.Sprintf("too large (over %d MiB)", MaxFileBytes>>20)
)

// unreadableText says why data is not text citebot can index, or "".
func unreadableText(data []byte) string {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return "empty"
	case isUTF16(data):
		return "UTF-16 text: save it as UTF-8 to index it"
	case bytes.IndexByte(data, 0) >= 0:
		return "binary (contains NUL bytes)"
	case !utf8.Valid(data):
		return "not valid UTF-8"
	}
	return ""
}

// isUTF16 reports whether data looks like UTF-16 text: a byte order mark,
// or mostly ASCII text with a NUL byte beside every character, as
// Windows's "Unicode" text files are.
func isUTF16(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return true
	}
	n := min(len(data), 4096) &^ 1
	if n < 4 {
		return false
	}
	var zeros [2]int
	for i := range n {
		if data[i] == 0 {
			zeros[i%2]++
		}
	}
	half := n / 2
	return (zeros[0] > half*9/10 && zeros[1] == 0) || (zeros[1] > half*9/10 && zeros[0] == 0)
}

// readLimited reads a file of about size bytes, and at most MaxFileBytes,
// in one allocation.
func readLimited(fsys fs.FS, name string, size int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, errors.New(openReason(err))
	}
	defer f.Close()
	var buf bytes.Buffer
	buf.Grow(int(min(max(size, 0), MaxFileBytes)) + bytes.MinRead + 1)
	_, err = buf.ReadFrom(io.LimitReader(f, MaxFileBytes+1))
	data := buf.Bytes()
	if err != nil {
		// The reason without the path, which the report already names.
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		return nil, fmt.Errorf("unreadable: %v", err)
	}
	if len(data) > MaxFileBytes {
		return nil, errTooLarge
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
		{&ins.doc, `INSERT INTO documents(path, title, title_key, date, source, url, sha256, size, mtime_ns, indexed_at)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&ins.para, "INSERT INTO paragraphs(document_id, n, line_start, line_end, text) VALUES(?, ?, ?, ?, ?)"},
		{&ins.fts, "INSERT INTO paragraphs_fts(rowid, title, body, doc, n) VALUES(?, ?, ?, ?, ?)"},
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
func (ins *inserts) document(ctx context.Context, r parsed) error {
	d := r.doc
	res, err := ins.doc.ExecContext(ctx, r.path, d.Headline, foldKey(d.Headline), d.Date, d.Source, d.URL,
		r.sum, r.size, r.mtime, time.Now().UTC().Format(time.RFC3339))
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
		if _, err := ins.fts.ExecContext(ctx, id, r.title, r.terms[i], docID, p.N); err != nil {
			return translate(err)
		}
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

// skipped is a file a reload read and found not indexable for what it
// holds.
type skipped struct {
	path   string
	size   int64
	mtime  int64
	reason string
}

// unchanged reports whether f is, by size and a trusted modification
// time, the file that was skipped.
func (s skipped) unchanged(f corpusFile) bool {
	return s.mtime != 0 && s.mtime == f.mtime && s.size == f.size
}

func loadSkipped(ctx context.Context, tx *sql.Tx) (map[string]skipped, error) {
	rows, err := tx.QueryContext(ctx, "SELECT path, size, mtime_ns, reason FROM skipped")
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := make(map[string]skipped)
	for rows.Next() {
		var s skipped
		if err := rows.Scan(&s.path, &s.size, &s.mtime, &s.reason); err != nil {
			return nil, translate(err)
		}
		out[s.path] = s
	}
	return out, translate(rows.Err())
}

func saveSkipped(ctx context.Context, tx *sql.Tx, skips []skipped) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM skipped"); err != nil {
		return fmt.Errorf("remember skipped files: %w", translate(err))
	}
	for _, s := range skips {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO skipped(path, size, mtime_ns, reason) VALUES(?, ?, ?, ?)",
			s.path, s.size, s.mtime, s.reason); err != nil {
			return fmt.Errorf("remember skipped files: %w", translate(err))
		}
	}
	return nil
}
