package retrieval

import (
	_ "embed"
	"slices"
	"strings"
)

// glossaryEN is a small hand-written English-French glossary of news
// words: the only translations when no dictionary is configured, and the
// first ones beside a dictionary, whose senses are in no useful order.
//
//go:embed glossary_en_fr.txt
var glossaryEN string

// AnalyzerOption configures an Analyzer.
type AnalyzerOption func(*Analyzer)

// WithTranslator gives the analyser a source of French translations of
// English words (a bilingual dictionary): words or phrases, as written.
// The analyser asks it for the words of English questions only, and
// keeps its glossary in use beside it. translate must be safe for
// concurrent use.
func WithTranslator(translate func(enWord string) []string) AnalyzerOption {
	return func(a *Analyzer) { a.translate = translate }
}

// parseGlossary reads "english: french, french" lines; # starts a comment.
func parseGlossary(text string) map[string][]string {
	g := make(map[string][]string)
	for line := range strings.Lines(text) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		en, fr, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		en = strings.TrimSpace(en)
		for w := range strings.SplitSeq(fr, ",") {
			if w = strings.TrimSpace(w); w != "" {
				g[en] = append(g[en], Normalize(w))
			}
		}
	}
	return g
}

// maxDictTranslations bounds the index terms one word gets from the
// dictionary. Its entries list every sense (agreement: accord,
// atmosphère, réglage, concordance, ...); the first are the likeliest,
// and each further one makes an unrelated French paragraph look relevant
// to an English question.
const maxDictTranslations = 4

// translations lists the index terms that stand for w in French text
// without being w's own stems (own): the glossary's translations, then
// for an English question the dictionary's and w's cognates. They are
// French stems, in that order, without repeats.
func (a *Analyzer) translations(w string, lang Lang, own []string) []string {
	out := a.phraseStems(a.glossary[Fold(w)], len(own)+maxQueryTerms)
	if lang == English {
		if a.translate != nil {
			out = append(out, a.phraseStems(a.translate(w), maxDictTranslations)...)
		}
		for _, c := range cognates(Fold(w)) {
			out = append(out, Stem(c, French))
		}
	}
	out = slices.DeleteFunc(uniq(out), func(s string) bool { return slices.Contains(own, s) })
	if len(out) == 0 {
		return nil
	}
	return out
}

// phraseStems turns translations into at most limit French index terms.
// A one-word translation gives its stem. A phrase's words are used only
// when no translation is a single word: "armée militaire" beside "armée"
// would add "militaire" to every question about an army.
func (a *Analyzer) phraseStems(phrases []string, limit int) []string {
	var single, multi []string
	for _, p := range phrases {
		var content []string
		for _, w := range Words(Normalize(p)) {
			// The stem is checked too: "dé" (a die) stems to "de".
			if s := Stem(w, French); !a.isStop(Fold(w)) && !a.isStop(s) {
				content = append(content, s)
			}
		}
		if len(content) == 1 {
			single = append(single, content[0])
		} else {
			multi = append(multi, content...)
		}
	}
	out := uniq(single)
	if len(out) == 0 {
		out = uniq(multi)
	}
	return out[:min(len(out), limit)]
}
