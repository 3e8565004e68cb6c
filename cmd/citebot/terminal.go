package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// termSafe is s as a terminal should show text from an article, a model
// or a file name: as characters, never as commands. Control characters
// (C0 but the tab, DEL, C1), which could set the window title, write the
// clipboard (OSC 52), move the cursor or clear the screen, are shown
// escaped (\x1b, \u009b), as are invalid UTF-8 bytes and the bidi controls
// that reorder a line. A newline is shown as \n: text that may hold lines
// goes through termLines.
func termSafe(s string) string {
	i := strings.IndexFunc(s, unsafeRune)
	if i < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && w == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

// unsafeRune reports whether r may act on a terminal instead of showing.
func unsafeRune(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// termLines is termSafe for text whose line breaks are meant: each line
// is made safe and the breaks kept.
func termLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = termSafe(l)
	}
	return strings.Join(lines, "\n")
}
