package retrieval

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// VocabTerm is an indexed term and the number of paragraphs holding it.
type VocabTerm struct {
	Term string
	Docs int
}

// minFuzzyRunes keeps short words exact: at three or four letters nearly
// every word is one edit away from another. A name is worth the risk from
// four letters (Bush, Busch).
const (
	minFuzzyRunes     = 5
	minFuzzyNameRunes = 4
)

// maxFuzzyMatches caps how many spellings stand in for one unknown word.
const maxFuzzyMatches = 3

// maxEdits is the edit distance allowed for a term of n runes.
func maxEdits(n int) int {
	if n >= 7 {
		return 2
	}
	return 1
}

// Nearest picks, among candidates, the indexed terms closest in spelling to
// term: within maxEdits, closest first, then most frequent, then in
// alphabetical order.
func Nearest(term string, candidates []VocabTerm) []string {
	return nearest(term, candidates, minFuzzyRunes)
}

func nearest(term string, candidates []VocabTerm, minRunes int) []string {
	n := utf8.RuneCountInString(term)
	if n < minRunes {
		return nil
	}
	limit := maxEdits(n)
	type scored struct {
		VocabTerm
		dist int
	}
	var found []scored
	for _, c := range candidates {
		if c.Term == term || c.Docs == 0 {
			continue
		}
		if d := editDistance(term, c.Term, limit); d <= limit {
			found = append(found, scored{c, d})
		}
	}
	slices.SortFunc(found, func(a, b scored) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(b.Docs, a.Docs), cmp.Compare(a.Term, b.Term))
	})
	var out []string
	for i := 0; i < len(found) && i < maxFuzzyMatches; i++ {
		out = append(out, found[i].Term)
	}
	return out
}

// editDistance is the optimal-string-alignment distance between a and b
// (insertions, deletions, substitutions and adjacent transpositions). It
// returns limit+1 as soon as the distance must exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
