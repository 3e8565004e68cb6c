package answer

import (
	"regexp"
	"strconv"
	"strings"

	"citebot/retrieval"
)

// citeRe matches a citation group: [1], [1, 3], [2;4].
var citeRe = regexp.MustCompile(`\s?\[(\s*\d{1,4}\s*(?:[,;]\s*\d{1,4}\s*)*)\]`)

// checked is a model's text with its citations verified.
type checked struct {
	text      string
	citations []retrieval.Citation
	valid     int // labels that named a passage given to the model
	dropped   int // labels that did not, removed from the text
}

// checkCitations keeps only the [n] labels that name one of passages (the
// model saw them numbered from 1), renumbers them in order of first use,
// and removes the rest. No label in the result points outside citations.
func checkCitations(text string, passages []retrieval.Passage) checked {
	var c checked
	label := make(map[int]int) // passage number -> label shown
	c.text = citeRe.ReplaceAllStringFunc(text, func(m string) string {
		lead := ""
		if m[0] != '[' {
			lead = m[:1]
		}
		inner := m[strings.IndexByte(m, '[')+1 : len(m)-1]
		var b strings.Builder
		for f := range strings.FieldsFuncSeq(inner, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 || n > len(passages) {
				c.dropped++
				continue
			}
			c.valid++
			l, ok := label[n]
			if !ok {
				l = len(label) + 1
				label[n] = l
				c.citations = append(c.citations, retrieval.Citation{N: l, Passage: passages[n-1]})
			}
			b.WriteString("[" + strconv.Itoa(l) + "]")
		}
		if b.Len() == 0 {
			return ""
		}
		return lead + b.String()
	})
	// Removing a label can join what surrounded it into a new one
	// ("[[9]1]" leaves "[1]"): whatever brackets remain must name a
	// citation, or go.
	for {
		out := citeRe.ReplaceAllStringFunc(c.text, func(m string) string {
			inner := m[strings.IndexByte(m, '[')+1 : len(m)-1]
			for f := range strings.FieldsFuncSeq(inner, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
				if n, err := strconv.Atoi(f); err != nil || n < 1 || n > len(c.citations) {
					c.dropped++
					return ""
				}
			}
			return m
		})
		if out == c.text {
			return c
		}
		c.text = out
	}
}
