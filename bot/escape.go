package bot

import (
	"strings"
	"unicode/utf8"
)

// escape shows text from an article or a model as itself in Discord:
// nothing in it becomes markdown (bold, italics, underline, strike,
// spoilers, code, headings, block quotes, lists, masked links) or a
// mention (<@id>, <@&role>, <#channel>, @everyone, @here). Discord shows
// a backslash before punctuation as the punctuation alone, so escaped
// text reads exactly as written.
//
// The one exception is the [n] labels that citebot checked: label(n)
// reports which are kept as they are; nil keeps none. A kept label is
// never followed by a link target, so it cannot be made clickable.
func escape(text string, label func(n int) bool) string {
	if strings.ContainsFunc(text, isBidiControl) {
		// Dropped first, so that what follows sees the text as shown.
		text = strings.Map(func(r rune) rune {
			if isBidiControl(r) {
				return -1
			}
			return r
		}, text)
	}
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	lineStart := true
	for i := 0; i < len(text); {
		if lineStart {
			i += escapeLineStart(&b, text[i:])
			lineStart = false
			if i >= len(text) {
				break
			}
		}
		c := text[i]
		switch {
		case c == '[':
			if n := keptLabel(text[i:], label); n > 0 {
				b.WriteString(text[i : i+n])
				i += n
				continue
			}
			b.WriteString(`\[`)
		case c == '(' && i > 0 && text[i-1] == ']':
			b.WriteString(`\(`) // never a link target
		case c == '@' && (strings.HasPrefix(text[i+1:], "everyone") || strings.HasPrefix(text[i+1:], "here")):
			b.WriteString("@" + zeroWidthSpace)
		case strings.IndexByte(markdownChars, c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteByte(c)
			lineStart = true
		default:
			_, w := utf8.DecodeRuneInString(text[i:])
			b.WriteString(text[i : i+w])
			i += w
			continue
		}
		i++
	}
	return b.String()
}

// markdownChars are escaped wherever they are.
const markdownChars = "\\*_~`|<>#]"

const zeroWidthSpace = "\u200b"

// isBidiControl reports the invisible characters that reorder how text is
// displayed (U+202A-U+202E, U+2066-U+2069): an article or a model could
// make a citation read backwards. They are dropped.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// escapeLineStart escapes what only means something at the start of a
// line, list markers ("- ", "+ ", "1. "), after any indentation. It
// returns how many bytes of line it wrote.
func escapeLineStart(b *strings.Builder, line string) int {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	b.WriteString(line[:i])
	if i == len(line) {
		return i
	}
	switch c := line[i]; {
	case c == '-' || c == '+':
		b.WriteByte('\\')
		b.WriteByte(c)
		return i + 1
	case c >= '0' && c <= '9':
		j := i
		for j < len(line) && line[j] >= '0' && line[j] <= '9' {
			j++
		}
		if j < len(line) && (line[j] == '.' || line[j] == ')') {
			b.WriteString(line[i:j])
			b.WriteByte('\\')
			b.WriteByte(line[j])
			return j + 1
		}
	}
	return i
}

// keptLabel returns the length of the label "[n]" s starts with, if
// label keeps it, or 0.
func keptLabel(s string, label func(n int) bool) int {
	if label == nil || len(s) < 3 || s[1] < '1' || s[1] > '9' {
		return 0
	}
	n := 0
	for i := 1; i < len(s) && i <= 6; i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			n = n*10 + int(c-'0')
		case c == ']' && i > 1 && label(n):
			return i + 1
		default:
			return 0
		}
	}
	return 0
}

// anyLabel keeps every [n], for a preview whose labels the answer
// service has already checked against the passages.
func anyLabel(int) bool { return true }

// citedLabel keeps the labels of an answer's citations.
func citedLabel(ns []int) func(int) bool {
	return func(n int) bool {
		for _, m := range ns {
			if m == n {
				return true
			}
		}
		return false
	}
}
