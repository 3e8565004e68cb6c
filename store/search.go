package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"citebot/retrieval"
)

// searchSQL ranks inside FTS5 (ORDER BY rank with a LIMIT lets FTS5 keep
// only the best rows) and reads what re-ranking needs from the same
// table: stems, document and number. Files are named from the documents'
// cache; the text and article metadata are read by passagesSQL for the
// passages kept only.
const searchSQL = `
SELECT rowid, doc, n, body, -rank FROM paragraphs_fts
WHERE paragraphs_fts MATCH ? ORDER BY rank LIMIT ?`

// Search returns up to limit candidates that m matches, best BM25 score
// first, ties in file and paragraph order.
func (d *DB) Search(ctx context.Context, m retrieval.Match, limit int) ([]retrieval.Candidate, error) {
	match := ftsMatch(m)
	if match == "" {
		return nil, nil
	}
	rows, err := d.sql.QueryContext(ctx, searchSQL, match, limit)
	if err != nil {
		return nil, fmt.Errorf("match %q: %w", match, translate(err))
	}
	defer rows.Close()
	out := make([]retrieval.Candidate, 0, min(limit, 64))
	docs := make([]int64, 0, min(limit, 64))
	for rows.Next() {
		// Scanned in place: a variable per row would escape, one
		// allocation each.
		out = append(out, retrieval.Candidate{})
		docs = append(docs, 0)
		c := &out[len(out)-1]
		if err := rows.Scan(&c.ID, &docs[len(docs)-1], &c.Paragraph, &c.Terms, &c.Score); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("match %q: %w", match, translate(err))
	}
	rows.Close()
	paths, err := d.terms.docPaths(ctx, docs, d.documentPaths)
	if err != nil {
		return nil, fmt.Errorf("match %q: %w", match, err)
	}
	for i := range out {
		out[i].File = paths[docs[i]]
	}
	slices.SortStableFunc(out, func(a, b retrieval.Candidate) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.File, b.File), cmp.Compare(a.Paragraph, b.Paragraph))
	})
	return out, nil
}

// documentPaths reads the paths of documents ids.
func (d *DB) documentPaths(ctx context.Context, ids []int64) (map[int64]string, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q := "SELECT id, path FROM documents WHERE id IN (?" + strings.Repeat(",?", len(ids)-1) + ")"
	rows, err := d.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("document paths: %w", translate(err))
	}
	defer rows.Close()
	out := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, translate(rows.Err())
}

// ftsMatch renders m as an FTS5 MATCH expression: each term a quoted
// string, so that nothing in it acts as FTS5 syntax, the alternatives of
// a clause OR-ed, and the clauses AND-ed. A term holding a NUL, which
// SQLite would read as the end of the expression, cannot be indexed and
// is left out; a clause left without terms matches nothing, and so does
// the expression: "".
func ftsMatch(m retrieval.Match) string {
	var b strings.Builder
	for i, c := range m.All {
		if i > 0 {
			b.WriteString(" AND ")
		}
		if len(m.All) > 1 {
			b.WriteByte('(')
		}
		n := 0
		for _, t := range c {
			if t == "" || strings.IndexByte(t, 0) >= 0 {
				continue
			}
			if n > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString(quoteFTS(t))
			n++
		}
		if n == 0 {
			return ""
		}
		if len(m.All) > 1 {
			b.WriteByte(')')
		}
	}
	return b.String()
}

// quoteFTS makes s an FTS5 string literal: wrapped in double quotes, with
// embedded double quotes doubled.
func quoteFTS(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// passagesSQL reads paragraphs in full, given the ids as passagesSQL's
// placeholder list.
const passagesSQL = `
SELECT p.id, d.path, p.n, p.line_start, p.line_end, d.title, d.date, d.source, d.url, p.text, f.body
FROM paragraphs p
JOIN documents d ON d.id = p.document_id
JOIN paragraphs_fts f ON f.rowid = p.id
WHERE p.id IN (%s)`

// Passages returns the paragraphs of ids, as Search found them, with their
// text and their article's metadata, keyed by id. An id no longer indexed
// is left out.
func (d *DB) Passages(ctx context.Context, ids []int64) (map[int64]retrieval.Passage, error) {
	out := make(map[int64]retrieval.Passage, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q := fmt.Sprintf(passagesSQL, "?"+strings.Repeat(",?", len(ids)-1))
	rows, err := d.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read paragraphs %v: %w", ids, translate(err))
	}
	defer rows.Close()
	var id int64
	var p retrieval.Passage
	for rows.Next() {
		if err := rows.Scan(&id, &p.File, &p.Paragraph, &p.LineStart, &p.LineEnd, &p.Title, &p.Date, &p.Source, &p.URL, &p.Text, &p.Terms); err != nil {
			return nil, err
		}
		out[id] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read paragraphs %v: %w", ids, translate(err))
	}
	return out, nil
}

// DocFreqs reports how many paragraphs hold each of terms, and how many
// paragraphs the index holds.
func (d *DB) DocFreqs(ctx context.Context, terms []string) (map[string]int, int, error) {
	return d.terms.docFreqs(ctx, terms, func(terms []string) (map[string]int, error) {
		return d.docFreqs(ctx, terms)
	})
}

func (d *DB) docFreqs(ctx context.Context, terms []string) (map[string]int, error) {
	freqs := make(map[string]int, len(terms))
	args := make([]any, len(terms))
	for i, t := range terms {
		args[i] = t
	}
	q := "SELECT term, docs FROM terms WHERE term IN (?" + strings.Repeat(",?", len(terms)-1) + ")"
	rows, err := d.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("term counts: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		freqs[t] = n
	}
	return freqs, translate(rows.Err())
}

// nearPrefixRunes is how many leading letters a misspelling must share with
// the indexed term: a bounded range scan instead of the whole vocabulary.
const nearPrefixRunes = 2

// TermsNear lists indexed terms that share term's first letters and are
// within two letters of its length: candidates for a misspelled word.
func (d *DB) TermsNear(ctx context.Context, term string) ([]retrieval.VocabTerm, error) {
	if utf8.RuneCountInString(term) < nearPrefixRunes+1 {
		return nil, nil
	}
	return d.terms.termsNear(ctx, term, func() ([]retrieval.VocabTerm, error) {
		return d.termsNear(ctx, term)
	})
}

func (d *DB) termsNear(ctx context.Context, term string) ([]retrieval.VocabTerm, error) {
	prefix := term
	for i := range term {
		if utf8.RuneCountInString(term[:i]) == nearPrefixRunes {
			prefix = term[:i]
			break
		}
	}
	n := utf8.RuneCountInString(term)
	rows, err := d.sql.QueryContext(ctx,
		"SELECT term, docs FROM terms WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?",
		prefix, prefix+"\U0010FFFF", n-2, n+2)
	if err != nil {
		return nil, fmt.Errorf("terms near %q: %w", term, translate(err))
	}
	defer rows.Close()
	var out []retrieval.VocabTerm
	for rows.Next() {
		var v retrieval.VocabTerm
		if err := rows.Scan(&v.Term, &v.Docs); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, translate(rows.Err())
}

// Paragraph returns one paragraph exactly as indexed, for checking a
// citation. It returns ErrNotFound if the file or paragraph is unknown.
func (d *DB) Paragraph(ctx context.Context, file string, n int) (retrieval.Passage, error) {
	p := retrieval.Passage{File: file, Paragraph: n}
	err := d.sql.QueryRowContext(ctx, `
		SELECT p.line_start, p.line_end, d.title, d.date, d.source, d.url, p.text FROM paragraphs p
		JOIN documents d ON d.id = p.document_id WHERE d.path = ? AND p.n = ?`, file, n).
		Scan(&p.LineStart, &p.LineEnd, &p.Title, &p.Date, &p.Source, &p.URL, &p.Text)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("%s ¶%d: %w", file, n, ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("%s ¶%d: %w", file, n, translate(err))
	}
	return p, nil
}

// Document is an indexed article, as /source's lookup lists it.
type Document struct {
	Path  string
	Title string
}

// Documents lists up to limit indexed articles whose path contains sub
// (case-insensitive) or whose title does (case- and accent-insensitive):
// those whose path, file name or title starts with sub first, then by
// path.
func (d *DB) Documents(ctx context.Context, sub string, limit int) ([]Document, error) {
	key := strings.TrimSuffix(foldKey(sub), "…") // a headline pasted whole
	rows, err := d.sql.QueryContext(ctx, `
		SELECT path, title FROM documents
		WHERE instr(lower(path), lower(?1)) > 0 OR instr(title_key, ?2) > 0
		ORDER BY NOT (substr(title_key, 1, length(?2)) = ?2 OR substr(lower(path), 1, length(?1)) = lower(?1)
			OR instr(lower(path), '/' || lower(?1)) > 0), path
		LIMIT ?3`, sub, key, limit)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", translate(err))
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var doc Document
		if err := rows.Scan(&doc.Path, &doc.Title); err != nil {
			return nil, err
		}
		out = append(out, doc)
	}
	return out, translate(rows.Err())
}

// Stats describes the index.
type Stats struct {
	Documents  int
	Paragraphs int
	ReloadedAt time.Time // zero if never loaded
}

// Stats reports the index's size and when it was last reloaded.
func (d *DB) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	if err := d.sql.QueryRowContext(ctx, "SELECT count(*) FROM documents").Scan(&s.Documents); err != nil {
		return s, fmt.Errorf("stats: %w", translate(err))
	}
	n, err := d.paragraphCount(ctx)
	if err != nil {
		return s, err
	}
	s.Paragraphs = n
	var at string
	err = d.sql.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'reloaded_at'").Scan(&at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return s, fmt.Errorf("stats: %w", translate(err))
	default:
		s.ReloadedAt, _ = time.Parse(time.RFC3339, at)
	}
	return s, nil
}

func (d *DB) paragraphCount(ctx context.Context) (int, error) {
	var v string
	err := d.sql.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'paragraphs'").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("paragraph count: %w", translate(err))
	}
	return strconv.Atoi(v)
}
