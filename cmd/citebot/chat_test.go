package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// chatCLI runs citebot chat with stdin as its input (not a terminal).
func chatCLI(t *testing.T, db, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(t.Context(), append([]string{"chat", "--db", db}, args...), func(string) string { return "" },
		strings.NewReader(stdin), &out, &errb)
	if err != nil {
		errb.WriteString("citebot: " + err.Error() + "\n")
	}
	return out.String(), errb.String(), exitCode(err)
}

func TestChatJSONLines(t *testing.T) {
	t.Parallel()
	in := strings.Join([]string{
		"Quel accord Benny Gantz a-t-il signé à Rabat ?",
		"Et quand a-t-il été signé ?",
		"",
		"/reset",
		"Et quand a-t-il été signé ?",
	}, "\n")
	for _, args := range [][]string{nil, {"--json"}} {
		out, errOut, code := chatCLI(t, tempDB(t), in, args...)
		if code != 0 {
			t.Fatalf("chat %v: exit %d: %s", args, code, errOut)
		}
		var lines []json.RawMessage
		sc := bufio.NewScanner(strings.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines = append(lines, json.RawMessage(sc.Text()))
		}
		if len(lines) != 3 {
			t.Fatalf("chat %v: %d lines, want one per question (3):\n%s", args, len(lines), out)
		}
		type line struct {
			Question  string `json:"question"`
			Answer    string `json:"answer"`
			Grounded  bool   `json:"grounded"`
			Note      string `json:"note"`
			Turn      int    `json:"turn"`
			Citations []struct {
				File string `json:"file"`
				Text string `json:"text"`
			} `json:"citations"`
		}
		var got []line
		for _, raw := range lines {
			var l line
			if err := json.Unmarshal(raw, &l); err != nil {
				t.Fatalf("not a JSON object: %s", raw)
			}
			for _, k := range []string{"question", "answer", "grounded", "mode", "citations", "turn", "dropped_citations", "unsupported_sentences"} {
				if !slices.Contains(keys(t, raw), k) {
					t.Errorf("chat line lacks %q: %s", k, raw)
				}
			}
			got = append(got, l)
		}
		if turns := []int{got[0].Turn, got[1].Turn, got[2].Turn}; !slices.Equal(turns, []int{1, 2, 1}) {
			t.Errorf("turns %v, want [1 2 1] (/reset starts over)", turns)
		}
		dated := false
		for _, c := range got[1].Citations {
			dated = dated || (c.File == "002_2352071ffc99a4ce.txt" && strings.Contains(c.Text, "24 novembre 2021"))
		}
		if !got[1].Grounded || !strings.Contains(got[1].Answer, "24 novembre 2021") || !dated {
			t.Errorf("follow-up: %+v; want the date, citing the agreement's article", got[1])
		}
		if !strings.Contains(got[1].Note, "compris") || strings.Contains(got[2].Note, "compris") {
			t.Errorf("notes %q, %q: want what the follow-up was understood as, and nothing after /reset", got[1].Note, got[2].Note)
		}
	}
}

func TestChatRefusesArguments(t *testing.T) {
	t.Parallel()
	_, _, code := chatCLI(t, tempDB(t), "", "Qui ?")
	if code != 2 {
		t.Errorf("chat with a question argument: exit %d, want 2", code)
	}
}
