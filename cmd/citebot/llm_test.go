package main

import (
	"encoding/json"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"citebot/internal/openaitest"
)

func TestAskLLM(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		script openaitest.Script
		mode   string
		note   bool
	}{
		{"model answers", openaitest.Always(openaitest.Reply{Content: "Aviv Kohavi l'a accueilli [1] [4]."}), "llm", false},
		{"model invents sources", openaitest.Always(openaitest.Reply{Content: "Aviv Kohavi [1][12] [40]."}), "llm", true},
		{"model cites nothing", openaitest.Always(openaitest.Reply{Content: "Aviv Kohavi."}), "extractive", true},
		{"server fails", openaitest.Always(openaitest.Reply{Status: 503}), "extractive", true},
		{"server hangs", openaitest.Always(openaitest.Reply{Hang: true}), "extractive", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := openaitest.New(t, "sk-cli", tc.script)
			env := map[string]string{
				"OPENAI_BASE_URL": srv.BaseURL(), "OPENAI_API_KEY": "sk-cli", "OPENAI_MODEL": "m",
				"CITEBOT_LLM_TIMEOUT": "1s", "CITEBOT_LLM_RETRIES": "1",
			}
			began := time.Now()
			out, errOut, code := cli(t, env, "ask", "--db", tempDB(t), "--json", "Qui a accueilli le chef d'état-major marocain en Israël ?")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if took := time.Since(began); took > 1*time.Second+3*time.Second {
				t.Errorf("took %s, want within the 1s timeout plus a few seconds", took)
			}
			var got jsonAnswer
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			if string(got.Mode) != tc.mode || (got.Note != "") != tc.note {
				t.Errorf("mode %q note %q; want %q, note %v", got.Mode, got.Note, tc.mode, tc.note)
			}
			if strings.Contains(out+errOut, "sk-cli") {
				t.Errorf("the API key appears in the output")
			}
			// Every label points at a citation, and each citation is a
			// paragraph retrieved for the question.
			retrieved, _, _ := cli(t, nil, "search", "--db", tempDB(t), "--json", "Qui a accueilli le chef d'état-major marocain en Israël ?")
			for _, c := range got.Citations {
				if !strings.Contains(retrieved, `"file": "`+c.File+`",
      "paragraph": `+itoa(c.Paragraph)) {
					t.Errorf("cited %s ¶%d, which was not retrieved", c.File, c.Paragraph)
				}
			}
			for _, m := range labelRe.FindAllStringSubmatch(got.Answer, -1) {
				if n := atoi(m[1]); n < 1 || n > len(got.Citations) {
					t.Errorf("answer %q has label [%d] with %d citations", got.Answer, n, len(got.Citations))
				}
			}
		})
	}
}

// TestAskLLMServerDown: nothing listens at the configured address.
func TestAskLLMServerDown(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	env := map[string]string{"OPENAI_BASE_URL": "http://" + addr + "/v1", "CITEBOT_LLM_TIMEOUT": "2s"}
	out, errOut, code := cli(t, env, "ask", "--db", tempDB(t), "--json", "Qui est le général Belheir ?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got jsonAnswer
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Mode != "extractive" || got.Note == "" || !got.Grounded {
		t.Errorf("got %+v, want a labelled extractive answer", got)
	}
}

var labelRe = regexp.MustCompile(`\[(\d+)\]`)

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// TestEvalLLM scores answers written through the model: a model that
// copies the cited sentences is asked for the answerable question only,
// and the unanswerable one never reaches it.
func TestEvalLLM(t *testing.T) {
	t.Parallel()
	srv := openaitest.New(t, "sk-eval", openaitest.Copier(1))
	env := map[string]string{"OPENAI_BASE_URL": srv.BaseURL(), "OPENAI_API_KEY": "sk-eval", "OPENAI_MODEL": "m", "CITEBOT_LLM_TIMEOUT": "5s"}
	out, errOut, code := cli(t, env, "eval", "--db", tempDB(t), "--json", "--llm", "-v", "--foreign", "testdata/foreign.jsonl", "testdata/shipped.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m struct {
		AnswerAccuracy       float64 `json:"answer_accuracy"`
		ForeignGroundingRate float64 `json:"foreign_grounding_rate"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if m.AnswerAccuracy != 1 || m.ForeignGroundingRate != 0 {
		t.Errorf("through the model: answer accuracy %v, foreign grounded %v; want 1, 0\n%s", m.AnswerAccuracy, m.ForeignGroundingRate, errOut)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d model requests, want 2 (one per answerable question, none for the foreign ones)", n)
	}
}
