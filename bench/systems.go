package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"citebot/retrieval"
	"citebot/store"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en" // registers "en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr" // registers "fr"
	"github.com/blevesearch/bleve/v2/mapping"
	_ "github.com/mattn/go-sqlite3"
)

// hit is one retrieved paragraph.
type hit struct{ file, text string }

// system is an index under test: built once, then searched.
type system interface {
	build(corpus string) (paragraphs int, err error)
	search(q string) ([]hit, error)
}

const topK = 20

func newSystem(name, dir, lang string) (system, error) {
	switch name {
	case "citebot":
		return &citebotSys{path: filepath.Join(dir, "citebot.db")}, nil
	case "fts5-fair":
		return &ftsSys{path: filepath.Join(dir, "fts5.db"), words: fairWords(retrieval.NewAnalyzer())}, nil
	case "fts5-all":
		return &ftsSys{path: filepath.Join(dir, "fts5.db"), words: allWords}, nil
	case "bleve":
		return &bleveSys{path: filepath.Join(dir, "bleve"), lang: lang}, nil
	}
	return nil, fmt.Errorf("unknown system %q", name)
}

type citebotSys struct {
	path string
	s    *retrieval.Searcher
}

func (c *citebotSys) build(corpus string) (int, error) {
	an := retrieval.NewAnalyzer()
	db, err := store.Open(context.Background(), c.path, an)
	if err != nil {
		return 0, err
	}
	rep, err := db.Reload(context.Background(), os.DirFS(corpus), nil)
	if err != nil {
		return 0, err
	}
	c.s = retrieval.NewSearcher(an, db, retrieval.Options{})
	return rep.Paragraphs, checkpointFile(c.path)
}

func (c *citebotSys) search(q string) ([]hit, error) {
	res, err := c.s.Search(context.Background(), q, topK)
	if err != nil && err != retrieval.ErrEmptyQuery {
		return nil, err
	}
	var out []hit
	for _, p := range res.Passages {
		out = append(out, hit{p.File, p.Text})
	}
	return out, nil
}

// ftsSys is SQLite FTS5 as shipped: unicode61 with diacritics removed, no
// stemming, bm25, the question's words (as words picks them) quoted and
// OR-ed.
type ftsSys struct {
	path  string
	words func(question string) []string
	db    *sql.DB
	stmt  *sql.Stmt
}

// fairWords is the fair baseline's choice of words: citebot's own word
// splitting and stop lists (French and English), at most its 32 distinct
// words, so that FTS5 is asked the question citebot starts from, before
// stemming, expansion and pruning.
func fairWords(an *retrieval.Analyzer) func(string) []string {
	return func(q string) []string {
		var ws []string
		for _, t := range an.ParseQuery(q).Terms {
			ws = append(ws, t.Word)
		}
		return ws
	}
}

// allWords is every run of letters and digits, stop words included: it
// makes FTS5 score most of the index, so it is a strawman, kept to compare
// with older tables.
func allWords(q string) []string {
	return strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func (f *ftsSys) build(corpus string) (int, error) {
	ps, err := paragraphs(corpus)
	if err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite3", "file:"+f.path+"?_journal_mode=WAL&_synchronous=NORMAL")
	if err != nil {
		return 0, err
	}
	f.db = db
	if _, err := db.Exec("CREATE VIRTUAL TABLE p USING fts5(file UNINDEXED, text, tokenize='unicode61 remove_diacritics 2')"); err != nil {
		return 0, err
	}
	tx, err := db.Begin()
	if err != nil {
		return 0, err
	}
	ins, err := tx.Prepare("INSERT INTO p(file, text) VALUES(?, ?)")
	if err != nil {
		return 0, err
	}
	for _, p := range ps {
		if _, err := ins.Exec(p.File, p.Text); err != nil {
			return 0, err
		}
	}
	ins.Close()
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	if _, err := db.Exec("INSERT INTO p(p) VALUES('optimize')"); err != nil {
		return 0, err
	}
	if err := checkpoint(db); err != nil {
		return 0, err
	}
	f.stmt, err = db.Prepare("SELECT file, text FROM p WHERE p MATCH ? ORDER BY rank LIMIT ?")
	return len(ps), err
}

func (f *ftsSys) search(q string) ([]hit, error) {
	var terms []string
	for _, w := range f.words(q) {
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	if len(terms) == 0 {
		return nil, nil
	}
	rows, err := f.stmt.Query(strings.Join(terms, " OR "), topK)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.file, &h.text); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// checkpoint copies the WAL into the database and truncates it, so that
// an index's size is its own and not that of its last write's log (at
// 100k paragraphs the WAL after a build is as large as the index).
func checkpoint(db *sql.DB) error {
	var busy, log, done int
	if err := db.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &log, &done); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("checkpoint: busy (%d of %d pages)", done, log)
	}
	return nil
}

// checkpointFile is checkpoint through a connection of its own, for a
// database whose owner does not expose one.
func checkpointFile(path string) error {
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	return checkpoint(db)
}

// bleveSys is Bleve with its French or English analyser.
type bleveSys struct {
	path, lang string
	idx        bleve.Index
	texts      map[string]hit
}

func (b *bleveSys) build(corpus string) (int, error) {
	ps, err := paragraphs(corpus)
	if err != nil {
		return 0, err
	}
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = b.lang
	doc := mapping.NewDocumentMapping()
	text := mapping.NewTextFieldMapping()
	text.Analyzer = b.lang
	text.Store = false
	doc.AddFieldMappingsAt("text", text)
	m.DefaultMapping = doc
	idx, err := bleve.New(b.path, m)
	if err != nil {
		return 0, err
	}
	b.idx = idx
	b.texts = make(map[string]hit, len(ps))
	batch := idx.NewBatch()
	for i, p := range ps {
		id := fmt.Sprint(i)
		b.texts[id] = hit{p.File, p.Text}
		if err := batch.Index(id, map[string]string{"text": p.Text}); err != nil {
			return 0, err
		}
		if batch.Size() >= 1000 {
			if err := idx.Batch(batch); err != nil {
				return 0, err
			}
			batch = idx.NewBatch()
		}
	}
	return len(ps), idx.Batch(batch)
}

func (b *bleveSys) search(q string) ([]hit, error) {
	mq := bleve.NewMatchQuery(q)
	mq.SetField("text")
	req := bleve.NewSearchRequestOptions(mq, topK, 0, false)
	res, err := b.idx.Search(req)
	if err != nil {
		return nil, err
	}
	var out []hit
	for _, h := range res.Hits {
		out = append(out, b.texts[h.ID])
	}
	return out, nil
}

// result is one system's line of the table.
type result struct {
	Set, System             string
	Paragraphs, Questions   int
	R1, R5, R20, MRR        float64
	BuildSec, Rate, IndexMB float64
	P50, P95, P99, PeakMB   float64
}

// measure builds one system, says "ready" on out, then answers the
// questions whose numbers it reads from in, one "ok" line each, in the
// order the parent chooses (interleaved with the other systems' turns, so
// that the machine's load weighs on every system alike), and returns its
// line of the table when in ends.
func measure(o options, in io.Reader, out io.Writer) (result, error) {
	dir := filepath.Join(o.work, o.only)
	if !o.reuse || o.only != "citebot" {
		os.RemoveAll(dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return result{}, err
	}
	sys, err := newSystem(o.only, dir, o.lang)
	if err != nil {
		return result{}, err
	}
	qs, err := readQuestions(o.questions)
	if err != nil {
		return result{}, err
	}
	began := time.Now()
	n, err := sys.build(o.corpus)
	if err != nil {
		return result{}, fmt.Errorf("build %s: %w", o.only, err)
	}
	r := result{System: o.only, Paragraphs: n, Questions: len(qs), BuildSec: time.Since(began).Seconds()}
	r.Rate = float64(n) / r.BuildSec
	r.IndexMB = float64(dirSize(dir)) / (1 << 20)
	fmt.Fprintln(out, "ready")
	var lat []time.Duration
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		i, err := strconv.Atoi(sc.Text())
		if err != nil || i < 0 || i >= len(qs) {
			return r, fmt.Errorf("question number %q", sc.Text())
		}
		q := qs[i]
		t := time.Now()
		hits, err := sys.search(q.Question)
		lat = append(lat, time.Since(t))
		if err != nil {
			return r, fmt.Errorf("search %q: %w", q.Question, err)
		}
		r.score(q, hits)
		fmt.Fprintln(out, "ok")
	}
	if err := sc.Err(); err != nil {
		return r, err
	}
	if len(lat) == 0 {
		return r, fmt.Errorf("no questions asked")
	}
	total := float64(len(lat))
	r.Questions = len(lat)
	r.R1, r.R5, r.R20, r.MRR = r.R1/total, r.R5/total, r.R20/total, r.MRR/total
	slices.Sort(lat)
	pct := func(p int) float64 { return float64(lat[len(lat)*p/100].Microseconds()) / 1000 }
	r.P50, r.P95, r.P99 = pct(50), pct(95), pct(99)
	r.PeakMB = peakMB()
	return r, nil
}

// score adds one question's hits to the recall and MRR sums.
func (r *result) score(q question, hits []hit) {
	for i, h := range hits {
		if q.hit(h.file, h.text) {
			r.MRR += 1 / float64(i+1)
			if i < 1 {
				r.R1++
			}
			if i < 5 {
				r.R5++
			}
			r.R20++
			return
		}
	}
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// peakMB is this process's peak resident memory (VmHWM).
func peakMB() float64 {
	data, _ := os.ReadFile("/proc/self/status")
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb / 1024
		}
	}
	return 0
}
