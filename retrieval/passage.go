// Package retrieval is citebot's domain core: the passages it cites, the
// analyser shared by indexing and search, query building and ranking.
// It depends on no database, Discord or model package.
package retrieval

import (
	"fmt"
	"strings"
)

// Passage is one paragraph of the corpus as retrieved: the unit of
// retrieval and of citation.
type Passage struct {
	File      string  // path relative to the corpus folder, slash-separated
	Paragraph int     // ¶N: the N-th kept paragraph of File, from 1
	LineStart int     // first line of the paragraph in File, from 1
	LineEnd   int     // last line, inclusive
	Title     string  // the article's title: stated, or made from its opening sentence
	Date      string  // the article's publication date (YYYY-MM-DD when known as such), or ""
	Source    string  // the publication the article comes from, or ""
	URL       string  // the article's address, or ""
	Text      string  // original text, junk lines removed
	Terms     string  // analysed form as indexed (stems separated by spaces)
	Score     float64 // higher is better; comparable within one result only
	BM25      float64 // the index's own score before re-ranking, higher is better
}

// Candidate is a paragraph as the index first ranks it: what re-ranking
// reads, without the text and article metadata that only the few passages
// kept are shown with (Index.Passages reads those).
type Candidate struct {
	ID        int64 // the index's key for the paragraph, for Index.Passages
	File      string
	Paragraph int
	Terms     string  // analysed form as indexed
	Score     float64 // the index's BM25, higher is better
}

// Ref is the short citation form, "file ¶N".
func (p Passage) Ref() string { return fmt.Sprintf("%s ¶%d", p.File, p.Paragraph) }

// Location is the citation with its line range, "file ¶N (lines a–b)".
func (p Passage) Location() string {
	if p.LineStart == p.LineEnd {
		return fmt.Sprintf("%s ¶%d (line %d)", p.File, p.Paragraph, p.LineStart)
	}
	return fmt.Sprintf("%s ¶%d (lines %d–%d)", p.File, p.Paragraph, p.LineStart, p.LineEnd)
}

// Heading names the article for a reader, as plain text: its title, then
// its source and date where known, "Title (Source, 2021-11-24)". It is ""
// when the article has none of them.
func (p Passage) Heading() string {
	var about []string
	for _, s := range []string{p.Source, p.Date} {
		if s != "" {
			about = append(about, s)
		}
	}
	h := p.Title
	if len(about) > 0 {
		h = strings.TrimSpace(h + " (" + strings.Join(about, ", ") + ")")
	}
	return h
}

// Citation ties a label used in an answer ([N]) to the passage it stands for.
type Citation struct {
	N       int // the label's number as shown in the answer
	Passage Passage
}
