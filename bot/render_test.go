package bot

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"citebot/answer"
	"citebot/retrieval"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -tags sqlite_fts5 ./bot -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update if intended):\n got:\n%s\nwant:\n%s", name, got, want)
	}
}

// show renders parts as a reviewer reads them.
func show(parts []part) string {
	var b strings.Builder
	for i, p := range parts {
		b.WriteString("--- message " + string(rune('1'+i)) + " ---\n" + p.Content + "\n")
		for range p.Components {
			b.WriteString("[button: " + customSources + "]\n")
		}
	}
	return b.String()
}

var kohavi = retrieval.Passage{File: "000_9fa98d75917ce04d.txt", Paragraph: 1, LineStart: 1, LineEnd: 1,
	Text: "Le chef d’état-major de l’armée marocaine est en visite en Israël. Il a été accueilli mardi par son homologue israélien Aviv Kohavi."}
var gantz = retrieval.Passage{File: "002_2352071ffc99a4ce.txt", Paragraph: 3, LineStart: 5, LineEnd: 7,
	Text: "Le partenariat entre le Maroc et Israël franchit une nouvelle étape *historique* avec la signature."}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		parts []part
	}{
		{"answer_fr.txt", renderAnswer(answer.Answer{
			Lang: retrieval.French, Grounded: true, Mode: answer.LLM,
			Text:      "Il a été accueilli par Aviv Kohavi [1], peu avant l’accord de défense [2]. @everyone",
			Citations: []retrieval.Citation{{N: 1, Passage: kohavi}, {N: 2, Passage: gantz}},
		}, retrieval.French)},
		{"answer_not_found_en.txt", renderAnswer(answer.Answer{
			Lang: retrieval.English, Grounded: false, Mode: answer.Extractive,
			Text: "The articles do not answer this question.", Nearest: []retrieval.Passage{kohavi, gantz},
			Note: "the model did not answer; quoting instead",
		}, retrieval.English)},
		{"search_fr.txt", renderSearch(retrieval.Result{Passages: []retrieval.Passage{gantz, kohavi}}, retrieval.French)},
		{"sources_fr.txt", textParts(renderPassage("[1]", kohavi) + "\n\n" + renderPassage("[2]", gantz))},
		{"reload_en.txt", renderReport(Report{
			Added: []string{"new.txt"}, Changed: []string{"002_2352071ffc99a4ce.txt"}, Unchanged: 1,
			Skipped:    []Skip{{Path: "scan.pdf", Reason: "not a text, Markdown or HTML file"}},
			Paragraphs: 42, ParagraphsAdded: 5, ParagraphsRemoved: 2, Duration: 1234 * time.Millisecond,
		}, retrieval.English)},
		{"help_fr.txt", renderHelp(retrieval.French, "!", Stats{Documents: 2, Paragraphs: 40,
			ReloadedAt: time.Unix(1767000000, 0)}, true)},
	} {
		t.Run(tc.name, func(t *testing.T) { golden(t, tc.name, show(tc.parts)) })
	}
}

func TestParseSourcesReadsRenderedAnswer(t *testing.T) {
	t.Parallel()
	parts := renderAnswer(answer.Answer{Text: "a [1] b [2]", Grounded: true,
		Citations: []retrieval.Citation{{N: 1, Passage: kohavi}, {N: 2, Passage: gantz}}}, retrieval.French)
	got := parseSources(parts[len(parts)-1].Content)
	want := []ref{{1, kohavi.File, 1}, {2, gantz.File, 3}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("parseSources = %+v, want %+v", got, want)
	}
}
