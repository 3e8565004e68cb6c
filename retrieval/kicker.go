package retrieval

import (
	"unicode"
	"unicode/utf8"
)

// maxKickerRunes bounds a kicker: "TIMES OF ISRAEL.", not a headline
// written in capitals.
const maxKickerRunes = 40

// IsKicker reports whether a sentence is site furniture glued to a
// paragraph, short and in capitals: a byline ("TIMES OF ISRAEL."), a
// kicker ("LE PLUS."), a notice ("COPYRIGHTS."). Ingest reads a source
// from a byline; answers do not quote such sentences. Either way it stays
// in the paragraph, searchable.
func IsKicker(s string) bool {
	if utf8.RuneCountInString(s) > maxKickerRunes {
		return false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}
