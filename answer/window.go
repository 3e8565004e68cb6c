package answer

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"citebot/retrieval"
)

// window is a run of one or two consecutive sentences of a retrieved
// passage: a candidate quote.
type window struct {
	passage int // index in the result's passages
	first   int // index of its first sentence in the passage
	text    string
	terms   string // analysed text
	feats   windowFeatures
	score   float64 // estimated log-odds that the window holds the answer
}

// windowFeatures describe a candidate quote; windowWeights turn them into
// the log-odds that it holds the answer. Keep the order of the constants:
// the weights and the fitting command (answer/fit) depend on it.
type windowFeatures [nWindowFeatures]float64

const (
	wBias        = iota
	wCoverage    // share of the question's IDF weight in the window
	wKindFit     // holds the kind of thing asked for, beyond the question's own words
	wKindMissing // the question asks for a kind of thing the window lacks
	wNovel       // share of the window's words the question does not have
	wRank        // 1 / (passage rank + 1)
	wPassageCov  // the passage's coverage
	wPair        // two sentences
	wShort       // under minQuoteRunes
	wFirst       // starts the passage
	wLength      // length in runes / 300
	wProximity   // share of the question's adjacent words close together in the window
	wNames       // share of the question's names in the window (1 when it has none)
	wJoins       // two sentences, the second holding a question word or the kind asked for
	nWindowFeatures
)

// windowWeights are fitted by answer/fit on PIAF and SQuAD dev (see
// answer/fit for the commands): the log-odds that a window holds one of
// the question's expected answers.
var windowWeights = windowFeatures{
	wBias: -4.027, wCoverage: 1.424, wKindFit: 0.156, wKindMissing: -0.388, wNovel: -0.410,
	wRank: 1.299, wPassageCov: 0.539, wPair: 0.101, wShort: -0.033, wFirst: 0.148,
	wLength: 0.358, wProximity: 0.989, wNames: 0.384, wJoins: 0.101,
}

const (
	// maxQuoteRunes keeps a quoted window readable; longer windows are
	// trimmed to their best sentence.
	maxQuoteRunes = 600
	// extractFrom is how many of the top passages are read for quotes.
	extractFrom = 3
	// minQuoteRunes: shorter sentences are often fragments ("Aviv
	// Kochavi."), which are only worth quoting when they hold what was
	// asked.
	minQuoteRunes = 40
)

// quoteContext is what choosing a quote needs to know of the question.
type quoteContext struct {
	an       *retrieval.Analyzer
	res      retrieval.Result
	kind     kind
	question string
	qterms   map[string]bool // every index term the question may stand for
	names    []int           // indexes of the query terms that are names
}

func newQuoteContext(an *retrieval.Analyzer, question string, res retrieval.Result) quoteContext {
	qc := quoteContext{an: an, res: res, kind: questionKind(question), question: question, qterms: map[string]bool{}}
	for i, t := range res.Query.Terms {
		for _, v := range t.All() {
			qc.qterms[v] = true
		}
		if t.Name {
			qc.names = append(qc.names, i)
		}
	}
	return qc
}

// windows lists the candidate quotes of passage rank: each sentence, and
// each sentence with the next, scored.
func (qc quoteContext) windows(rank int) []window {
	p := qc.res.Passages[rank]
	sents := slices.DeleteFunc(sentences(p.Text), retrieval.IsKicker)
	terms := make([]string, len(sents))
	for i, s := range sents {
		terms[i], _ = qc.an.IndexTerms(s)
	}
	pcov := retrieval.Coverage(qc.res.Query, qc.res.Weights, p.Terms)
	var out []window
	add := func(first int, text, t string, pair, joins bool) {
		if utf8.RuneCountInString(text) > maxQuoteRunes {
			return
		}
		w := window{passage: rank, first: first, text: text, terms: t}
		w.feats = qc.features(text, t, rank, pcov, first, pair)
		if joins {
			w.feats[wJoins] = 1
		}
		w.score = dot(windowWeights[:], w.feats[:])
		out = append(out, w)
	}
	for i, s := range sents {
		add(i, s, terms[i], false, false)
		// A sentence with the next is a candidate when the next holds a
		// question word or the kind of thing asked for ("… Il a été
		// accueilli par Aviv Kohavi"). When the question does not say what
		// kind of thing it asks for (what, how, why), the answer is often
		// in the next sentence in words the question does not have, so
		// every pair is a candidate and wJoins tells them apart.
		if i+1 < len(sents) {
			if joins := qc.adds(sents[i+1], terms[i+1]); joins || qc.kind == kindOther {
				add(i, s+" "+sents[i+1], terms[i]+" "+terms[i+1], true, joins)
			}
		}
	}
	if len(out) == 0 && len(sents) > 0 {
		// Every sentence is too long to quote whole: quote the start.
		text := string([]rune(sents[0])[:maxQuoteRunes]) + "…"
		w := window{passage: rank, text: text, terms: terms[0]}
		w.feats = qc.features(text, terms[0], rank, pcov, 0, false)
		w.score = dot(windowWeights[:], w.feats[:])
		out = append(out, w)
	}
	return out
}

// adds reports whether a sentence holds one of the question's words or
// the kind of thing it asks for.
func (qc quoteContext) adds(sentence, terms string) bool {
	return retrieval.Coverage(qc.res.Query, qc.res.Weights, terms) > 0 || qc.kind.fitsNew(sentence, qc.question)
}

func (qc quoteContext) features(text, terms string, rank int, pcov float64, first int, pair bool) windowFeatures {
	var f windowFeatures
	f[wBias] = 1
	f[wCoverage] = retrieval.Coverage(qc.res.Query, qc.res.Weights, terms)
	if qc.kind != kindOther {
		if qc.kind.fitsNew(text, qc.question) {
			f[wKindFit] = 1
		} else {
			f[wKindMissing] = 1
		}
	}
	n, novel := 0, 0
	for t := range strings.FieldsSeq(terms) {
		n++
		if !qc.qterms[t] {
			novel++
		}
	}
	if n > 0 {
		f[wNovel] = float64(novel) / float64(n)
	}
	f[wRank] = 1 / float64(rank+1)
	f[wPassageCov] = pcov
	if pair {
		f[wPair] = 1
	}
	runes := utf8.RuneCountInString(text)
	if runes < minQuoteRunes {
		f[wShort] = 1
	}
	if first == 0 {
		f[wFirst] = 1
	}
	f[wLength] = float64(runes) / 300
	f[wProximity] = retrieval.Proximity(qc.res.Query, qc.res.Weights, terms)
	f[wNames] = 1
	if len(qc.names) > 0 {
		matched := retrieval.Matched(qc.res.Query, terms)
		found := 0.0
		for _, i := range qc.names {
			found += matched[i]
		}
		f[wNames] = found / float64(len(qc.names))
	}
	return f
}

func dot(w, f []float64) float64 {
	s := 0.0
	for i := range w {
		s += w[i] * f[i]
	}
	return s
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
