package answer

import (
	"regexp"
	"slices"

	"citebot/retrieval"
)

// kind is what a question asks for, as far as its first words tell: a
// sentence holding that kind of thing is a better quote.
type kind int

const (
	kindOther  kind = iota
	kindTime        // quand, when, à quelle heure, what year
	kindNumber      // combien, how many, how much
	kindPerson      // qui, who
)

// questionKind reads the question words; it looks at folded words only.
func questionKind(question string) kind {
	words := retrieval.Words(retrieval.Fold(retrieval.Normalize(question)))
	has := func(w ...string) bool {
		return slices.ContainsFunc(words, func(x string) bool { return slices.Contains(w, x) })
	}
	switch {
	case has("quand", "when", "heure", "date", "annee", "year", "jour", "day"):
		return kindTime
	case has("combien", "many", "much"):
		return kindNumber
	case has("qui", "who", "whom"):
		return kindPerson
	}
	return kindOther
}

var (
	timeRe   = regexp.MustCompile(`(?i)\b(1[5-9]\d\d|20\d\d)\b|\b\d{1,2} ?h ?\d{0,2}\b|\b(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b`)
	numberRe = regexp.MustCompile(`\d|\b(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|cent|mille|million|milliard)s?\b`)
	// A capitalised word after the start of a sentence is most likely a name.
	personRe = regexp.MustCompile(`\S\s+\p{Lu}\p{Ll}+`)
)

// fits reports whether text holds the kind of thing the question asks for.
func (k kind) fits(text string) bool {
	switch k {
	case kindTime:
		return timeRe.MatchString(text)
	case kindNumber:
		return numberRe.MatchString(text)
	case kindPerson:
		return personRe.MatchString(text)
	}
	return false
}
