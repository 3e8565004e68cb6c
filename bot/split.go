package bot

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxContent is Discord's limit on a message's content. Discord counts
// UTF-16 code units, so that is what length measures.
const MaxContent = 2000

const fence = "```"

// length is s's length as Discord counts it.
func length(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
		if r == utf8.RuneError {
			n++ // replaced by U+FFFD, one unit; be conservative
		}
	}
	return n
}

// prefixWithin returns the longest prefix of s that is at most max long
// as Discord counts, ending on a rune boundary.
func prefixWithin(s string, max int) string {
	n := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 || r == utf8.RuneError {
			w = 2
		}
		if n+w > max {
			return s[:i]
		}
		n += w
	}
	return s
}

// split cuts text into parts of at most max, preferring to cut between
// paragraphs, then between lines, then after a sentence, then between
// words. It never cuts inside a [n] citation, and cuts inside a code
// block only when the block alone is too long, closing it at the end of
// the part and reopening it at the start of the next.
func split(text string, max int) []string {
	text = strings.TrimSpace(text)
	var parts []string
	for text != "" {
		if length(text) <= max {
			parts = append(parts, text)
			break
		}
		part, rest := cut(text, max)
		parts = append(parts, part)
		text = rest
	}
	return parts
}

// cut returns a first part of text within max and the rest.
func cut(text string, max int) (string, string) {
	// Room for the fence that may have to close the part.
	window := prefixWithin(text, max-len("\n"+fence))
	s := scan(window)
	for _, cands := range [][]int{s.paragraphs, s.lines, s.sentences, s.words} {
		if i := last(cands); i > 0 {
			return strings.TrimRight(text[:i], " \n"), strings.TrimLeft(text[i:], " \n")
		}
	}
	if s.fenceOpen >= 0 {
		return cutFence(text, window, s, max)
	}
	// One unbroken word longer than a message: cut it, outside a citation.
	i := len(window)
	if i == 0 {
		_, i = utf8.DecodeRuneInString(text)
	}
	if s.citeOpen > 0 {
		i = s.citeOpen
	}
	if j := len(unsplitEscape(text[:i])); j > 0 {
		i = j // keep an escape with what it escapes
	}
	return text[:i], text[i:]
}

// cutFence cuts inside a code block that does not fit in a part: at its
// last line break, or anywhere, closing and reopening the block.
func cutFence(text, window string, s scanned, max int) (string, string) {
	i := strings.LastIndexByte(window, '\n')
	if i <= s.fenceOpen+len(fence) {
		i = len(window)
	}
	if i == 0 {
		_, i = utf8.DecodeRuneInString(text)
	}
	head := strings.TrimRight(text[:i], "\n")
	info := text[s.fenceOpen+len(fence):]
	if j := strings.IndexByte(info, '\n'); j >= 0 {
		info = info[:j]
	}
	if length(info) > max/4 {
		// Not a language name but text run on after the fence: reopening
		// with it would make every part as long as the last.
		info = ""
	}
	rest := fence + info + "\n" + strings.TrimLeft(text[i:], "\n")
	if len(rest) >= len(text) {
		// Reopening would not shorten what is left: cut plainly, so that
		// splitting always ends.
		return text[:i], text[i:]
	}
	return head + "\n" + fence, rest
}

// scanned is where text may be cut: positions just after the break.
type scanned struct {
	paragraphs, lines, sentences, words []int
	fenceOpen                           int // start of an unclosed code block, or -1
	citeOpen                            int // start of an unclosed [...], or -1
}

// maxCite is the longest bracketed text treated as a citation.
const maxCite = 24

func scan(s string) scanned {
	out := scanned{fenceOpen: -1, citeOpen: -1}
	inFence := false
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], fence) {
			inFence = !inFence
			if inFence {
				out.fenceOpen = i
			} else {
				out.fenceOpen = -1
			}
			i += len(fence) - 1
			continue
		}
		if inFence {
			continue
		}
		c := s[i]
		switch {
		case c == '[':
			if j := strings.IndexByte(s[i:], ']'); j >= 0 && j <= maxCite {
				i += j
				continue
			} else if j < 0 && len(s)-i <= maxCite {
				out.citeOpen = i
			}
		case c == '\n' && i+1 < len(s) && s[i+1] == '\n':
			out.paragraphs = append(out.paragraphs, i+2)
		case c == '\n':
			out.lines = append(out.lines, i+1)
		case c == ' ' && i+1 < len(s) && s[i+1] == '[':
			// Keep a citation with the words it supports.
		case c == ' ' && i > 0 && endsSentence(s[:i]):
			out.sentences = append(out.sentences, i+1)
		case c == ' ':
			out.words = append(out.words, i+1)
		}
	}
	return out
}

// endsSentence reports whether s ends a sentence: a full stop, question
// or exclamation mark or ellipsis, maybe followed by a closing quote,
// bracket or citation.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, "»”\")")
	if strings.HasSuffix(s, "]") {
		if i := strings.LastIndexByte(s, '['); i >= 0 {
			s = strings.TrimRight(s[:i], " ")
		}
	}
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") ||
		strings.HasSuffix(s, "…")
}

func last(xs []int) int {
	if len(xs) == 0 {
		return -1
	}
	return xs[len(xs)-1]
}
