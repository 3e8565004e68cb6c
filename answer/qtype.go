package answer

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"citebot/retrieval"
)

// kind is what a question asks for, as far as its question words tell: a
// sentence holding that kind of thing is a better quote, and a passage
// without it is less likely to answer.
type kind int

const (
	kindOther  kind = iota
	kindTime        // quand, when, à quelle heure, what time, what year
	kindNumber      // combien, how many, how much, quel âge
	kindPerson      // qui, who
	kindPlace       // où, where, dans quel pays
)

// Question words, folded. A phrase of two words ("quel age") is matched
// on adjacent words.
var kindWords = []struct {
	k     kind
	words []string
}{
	{kindTime, []string{"quand", "when", "heure", "time", "date", "annee", "annees", "year", "years", "siecle", "century", "jour", "day", "mois", "month", "epoque", "periode", "decennie", "decade"}},
	{kindNumber, []string{"combien", "many", "much", "nombre", "age", "old", "pourcentage", "percentage", "proportion", "population", "superficie", "taille", "size", "prix", "price", "cost", "cout", "montant", "amount", "distance", "duree", "long", "longueur", "hauteur", "altitude", "temperature", "vitesse", "speed"}},
	{kindPlace, []string{"ou", "where", "lieu", "pays", "country", "ville", "city", "region", "continent", "endroit", "place"}},
	{kindPerson, []string{"qui", "who", "whom", "whose"}},
}

// questionKind reads the question words; it looks at folded words only.
// The first question word decides, so "qui ... en quelle année" asks for a
// person and "en quelle année ... qui" for a time.
func questionKind(question string) kind {
	words := retrieval.Words(retrieval.Fold(retrieval.Normalize(question)))
	best, at := kindOther, len(words)
	for _, kw := range kindWords {
		for i, w := range words {
			if i < at && slices.Contains(kw.words, w) && askedFor(words, i) {
				best, at = kw.k, i
			}
		}
	}
	return best
}

// askedFor reports whether words[i] is what the question asks for: a
// question word itself, or a noun right after one ("quel âge", "how old",
// "en quelle année", "which country").
func askedFor(words []string, i int) bool {
	switch words[i] {
	case "quand", "when", "combien", "many", "much", "qui", "who", "whom", "whose", "where":
		return true
	case "ou":
		// "où" folds to "ou" (or): only a question's first words mean where.
		return i <= 1
	}
	for j := max(0, i-3); j < i; j++ {
		switch words[j] {
		case "quel", "quelle", "quels", "quelles", "lequel", "laquelle", "what", "which", "how":
			return true
		}
	}
	return false
}

var (
	timeRe   = regexp.MustCompile(`(?i)\b(1[0-9]\d\d|20\d\d)\b|\b\d{1,2} ?h ?\d{0,2}\b|\b\d{1,2}:\d\d\b|\b\d{1,2} ?(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}(st|nd|rd|th)?\b.{0,3}\b(january|february|march|april|may|june|july|august|september|october|november|december)\b|\b(janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|january|february|april|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|siècle|century|centuries|siècles)\b|\b[xvi]+e siècle\b|\b\d+(s|e)\b`)
	numberRe = regexp.MustCompile(`(?i)\d+(?:[.,]\d+)*|\b(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|vingt|trente|quarante|cinquante|soixante|cent|mille|million|milliard|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|douzaine|dizaine|centaine)s?\b`)
	// A capitalised word after the start of a sentence is most likely a name.
	nameRe = regexp.MustCompile(`\S\s+(\p{Lu}\p{L}[\p{L}'’-]*)`)
)

// fits reports whether text holds the kind of thing the question asks for.
func (k kind) fits(text string) bool {
	switch k {
	case kindTime:
		return timeRe.MatchString(text)
	case kindNumber:
		return numberRe.MatchString(text)
	case kindPerson, kindPlace:
		return nameRe.MatchString(text)
	}
	return false
}

// fitsNew reports whether text holds the kind of thing asked for beyond
// what the question itself says: "Quand a été signé l'accord de 2021 ?" is
// not answered by a sentence whose only date is 2021.
func (k kind) fitsNew(text, question string) bool {
	var re *regexp.Regexp
	switch k {
	case kindTime:
		re = timeRe
	case kindNumber:
		re = numberRe
	case kindPerson, kindPlace:
		re = nameRe
	default:
		return false
	}
	q := strings.ToLower(question)
	words := make(map[string]bool)
	for _, w := range strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		words[w] = true
	}
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		s := m[0]
		if re == nameRe {
			s = m[1]
		}
		s = strings.ToLower(strings.TrimSpace(s))
		// A single word or number is compared whole ("12" is not in
		// "2021"); a phrase ("24 novembre 2021") as text.
		if strings.ContainsFunc(s, unicode.IsSpace) {
			if !strings.Contains(q, s) {
				return true
			}
		} else if !words[s] {
			return true
		}
	}
	return false
}
