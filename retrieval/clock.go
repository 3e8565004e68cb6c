package retrieval

import (
	"strconv"
	"strings"
)

// clockTimes writes the times of day of normalised text one way, "18h00",
// so that a question and an article that write a time differently find
// each other: French "18h", "18 h 00" and "18h00", English "18:00", "6 pm"
// and "6:00 p.m.". Without it "at 18:00" is the words "18" and "00", which
// no French article holds. Other text is returned as it is.
func clockTimes(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	var b strings.Builder
	last := 0 // s[last:] is not written yet
	for i := 0; i < len(s); {
		if !isDigit(s[i]) || (i > 0 && isWordByte(s[i-1])) {
			i++
			continue
		}
		end, text, ok := clockAt(s, i)
		if !ok {
			// Skip the rest of this number, so that "2018h" is not read
			// as "18h" from its middle.
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:i])
		b.WriteString(text)
		last, i = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// clockAt reads a time of day starting at s[i], a digit: the hour, then
// "h" or ":" with minutes, an "h" alone, or an am/pm mark. It returns
// where the time ends and how it is written.
func clockAt(s string, i int) (end int, text string, ok bool) {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j-i > 2 {
		return 0, "", false
	}
	hour, _ := strconv.Atoi(s[i:j])
	minute := 0
	k := skipSpace(s, j)
	switch {
	case k < len(s) && s[k] == ':':
		// "18:00": minutes are required, or "3:2" (a score) would be a time.
		m := skipSpace(s, k+1)
		if m+2 > len(s) || !isDigit(s[m]) || !isDigit(s[m+1]) || (m+2 < len(s) && isWordByte(s[m+2])) {
			return 0, "", false
		}
		minute, _ = strconv.Atoi(s[m : m+2])
		end = m + 2
	case k < len(s) && s[k] == 'h' && (k+1 == len(s) || !isLetter(s[k+1])):
		// "18h", "18 h", "18h00", "18 h 30"; not "18 habitants".
		end = k + 1
		m := skipSpace(s, end)
		switch {
		case m+2 <= len(s) && isDigit(s[m]) && isDigit(s[m+1]) && (m+2 == len(s) || !isWordByte(s[m+2])):
			minute, _ = strconv.Atoi(s[m : m+2])
			end = m + 2
		case m == end && m < len(s) && isDigit(s[m]):
			return 0, "", false // "18h0", "18h000": not written as a time
		}
	default:
		end = j
	}
	// An am/pm mark makes a bare hour a time ("6 pm") and moves the
	// afternoon's hours.
	if m := skipSpace(s, end); m < len(s) {
		if n, pm, found := meridiem(s[m:]); found && hour >= 1 && hour <= 12 {
			switch {
			case pm && hour < 12:
				hour += 12
			case !pm && hour == 12:
				hour = 0
			}
			end = m + n
		} else if end == j {
			return 0, "", false // a number, not a time
		}
	} else if end == j {
		return 0, "", false
	}
	if hour > 23 || minute > 59 {
		return 0, "", false
	}
	return end, strconv.Itoa(hour) + "h" + strconv.Itoa(minute/10) + strconv.Itoa(minute%10), true
}

// meridiem reads "am", "pm", "a.m." or "p.m." at the start of s, followed
// by the end of a word.
func meridiem(s string) (n int, pm, ok bool) {
	for _, m := range []string{"a.m.", "p.m.", "am", "pm"} {
		if strings.HasPrefix(s, m) && (len(s) == len(m) || !isWordByte(s[len(m)])) {
			return len(m), m[0] == 'p', true
		}
	}
	return 0, false, false
}

func skipSpace(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isLetter reports whether c is an ASCII letter or starts a multi-byte
// character, which in French text is most likely an accented letter.
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80 }

func isWordByte(c byte) bool { return isDigit(c) || isLetter(c) || c == '_' }
