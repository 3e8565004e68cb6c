package dictd

import (
	"strings"
	"unicode"
)

// Entry is a dictionary entry reduced to what a translator needs.
type Entry struct {
	// Headword as the entry's first line writes it, case and accents
	// kept (the index lowercases it and may drop punctuation).
	Headword string
	// Translations in the order given, numbered senses flattened, each a
	// word or phrase with pronunciations, grammatical notes and glosses
	// removed.
	Translations []string
}

// ParseEntry reads a FreeDict entry body as dictd stores it:
//
//	abandon /əbændən/ <v>
//	1. abdiquer
//	2. abandonner, délaisser, livrer
//
// The first line is the headword with an optional pronunciation between
// slashes and grammatical notes between angle brackets; each following
// line is a sense, numbered or not, whose translations are separated by
// commas or semicolons. Glosses in parentheses or brackets are dropped.
func ParseEntry(body string) Entry {
	body = strings.ReplaceAll(body, "\r", "")
	first, rest, _ := strings.Cut(strings.TrimLeft(body, "\n"), "\n")
	e := Entry{Headword: headword(first)}
	seen := make(map[string]bool)
	for line := range strings.SplitSeq(rest, "\n") {
		line = stripSenseNumber(strings.TrimSpace(line))
		line = stripDelimited(line, '<', '>')
		line = stripDelimited(line, '(', ')')
		line = stripDelimited(line, '[', ']')
		line = stripDelimited(line, '/', '/')
		for t := range strings.FieldsFuncSeq(line, func(r rune) bool { return r == ',' || r == ';' }) {
			t = clean(t)
			if t != "" && !seen[t] {
				seen[t] = true
				e.Translations = append(e.Translations, t)
			}
		}
	}
	return e
}

// headword is the first line without its pronunciation and notes.
func headword(line string) string {
	if i := strings.Index(line, " /"); i >= 0 {
		line = line[:i]
	}
	return clean(stripDelimited(line, '<', '>'))
}

// stripSenseNumber drops a leading "1. " or "12. ".
func stripSenseNumber(line string) string {
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i > 0 && i < len(line) && line[i] == '.' {
		return strings.TrimSpace(line[i+1:])
	}
	return line
}

// stripDelimited removes every span from open to the next close, both
// included; an open without a close is kept as text, since a lone slash
// or parenthesis is more likely punctuation than a note.
func stripDelimited(s string, open, close byte) string {
	if strings.IndexByte(s, open) < 0 {
		return s // the common case, without copying
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, open)
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], close)
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		s = s[i+1+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// clean trims a translation and collapses its spaces; one made only of
// punctuation, or an ellipsis, is dropped.
func clean(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, " .…!?:\"")
	if !strings.ContainsFunc(s, unicode.IsLetter) {
		return ""
	}
	return s
}
