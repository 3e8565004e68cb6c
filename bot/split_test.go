package bot

import (
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	t.Parallel()
	para := strings.Repeat("Une phrase assez longue pour remplir [1]. ", 20)
	for _, tc := range []struct {
		name  string
		text  string
		max   int
		check func(t *testing.T, parts []string)
	}{
		{"short", "Bonjour [1].", 2000, wantParts(1)},
		{"paragraphs", para + "\n\n" + para + "\n\n" + para, 2000, wantParts(2)},
		{"sentences", strings.Repeat("Il a signé l’accord [2]. ", 200), 500, nil},
		{"one long word", strings.Repeat("x", 450), 100, wantParts(5)},
		{"citation at the edge", strings.Repeat("a", 95) + " [12] b", 100, nil},
		{"long code block", "Voici :\n\n```go\n" + strings.Repeat("fmt.Println(\"[1]\")\n", 200) + "```\nFin [1].", 500, nil},
		{"emoji count double", strings.Repeat("🙂", 1500), 2000, wantParts(2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := split(tc.text, tc.max)
			checkParts(t, tc.text, parts, tc.max)
			if tc.check != nil {
				tc.check(t, parts)
			}
		})
	}
}

func wantParts(n int) func(*testing.T, []string) {
	return func(t *testing.T, parts []string) {
		t.Helper()
		if len(parts) != n {
			t.Errorf("%d parts, want %d", len(parts), n)
		}
	}
}

// checkParts checks what split promises: parts within max, code blocks
// balanced in each, no citation cut, and no text lost.
func checkParts(t *testing.T, text string, parts []string, max int) {
	t.Helper()
	for i, p := range parts {
		if n := length(p); n > max || n == 0 {
			t.Errorf("part %d is %d long (max %d)", i, n, max)
		}
		if strings.Count(p, fence)%2 != 0 {
			t.Errorf("part %d leaves a code block open: %q", i, p)
		}
		if open := strings.LastIndexByte(p, '['); open >= 0 && len(p)-open <= maxCite && !strings.Contains(p[open:], "]") {
			t.Errorf("part %d ends inside a citation: %q", i, p[open:])
		}
	}
	strip := func(s string) string {
		s = strings.ReplaceAll(s, fence, "")
		s = strings.ReplaceAll(s, "go\n", "")
		return strings.Join(strings.Fields(s), "")
	}
	if got, want := strip(strings.Join(parts, "")), strip(text); got != want {
		t.Errorf("text changed by splitting:\n got %.200q\nwant %.200q", got, want)
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("Bonjour [1]. Au revoir [2].\n\n```\ncode\n```", 40)
	f.Add(strings.Repeat("mot ", 100), 30)
	f.Fuzz(func(t *testing.T, text string, max int) {
		if max < 20 || max > 3000 {
			return
		}
		for _, p := range split(text, max) {
			if length(p) > max {
				t.Fatalf("part %q is over %d", p, max)
			}
		}
	})
}
