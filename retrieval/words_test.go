package retrieval

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// wordsByRunes is Words as it was before its ASCII fast path: every rune
// decoded and classified by the Unicode tables, every word's runes
// counted. The fast path must give exactly what it gives.
func wordsByRunes(s string) []string {
	var words []string
	add := func(w string) {
		if utf8.RuneCountInString(w) <= maxWordRunes {
			words = append(words, w)
		}
	}
	start := -1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case inWord && start < 0:
			if w, end, ok := acronymAt(s, i); ok {
				add(w)
				i = end
				continue
			}
			start = i
		case !inWord && start >= 0:
			add(s[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		add(s[start:])
	}
	return words
}

// wordsCases mix ASCII and other letters, digits, marks, punctuation,
// acronyms, invalid UTF-8 and words about maxWordRunes long.
var wordsCases = []string{
	"", "a", "Le chef d’état-major de l'armée, Aviv Kohavi, à 18h45.",
	"les f.a.r. et l'o.n.u", "F.A.R.", "j. k. rowling", "a.b2", "é.t.é", "x.", ".x",
	"Ça coûte 12,5 € (œuvre n°3) — «très» cher!", "naïve café Zoë São Paulo Łódź",
	"e\u0301te\u0301 \u0301x", "Ελλάδα Россия 東京 ١٢٣ ²³ ½", "a_b a-b a'b a`b a~b",
	"\xff\xfeabc\xc3", "abc\x00def", "@#$%^&*()[]{}|\\/<>?",
	strings.Repeat("x", maxWordRunes) + " " + strings.Repeat("y", maxWordRunes+1),
	strings.Repeat("é", maxWordRunes) + " " + strings.Repeat("é", maxWordRunes+1),
	strings.Repeat("é", maxWordRunes/2+1) + " " + strings.Repeat("ab", maxWordRunes/2+1),
	"ABCxyz019 \t\n\r AZaz09 @[`{/:",
}

func TestWordsFastPath(t *testing.T) {
	t.Parallel()
	for _, s := range wordsCases {
		if got, want := Words(s), wordsByRunes(s); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q, want %q", s, got, want)
		}
	}
	for c := range utf8.RuneSelf {
		r := rune(c)
		if got, want := isASCIIWordByte(byte(c)), unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r); got != want {
			t.Errorf("isASCIIWordByte(%q) = %v, want %v", r, got, want)
		}
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range wordsCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Words(s), wordsByRunes(s); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q, want %q", s, got, want)
		}
	})
}
