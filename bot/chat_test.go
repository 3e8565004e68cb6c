package bot

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

const botID = "1100000000000000001"

func TestParseChat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in     string
		want   chatCommand
		wantOK bool
	}{
		{"!ask Qui a signé ?", chatCommand{cmdAsk, "Qui a signé ?"}, true},
		{"  !ASK   Qui ?  ", chatCommand{cmdAsk, "Qui ?"}, true},
		{"!ask\nQui ?", chatCommand{cmdAsk, "Qui ?"}, true},
		{"!ask", chatCommand{cmdAsk, ""}, true},
		{"!search accord", chatCommand{cmdSearch, "accord"}, true},
		{"!source a.txt ¶3", chatCommand{cmdSource, "a.txt ¶3"}, true},
		{"!reload", chatCommand{cmdReload, ""}, true},
		{"!help", chatCommand{cmdHelp, ""}, true},
		{"!play music", chatCommand{}, false},
		{"!", chatCommand{}, false},
		{"bonjour", chatCommand{}, false},
		{"<@" + botID + "> qui a signé l'accord ?", chatCommand{cmdAsk, "qui a signé l'accord ?"}, true},
		{"<@!" + botID + "> qui ?", chatCommand{cmdAsk, "qui ?"}, true},
		{"qui a signé, <@" + botID + "> ?", chatCommand{cmdAsk, "qui a signé,   ?"}, true},
		{"<@" + botID + ">", chatCommand{cmdHelp, ""}, true},
		{"<@" + botID + "> !search accord", chatCommand{cmdSearch, "accord"}, true},
		{"<@999> qui ?", chatCommand{}, false},
	} {
		got, ok := parseChat(tc.in, "!", botID)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("parseChat(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestParseSource(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		file string
		n    int
		ok   bool
	}{
		{"a.txt ¶3", "a.txt", 3, true},
		{"a.txt¶3", "a.txt", 3, true},
		{"a.txt 3", "a.txt", 3, true},
		{"a.txt #3", "a.txt", 3, true},
		{"a.txt:3", "a.txt", 3, true},
		{"`a.txt ¶3 (lines 4–6)`", "a.txt", 3, true},
		{"dir/my file.txt ¶ 12", "dir/my file.txt", 12, true},
		{"a.txt", "", 0, false},
		{"¶3", "", 0, false},
		{"a.txt ¶0", "", 0, false},
		{"", "", 0, false},
	} {
		file, n, ok := parseSource(tc.in)
		if file != tc.file || n != tc.n || ok != tc.ok {
			t.Errorf("parseSource(%q) = %q, %d, %v; want %q, %d, %v", tc.in, file, n, ok, tc.file, tc.n, tc.ok)
		}
	}
}

func FuzzParseChat(f *testing.F) {
	for _, s := range []string{"!ask qui ?", "<@" + botID + "> qui", "!source a.txt ¶3", "!", "<@!" + botID + ">", "!source `x ¶1 (line 1)`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cmd, ok := parseChat(s, "!", botID)
		if !ok {
			return
		}
		if !slices.Contains(chatCommands, cmd.Name) {
			t.Fatalf("parseChat(%q) = unknown command %q", s, cmd.Name)
		}
		if cmd.Arg != strings.TrimSpace(cmd.Arg) {
			t.Fatalf("parseChat(%q) argument %q is not trimmed", s, cmd.Arg)
		}
		if strings.Contains(cmd.Arg, "<@"+botID+">") {
			t.Fatalf("parseChat(%q) leaves the mention in %q", s, cmd.Arg)
		}
		if utf8.ValidString(s) && !utf8.ValidString(cmd.Arg) {
			t.Fatalf("parseChat(%q) breaks UTF-8: %q", s, cmd.Arg)
		}
		if file, n, ok := parseSource(cmd.Arg); ok && (file == "" || n < 1) {
			t.Fatalf("parseSource(%q) = %q, %d", cmd.Arg, file, n)
		}
	})
}
