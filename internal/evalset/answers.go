package evalset

import (
	"strings"
	"unicode"

	unorm "golang.org/x/text/unicode/norm"
)

// anorm is the answer normalisation of ../shared/eval/README.md: lower
// case, accents removed (NFKD without combining marks), œ and æ spelt
// out, every run of other characters than letters, digits and '_' one
// space, trimmed.
func anorm(s string) string {
	s = strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae").Replace(s)
	var b strings.Builder
	space := false
	for _, r := range unorm.NFKD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// AnswerHolds reports whether an answer text holds one of q's expected
// answers as whole words.
func (q Question) AnswerHolds(text string) bool {
	t := " " + anorm(text) + " "
	for _, a := range q.Answers {
		if n := anorm(a); n != "" && strings.Contains(t, " "+n+" ") {
			return true
		}
	}
	return false
}
