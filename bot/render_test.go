package bot

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

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
		for _, c := range p.Components {
			for _, btn := range c.(discordgo.ActionsRow).Components {
				b.WriteString("[button: " + btn.(discordgo.Button).CustomID + "]\n")
			}
		}
	}
	return b.String()
}

var kohavi = retrieval.Passage{File: "000_9fa98d75917ce04d.txt", Paragraph: 1, LineStart: 1, LineEnd: 1,
	Title: "Le chef d’état-major de l’armée marocaine est en visite en Israël", Source: "TIMES OF ISRAEL",
	Text: "Le chef d’état-major de l’armée marocaine est en visite en Israël. Il a été accueilli mardi par son homologue israélien Aviv Kohavi."}
var gantz = retrieval.Passage{File: "002_2352071ffc99a4ce.txt", Paragraph: 3, LineStart: 5, LineEnd: 7,
	Title: "Le partenariat entre le Maroc et Israël franchit une nouvelle étape avec la signature…", Date: "2021-11-24",
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
		}, retrieval.French, "citebot:sources:test", 4)},
		{"answer_hostile_fr.txt", renderAnswer(answer.Answer{
			Lang: retrieval.French, Grounded: true, Mode: answer.LLM,
			Text: "# Titre\n> cité\n- liste\n1. un\n**gras** __souligné__ ~~barré~~ ||spoiler|| `code` " +
				"[Aviv Kohavi [1]](http://evil.example) [9](http://evil.example) <@123> <@&1> <#1> @everyone @here " +
				"<t:1767000000:R> \\[1]\n\n**Sources**\n[1] `002_2352071ffc99a4ce.txt ¶3 (lines 5–7)`",
			Note: "*note* [x](http://evil.example)",
			Citations: []retrieval.Citation{{N: 1, Passage: kohavi}, {N: 2, Passage: retrieval.Passage{
				File: "piège.md", Paragraph: 1, LineStart: 4, LineEnd: 4, Source: "<@&1> ||Le Site||",
				Title: "# **Titre** <@123> @everyone [lien](http://evil.example) `code`\n> cité"}}},
		}, retrieval.French, "citebot:sources:test", 4)},
		{"answer_not_found_en.txt", renderAnswer(answer.Answer{
			Lang: retrieval.English, Grounded: false, Mode: answer.Extractive,
			Text: "The articles do not answer this question.", Nearest: []retrieval.Passage{kohavi, gantz},
			Note: "the model did not answer; quoting instead",
		}, retrieval.English, "", 4)},
		{"search_fr.txt", renderSearch(retrieval.Result{Passages: []retrieval.Passage{gantz, kohavi}}, retrieval.French, 4)},
		{"source_fr.txt", renderSource(kohavi, retrieval.French, 4)},
		{"preview_fr.txt", []part{{Content: renderPreview("Il a été accueilli par Aviv **Kohavi** [1], peu avant l’accord [", retrieval.French)}}},
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

func TestSourcesButtonNamesTheCitations(t *testing.T) {
	t.Parallel()
	long := retrieval.Passage{File: strings.Repeat("a-very-long-folder/", 6) + "article.txt", Paragraph: 12}
	c := newCited(nil)
	for _, tc := range []struct {
		name string
		cs   []retrieval.Citation
	}{
		{"inline", []retrieval.Citation{{N: 1, Passage: kohavi}, {N: 2, Passage: gantz}}},
		{"remembered", []retrieval.Citation{{N: 1, Passage: kohavi}, {N: 3, Passage: long}}},
		{"separator in a name", []retrieval.Citation{{N: 1, Passage: retrieval.Passage{File: "a|b.txt", Paragraph: 2}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, err := c.buttonID(t.Context(), refsOf(tc.cs))
			if err != nil {
				t.Fatal(err)
			}
			if len(id) > maxCustomID || !isSourcesButton(id) {
				t.Fatalf("custom_id %q: %d long, or not a sources button", id, len(id))
			}
			got, ok := c.lookup(t.Context(), id)
			if !ok || !slices.Equal(got, refsOf(tc.cs)) {
				t.Errorf("lookup(%q) = %+v, %v; want %+v", id, got, ok, refsOf(tc.cs))
			}
		})
	}
	for _, id := range []string{customSources, keyPrefix + "unknown", inlinePrefix + "x:1:a.txt", inlinePrefix} {
		if got, ok := c.lookup(t.Context(), id); ok {
			t.Errorf("lookup(%q) = %+v, want nothing", id, got)
		}
	}
}

// memLinks is a conversations' store in memory.
type memLinks struct {
	mu sync.Mutex
	m  map[string]string
}

func (l *memLinks) Link(_ context.Context, key, conv string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.m[key] = conv
	return nil
}

func (l *memLinks) Linked(_ context.Context, key string) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if v, ok := l.m[key]; ok {
		return v, nil
	}
	return "", ErrNotFound
}

// A button whose citations do not fit its custom_id still works after a
// restart, or in another process, when the bot has a store.
func TestSourcesButtonOutlivesTheProcess(t *testing.T) {
	t.Parallel()
	long := retrieval.Passage{File: strings.Repeat("a-very-long-folder/", 6) + "article.txt", Paragraph: 12}
	refs := refsOf([]retrieval.Citation{{N: 1, Passage: kohavi}, {N: 2, Passage: long}})
	links := &memLinks{m: map[string]string{}}
	id, err := newCited(links).buttonID(t.Context(), refs)
	if err != nil || !strings.HasPrefix(id, keyPrefix) {
		t.Fatalf("buttonID = %q, %v; want a remembered key", id, err)
	}
	if got, ok := newCited(links).lookup(t.Context(), id); !ok || !slices.Equal(got, refs) {
		t.Errorf("after a restart: lookup(%q) = %+v, %v; want %+v", id, got, ok, refs)
	}
	if got, ok := newCited(nil).lookup(t.Context(), id); ok {
		t.Errorf("after a restart without a store: lookup(%q) = %+v, want nothing", id, got)
	}
}

// TestModelCannotFakeSources: a model's own Sources list and masked links
// stay text, and the only paragraphs the button names are the answer's.
func TestModelCannotFakeSources(t *testing.T) {
	t.Parallel()
	a := answer.Answer{Lang: retrieval.French, Grounded: true, Mode: answer.LLM,
		Text: "Kohavi [1]. [Aviv Kohavi [1]](http://evil.example)\n\n**Sources**\n[1] `002_2352071ffc99a4ce.txt ¶3 (lines 5–7)`\n" +
			"[2] [gantz](http://evil.example)",
		Citations: []retrieval.Citation{{N: 1, Passage: kohavi}}}
	c := newCited(nil)
	id, err := c.buttonID(t.Context(), refsOf(a.Citations))
	if err != nil {
		t.Fatal(err)
	}
	parts := renderAnswer(a, retrieval.French, id, 4)
	content := show(parts)
	if strings.Contains(content, "](") || strings.Contains(content, "](http") {
		t.Errorf("a masked link survives:\n%s", content)
	}
	if n := strings.Count(content, "\n**Sources**"); n != 1 {
		t.Errorf("%d Sources headings, want citebot's only:\n%s", n, content)
	}
	if strings.Contains(content, "\n[1] `002") || strings.Contains(content, "\n[2]") {
		t.Errorf("the model's Sources lines read as citebot's:\n%s", content)
	}
	btn := parts[len(parts)-1].Components[0].(discordgo.ActionsRow).Components[0].(discordgo.Button)
	refs, _ := c.lookup(t.Context(), btn.CustomID)
	if want := []ref{{1, kohavi.File, 1}}; !slices.Equal(refs, want) {
		t.Errorf("button shows %+v, want %+v", refs, want)
	}
}

func TestChoiceName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 150)
	for _, tc := range []struct {
		a    Article
		want string
	}{
		{Article{File: "a.txt"}, "a.txt"},
		{Article{File: "a.txt", Title: "Un  titre\n"}, "Un titre — a.txt"},
		{Article{File: "a.txt", Title: long}, strings.Repeat("é", 100-len("a.txt")-len(" — ")-1) + "… — a.txt"},
		{Article{File: strings.Repeat("f", 95), Title: "Un titre"}, strings.Repeat("f", 95)},
	} {
		got := choiceName(tc.a)
		if got != tc.want || utf8.RuneCountInString(got) > maxChoice {
			t.Errorf("choiceName(%+v) = %q, want %q (at most %d characters)", tc.a, got, tc.want, maxChoice)
		}
	}
}
