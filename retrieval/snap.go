package retrieval

import (
	"context"
	"fmt"
	"slices"
	"unicode/utf8"
)

// TranslatedWeight is how much of a query term's weight a passage earns
// when it holds the term only through a translation or a cognate. A
// dictionary lists every sense of a word and a cognate is a guess, so
// such a match is weaker evidence than the word itself: counted fully,
// English questions over unrelated French articles look answered.
// (SQuAD dev questions over the PIAF corpus, 1 in 5 sampled, grounded:
// 0.285 before translations; with FreeDict at 1.0: 0.42, at 0.6: 0.26,
// while the seed questions keep their judgements down to 0.6.)
const TranslatedWeight = 0.6

// translatedCredit is what a term of weight w earns when a passage holds
// it only through a translation or cognate.
func translatedCredit(t Term, w float64) float64 {
	if t.TranslatedIDF > 0 {
		w = min(w, t.TranslatedIDF)
	}
	return w * TranslatedWeight
}

// maxFreq is the largest paragraph count among terms.
func maxFreq(terms []string, freqs map[string]int) int {
	df := 0
	for _, v := range terms {
		df = max(df, freqs[v])
	}
	return df
}

// maxSnaps bounds the index look-ups one question makes to snap its
// translations, each a scan of the vocabulary under a two-letter prefix.
const maxSnaps = 12

// minSnapRunes keeps short stems as they are: at four letters nearly
// every stem is one edit away from an unrelated one.
const minSnapRunes = 5

// snapTranslations replaces each translated variant that no paragraph
// holds with the indexed term closest in spelling, within one edit (two
// for long stems), and records its paragraph count in freqs. The French
// stemmer does not always cut an infinitive and its participle alike:
// the dictionary's "soutenir" stems to "souten", while articles write
// "soutenu", a letter away.
func (s *Searcher) snapTranslations(ctx context.Context, q *Query, freqs map[string]int) error {
	snaps := 0
	for i := range q.Terms {
		t := &q.Terms[i]
		cloned := false
		for j, v := range t.Translated {
			if freqs[v] > 0 || utf8.RuneCountInString(v) < minSnapRunes || snaps == maxSnaps {
				continue
			}
			snaps++
			if !cloned { // the caller's Query shares this slice
				t.Translated, cloned = slices.Clone(t.Translated), true
			}
			near, err := s.idx.TermsNear(ctx, v)
			if err != nil {
				return fmt.Errorf("look up spellings of %q: %w", v, err)
			}
			if best := Nearest(v, near); len(best) > 0 {
				t.Translated[j] = best[0]
				for _, n := range near {
					if n.Term == best[0] {
						freqs[n.Term] = n.Docs
					}
				}
			}
		}
	}
	return nil
}
