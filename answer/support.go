package answer

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"citebot/retrieval"
)

// minSupport is the share of a sentence's content words that must be found
// (as stems, their translations or near spellings) in the passages it
// cites. Names, numbers and links are checked one by one on top of it.
// Fitted by TestSupportKeepsGoodAnswers on the seed dev questions: a model
// copying the cited sentences keeps all of them at any threshold; one
// paraphrasing them in English keeps 100 % up to 0.5, 96 % at 0.6 and 85 %
// at 0.65. 0.5 leaves room for looser paraphrase, while a sentence half
// made of words no cited passage holds still fails.
const minSupport = 0.5

// metaWords are words an answer uses about itself ("according to the
// articles"): they neither state a fact nor need a source.
const metaWords = `article articles passage passages source sources texte textes
réponse answer information informations question selon according mention mentionne
mentionné indique indiqué indicates states say says said dit précise voici here
following suivant résumé summary`

// labelGroupRe matches the labels left by checkCitations: [1][2].
var labelGroupRe = regexp.MustCompile(`\s?\[(\d+)\]`)

// urlRe matches a link a model may write; a link must appear in the
// passage it cites, like a number.
var urlRe = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s)\]>]+`)

// supportResult is a model's answer with its unsupported sentences removed.
type supportResult struct {
	text    string
	kept    int // sentences kept
	removed int // sentences removed as unsupported or unrelated
}

// claimChecker checks the sentences of one answer to one question.
type claimChecker struct {
	an        *retrieval.Analyzer
	question  map[string]bool // every variant of every question term
	meta      map[string]bool
	threshold float64 // minSupport, but for fitting it
	// cited holds the evidence of each set of cited passages met so far:
	// an answer's sentences mostly cite the same few.
	cited map[string]evidence
}

func newClaimChecker(an *retrieval.Analyzer, question retrieval.Query) *claimChecker {
	return &claimChecker{an: an, question: variantSet(question.Terms), meta: variantSet(an.ParseQuery(metaWords).Terms)}
}

// checkSupport keeps the sentences of text (already through
// checkCitations, so [n] names cites[n-1]) that the passages they cite
// support and that relate to the question, and removes the others. A
// sentence without a label stays only if it states no fact. Lines that
// announce a list of sources are dropped: citebot lists sources itself.
func checkSupport(an *retrieval.Analyzer, question retrieval.Query, text string, cites []retrieval.Citation) supportResult {
	return checkSupportAt(an, question, text, cites, minSupport)
}

// checkSupportAt is checkSupport with another threshold, for fitting it.
func checkSupportAt(an *retrieval.Analyzer, question retrieval.Query, text string, cites []retrieval.Citation, threshold float64) supportResult {
	cc := newClaimChecker(an, question)
	cc.threshold = threshold
	var res supportResult
	var lines []string
	for line := range strings.Lines(text) {
		if isSourcesHeading(line) {
			continue
		}
		if strings.TrimSpace(line) == "" {
			// Paragraph breaks are the model's layout: kept, so that an
			// answer nothing was removed from reads as it was streamed.
			if len(lines) > 0 && lines[len(lines)-1] != "" {
				lines = append(lines, "")
			}
			continue
		}
		var kept []string
		for _, s := range sentences(line) {
			if cc.supported(s, cites) {
				kept = append(kept, s)
				res.kept++
			} else {
				res.removed++
			}
		}
		if len(kept) > 0 {
			lines = append(lines, strings.Join(kept, " "))
		}
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	res.text = strings.Join(lines, "\n")
	return res
}

// supported decides one sentence.
func (cc *claimChecker) supported(sentence string, cites []retrieval.Citation) bool {
	var cited []retrieval.Passage
	for _, m := range labelGroupRe.FindAllStringSubmatch(sentence, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 1 && n <= len(cites) {
			cited = append(cited, cites[n-1].Passage)
		}
	}
	c := cc.facts(labelGroupRe.ReplaceAllString(sentence, ""))
	if len(cited) == 0 {
		return !c.statesFact(cc)
	}
	ev := cc.evidence(cited)
	return ev.holds(c, cc.threshold) && cc.related(c, ev)
}

// claim is what a sentence asserts, as far as words can tell.
type claim struct {
	terms   []retrieval.Term // content words with their stems and translations
	names   []retrieval.Term // capitalised words not opening the sentence
	numbers []string         // runs of digits
	links   []string
}

func (cc *claimChecker) facts(s string) claim {
	var c claim
	c.links = urlRe.FindAllString(s, -1)
	s = urlRe.ReplaceAllString(s, " ")
	// Numbers are checked as numbers: "18h45" is one index term, but
	// "18:45" says the same.
	for _, t := range cc.an.ParseQuery(s).Terms {
		if !hasDigit(t.Word) {
			c.terms = append(c.terms, t)
		}
	}
	for i, w := range retrieval.Words(s) {
		if hasDigit(w) {
			c.numbers = append(c.numbers, digitRuns(w)...)
			continue
		}
		if i == 0 || !unicode.IsUpper([]rune(w)[0]) {
			continue
		}
		if t := cc.an.ParseQuery(w).Terms; len(t) > 0 {
			c.names = append(c.names, t[0])
		}
	}
	return c
}

// statesFact reports whether an unlabelled sentence asserts something the
// question did not already say: a number, a name, a link, or more than one
// content word. "In short:" may stay; "It rained that day." may not.
func (c claim) statesFact(cc *claimChecker) bool {
	if len(c.numbers) > 0 || len(c.links) > 0 {
		return true
	}
	news := 0
	for _, t := range c.terms {
		if !anyOf(t.All(), cc.question) && !anyOf(t.All(), cc.meta) {
			news++
		}
	}
	for _, n := range c.names {
		if !anyOf(n.All(), cc.question) {
			return true
		}
	}
	return news > 1
}

// evidence is what the cited passages hold, in the forms claims are
// compared in.
type evidence struct {
	stems     map[string]bool // analysed terms, as indexed
	words     map[string]bool // folded words, for names
	vocab     []retrieval.VocabTerm
	numbers   map[string]bool
	text      string // folded text, for links
	sentences []map[string]bool
}

// evidence is the evidence in ps, gathered once per set of passages.
func (cc *claimChecker) evidence(ps []retrieval.Passage) evidence {
	var key strings.Builder
	for _, p := range ps {
		key.WriteString(p.Ref())
		key.WriteByte('\n')
	}
	if ev, ok := cc.cited[key.String()]; ok {
		return ev
	}
	ev := cc.gather(ps)
	if cc.cited == nil {
		cc.cited = make(map[string]evidence)
	}
	cc.cited[key.String()] = ev
	return ev
}

// gather reads the evidence in ps: their stems, words, numbers and
// sentences.
func (cc *claimChecker) gather(ps []retrieval.Passage) evidence {
	ev := evidence{stems: map[string]bool{}, words: map[string]bool{}, numbers: map[string]bool{}}
	var text strings.Builder
	for _, p := range ps {
		text.WriteString(strings.ToLower(p.Text) + "\n")
		terms, _ := cc.an.IndexTerms(p.Text)
		addFields(ev.stems, terms)
		for _, w := range retrieval.Words(retrieval.Normalize(p.Text)) {
			f := retrieval.Fold(w)
			if hasDigit(f) {
				for _, n := range digitRuns(f) {
					ev.numbers[n] = true
				}
			} else if !ev.words[f] {
				ev.words[f] = true
				ev.vocab = append(ev.vocab, retrieval.VocabTerm{Term: f, Docs: 1})
			}
		}
		for _, s := range sentences(p.Text) {
			terms, _ := cc.an.IndexTerms(s)
			set := map[string]bool{}
			addFields(set, terms)
			ev.sentences = append(ev.sentences, set)
		}
	}
	ev.text = text.String()
	return ev
}

// holds reports whether the evidence supports the claim: every number,
// link and name in it, and at least threshold of its content words.
func (ev evidence) holds(c claim, threshold float64) bool {
	for _, n := range c.numbers {
		if !ev.numbers[n] {
			return false
		}
	}
	for _, l := range c.links {
		if !strings.Contains(ev.text, strings.ToLower(l)) {
			return false
		}
	}
	for _, n := range c.names {
		if !ev.has(n) {
			return false
		}
	}
	if len(c.terms) == 0 {
		return true
	}
	found := 0
	for _, t := range c.terms {
		if ev.has(t) {
			found++
		}
	}
	return float64(found) >= threshold*float64(len(c.terms))
}

// has reports whether a word is in the evidence: as a stem or a glossary
// translation ("Morocco": "maroc"), or spelt within an edit or two, which
// covers both transliterations of names ("Kochavi", "Kohavi") and
// cognates ("official", "officiel").
func (ev evidence) has(t retrieval.Term) bool {
	f := retrieval.Fold(t.Word)
	return ev.words[f] || anyOf(t.All(), ev.stems) || len(retrieval.Nearest(f, ev.vocab)) > 0
}

// related reports whether a supported claim has to do with the question:
// it shares a word with it, or the passage sentence it rests on does. A
// planted "the capital is X" shares neither, wherever it is cited.
func (cc *claimChecker) related(c claim, ev evidence) bool {
	for _, t := range c.terms {
		if anyOf(t.All(), cc.question) {
			return true
		}
	}
	best, bestN := map[string]bool(nil), 0
	for _, s := range ev.sentences {
		n := 0
		for _, t := range c.terms {
			if anyOf(t.All(), s) {
				n++
			}
		}
		if n > bestN {
			best, bestN = s, n
		}
	}
	for t := range best {
		if cc.question[t] {
			return true
		}
	}
	return false
}

// isSourcesHeading reports whether a line only announces a list of sources
// ("**Sources**", "Références :").
func isSourcesHeading(line string) bool {
	w := retrieval.Words(retrieval.Fold(retrieval.Normalize(line)))
	if len(w) != 1 {
		return false
	}
	switch w[0] {
	case "sources", "source", "references", "reference":
		return true
	}
	return false
}

func variantSet(terms []retrieval.Term) map[string]bool {
	set := map[string]bool{}
	for _, t := range terms {
		for _, v := range t.All() {
			set[v] = true
		}
	}
	return set
}

func addFields(set map[string]bool, s string) {
	for f := range strings.FieldsSeq(s) {
		set[f] = true
	}
}

func anyOf(vs []string, set map[string]bool) bool {
	for _, v := range vs {
		if set[v] {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool { return strings.IndexFunc(s, unicode.IsDigit) >= 0 }

// digitRuns returns the numbers inside a word ("18h45": 18, 45), leading
// zeros dropped so that "09" and "9" agree.
func digitRuns(s string) []string {
	var out []string
	for f := range strings.FieldsFuncSeq(s, func(r rune) bool { return r < '0' || r > '9' }) {
		if f = strings.TrimLeft(f, "0"); f == "" {
			f = "0"
		}
		out = append(out, f)
	}
	return out
}
