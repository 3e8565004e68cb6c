package bot

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// shown is what Discord displays for escaped text: a backslash before
// punctuation shows the punctuation alone. Zero-width spaces, which
// escape adds after @, are invisible and dropped on both sides.
func shown(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(escapable, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return strings.ReplaceAll(b.String(), zeroWidthSpace, "")
}

const escapable = "\\*_~`|<>#[]()-+.@"

// checkEscaped fails if out holds anything Discord would read as markdown
// or a mention, other than the labels keep allows.
func checkEscaped(t *testing.T, in, out string, keep func(int) bool) {
	t.Helper()
	want := strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, strings.ReplaceAll(in, zeroWidthSpace, ""))
	if strings.ContainsFunc(out, isBidiControl) {
		t.Fatalf("escape(%q) = %q: a bidi control remains", in, out)
	}
	if got := shown(out); got != want {
		t.Fatalf("escape(%q) = %q, which shows as %q", in, out, got)
	}
	lineStart := true
	for i := 0; i < len(out); i++ {
		c := out[i]
		if lineStart {
			rest := strings.TrimLeft(out[i:], " \t")
			if listItem.MatchString(rest) {
				t.Fatalf("escape(%q) = %q: a line starts a list", in, out)
			}
			lineStart = false
		}
		switch {
		case c == '\\':
			if i+1 >= len(out) || strings.IndexByte(escapable, out[i+1]) < 0 {
				t.Fatalf("escape(%q) = %q: backslash at %d escapes nothing", in, out, i)
			}
			i++
		case c == '[':
			n := keptLabel(out[i:], keep)
			if n == 0 {
				t.Fatalf("escape(%q) = %q: unescaped [ at %d", in, out, i)
			}
			i += n - 1
			if i+1 < len(out) && out[i+1] == '(' {
				t.Fatalf("escape(%q) = %q: a label is a link", in, out)
			}
		case strings.IndexByte("*_~`|<>#]", c) >= 0:
			t.Fatalf("escape(%q) = %q: unescaped %q at %d", in, out, c, i)
		case c == '\n':
			lineStart = true
		}
	}
	for _, m := range []string{"@everyone", "@here"} {
		if strings.Contains(out, m) {
			t.Fatalf("escape(%q) = %q: %s", in, out, m)
		}
	}
}

var listItem = regexp.MustCompile(`^([-+]|\d+[.)])`)

func TestEscape(t *testing.T) {
	t.Parallel()
	keep1 := citedLabel([]int{1})
	for _, tc := range []struct{ in, want string }{
		{"Aviv Kohavi [1].", "Aviv Kohavi [1]."},
		{"[Aviv Kohavi [1]](http://evil.example)", `\[Aviv Kohavi [1]\]\(http://evil.example)`},
		{"[1](http://evil.example)", `[1]\(http://evil.example)`},
		{"un [2] inventé", `un \[2\] inventé`},
		{"# Titre", `\# Titre`},
		{"-# petit", `\-\# petit`},
		{"> cité\n>>> tout", "\\> cité\n\\>\\>\\> tout"},
		{"- a\n  + b\n12. c", "\\- a\n  \\+ b\n12\\. c"},
		{"**a** __b__ ~~c~~ ||d|| `e` *f* _g_", `\*\*a\*\* \_\_b\_\_ \~\~c\~\~ \|\|d\|\| \` + "`e\\`" + ` \*f\* \_g\_`},
		{"<@123> <@&1> <#1> <t:1:R>", `\<@123\> \<@&1\> \<\#1\> \<t:1:R\>`},
		{"@everyone et @here", "@\u200beveryone et @\u200bhere"},
		{`C:\dossier`, `C:\\dossier`},
		{"l’an 2023. Puis", "l’an 2023. Puis"},
	} {
		got := escape(tc.in, keep1)
		if got != tc.want {
			t.Errorf("escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
		checkEscaped(t, tc.in, got, keep1)
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{
		"[Aviv Kohavi [1]](http://evil.example)", "# a\n- b\n1. c\n> d", "||x|| **y** `z` @everyone <@1>",
		"[1][2][10](x)", `\[1]`, "a\\", "[", "1.", "\n\n-", "[0] [01] [1234567]", "fichier\u202etxt.exe [1]",
	} {
		f.Add(s, 1)
	}
	f.Fuzz(func(t *testing.T, s string, label int) {
		if !utf8.ValidString(s) {
			return // Discord only takes UTF-8
		}
		for _, keep := range []func(int) bool{nil, citedLabel([]int{label}), anyLabel} {
			checkEscaped(t, s, escape(s, keep), keep)
		}
	})
}
