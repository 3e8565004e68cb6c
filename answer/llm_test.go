package answer_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"citebot/answer"
	"citebot/internal/indextest"
	"citebot/internal/openaitest"
	"citebot/retrieval"
)

const (
	token  = "sk-test-secret"
	kohavi = "Qui a accueilli le chef d'état-major marocain en Israël ?"
)

// llmService is the real answer service, on the shipped articles, with the
// real go-openai client talking to srv.
func llmService(t *testing.T, srv *openaitest.Server, timeout time.Duration) (*answer.Service, *retrieval.Searcher) {
	t.Helper()
	_, search := indextest.Shipped(t)
	model := answer.NewModel(answer.ModelConfig{APIKey: token, BaseURL: srv.BaseURL(), Model: "test-model",
		Timeout: timeout, Retries: 2})
	return answer.New(search, answer.Options{K: 5, Model: model, Rewrite: true}), search
}

var labelRe = regexp.MustCompile(`\[(\d+)\]`)

// checkValid asserts that every label in the answer names one of its
// citations and every citation is a passage retrieved for the question.
func checkValid(t *testing.T, search *retrieval.Searcher, ans answer.Answer) {
	t.Helper()
	res, err := search.Search(t.Context(), ans.Question, 5)
	if err != nil {
		t.Fatal(err)
	}
	var retrieved []string
	for _, p := range res.Passages {
		retrieved = append(retrieved, p.Ref())
	}
	for _, m := range labelRe.FindAllStringSubmatch(ans.Text, -1) {
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > len(ans.Citations) {
			t.Errorf("label [%d] in %q points outside the %d citations", n, ans.Text, len(ans.Citations))
		}
	}
	for _, c := range ans.Citations {
		if !slices.Contains(retrieved, c.Passage.Ref()) && ans.Mode == answer.LLM {
			t.Errorf("citation %s was not retrieved (retrieved %q)", c.Passage.Ref(), retrieved)
		}
	}
}

func TestLLMScenarios(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		script   openaitest.Script
		stream   bool
		mode     answer.Mode
		grounded bool
		contains string // in the answer text
		note     bool   // a fallback note is shown
		requests int    // requests the server saw
		dropped  int
	}{
		{"good answer", openaitest.Always(openaitest.Reply{Content: "Il a été accueilli par Aviv Kohavi [1]."}), false, answer.LLM, true, "Aviv Kohavi [1]", false, 1, 0},
		{"good answer streamed", openaitest.Always(openaitest.Reply{Content: "Il a été accueilli par Aviv Kohavi [1]."}), true, answer.LLM, true, "Aviv Kohavi [1]", false, 1, 0},
		{"invented citations removed", openaitest.Always(openaitest.Reply{Content: "Aviv Kohavi [7] l'a reçu [2, 9][1]."}), false, answer.LLM, true, "Aviv Kohavi l'a reçu [1][2].", true, 1, 2},
		{"no citation", openaitest.Always(openaitest.Reply{Content: "Aviv Kohavi."}), false, answer.Extractive, true, "« ", true, 1, 0},
		{"only invented citations", openaitest.Always(openaitest.Reply{Content: "Aviv Kohavi [8]."}), false, answer.Extractive, true, "« ", true, 1, 1},
		{"passages do not say", openaitest.Always(openaitest.Reply{Content: "NOT_FOUND"}), false, answer.LLM, false, "ne contiennent pas", false, 1, 0},
		{"429 then success", func(n int, _ openaitest.Request) openaitest.Reply {
			if n == 0 {
				return openaitest.Reply{Status: 429, RetryAfter: "0"}
			}
			return openaitest.Reply{Content: "Aviv Kohavi [1]."}
		}, false, answer.LLM, true, "Kohavi [1]", false, 2, 0},
		{"500 forever", openaitest.Always(openaitest.Reply{Status: 500}), false, answer.Extractive, true, "« ", true, 3, 0},
		{"garbage json", openaitest.Always(openaitest.Reply{Garbage: true}), false, answer.Extractive, true, "« ", true, 1, 0},
		{"empty answer", openaitest.Always(openaitest.Reply{Content: ""}), false, answer.Extractive, true, "« ", true, 1, 0},
		{"stream cut", openaitest.Always(openaitest.Reply{Content: "Il a été accueilli par Aviv Kohavi [1].", CutAfter: 2}), true, answer.Extractive, true, "« ", true, 1, 0},
		{"hang past timeout", openaitest.Always(openaitest.Reply{Hang: true}), false, answer.Extractive, true, "« ", true, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := openaitest.New(t, token, tc.script)
			svc, search := llmService(t, srv, 2*time.Second)
			var partials []string
			var onText func(string)
			if tc.stream {
				onText = func(s string) { partials = append(partials, s) }
			}
			began := time.Now()
			ans, err := svc.AskStream(t.Context(), kohavi, onText)
			if err != nil {
				t.Fatal(err)
			}
			if took := time.Since(began); took > 2*time.Second+3*time.Second {
				t.Errorf("answer took %s, want within the timeout plus a few seconds", took)
			}
			if ans.Mode != tc.mode || ans.Grounded != tc.grounded {
				t.Errorf("mode %s grounded %v, want %s %v (text %q, note %q)", ans.Mode, ans.Grounded, tc.mode, tc.grounded, ans.Text, ans.Note)
			}
			if !strings.Contains(ans.Text, tc.contains) {
				t.Errorf("answer %q does not contain %q", ans.Text, tc.contains)
			}
			if (ans.Note != "") != tc.note {
				t.Errorf("note %q, want a note: %v", ans.Note, tc.note)
			}
			if strings.Contains(ans.Note, token) || strings.Contains(ans.Text, token) {
				t.Errorf("the API key leaked into what the user sees")
			}
			if got := len(srv.Requests()); got != tc.requests {
				t.Errorf("server saw %d requests, want %d", got, tc.requests)
			}
			if ans.DroppedCitations != tc.dropped {
				t.Errorf("dropped %d citations, want %d", ans.DroppedCitations, tc.dropped)
			}
			if tc.stream && tc.mode == answer.LLM && len(partials) < 2 {
				t.Errorf("streamed in %d parts, want several", len(partials))
			}
			for _, r := range srv.Requests() {
				if r.Auth != "Bearer "+token {
					t.Errorf("request authorised with %q", r.Auth)
				}
			}
			checkValid(t, search, ans)
		})
	}
}

// TestLLMNotCalledWhenNothingRelevant: refusals cost no model call.
func TestLLMNotCalledWhenNothingRelevant(t *testing.T) {
	t.Parallel()
	srv := openaitest.New(t, token, openaitest.Always(openaitest.Reply{Content: "Invented [1]."}))
	svc, _ := llmService(t, srv, 2*time.Second)
	for _, q := range []string{"Quel est le prix des drones achetés par le Maroc ?", "Who won the 2022 football World Cup?"} {
		ans, err := svc.Ask(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if ans.Grounded || len(ans.Citations) != 0 {
			t.Errorf("%q: got a grounded answer %q", q, ans.Text)
		}
	}
	// The English question may have asked for search keywords, never for
	// an answer.
	for _, r := range srv.Requests() {
		if r.System != "" {
			t.Errorf("the model was asked to answer: %q", r.User)
		}
	}
}

// TestLLMRewrite: an English question is searched with the model's French
// keywords too.
func TestLLMRewrite(t *testing.T) {
	t.Parallel()
	srv := openaitest.New(t, token, openaitest.Answer("The Polisario Front [1].", "menace Front Polisario Maroc contrer"))
	svc, _ := llmService(t, srv, 2*time.Second)
	ans, err := svc.Ask(t.Context(), "What threat does Morocco want to counter with Israel's defense expertise?")
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].System != "" || !strings.Contains(reqs[1].User, "Polisario") {
		t.Fatalf("requests = %+v, want a rewrite then an answer given the Polisario paragraph", reqs)
	}
	if ans.Mode != answer.LLM || len(ans.Citations) != 1 || !strings.Contains(ans.Citations[0].Passage.Text, "Polisario") {
		t.Errorf("answer %+v, want an llm answer citing the Polisario paragraph", ans)
	}
}

func TestLLMWrongKey(t *testing.T) {
	t.Parallel()
	srv := openaitest.New(t, "another-key", openaitest.Always(openaitest.Reply{Content: "x [1]"}))
	svc, _ := llmService(t, srv, 2*time.Second)
	ans, err := svc.Ask(t.Context(), kohavi)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Mode != answer.Extractive || ans.Note == "" || len(srv.Requests()) != 0 {
		t.Errorf("mode %s note %q after %d requests; want a refused request (not recorded) and an extractive answer", ans.Mode, ans.Note, len(srv.Requests()))
	}
}
