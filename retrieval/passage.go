// Package retrieval is citebot's domain core: the passages it cites, the
// analyser shared by indexing and search, query building and ranking.
// It depends on no database, Discord or model package.
package retrieval

import "fmt"

// Passage is one paragraph of the corpus as retrieved: the unit of
// retrieval and of citation.
type Passage struct {
	File      string  // path relative to the corpus folder, slash-separated
	Paragraph int     // ¶N: the N-th kept paragraph of File, from 1
	LineStart int     // first line of the paragraph in File, from 1
	LineEnd   int     // last line, inclusive
	Title     string  // the document's title, if it has one
	Text      string  // original text, junk lines removed
	Terms     string  // analysed form as indexed (stems separated by spaces)
	Score     float64 // higher is better; comparable within one result only
	BM25      float64 // the index's own score before re-ranking, higher is better
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

// Citation ties a label used in an answer ([N]) to the passage it stands for.
type Citation struct {
	N       int // the label's number as shown in the answer
	Passage Passage
}
