package retrieval

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ErrEmptyQuery means the text held no word worth searching for.
var ErrEmptyQuery = errors.New("empty query: no searchable words")

const (
	// maxQueryBytes bounds the work a single question can ask for.
	maxQueryBytes = 4096
	// maxQueryTerms bounds the MATCH expression; longer questions keep
	// their first distinct words.
	maxQueryTerms = 32
)

// Term is one meaningful word of a query and the index terms that may
// stand for it: its French and English stems, its translations and
// cognates and, when the word is not in the index, its nearest indexed
// spellings.
type Term struct {
	Word     string   // the word as typed, normalised
	Variants []string // the word's own stems, exact ones first
	// Translated holds index terms from a translation or a cognate of the
	// word, not its own stems: weaker evidence that a passage speaks of
	// it, since a translation may be of another sense.
	Translated []string
	// TranslatedIDF is the IDF of the commonest of Translated, set by
	// search: a match through a common translation is worth less.
	TranslatedIDF float64
	Fuzzy         []string // indexed terms close in spelling, found by Expand
	// Name is set for a word written with a capital inside the question:
	// most likely a name, which gets near spellings even when short.
	Name bool
	// Tail is set for a word after the question's last question mark,
	// often noise ("… ? merci", a signature): it only counts if the index
	// knows it.
	Tail bool
	// Boost multiplies the term's weight in ranking and relevance; 0
	// means 1. A follow-up question carries the previous question's words
	// with a Boost under 1: context, not what is asked.
	Boost float64
}

// boost is the term's weight multiplier.
func (t Term) boost() float64 {
	if t.Boost <= 0 {
		return 1
	}
	return t.Boost
}

// Context reports whether the term was added with a reduced weight.
func (t Term) Context() bool { return t.Boost > 0 && t.Boost < 1 }

// All returns the term's own variants, then its translated ones, then its
// fuzzy ones.
func (t Term) All() []string {
	return append(append(slices.Clip(t.Variants), t.Translated...), t.Fuzzy...)
}

// Query is a question analysed for search.
type Query struct {
	Text  string
	Lang  Lang
	Terms []Term
	// Prior lists files that the conversation so far cited: their
	// passages get Options.PriorWeight added to their score.
	Prior []string
}

// WithContext returns q with the content words of prev that q lacks
// appended at weight boost (0 < boost < 1), and files as its prior: the
// query of a follow-up question read in its conversation. Terms past
// maxQueryTerms are dropped.
func (q Query) WithContext(prev Query, boost float64, files []string) Query {
	out := q
	out.Terms = slices.Clone(q.Terms)
	have := make(map[string]bool)
	for _, t := range q.Terms {
		have[Fold(t.Word)] = true
		for _, v := range t.Variants {
			have[v] = true
		}
	}
	for _, t := range prev.Terms {
		if len(out.Terms) >= maxQueryTerms {
			break
		}
		if have[Fold(t.Word)] || anyIn(t.Variants, have) || t.Tail {
			continue
		}
		t.Boost = boost * t.boost()
		t.Tail = false
		t.Fuzzy = nil
		out.Terms = append(out.Terms, t)
		have[Fold(t.Word)] = true
	}
	out.Prior = slices.Clone(files)
	return out
}

// Boosted reports whether some of q's terms carry a reduced weight.
func (q Query) Boosted() bool {
	for _, t := range q.Terms {
		if t.Context() {
			return true
		}
	}
	return false
}

// Own returns q with only the terms of its own words, without context.
func (q Query) Own() Query {
	out := q
	out.Terms = slices.DeleteFunc(slices.Clone(q.Terms), Term.Context)
	out.Prior = nil
	return out
}

// ParseQuery analyses any user text into a Query. It never fails; a text
// with no searchable word gives a Query with no Terms.
func (a *Analyzer) ParseQuery(text string) Query {
	if len(text) > maxQueryBytes {
		text = text[:maxQueryBytes]
		text = strings.ToValidUTF8(text, "")
	}
	text = StripChatMarkup(text)
	q := Query{Text: text}
	tail := len(text)
	if i := strings.LastIndexByte(text, '?'); i >= 0 {
		tail = i
	}
	names := capitalised(text)
	normText := clockTimes(Normalize(text))
	joined := hyphenated(normText)
	words := Words(normText)
	q.Lang = a.DetectLang(words)
	seen := make(map[string]bool)
	tailWords := len(Words(clockTimes(Normalize(text[tail:]))))
	for i, w := range words {
		f := Fold(w)
		if a.isStop(f) || seen[f] {
			continue
		}
		seen[f] = true
		vs := a.variants(w, q.Lang)
		if j, ok := joined[w]; ok {
			// "co-operation" also finds "cooperation", "e-mail" "email".
			vs = uniq(append(vs, a.variants(j, q.Lang)...))
		}
		q.Terms = append(q.Terms, Term{Word: w, Variants: vs, Translated: a.translations(w, q.Lang, vs),
			Name: names[f], Tail: i >= len(words)-tailWords})
		if len(q.Terms) == maxQueryTerms {
			break
		}
	}
	return q
}

// hyphenRe matches words joined by hyphens.
var hyphenRe = regexp.MustCompile(`[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+`)

// hyphenated maps the first part of each hyphenated word of normalised
// text to the word written without its hyphens.
func hyphenated(s string) map[string]string {
	if !strings.Contains(s, "-") {
		return nil
	}
	out := make(map[string]string)
	for _, m := range hyphenRe.FindAllString(s, 8) {
		first, _, _ := strings.Cut(m, "-")
		out[first] = strings.ReplaceAll(m, "-", "")
	}
	return out
}

// chatMarkup is what chat platforms put in a message that is not words:
// Discord's user, role and channel mentions, custom emoji, timestamps, and
// the @everyone and @here pings.
var chatMarkup = regexp.MustCompile(`<(@[!&]?|#)\d+>|<a?:\w+:\d+>|<t:-?\d+(:[a-zA-Z])?>|@(everyone|here)\b`)

// StripChatMarkup removes mentions and the like from a question, so that a
// question asked with a mention gets the answer it gets without.
func StripChatMarkup(s string) string {
	if !strings.ContainsAny(s, "<@") {
		return s
	}
	return chatMarkup.ReplaceAllString(s, " ")
}

// capitalised lists the folded words written with a capital letter after
// the text's first word.
func capitalised(text string) map[string]bool {
	out := make(map[string]bool)
	first := true
	for _, w := range Words(norm.NFC.String(text)) {
		r, _ := utf8.DecodeRuneInString(w)
		if !first && unicode.IsUpper(r) && utf8.RuneCountInString(w) > 1 {
			out[Fold(strings.ToLower(w))] = true
		}
		first = false
	}
	return out
}

// variants lists the index terms a query word may appear as. The question's
// language goes first; the other stemmer is tried too because questions in
// English are asked about French articles and the reverse.
func (a *Analyzer) variants(w string, lang Lang) []string {
	other := French
	if lang == French {
		other = English
	}
	return uniq([]string{Stem(w, lang), Stem(w, other)})
}

func uniq(ss []string) []string {
	out := ss[:0]
	seen := make(map[string]bool, len(ss))
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Match is what the query asks of a small index: paragraphs holding any
// of its index terms. It is empty when there is nothing to match.
func (q Query) Match() Match {
	var all []string
	for _, t := range q.Terms {
		all = append(all, t.All()...)
	}
	return AnyOf(all)
}
