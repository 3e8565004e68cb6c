package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
)

// Lang is a text's language as far as citebot cares: which stemmer and
// which refusal message.
type Lang string

const (
	French  Lang = "fr"
	English Lang = "en"
)

// maxWordRunes drops runs of letters too long to be words (base64, noise).
const maxWordRunes = 40

// Analyzer turns text into index terms. Indexing and search share one so
// that a word is reduced the same way on both sides. It is safe for
// concurrent use; share one per process so its term cache pays off.
type Analyzer struct {
	stopFR, stopEN map[string]bool
	glossary       map[string][]string // English word -> French words
	translate      func(enWord string) []string
	// words memoises word analysis: stemming and folding are most of the
	// cost of indexing, and a corpus repeats its words endlessly.
	words *wordCache
}

// wordInfo is what the analyser knows of one normalised word.
type wordInfo struct {
	stopFR, stopEN bool   // a stop word of French, of English (folded form)
	stop           bool   // dropped from the index
	fr, en         string // index term under each language's stemmer
}

// maxCachedTerms bounds the term cache of a long-running process; words
// past it are analysed every time, which is correct, only slower.
const maxCachedTerms = 500_000

// NewAnalyzer builds the analyser from its embedded word lists, and the
// options given (a dictionary of translations, say).
func NewAnalyzer(opts ...AnalyzerOption) *Analyzer {
	a := &Analyzer{
		stopFR:   wordSet(stopwordsFR),
		stopEN:   wordSet(stopwordsEN),
		glossary: parseGlossary(glossaryEN),
		words:    newWordCache(),
	}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Words splits normalised text into words: runs of letters and digits.
// Apostrophes and hyphens split words, so "l'armée" gives "l", "armée" and
// "état-major" gives "état", "major". Dotted acronyms are one word:
// "f.a.r." gives "far", as the same acronym written "FAR" does.
func Words(s string) []string {
	var words []string
	start := -1
	for i := 0; i < len(s); {
		// Most of a French text is ASCII, whose letters and digits are
		// known without decoding or looking up Unicode tables.
		inWord, size := isASCIIWordByte(s[i]), 1
		if s[i] >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			inWord = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		}
		switch {
		case inWord && start < 0:
			if w, end, ok := acronymAt(s, i); ok {
				words = appendWord(words, w)
				i = end
				continue
			}
			start = i
		case !inWord && start >= 0:
			words = appendWord(words, s[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		words = appendWord(words, s[start:])
	}
	return words
}

// acronymAt reads a dotted acronym starting at i, two letters at least,
// each followed by a dot but the last ("o.n.u.", "u.s", "f.a.r."), and
// returns it without dots and the index just past it.
func acronymAt(s string, i int) (string, int, bool) {
	var b strings.Builder
	j := i
	for {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) {
			break
		}
		// The letter must stand alone: followed by a dot, or ending the
		// acronym after at least one dotted letter.
		next := j + size
		if next < len(s) && s[next] == '.' {
			b.WriteRune(r)
			j = next + 1
			continue
		}
		if b.Len() > 0 && (next >= len(s) || !isWordRune(s[next:])) {
			b.WriteRune(r)
			j = next
		}
		break
	}
	if utf8.RuneCountInString(b.String()) < 2 {
		return "", 0, false
	}
	return b.String(), j, true
}

func isWordRune(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isASCIIWordByte reports whether c is an ASCII letter or digit, the only
// ASCII characters unicode.IsLetter and unicode.IsDigit accept.
func isASCIIWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func appendWord(words []string, w string) []string {
	// A word has no more runes than bytes: only a long one is counted.
	if len(w) > maxWordRunes && utf8.RuneCountInString(w) > maxWordRunes {
		return words
	}
	return append(words, w)
}

// isStop reports whether a folded word carries no meaning for search in
// either language. Single letters are words ("le plan B", "vitamine C")
// unless a list names them (the elided l', d', qu' and the like).
func (a *Analyzer) isStop(folded string) bool {
	return a.stopFR[folded] || a.stopEN[folded]
}

// DetectLang guesses whether words are French or English by counting each
// language's stop words. Ties go to French, the corpus's language.
func (a *Analyzer) DetectLang(words []string) Lang {
	infos := make([]*wordInfo, len(words))
	for i, w := range words {
		infos[i] = a.info(w)
	}
	return detectLang(infos)
}

func detectLang(infos []*wordInfo) Lang {
	fr, en := 0, 0
	for _, in := range infos {
		if in.stopFR && !in.stopEN {
			fr++
		}
		if in.stopEN && !in.stopFR {
			en++
		}
	}
	if en > fr {
		return English
	}
	return French
}

// Stem reduces a normalised word with the language's Snowball stemmer and
// folds the result. Stemming comes before folding because the French
// stemmer's rules read accents.
func Stem(word string, lang Lang) string {
	if !hasLetter(word) {
		return word
	}
	var s string
	if lang == English {
		s = english.Stem(word, true)
	} else {
		s = french.Stem(word, true)
	}
	return Fold(s)
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// IndexTerms analyses a paragraph for the index: its language, and its
// terms (stemmed, folded, stop words removed) separated by spaces.
func (a *Analyzer) IndexTerms(text string) (terms string, lang Lang) {
	stems, lang := a.AppendIndexTerms(nil, text)
	return strings.Join(stems, " "), lang
}

// AppendIndexTerms is IndexTerms with the terms appended to dst, one per
// element, rather than joined: an indexer counts them as they come instead
// of splitting the joined text again.
func (a *Analyzer) AppendIndexTerms(dst []string, text string) ([]string, Lang) {
	words := Words(clockTimes(Normalize(text)))
	infos := make([]*wordInfo, len(words))
	for i, w := range words {
		infos[i] = a.info(w)
	}
	lang := detectLang(infos)
	for _, in := range infos {
		switch {
		case in.stop:
		case lang == English:
			dst = append(dst, in.en)
		default:
			dst = append(dst, in.fr)
		}
	}
	return dst, lang
}

// info analyses a normalised word once and remembers it.
func (a *Analyzer) info(w string) *wordInfo {
	if in, ok := a.words.load(w); ok {
		return in
	}
	f := Fold(w)
	in := &wordInfo{stopFR: a.stopFR[f], stopEN: a.stopEN[f], stop: a.isStop(f)}
	if !in.stop {
		in.fr, in.en = Stem(w, French), Stem(w, English)
	}
	a.words.store(w, in, maxCachedTerms)
	return in
}
