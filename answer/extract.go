package answer

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"citebot/retrieval"
)

const (
	// maxQuoteRunes keeps a quoted window readable; longer windows are
	// trimmed to their best sentence.
	maxQuoteRunes = 600
	// extractFrom is how many of the top passages are read for quotes.
	extractFrom = 3
	// minQuoteRunes: shorter sentences are usually fragments ("Aviv
	// Kochavi.") that say nothing on their own.
	minQuoteRunes = 40
	// kindBonus rewards a quote that holds what the question asks for (a
	// date for "quand", a number for "combien").
	kindBonus = 0.15
	// fragmentPenalty is what a quote shorter than minQuoteRunes loses.
	fragmentPenalty = 0.2
)

// window is a run of one or two sentences of a passage, scored.
type window struct {
	passage int // index in the result's passages
	text    string
	score   float64
}

// extractive answers by quoting the sentences that best cover the question,
// each with its citation, or refuses when nothing relevant was found.
func (s *Service) extractive(question string, res retrieval.Result) Answer {
	if !res.Relevant || len(res.Passages) == 0 {
		return refusal(question, res, Extractive)
	}
	an := s.search.Analyzer()
	var best []window
	k := questionKind(question)
	for i, p := range res.Passages[:min(extractFrom, len(res.Passages))] {
		if w, ok := bestWindow(an, res, k, i, p); ok {
			best = append(best, w)
		}
	}
	if len(best) == 0 {
		return refusal(question, res, Extractive)
	}
	slices.SortStableFunc(best, func(a, b window) int { return cmp.Compare(b.score, a.score) })
	chosen := best[:1]
	if len(best) > 1 && best[1].score >= 0.9*best[0].score && best[1].passage != best[0].passage {
		chosen = best[:2]
	}
	lang := res.Query.Lang
	ans := Answer{Question: question, Lang: lang, Grounded: true, Mode: Extractive}
	var b strings.Builder
	b.WriteString(message(lang, msgQuotePrefix))
	for i, w := range chosen {
		ans.Citations = append(ans.Citations, retrieval.Citation{N: i + 1, Passage: res.Passages[w.passage]})
		b.WriteString("\n")
		b.WriteString(quote(lang, w.text))
		b.WriteString(" [")
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString("]")
	}
	ans.Text = b.String()
	return ans
}

// bestWindow finds the one or two consecutive sentences of p that cover
// most of the question, preferring those that hold what the question asks
// for and avoiding fragments; shorter wins a tie. The passage's rank adds a
// little, so the top passage is preferred at equal coverage.
func bestWindow(an *retrieval.Analyzer, res retrieval.Result, k kind, rank int, p retrieval.Passage) (window, bool) {
	sents := sentences(p.Text)
	if len(sents) == 0 {
		return window{}, false
	}
	cov := make([]float64, len(sents))
	terms := make([]string, len(sents))
	for i, s := range sents {
		terms[i], _ = an.IndexTerms(s)
		cov[i] = retrieval.Coverage(res.Query, res.Weights, terms[i])
	}
	bonus := 0.05 * float64(extractFrom-rank)
	w := window{passage: rank, score: -1}
	consider := func(text string, c float64) {
		n := utf8.RuneCountInString(text)
		if n > maxQuoteRunes {
			return
		}
		if c > 0 && k.fits(text) {
			c += kindBonus
		}
		if n < minQuoteRunes {
			c -= fragmentPenalty
		}
		if c+bonus > w.score || (c+bonus == w.score && len(text) < len(w.text)) {
			w = window{passage: rank, text: text, score: c + bonus}
		}
	}
	for i, s := range sents {
		consider(s, cov[i])
		if i+1 < len(sents) {
			pair := terms[i] + " " + terms[i+1]
			consider(s+" "+sents[i+1], retrieval.Coverage(res.Query, res.Weights, pair)-0.01)
		}
	}
	if w.score < 0 {
		// Every sentence is too long to quote whole: quote the start.
		text := []rune(sents[0])
		w = window{passage: rank, text: string(text[:maxQuoteRunes]) + "…", score: cov[0] + bonus}
	}
	return w, w.score-bonus > 0
}
