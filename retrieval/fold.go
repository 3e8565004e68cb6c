package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case foldLatin(r) != 0:
			// The accents of French text: a switch instead of a
			// decomposition, since indexing folds every word.
			b.WriteByte(foldLatin(r))
		default:
			for _, d := range norm.NFD.String(string(r)) {
				if !unicode.Is(unicode.Mn, d) {
					b.WriteRune(d)
				}
			}
		}
	}
	return b.String()
}

// foldLatin is the ASCII letter under a common lower-case accented Latin
// letter, or 0.
func foldLatin(r rune) byte {
	switch r {
	case 'à', 'â', 'ä', 'á', 'ã', 'å':
		return 'a'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'î', 'ï', 'í', 'ì':
		return 'i'
	case 'ô', 'ö', 'ó', 'ò', 'õ':
		return 'o'
	case 'ù', 'û', 'ü', 'ú':
		return 'u'
	case 'ç':
		return 'c'
	case 'ÿ', 'ý':
		return 'y'
	case 'ñ':
		return 'n'
	}
	return 0
}
