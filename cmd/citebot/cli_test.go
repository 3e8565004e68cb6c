package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"citebot/store"

	_ "github.com/mattn/go-sqlite3"
)

// cli runs the program as a user would, with env as the whole environment.
func cli(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(t.Context(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	if err != nil {
		errb.WriteString("citebot: " + err.Error() + "\n")
	}
	return out.String(), errb.String(), exitCode(err)
}

func tempDB(t *testing.T) string { return filepath.Join(t.TempDir(), "index.db") }

// keys lists a JSON object's field names, sorted.
func keys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not a JSON object: %s", raw)
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestAskJSONContract(t *testing.T) {
	t.Parallel()
	out, errOut, code := cli(t, nil, "ask", "--db", tempDB(t), "--json", "Qui a accueilli le chef d'état-major marocain en Israël ?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Question  string `json:"question"`
		Answer    string `json:"answer"`
		Grounded  bool   `json:"grounded"`
		Mode      string `json:"mode"`
		Citations []struct {
			File      string `json:"file"`
			Paragraph int    `json:"paragraph"`
			Lines     [2]int `json:"lines"`
			Title     string `json:"title"`
			Text      string `json:"text"`
		} `json:"citations"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"question", "answer", "grounded", "mode", "citations"} {
		if !slices.Contains(keys(t, json.RawMessage(out)), k) {
			t.Errorf("ask --json lacks %q", k)
		}
	}
	if !got.Grounded || got.Mode != "extractive" || !strings.Contains(got.Answer, "Aviv Kohavi") {
		t.Errorf("got grounded=%v mode=%q answer=%q; want a grounded extractive answer naming Aviv Kohavi", got.Grounded, got.Mode, got.Answer)
	}
	if len(got.Citations) == 0 || got.Citations[0].File != "000_9fa98d75917ce04d.txt" || got.Citations[0].Paragraph != 1 {
		t.Fatalf("citations = %+v, want 000_9fa98d75917ce04d.txt ¶1 first", got.Citations)
	}
	if c := got.Citations[0]; c.Lines != [2]int{1, 1} || !strings.Contains(c.Text, "Aviv Kohavi") {
		t.Errorf("citation = %+v, want lines [1 1] and the paragraph's text", c)
	}
	if c := got.Citations[0]; c.Title != "Le chef d’état-major de l’armée marocaine est en visite en Israël" {
		t.Errorf("citation title = %q, want the article's headline", c.Title)
	}
}

// TestJSONCitationsNameTheArticle: every paragraph the JSON cites, as a
// source or as one of the nearest, carries its article's title and a
// date field.
func TestJSONCitationsNameTheArticle(t *testing.T) {
	t.Parallel()
	db := tempDB(t)
	for _, q := range []string{
		"Qui a accueilli le chef d'état-major marocain en Israël ?",
		"Quand l'accord de défense entre le Maroc et Israël a-t-il été signé ?",
		"Où Benny Gantz s'est-il rendu à 18h00 ?",
		"Quel âge a le général Belkhir ?", // refused: the nearest paragraphs
	} {
		out, errOut, code := cli(t, nil, "ask", "--db", db, "--json", q)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", q, code, errOut)
		}
		var got struct {
			Citations []map[string]any `json:"citations"`
			Nearest   []map[string]any `json:"nearest"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Citations)+len(got.Nearest) == 0 {
			t.Errorf("%s: nothing cited", q)
		}
		for _, c := range append(got.Citations, got.Nearest...) {
			if title, _ := c["title"].(string); title == "" {
				t.Errorf("%s: %v ¶%v has no title", q, c["file"], c["paragraph"])
			}
			if _, ok := c["date"].(string); !ok {
				t.Errorf("%s: %v ¶%v has no date field", q, c["file"], c["paragraph"])
			}
		}
	}
}

func TestAskHuman(t *testing.T) {
	t.Parallel()
	out, errOut, code := cli(t, nil, "ask", "--db", tempDB(t), "Qui a accueilli le chef d'état-major marocain en Israël ?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Aviv Kohavi", "Sources",
		"[1] Le chef d’état-major de l’armée marocaine est en visite en Israël (TIMES OF ISRAEL) — 000_9fa98d75917ce04d.txt ¶1 (line 1)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAskRefuses(t *testing.T) {
	t.Parallel()
	out, _, code := cli(t, nil, "ask", "--db", tempDB(t), "--json", "Who won the 2022 football World Cup?")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got jsonAnswer
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Grounded || len(got.Citations) != 0 || !strings.Contains(got.Answer, "do not answer") {
		t.Errorf("got %+v, want an English refusal with no citations", got)
	}
}

func TestSearchJSONContract(t *testing.T) {
	t.Parallel()
	out, errOut, code := cli(t, nil, "search", "--db", tempDB(t), "--json", "-k", "3", "Kochavi")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Query   string            `json:"query"`
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Query != "Kochavi" || len(got.Results) == 0 || len(got.Results) > 3 {
		t.Fatalf("query %q, %d results; want Kochavi, 1..3", got.Query, len(got.Results))
	}
	want := []string{"date", "file", "lines", "paragraph", "rank", "score", "text", "title"}
	for _, r := range got.Results {
		// source and url are there when the article gives them.
		k := slices.DeleteFunc(keys(t, r), func(k string) bool { return k == "source" || k == "url" })
		if !reflect.DeepEqual(k, want) {
			t.Errorf("result fields = %q, want %q", k, want)
		}
		var res jsonResult
		if err := json.Unmarshal(r, &res); err != nil || res.Title == "" {
			t.Errorf("result %s has no title (%v)", r, err)
		}
	}
}

// TestHostileQueriesCLI: no input ends in an internal error.
func TestHostileQueriesCLI(t *testing.T) {
	t.Parallel()
	db := tempDB(t)
	for _, q := range []string{`"`, `NEAR(a b)`, `* OR ^`, `title:x`, `'; DROP TABLE paragraphs; --`, "\x00\x01", "🤖", strings.Repeat("é", 10_000)} {
		for _, cmd := range []string{"search", "ask"} {
			_, errOut, code := cli(t, nil, cmd, "--db", db, "--json", "--", q)
			if code == 1 {
				t.Errorf("%s %q: exit 1 (internal error): %s", cmd, q, errOut)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	foreign := filepath.Join(t.TempDir(), "other.db")
	other, err := sql.Open("sqlite3", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Exec("CREATE TABLE accounts(id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	other.Close()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string // in stderr
	}{
		{"no command", nil, nil, 2, "no command"},
		{"unknown command", nil, []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"no question", nil, []string{"ask"}, 2, "needs a question"},
		{"only stop words", nil, []string{"ask", "--db", tempDB(t), "le la les"}, 2, "no words to search"},
		{"bad k", nil, []string{"search", "-k", "0", "x"}, 2, "-k"},
		{"bad env", map[string]string{"CITEBOT_K": "many"}, []string{"search", "x"}, 1, "CITEBOT_K"},
		{"bad flag", nil, []string{"search", "--nope", "x"}, 2, "-nope"},
		{"missing corpus", nil, []string{"search", "--db", tempDB(t), "--corpus", filepath.Join(t.TempDir(), "nope"), "x"}, 1, "corpus folder"},
		{"foreign database", nil, []string{"search", "--db", foreign, "x"}, 1, "not a citebot index"},
		{"eval without file", nil, []string{"eval"}, 2, "question file"},
		{"eval --llm without a model", nil, []string{"eval", "--llm", "x.jsonl"}, 2, "needs a model"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := cli(t, tc.env, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tc.code, tc.want)
			}
		})
	}
}

// TestCorpusChangeNoticed: the first question builds the index, a later
// one sees a new file without an explicit index command.
func TestCorpusChangeNoticed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "Le port de Tanger a battu un record de trafic.\n")
	env := map[string]string{"CITEBOT_DB": tempDB(t), "CITEBOT_CORPUS": dir}
	if out, _, _ := cli(t, env, "search", "--json", "zeppelin"); strings.Contains(out, "b.txt") {
		t.Fatalf("found b.txt before it existed: %s", out)
	}
	write("b.txt", "Un zeppelin a survolé Casablanca.\n")
	out, errOut, code := cli(t, env, "search", "--json", "zeppelin")
	if code != 0 || !strings.Contains(out, `"file": "b.txt"`) {
		t.Fatalf("exit %d, output %s %s; want b.txt found", code, out, errOut)
	}
}

func TestIndexReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("Un paragraphe.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.txt"), []byte("\xff\xfe\xfd"), 0o644)
	os.WriteFile(filepath.Join(dir, "pic.png"), []byte("x"), 0o644)
	out, errOut, code := cli(t, map[string]string{"CITEBOT_CORPUS": dir}, "index", "--db", tempDB(t), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Added   []string `json:"added"`
		Skipped []struct{ Path, Reason string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Added, []string{"ok.txt"}) || len(rep.Skipped) != 2 {
		t.Errorf("added %q, skipped %+v; want ok.txt added, bad.txt and pic.png skipped", rep.Added, rep.Skipped)
	}
}

// sharedEval returns a path under ../shared/eval, skipping the test when
// the shared folder is absent, as it is in a user's clone.
func sharedEval(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "eval", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not available: %v", p, err)
	}
	return p
}

func TestEvalSeeds(t *testing.T) {
	t.Parallel()
	seeds := sharedEval(t, "seeds/dev.jsonl")
	out, errOut, code := cli(t, nil, "eval", "--db", tempDB(t), "--json", "-k", "3", seeds)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m struct {
		Questions        int     `json:"questions"`
		K                int     `json:"k"`
		RecallAtK        float64 `json:"recall_at_k"`
		MRR              float64 `json:"mrr"`
		RefusalAccuracy  float64 `json:"refusal_accuracy"`
		FalseRefusalRate float64 `json:"false_refusal_rate"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if m.Questions != 12 || m.K != 3 || m.RecallAtK != 1 || m.RefusalAccuracy != 1 || m.FalseRefusalRate != 0 {
		t.Errorf("eval = %+v; want 12 questions, recall@3 1, refusal accuracy 1, no false refusals", m)
	}
}

// TestEvalConstructed scores answers, and false grounding on questions
// made unanswerable by removing their article and on foreign questions.
func TestEvalConstructed(t *testing.T) {
	t.Parallel()
	out, errOut, code := cli(t, nil, "eval", "--db", tempDB(t), "--json", "--remove-gold", "2",
		"--foreign", filepath.Join("testdata", "foreign.jsonl"), filepath.Join("testdata", "shipped.jsonl"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m struct {
		AnswerAccuracy       float64 `json:"answer_accuracy"`
		FalseGroundingRate   float64 `json:"false_grounding_rate"`
		Constructed          int     `json:"constructed_unanswerable"`
		ForeignQuestions     int     `json:"foreign_questions"`
		ForeignGroundingRate float64 `json:"foreign_grounding_rate"`
		ByLang               map[string]struct {
			AnswerAccuracy float64 `json:"answer_accuracy"`
		} `json:"by_lang"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if m.AnswerAccuracy != 1 || m.ByLang["fr"].AnswerAccuracy != 1 {
		t.Errorf("answer accuracy %v (fr %v), want 1", m.AnswerAccuracy, m.ByLang["fr"].AnswerAccuracy)
	}
	if m.Constructed != 2 || m.FalseGroundingRate != 0 {
		t.Errorf("%d constructed, false grounding %v; want 2, 0", m.Constructed, m.FalseGroundingRate)
	}
	if m.ForeignQuestions != 2 || m.ForeignGroundingRate != 0 {
		t.Errorf("%d foreign questions grounded %v; want 2, 0", m.ForeignQuestions, m.ForeignGroundingRate)
	}
}

// TestCarelessAdmin: a command without --corpus on an index built from a
// folder refuses, says both corpora and the ways out, and leaves the
// index as it was; index --rebuild replaces it on purpose.
func TestCarelessAdmin(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Le zèbre galope dans la savane.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := tempDB(t)
	if _, errOut, code := cli(t, nil, "index", "--db", db, "--corpus", dir); code != 0 {
		t.Fatalf("index: exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{{"search", "--db", db, "zebre"}, {"ask", "--db", db, "zebre"}, {"index", "--db", db}} {
		_, errOut, code := cli(t, nil, args...)
		for _, want := range []string{"built from the corpus " + dir, "not from the shipped articles", "--corpus " + dir, "--rebuild"} {
			if code != 1 || !strings.Contains(errOut, want) {
				t.Errorf("%q: exit %d, stderr %q; want exit 1 mentioning %q", args, code, errOut, want)
			}
		}
	}
	out, errOut, code := cli(t, nil, "search", "--db", db, "--corpus", dir, "--json", "zebre")
	if code != 0 || !strings.Contains(out, `"file": "a.txt"`) {
		t.Fatalf("the custom index after the refusals: exit %d, %s %s; want a.txt", code, out, errOut)
	}
	if _, errOut, code := cli(t, nil, "index", "--db", db, "--rebuild"); code != 0 {
		t.Fatalf("index --rebuild: exit %d: %s", code, errOut)
	}
	if out, _, code := cli(t, nil, "search", "--db", db, "--json", "Kohavi"); code != 0 || !strings.Contains(out, "000_9fa98d75917ce04d.txt") {
		t.Errorf("after index --rebuild: exit %d, %s; want the shipped articles", code, out)
	}
}

// TestMessages: the errors a user can act on say what to do.
func TestMessages(t *testing.T) {
	t.Parallel()
	a := &app{cfg: Config{DB: "w.db"}}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"other corpus", &store.CorpusError{Index: "/data/c", Given: store.Shipped},
			"the index at w.db was built from the corpus /data/c, not from the shipped articles"},
		{"damaged", fmt.Errorf("reload: %w", store.ErrDamaged), "the index at w.db is damaged: delete it or run `citebot index --db w.db --rebuild`"},
		{"interrupted", fmt.Errorf("reload: %w (%w)", store.ErrInterrupted, context.Canceled), "interrupted, the previous index is intact"},
		{"busy", fmt.Errorf("reload: %w", store.ErrBusy), "the index at w.db is being updated by another process"},
		{"read-only", fmt.Errorf("reload: %w", store.ErrReadOnly), "the index at w.db is read-only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := a.explain(tc.err)
			if !strings.HasPrefix(got.Error(), tc.want) || !errors.Is(got, tc.err) {
				t.Errorf("explain(%v) = %q; want it to begin %q and wrap the error", tc.err, got, tc.want)
			}
		})
	}
	if code := exitCode(a.explain(store.ErrInterrupted)); code != 130 {
		t.Errorf("interrupted: exit %d, want 130", code)
	}
}

// TestNoWordsAgree: search and ask treat a question without words alike.
func TestNoWordsAgree(t *testing.T) {
	t.Parallel()
	db := tempDB(t)
	for _, cmd := range []string{"search", "ask"} {
		_, errOut, code := cli(t, nil, cmd, "--db", db, "le la les")
		if code != 2 || !strings.Contains(errOut, "has no words to search for") {
			t.Errorf("%s: exit %d, stderr %q; want exit 2, no words to search for", cmd, code, errOut)
		}
	}
}

// TestEvalEmptyFile: an empty question set is an error, not a perfect score.
func TestEvalEmptyFile(t *testing.T) {
	t.Parallel()
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	os.WriteFile(empty, nil, 0o644)
	_, errOut, code := cli(t, nil, "eval", "--db", tempDB(t), empty)
	if code != 1 || !strings.Contains(errOut, "no questions") {
		t.Errorf("exit %d, stderr %q; want exit 1, no questions", code, errOut)
	}
}
