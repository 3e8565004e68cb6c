package retrieval

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldReplacer unifies the typographic variants that would otherwise split
// one word into several index terms.
var foldReplacer = strings.NewReplacer(
	"\u2019", "'", "\u2018", "'", "\u02bc", "'", "\u00b4", "'", "`", "'", "\u2032", "'",
	"\u00ab", "\"", "\u00bb", "\"", "\u201c", "\"", "\u201d", "\"", "\u201e", "\"",
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-",
	"\u00a0", " ", "\u202f", " ", "\u2009", " ",
	"œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae", "ß", "ss",
)

// Normalize returns s in NFC, lower case, with typographic apostrophes,
// quotes, dashes and spaces unified. Accents are kept: the French stemmer
// needs them.
func Normalize(s string) string {
	return strings.ToLower(foldReplacer.Replace(norm.NFC.String(s)))
}

// Fold removes diacritics: "israël" becomes "israel". Its input is expected
// to be normalised already.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}
