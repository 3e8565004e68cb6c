package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"citebot/retrieval"
)

func TestTermSafe(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"Le général est accueilli.\tFin", "Le général est accueilli.\tFin"},
		{"\x1b]52;c;ZXZpbA==\x07", `\x1b]52;c;ZXZpbA==\x07`},
		{"\x1b]0;pwned\x1b\\titre", `\x1b]0;pwned\x1b\titre`},
		{"\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
		{"\u009b2J", `\u009b2J`},
		{"evil\nname.txt", `evil\nname.txt`},
		{"a\rb\x7f\x00", `a\rb\x7f\x00`},
		{"abc\u202eexe.txt", `abc\u202eexe.txt`},
		{"bad \xff\xfe utf-8", `bad \xff\xfe utf-8`},
	} {
		if got := termSafe(tc.in); got != tc.want {
			t.Errorf("termSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := termLines("a\x1b[2J\nb"); got != "a\\x1b[2J\nb" {
		t.Errorf("termLines kept %q", got)
	}
}

// controls counts what in s a terminal would act on: control characters
// but newline and tab, DEL, C1 and invalid UTF-8.
func controls(s string) int {
	n := 0
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && w == 1) || (r != '\n' && unsafeRune(r)) {
			n++
		}
		i += w
	}
	return n
}

func FuzzTermSafe(f *testing.F) {
	for _, s := range []string{"\x1b]52;c;eA==\x07", "a\nb", "\u009b", "\xff", "é\t", "\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := termSafe(s)
		if n := controls(got); n > 0 || strings.Contains(got, "\n") {
			t.Fatalf("termSafe(%q) = %q keeps %d control characters", s, got, n)
		}
		if controls(s) == 0 && !strings.Contains(s, "\n") && got != s {
			t.Fatalf("termSafe(%q) = %q changed harmless text", s, got)
		}
		if lines := termLines(s); controls(lines) > 0 || strings.Count(lines, "\n") != strings.Count(s, "\n") {
			t.Fatalf("termLines(%q) = %q", s, lines)
		}
	})
}

// TestHostileArticleOnTerminal: an article that sets the window title,
// writes the clipboard and clears the screen, in a file whose name holds
// a newline, reaches the terminal as text through index, search and ask.
func TestHostileArticleOnTerminal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const name = "zeppelin\n  + faux.txt"
	text := "Le zeppelin Klaxovia a atterri à Rabat \x1b]0;pwned\x07 après trois jours \x1b]52;c;ZXZpbA==\x07.\n\n" +
		"Ses passagers \x1b[2J\x1b[H ont été accueillis \u009b2J par le maire \x7f\x1b[31m.\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	db := tempDB(t)
	env := map[string]string{"CITEBOT_CORPUS": dir}
	total := 0
	for _, args := range [][]string{
		{"index", "--db", db},
		{"search", "--db", db, "zeppelin Klaxovia passagers"},
		{"ask", "--db", db, "Où le zeppelin Klaxovia a-t-il atterri ?"},
	} {
		out, errOut, code := cli(t, env, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", args[0], code, errOut)
		}
		n := controls(out) + controls(errOut)
		total += n
		if n > 0 {
			t.Errorf("%s printed %d control characters:\n%q", args[0], n, out)
		}
		if !strings.Contains(out, `zeppelin\n  + faux.txt`) {
			t.Errorf("%s does not show the file name escaped:\n%s", args[0], out)
		}
		if strings.Contains(out, "\n  + faux.txt") {
			t.Errorf("%s lets the file name fake a line:\n%s", args[0], out)
		}
	}
	t.Logf("control characters printed from article and file-name text: %d", total)
}

// TestCite: a citation names the article, and its title and source reach
// the terminal as characters only.
func TestCite(t *testing.T) {
	t.Parallel()
	p := retrieval.Passage{File: "a.txt", Paragraph: 2, LineStart: 3, LineEnd: 3}
	for _, tc := range []struct {
		title, source, date, want string
	}{
		{"", "", "", "a.txt ¶2 (line 3)"},
		{"Un titre", "", "", "Un titre — a.txt ¶2 (line 3)"},
		{"Un titre", "Le360", "2021-11-24", "Un titre (Le360, 2021-11-24) — a.txt ¶2 (line 3)"},
		{"\x1b]0;pwned\x07Titre", "\u202eSource", "", `\x1b]0;pwned\x07Titre (\u202eSource) — a.txt ¶2 (line 3)`},
	} {
		p.Title, p.Source, p.Date = tc.title, tc.source, tc.date
		if got := cite(p); got != tc.want {
			t.Errorf("cite(%q, %q, %q) = %q, want %q", tc.title, tc.source, tc.date, got, tc.want)
		}
	}
}
