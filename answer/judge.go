package answer

import (
	"math"

	"citebot/retrieval"
)

// judgeFeatures describe how well the best retrieved passages answer a
// question; judgeWeights turn them into the log-odds that they do. Keep
// the order of the constants: the weights and answer/fit depend on it.
type judgeFeatures [nJudgeFeatures]float64

const (
	jBias           = iota
	jCoverage       // the top passage's share of the question's IDF weight
	jBestCoverage   // the best coverage among the retrieved passages
	jWindowCoverage // the chosen quote's coverage
	jWindowScore    // the chosen quote's log-odds of holding the answer
	jRareMissing    // the question's rarest term is not in the top passage
	jNamesMissing   // share of the question's names not in the top passage
	jFocusMissing   // the question's first content word is not in the top passage
	jKindFit        // the quote holds the kind of thing asked for
	jKindMissing    // no quote of the top passages holds it
	jTerms          // log of the number of question terms
	jMargin         // top passage coverage minus the next file's best
	jProximity      // share of the question's adjacent words close together in the top passage
	jBM25           // the top passage's BM25 score over the question's total IDF weight
	jFileShare      // share of the retrieved passages from the top passage's file
	nJudgeFeatures
)

// judgeWeights are fitted by answer/fit on PIAF and SQuAD dev, against
// questions asked over the corpus without their gold files and questions
// of the other set (see answer/fit for the commands).
var judgeWeights = judgeFeatures{
	jBias: -1.934, jCoverage: 0.709, jBestCoverage: 0.779, jWindowCoverage: 0.648, jWindowScore: 1.381,
	jRareMissing: -0.541, jNamesMissing: -0.367, jFocusMissing: 0.128, jKindFit: -0.247, jKindMissing: 0.006,
	jTerms: 0.875, jMargin: 0.609, jProximity: 0.316, jBM25: 1.001, jFileShare: 0.916,
}

// Operating points on the judge's probability. Without a model a refusal
// is cheap and a wrong quote is shown as grounded, so citebot is precise;
// with one, borderline cases go to the model, whose NOT_FOUND is a
// refusal.
// On the dev sets (answer/fit, bench/NOTES.md), 0.4 refuses 3.3 % of
// answerable SQuAD questions and 15.4 % of PIAF ones (most of them
// questions whose paragraph retrieval missed), and grounds 18 % and 21 %
// of questions whose article was removed.
const (
	thresholdExtractive = 0.4
	thresholdModel      = 0.25
)

// judgement is the answerability verdict with what it rests on.
type judgement struct {
	feats   judgeFeatures
	p       float64  // estimated probability that the passages answer
	missing []string // question words the top passage lacks, rarest first
}

// judge estimates whether the passages answer the question, given the
// best quote found in them (zero window if none).
func (qc quoteContext) judge(best window, anyKindFit bool) judgement {
	var f judgeFeatures
	f[jBias] = 1
	res := qc.res
	q := res.Query
	var j judgement
	if len(res.Passages) == 0 || len(q.Terms) == 0 {
		j.feats = f
		j.p = 0
		return j
	}
	top := res.Passages[0]
	matched := retrieval.Matched(q, top.Terms)
	f[jCoverage] = retrieval.Coverage(q, res.Weights, top.Terms)
	f[jBestCoverage] = res.Coverage
	f[jWindowCoverage] = best.feats[wCoverage]
	f[jWindowScore] = best.score
	rare := 0
	for i := range q.Terms {
		if res.Weights[i] > res.Weights[rare] {
			rare = i
		}
	}
	if matched[rare] == 0 {
		f[jRareMissing] = 1
	}
	if matched[0] == 0 {
		f[jFocusMissing] = 1
	}
	if len(qc.names) > 0 {
		missing := 0
		for _, i := range qc.names {
			if matched[i] == 0 {
				missing++
			}
		}
		f[jNamesMissing] = float64(missing) / float64(len(qc.names))
	}
	if qc.kind != kindOther {
		if best.feats[wKindFit] > 0 {
			f[jKindFit] = 1
		}
		if !anyKindFit {
			f[jKindMissing] = 1
		}
	}
	// Context words of a follow-up count for their weight: the question
	// the user asked is not longer for being read in context.
	n := 0.0
	for _, t := range q.Terms {
		n += boostOf(t)
	}
	f[jTerms] = math.Log(max(n, 1))
	next := 0.0
	for _, p := range res.Passages[1:] {
		if p.File != top.File {
			next = max(next, retrieval.Coverage(q, res.Weights, p.Terms))
		}
	}
	f[jMargin] = f[jCoverage] - next
	f[jProximity] = retrieval.Proximity(q, res.Weights, top.Terms)
	sum := 0.0
	for _, w := range res.Weights {
		sum += w
	}
	if sum > 0 {
		f[jBM25] = top.BM25 / sum
	}
	same := 0
	for _, p := range res.Passages {
		if p.File == top.File {
			same++
		}
	}
	f[jFileShare] = float64(same) / float64(len(res.Passages))
	j.feats = f
	j.p = sigmoid(dot(judgeWeights[:], f[:]))
	j.missing = missingWords(q, res.Weights, matched)
	return j
}

// missingWords lists the question's words not found, heaviest first.
func missingWords(q retrieval.Query, weights, matched []float64) []string {
	type mw struct {
		w string
		x float64
	}
	var ms []mw
	for i, t := range q.Terms {
		if matched[i] == 0 {
			ms = append(ms, mw{t.Word, weights[i]})
		}
	}
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].x > ms[j-1].x; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.w
	}
	return out
}

// boostOf is a term's weight multiplier: 1 for the question's own words.
func boostOf(t retrieval.Term) float64 {
	if t.Context() {
		return t.Boost
	}
	return 1
}
