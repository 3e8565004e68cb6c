package retrieval

import (
	"strings"
	"unicode/utf8"
)

// suffixRule rewrites an English ending as the French one that words
// borrowed from the same Latin or Greek root usually take.
type suffixRule struct{ en, fr string }

// cognateRules are tried longest ending first; the first that applies
// wins. They come from the regular correspondences of English and French
// (strategic/stratégique, secretary/secrétaire, university/université),
// checked on the seed articles' vocabulary and the English SQuAD
// questions. The French endings keep their accents because the French
// stemmer reads them: "université" stems to "univers", "universite" to
// "universit". Accents inside the word matter less (secretaire and
// secrétaire stem alike once folded). A wrong guess costs little: it is
// looked up, found nowhere, and dropped.
var cognateRules = []suffixRule{
	{"ically", "iquement"},
	{"ization", "isation"},
	{"cracy", "cratie"},
	{"ational", "ationnel"},
	{"ality", "alité"},
	{"ized", "isé"},
	{"ical", "ique"},
	{"ency", "ence"},
	{"ancy", "ance"},
	{"ated", "é"},
	{"ity", "ité"},
	{"ary", "aire"},
	{"ory", "oire"},
	{"ous", "eux"},
	{"ive", "if"},
	{"ize", "iser"},
	{"ist", "iste"},
	{"ism", "isme"},
	{"ial", "iel"},
	{"ual", "uel"},
	{"ian", "ien"},
	{"ean", "éen"},
	{"sis", "se"},
	{"ate", "er"},
	{"ery", "erie"},
	{"gy", "gie"},
	{"phy", "phie"},
	{"my", "mie"},
	{"ny", "nie"},
	{"try", "trie"},
	{"ty", "té"},
	{"ic", "ique"},
	{"or", "eur"},
	{"er", "re"},
	{"em", "ème"},
	{"an", "ain"},
}

// minCognateRunes keeps short words out: their endings are rarely
// suffixes (any, per, man).
const minCognateRunes = 5

// cognates guesses the French words that an English word likely has as
// cognates, by its ending: "strategic" gives "strategique". Words whose
// French form is spelled alike (nation, président) need no rule: the
// French stemmer already finds them among the word's own variants.
func cognates(w string) []string {
	if utf8.RuneCountInString(w) < minCognateRunes {
		return nil
	}
	var out []string
	for _, base := range singulars(w) {
		for _, r := range cognateRules {
			stem, ok := strings.CutSuffix(base, r.en)
			if ok && stem != "" && (r.en != "er" || !endsInVowel(stem)) {
				out = append(out, stem+r.fr)
				break
			}
		}
	}
	return out
}

// singulars is the word and, for a regular English plural, its singular:
// the rules read singular endings (universities -> university).
func singulars(w string) []string {
	switch {
	case strings.HasSuffix(w, "ies"):
		return []string{w[:len(w)-3] + "y"}
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return []string{w[:len(w)-1]}
	}
	return []string{w}
}

func endsInVowel(s string) bool {
	return s != "" && strings.ContainsRune("aeiouy", rune(s[len(s)-1]))
}
