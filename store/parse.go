package store

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"citebot/retrieval"
)

// block is one kept paragraph of a file, as parsed.
type block struct {
	N         int // ¶N: position among the file's kept paragraphs, from 1
	LineStart int // 1-based line of the first kept line
	LineEnd   int // 1-based line of the last kept line
	Text      string
}

// document is a parsed corpus file.
type document struct {
	// Title is the title the file states (a title line, a Markdown
	// heading or front matter, HTML's og:title or <title>); TitleText is
	// the text indexed as the title: every title the file states.
	Title, TitleText string
	// Headline is the title shown in citations: Title, or one made from
	// the opening sentence when the file states none (see finish).
	Headline string
	// Date, Source and URL are the article's publication date
	// (YYYY-MM-DD when it reads as a date), the publication it comes
	// from and its address, where the file gives them.
	Date, Source, URL string
	Paragraphs        []block
	// Truncated is set when the file held more than MaxParagraphs
	// paragraphs: the first ones are kept, the rest is not read.
	Truncated bool
	// Split counts paragraphs longer than MaxParagraphBytes, each kept
	// as several.
	Split int
}

// MaxParagraphBytes is the longest paragraph kept whole; a longer one is
// cut, between words, into paragraphs of at most this size that share its
// lines. News paragraphs are a few hundred bytes; a 16 MiB one made SQLite
// and FTS5 hold several copies of it at once.
const MaxParagraphBytes = 16 << 10

// MaxParagraphs is how many paragraphs of one file are indexed. A news
// article has tens; the limit keeps a hostile file (16 MiB of "ab"
// separated by blank lines is four million paragraphs) from taking
// gigabytes of memory and an hour of indexing.
const MaxParagraphs = 10_000

// add keeps a paragraph, in pieces if it is too long, or marks the
// document truncated when it is full.
func (doc *document) add(b block) {
	if len(b.Text) > MaxParagraphBytes {
		doc.Split++
		for _, piece := range cutText(b.Text, MaxParagraphBytes) {
			b.Text = piece
			doc.addBlock(b)
		}
		return
	}
	doc.addBlock(b)
}

func (doc *document) addBlock(b block) {
	if len(doc.Paragraphs) >= MaxParagraphs {
		doc.Truncated = true
		return
	}
	b.N = len(doc.Paragraphs) + 1
	doc.Paragraphs = append(doc.Paragraphs, b)
}

// maxTitleRunes bounds what a first line may be to count as a title.
const maxTitleRunes = 150

// parseText splits plain text into paragraphs: blocks of lines separated by
// blank lines. Junk lines are dropped, boilerplate blocks are not kept, and
// a short first line standing alone is the title rather than a paragraph.
// Numbering counts kept paragraphs only, so ¶N is stable for a given text.
func parseText(text string) document {
	doc := parseLines(text, 0)
	doc.TitleText = doc.Title
	doc.finish()
	return doc
}

// parseMarkdown is parseText after the front matter, which is not a
// paragraph: numbering starts at the first paragraph of text, and line
// numbers stay those of the file. The front matter's title is shown; a
// heading that opens the text is not a paragraph either, and both are
// indexed as the title.
func parseMarkdown(text string) document {
	fm, body, skipped, _ := parseFrontMatter(text)
	doc := parseLines(body, skipped)
	doc.Title = oneLine(stripMarkdown(doc.Title))
	doc.TitleText = doc.Title
	if fm.Title != "" {
		doc.TitleText = fm.Title
		if doc.Title != "" && foldKey(fm.Title) != foldKey(doc.Title) {
			doc.TitleText = fm.Title + "\n" + doc.Title
		}
		doc.Title = fm.Title
	}
	doc.Date, doc.Source, doc.URL = fm.Date, fm.Source, fm.URL
	doc.finish()
	return doc
}

// parseLines splits text, whose first line is line skipped+1 of its
// file, into a title and paragraphs.
func parseLines(text string, skipped int) document {
	var doc document
	var cur []string
	start, end := 0, 0
	first := true
	titleLine := 0
	flush := func() {
		if len(cur) == 0 {
			return
		}
		para := strings.Join(cur, "\n")
		cur = cur[:0]
		if first {
			first = false
			if t, ok := titleOf(para); ok {
				doc.Title, titleLine = t, start
				return
			}
		}
		if isBoilerplate(para) {
			return
		}
		doc.add(block{LineStart: start, LineEnd: end, Text: para})
	}
	lineNo := skipped
	for line := range strings.Lines(text) {
		if doc.Truncated {
			break
		}
		lineNo++
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if isJunk(line) {
			continue
		}
		if len(cur) == 0 {
			start = lineNo
		}
		end = lineNo
		cur = append(cur, strings.TrimSpace(line))
	}
	flush()
	// A lone short line is content, not a title, when nothing follows it.
	if doc.Title != "" && len(doc.Paragraphs) == 0 {
		doc.Paragraphs = []block{{N: 1, LineStart: titleLine, LineEnd: titleLine, Text: doc.Title}}
		doc.Title = ""
	}
	return doc
}

// cutText cuts s into pieces of at most n bytes, after a space where
// there is one in the second half of the piece, else at a rune boundary.
func cutText(s string, n int) []string {
	var out []string
	for len(s) > n {
		end := n
		for end > 0 && !utf8.RuneStart(s[end]) {
			end--
		}
		if sp := strings.LastIndexAny(s[:end], " \n"); sp > end/2 {
			end = sp + 1
		}
		out = append(out, strings.TrimSpace(s[:end]))
		s = s[end:]
	}
	if s = strings.TrimSpace(s); s != "" {
		out = append(out, s)
	}
	return out
}

// titleOf reports whether a first block reads as a title: one short line
// that does not end a sentence, or a Markdown heading.
func titleOf(para string) (string, bool) {
	if strings.Contains(para, "\n") {
		return "", false
	}
	if h, ok := strings.CutPrefix(para, "#"); ok {
		return strings.TrimSpace(strings.TrimLeft(h, "#")), true
	}
	if utf8.RuneCountInString(para) > maxTitleRunes {
		return "", false
	}
	last, _ := utf8.DecodeLastRuneInString(para)
	if strings.ContainsRune(".!?:;»\"…", last) {
		return "", false
	}
	return para, true
}

// isJunk reports whether a line carries no text: no letters at all, or
// symbol noise in which letters are a small minority ("&&&²²²²").
func isJunk(line string) bool {
	letters, other := 0, 0
	for _, r := range line {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsSpace(r):
		default:
			other++
		}
	}
	return letters == 0 || letters*2 < other
}

// boilerplateWords are the words that make up share bars, print stubs and
// credit lines. A paragraph made only of them is not content.
var boilerplateWords = map[string]bool{
	"partager": true, "partagez": true, "share": true, "imprimer": true, "print": true,
	"envoyer": true, "email": true, "e": true, "mail": true, "tweet": true, "tweeter": true,
	"facebook": true, "twitter": true, "x": true, "whatsapp": true, "linkedin": true,
	"pinterest": true, "reddit": true, "telegram": true, "messenger": true,
	"copyright": true, "dr": true, "tous": true, "droits": true, "reserves": true,
	"all": true, "rights": true, "reserved": true, "this": true, "article": true,
	"cet": true, "sur": true, "on": true, "par": true, "via": true,
	"lire": true, "aussi": true, "voir": true, "read": true, "more": true, "also": true,
	"publicite": true, "advertisement": true, "sponsored": true,
	"photo": true, "credit": true, "credits": true, "afp": true, "reuters": true,
}

// maxBoilerplateBytes is longer than any share bar or credit line: longer
// paragraphs are text, without a closer look.
const maxBoilerplateBytes = 240

// isBoilerplate reports whether a paragraph is only share, print or credit
// words ("Partager :", "© Copyright : DR").
func isBoilerplate(para string) bool {
	if len(para) > maxBoilerplateBytes {
		return false
	}
	words := retrieval.Words(retrieval.Fold(retrieval.Normalize(para)))
	if len(words) == 0 || len(words) > 12 {
		return false
	}
	for _, w := range words {
		if !boilerplateWords[w] && !isDigits(w) {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var (
	mdImage = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink  = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdMark  = regexp.MustCompile("(?m)^\\s{0,3}(#{1,6}\\s+|>\\s?|[-*+]\\s+|\\d+[.)]\\s+)|[*_`~]{1,3}")
)

// stripMarkdown removes Markdown markup so that link targets and emphasis
// marks do not become index terms. Display keeps the original text.
func stripMarkdown(s string) string {
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1")
	return mdMark.ReplaceAllString(s, "")
}
