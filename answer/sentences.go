package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// sentences splits a paragraph into sentences: a break follows . ! ? or …
// (and any closing quotes) when a space and a capital, digit or opening
// quote come next. It is deliberately simple: a wrong split costs a
// slightly shorter quote, never a wrong citation.
func sentences(text string) []string {
	text = strings.Join(strings.Fields(text), " ")
	var out []string
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if !strings.ContainsRune(".!?…", r) {
			continue
		}
		j := i
		for j < len(text) {
			k := j
			if text[k] == ' ' { // French typography: "Oui. »"
				k++
			}
			c, n := utf8.DecodeRuneInString(text[k:])
			if k >= len(text) || !strings.ContainsRune("»\"”’)", c) {
				break
			}
			j = k + n
		}
		if j >= len(text) || text[j] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(text[j+1:])
		if unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune("«\"“", next) {
			out = append(out, strings.TrimSpace(text[start:j]))
			start = j + 1
			i = j + 1
		}
	}
	if rest := strings.TrimSpace(text[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}
