package store

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"citebot/retrieval"
)

// What a citation shows of an article besides its paragraph: its title,
// date, source and address. A file states them (a title line, a Markdown
// heading or front matter, HTML's <title> and meta tags); a plain text
// with no title line gets a headline made from its opening sentence, so
// that a citation names an article, not a hash.

// headlineRunes is about how long a made-up headline may be: a news
// headline is 60 to 90 characters.
const headlineRunes = 90

// finish fills what the file did not state: the headline to show when
// it has no title, and the source a byline kicker names. Values are made
// one line and bounded, since they are shown in every citation.
func (doc *document) finish() {
	doc.Title = truncateRunes(oneLine(doc.Title), maxTitleRunes)
	if doc.Title == "" {
		doc.Headline = headline(doc.Paragraphs)
	} else {
		doc.Headline = doc.Title
	}
	doc.Date = normalizeDate(doc.Date)
	doc.Source = truncateRunes(oneLine(doc.Source), maxSourceRunes)
	if doc.Source == "" {
		doc.Source = kickerSource(doc.Paragraphs)
	}
	doc.URL = cleanURL(doc.URL)
}

// oneLine collapses every run of white space in s to one space and trims
// it. Most paragraphs are one line already: kickerSource reads them all,
// and returning those as they are saved a tenth of a build's analysis.
func oneLine(s string) string {
	if isOneLine(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isOneLine reports whether oneLine(s) is s: no white space (as
// unicode.IsSpace, which strings.Fields uses, says) at either end, and
// none but single spaces inside.
func isOneLine(s string) bool {
	space := true // at the start, a space would be leading
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false
			}
			space = false
			i += size
			continue
		}
		switch c {
		case ' ':
			if space {
				return false
			}
			space = true
		case '\t', '\n', '\v', '\f', '\r':
			return false
		default:
			space = false
		}
		i++
	}
	return s == "" || !space
}

// headline is the opening sentence of the first paragraph that is not a
// photo caption, shortened to a headline's length; "" if there is none.
func headline(paras []block) string {
	if len(paras) == 0 {
		return ""
	}
	lead := paras[0].Text
	for _, p := range paras[:min(len(paras), maxLeadingCaptions+1)] {
		if !isCaption(p.Text) {
			lead = p.Text
			break
		}
	}
	return shorten(firstSentence(oneLine(lead)), headlineRunes)
}

// maxLeadingCaptions is how many photo captions may open an article
// before its first paragraph of text.
const maxLeadingCaptions = 3

// captionEnd is how a French or English news photo caption ends: the
// place and the date the picture was taken ("…, le 24 novembre 2021.",
// "…, à Rabat, le 3 mars 2021.", "…, in Rabat, on March 3, 2021.").
var captionEnd = regexp.MustCompile(`(?i),\s+(?:(?:le|on)\s+)?(?:\d{1,2}(?:er)?\s+\pL+|\pL+\s+\d{1,2}(?:st|nd|rd|th)?,?)\s+\d{4}(?:,\s+(?:à|a|in)\s+[^,.]{1,40})?\.$`)

// isCaption reports whether a paragraph is one sentence that ends as a
// photo caption does. A lede also may end with a date, but it is rarely
// one sentence on its own before the article's text.
func isCaption(p string) bool {
	p = oneLine(p)
	return firstSentence(p) == strings.TrimSuffix(p, ".") && captionEnd.MatchString(p)
}

// firstSentence is s up to the end of its first sentence, without a final
// full stop, and without a capitalised kicker that opens it ("LE PLUS.").
func firstSentence(s string) string {
	for {
		end := sentenceEnd(s)
		head := strings.TrimSpace(s[:end])
		if end < len(s) && retrieval.IsKicker(head) {
			s = strings.TrimSpace(s[end:])
			continue
		}
		return strings.TrimSuffix(head, ".")
	}
}

// sentenceEnd is the byte offset just after the first sentence of s: a
// full stop, "!", "?" or "…" followed by a space and a capital letter, a
// digit or a quote, or the end of s. A full stop after one capital ("M.",
// "J.-P.") or inside an acronym ("F.A.R.") ends no sentence.
func sentenceEnd(s string) int {
	for i, r := range s {
		if !strings.ContainsRune(".!?…", r) {
			continue
		}
		end := closeQuotes(s, i+utf8.RuneLen(r))
		rest := s[end:]
		if rest == "" {
			return end
		}
		if rest[0] != ' ' {
			continue
		}
		next := firstRune(strings.TrimLeft(rest, " "))
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune("«\"“", next) {
			continue
		}
		if r == '.' && isAbbreviation(s[:i]) {
			continue
		}
		return end
	}
	return len(s)
}

// closeQuotes is end moved past the closing quotes that follow it, French
// ones after a space ("signé. »").
func closeQuotes(s string, end int) int {
	for {
		rest := strings.TrimLeft(s[end:], " \u00a0\u202f")
		r := firstRune(rest)
		if rest == "" || !strings.ContainsRune("»\"”)", r) {
			return end
		}
		end = len(s) - len(rest) + utf8.RuneLen(r)
	}
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// isAbbreviation reports whether the word before a full stop is an
// initial or an abbreviation ("M", "Mme", "Dr", "F.A.R").
func isAbbreviation(before string) bool {
	word := before[strings.LastIndexAny(before, " (\"«")+1:]
	n := utf8.RuneCountInString(word)
	switch {
	case n == 1 && unicode.IsUpper(firstRune(word)):
		return true
	case strings.Contains(word, "."):
		return true
	}
	switch word {
	case "M", "MM", "Mme", "Mmes", "Mlle", "Dr", "Pr", "Me", "Mgr", "St", "Ste", "Mr", "Mrs", "Ms", "Jr", "etc", "cf", "av", "vs":
		return true
	}
	return false
}

// shorten cuts s to at most about n runes for a headline: after a clause
// (a comma, a colon, a dash) in the second half when there is one, else
// between words, and marks the cut with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := prefixRunes(s, n)
	at := -1
	for _, sep := range []string{", ", " : ", " — ", " – ", " - ", "; "} {
		if i := strings.LastIndex(cut, sep); i > at && utf8.RuneCountInString(cut[:i]) >= n/2 {
			at = i
		}
	}
	if at < 0 {
		if i := strings.LastIndexByte(cut, ' '); i > 0 {
			at = i
		}
	}
	if at > 0 {
		cut = cut[:at]
	}
	return strings.TrimRight(cut, " ,;:-–—") + "…"
}

// prefixRunes is the first n runes of s.
func prefixRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// maxSourceRunes bounds a source's name, as shown.
const maxSourceRunes = 80

// furnitureWords make up the kickers that name no source: rubrics
// ("LE PLUS", "LIRE AUSSI") and rights notices ("COPYRIGHTS").
var furnitureWords = map[string]bool{
	"le": true, "la": true, "les": true, "plus": true, "lire": true, "aussi": true, "a": true,
	"en": true, "savoir": true, "suite": true, "fin": true, "end": true, "read": true, "more": true,
	"copyright": true, "copyrights": true, "tous": true, "droits": true, "reserves": true,
	"all": true, "rights": true, "reserved": true, "dr": true, "video": true, "photo": true,
	"photos": true, "publicite": true, "advertisement": true, "exclusif": true, "direct": true,
	"info": true, "infos": true, "urgent": true, "breaking": true, "news": true,
}

// kickerSource is the source a byline names where an article's text ends
// with one in capitals ("… de la formation militaire. TIMES OF ISRAEL.
// COPYRIGHTS."): the last kicker naming something, among those that close
// a paragraph or stand as the last paragraph, or "". A kicker that opens a
// paragraph is a rubric ("LE PLUS."), not a source. The kicker stays in
// the paragraph's text, where it is searchable.
func kickerSource(paras []block) string {
	source := ""
	for n, p := range paras {
		rest := oneLine(p.Text)
		for {
			rest = strings.TrimSuffix(rest, ".")
			i := strings.LastIndexAny(rest, ".!?»…")
			last := strings.TrimSpace(rest[i+1:])
			// A paragraph all in capitals is a subheading, unless it
			// ends the article.
			if !retrieval.IsKicker(last) || (i < 0 && n < len(paras)-1) {
				break
			}
			if names(last) {
				source = last
				break
			}
			if i < 0 {
				break
			}
			rest = rest[:i]
		}
	}
	return source
}

// names reports whether a kicker holds a word that is not furniture.
func names(kicker string) bool {
	for _, w := range retrieval.Words(foldKey(kicker)) {
		if !furnitureWords[w] {
			return true
		}
	}
	return false
}

// dateLayouts are the date forms read from meta tags and front matter.
var dateLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04",
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "2006/01/02", "02/01/2006", time.RFC1123Z, time.RFC1123,
}

// normalizeDate is a publication date as YYYY-MM-DD when it reads as one,
// else as written ("24 novembre 2021"), on one line and bounded.
func normalizeDate(s string) string {
	s = oneLine(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return truncateRunes(s, maxDateRunes)
}

const maxDateRunes = 40

// maxURLBytes bounds an article's address.
const maxURLBytes = 2048

// cleanURL is an article's address if it is an absolute http(s) URL, else "".
func cleanURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || len(s) > maxURLBytes || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return ""
	}
	return u.String()
}

// foldKey is s as titles are compared and looked up: lower case, without
// accents, with typographic apostrophes and dashes unified.
func foldKey(s string) string { return retrieval.Fold(retrieval.Normalize(oneLine(s))) }
