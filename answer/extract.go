package answer

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"citebot/retrieval"
)

// extractive answers by quoting the sentences most likely to hold the
// answer, each with its citation, or refuses when the judge finds that the
// passages do not answer.
func (s *Service) extractive(question string, res retrieval.Result) Answer {
	c := s.choose(question, res)
	if !res.Relevant || len(c.quotes) == 0 || c.judgement.p < thresholdExtractive {
		s.log.Debug("refused", "confidence", c.judgement.p, "coverage", res.Coverage, "missing", c.judgement.missing)
		ans := refusal(question, res, Extractive)
		ans.Confidence, ans.Missing = c.judgement.p, c.judgement.missing
		return ans
	}
	lang := res.Query.Lang
	ans := Answer{Question: question, Lang: lang, Grounded: true, Mode: Extractive,
		Confidence: c.judgement.p, Missing: c.judgement.missing}
	var b strings.Builder
	b.WriteString(message(lang, msgQuotePrefix))
	for i, w := range c.quotes {
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

// choice is the quotes chosen for a question and the judge's verdict.
type choice struct {
	quotes    []window // best first; empty when nothing can be quoted
	all       []window // every candidate, for the fitting command
	judgement judgement
}

// When the best window is not likely enough to hold the answer, the best
// window of another passage is quoted too, if it comes within secondQuote
// (log-odds) of it. On the dev sets: answer accuracy +4.2 points on PIAF
// and +5.0 on SQuAD over a single quote, for 1.45 quotes per answer.
const (
	secondQuoteBelow = 0.6
	secondQuote      = 1.5
)

// choose scores every window of the top passages, picks the best one (and
// a second from another passage when the first is unsure and the second
// close) and judges whether the passages answer at all.
func (s *Service) choose(question string, res retrieval.Result) choice {
	var c choice
	qc := newQuoteContext(s.search.Analyzer(), question, res)
	if len(res.Passages) == 0 || len(res.Query.Terms) == 0 {
		c.judgement = qc.judge(window{}, false)
		return c
	}
	best := make([]window, 0, extractFrom) // best window per passage
	anyFit := false
	for i := range res.Passages[:min(extractFrom, len(res.Passages))] {
		ws := qc.windows(i)
		c.all = append(c.all, ws...)
		if len(ws) == 0 {
			continue
		}
		b := ws[0]
		for _, w := range ws {
			if w.score > b.score || (w.score == b.score && len(w.text) < len(b.text)) {
				b = w
			}
			anyFit = anyFit || w.feats[wKindFit] > 0
		}
		best = append(best, b)
	}
	if len(best) == 0 {
		c.judgement = qc.judge(window{}, false)
		return c
	}
	slices.SortStableFunc(best, func(a, b window) int { return cmp.Compare(b.score, a.score) })
	c.quotes = best[:1]
	if len(best) > 1 && sigmoid(best[0].score) < secondQuoteBelow && best[1].score >= best[0].score-secondQuote {
		c.quotes = best[:2]
	}
	c.judgement = qc.judge(best[0], anyFit)
	return c
}
