package bot

import "strings"

// DefaultMaxMessages is how many messages one reply may take at most,
// unless Config.MaxMessages says otherwise.
const DefaultMaxMessages = 4

// bounded lays body and then tail out as at most max messages. When they
// need more, body is cut: the messages kept end with note, which says so
// and where to read the rest, and then tail (an answer's Sources), which
// is never cut unless it alone is too long.
func bounded(body, tail, note string, max int) []part {
	max = maxOf(max)
	full := split(joinParas(body, tail), MaxContent)
	if len(full) <= max {
		return asParts(full)
	}
	end := split(joinParas(note, tail), MaxContent)
	if len(end) >= max {
		end = split(note, MaxContent)
	}
	keep := max - len(end)
	if keep < 1 {
		// One message: the beginning of body, then the note.
		room := MaxContent - length(note) - len("…\n\n")
		return asParts([]string{strings.TrimSpace(unsplitEscape(prefixWithin(body, room))) + "…\n\n" + note})
	}
	kept := split(body, MaxContent)[:keep]
	return asParts(append(kept, end...))
}

// capParts is the last guard of send: a reply whose renderer did not
// bound it keeps max parts, the last one marked as cut.
func capParts(parts []part, max int) []part {
	max = maxOf(max)
	if len(parts) <= max {
		return parts
	}
	const mark = "\n-# ✂️ …"
	out := append([]part(nil), parts[:max]...)
	last := &out[max-1]
	last.Content = unsplitEscape(prefixWithin(last.Content, MaxContent-length(mark))) + mark
	last.Components = parts[len(parts)-1].Components
	return out
}

func maxOf(max int) int {
	if max < 1 {
		return DefaultMaxMessages
	}
	return max
}

// unsplitEscape drops a backslash that a cut left at the end of s, where
// it would show instead of escaping what followed it.
func unsplitEscape(s string) string {
	n := len(s) - len(strings.TrimRight(s, `\`))
	if n%2 == 1 {
		return s[:len(s)-1]
	}
	return s
}

func joinParas(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n\n" + b
}

func asParts(texts []string) []part {
	parts := make([]part, 0, len(texts))
	for _, t := range texts {
		parts = append(parts, part{Content: t})
	}
	return parts
}
