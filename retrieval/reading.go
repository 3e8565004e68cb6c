package retrieval

import (
	"slices"
	"strings"
)

// lexicon numbers the index terms that a query can match (its terms'
// variants, translations and near spellings), so that each candidate's
// analysed text is split once, into only what the scores read: re-ranking
// forty candidates used to split each text three times and build a map of
// all its words each time.
type lexicon struct {
	ids   map[string]int32 // index term -> its number
	terms []termIDs        // per query term, in Query.Terms order
}

// termIDs are a term's index terms as lexicon numbers, duplicates kept, in
// the order of Variants, Translated and Fuzzy.
type termIDs struct {
	variants, translated, fuzzy []int32
	all                         []int32 // the three in a row, as Term.All
}

func newLexicon(q Query) *lexicon {
	lex := &lexicon{ids: make(map[string]int32), terms: make([]termIDs, len(q.Terms))}
	n := 0
	for _, t := range q.Terms {
		n += len(t.Variants) + len(t.Translated) + len(t.Fuzzy)
	}
	// One backing array: all of each term is the three lists in a row.
	buf := make([]int32, 0, n)
	for i, t := range q.Terms {
		start := len(buf)
		buf = lex.number(buf, t.Variants)
		v := len(buf)
		buf = lex.number(buf, t.Translated)
		tr := len(buf)
		buf = lex.number(buf, t.Fuzzy)
		lex.terms[i] = termIDs{variants: buf[start:v:v], translated: buf[v:tr:tr], fuzzy: buf[tr:len(buf):len(buf)], all: buf[start:len(buf):len(buf)]}
	}
	return lex
}

// number appends the numbers of terms to buf, numbering new ones.
func (lex *lexicon) number(buf []int32, terms []string) []int32 {
	for _, t := range terms {
		id, ok := lex.ids[t]
		if !ok {
			id = int32(len(lex.ids))
			lex.ids[t] = id
		}
		buf = append(buf, id)
	}
	return buf
}

// reading is a passage's analysed text as one query's scores see it.
type reading struct {
	n      int     // index terms in the passage
	counts []int32 // occurrences of each lexicon term
	hits   []hit   // the lexicon's terms in the passage, in text order
}

// hit is an occurrence of a lexicon term at a position in a passage.
type hit struct{ term, pos int32 }

// reader splits many passages against one lexicon, with their counts and
// hits cut from shared arrays: two allocations for all candidates rather
// than a map and its slices for each.
type reader struct {
	lex    *lexicon
	counts []int32
	hits   []hit
}

// hitsPerPassage is a guess at how many of a query's index terms a
// candidate holds, to size the shared array of hits.
const hitsPerPassage = 8

// grow makes room for n more passages.
func (r *reader) grow(n int) {
	size := len(r.lex.ids)
	if cap(r.counts)-len(r.counts) < n*size {
		r.counts = make([]int32, 0, n*size)
	}
	r.hits = slices.Grow(r.hits, n*hitsPerPassage)
}

// read splits terms (analysed text, stems separated by spaces).
func (r *reader) read(terms string) reading {
	size := len(r.lex.ids)
	if cap(r.counts)-len(r.counts) < size {
		r.counts = make([]int32, 0, 64*size)
	}
	start, hstart := len(r.counts), len(r.hits)
	r.counts = r.counts[:start+size]
	counts := r.counts[start : start+size : start+size]
	n := 0
	for t := range strings.FieldsSeq(terms) {
		if id, ok := r.lex.ids[t]; ok {
			counts[id]++
			r.hits = append(r.hits, hit{id, int32(n)})
		}
		n++
	}
	// Later appends may move r.hits; this reading keeps its own part.
	return reading{n: n, counts: counts, hits: r.hits[hstart:len(r.hits):len(r.hits)]}
}

// has reports whether the passage holds any of ids.
func (rd reading) has(ids []int32) bool {
	for _, id := range ids {
		if rd.counts[id] > 0 {
			return true
		}
	}
	return false
}

// positions appends to buf where the passage holds any of ids, once per
// id listed, as Term.All's terms would be looked up one by one.
func (rd reading) positions(buf []int32, ids []int32) []int32 {
	buf = buf[:0]
	for _, id := range ids {
		if rd.counts[id] == 0 {
			continue
		}
		for _, h := range rd.hits {
			if h.term == id {
				buf = append(buf, h.pos)
			}
		}
	}
	return buf
}

// coverage is Coverage for a passage already read.
func (lex *lexicon) coverage(q Query, weights []float64, rd reading) float64 {
	var got, sum float64
	for i, t := range q.Terms {
		sum += weights[i]
		ids := lex.terms[i]
		switch {
		case rd.has(ids.variants):
			got += weights[i]
		case rd.has(ids.translated):
			got += translatedCredit(t, weights[i])
		case rd.has(ids.fuzzy):
			got += weights[i] / 2
		}
	}
	if sum == 0 {
		return 0
	}
	return got / sum
}

// proximity is Proximity for a passage already read.
func (lex *lexicon) proximity(q Query, weights []float64, rd reading) float64 {
	if len(q.Terms) < 2 {
		return 0
	}
	var got, sum float64
	var a, b [16]int32
	for j := 0; j+1 < len(q.Terms); j++ {
		w := weights[j] + weights[j+1]
		sum += w
		if close3(rd.positions(a[:0], lex.terms[j].all), rd.positions(b[:0], lex.terms[j+1].all)) {
			got += w
		}
	}
	if sum == 0 {
		return 0
	}
	return got / sum
}

// close3 reports whether some position in a is within three of one in b.
func close3(a, b []int32) bool {
	for _, x := range a {
		for _, y := range b {
			if d := x - y; d <= 3 && d >= -3 {
				return true
			}
		}
	}
	return false
}
