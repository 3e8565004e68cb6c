package answer

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"citebot/internal/evalset"
	"citebot/internal/indextest"
	"citebot/internal/openaitest"
	"citebot/retrieval"
)

// TestSupportKeepsGoodAnswers measures what the claim support check costs a
// good model: over the seed dev questions and the shipped articles, a
// loopback model copying the cited sentences, and one paraphrasing them in
// English, must keep at least 95 % of their sentences. With -v it also
// prints the share kept at other thresholds, which is how minSupport was
// fitted: go test -tags sqlite_fts5 ./answer -run TestSupportKeepsGoodAnswers -v
func TestSupportKeepsGoodAnswers(t *testing.T) {
	t.Parallel()
	qs, err := evalset.Load(sharedFile(t, "eval/seeds/dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	models := []struct {
		name   string
		script openaitest.Script
	}{
		{"copying", openaitest.Copier(3)},
		{"paraphrasing in English", openaitest.Translator(3, loadTranslations(t))},
	}
	thresholds := []float64{0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.8, 0.9, 1}
	for _, m := range models {
		t.Run(m.name, func(t *testing.T) {
			srv := openaitest.New(t, "k", m.script)
			_, search := indextest.Shipped(t)
			svc := New(search, Options{K: 5, Rewrite: true, Model: NewModel(ModelConfig{APIKey: "k", BaseURL: srv.BaseURL(), Model: "m", Timeout: 5 * time.Second})})
			an := search.Analyzer()
			kept, total := 0, 0
			sweep := make([]int, len(thresholds))
			for _, q := range qs {
				before := len(srv.Requests())
				ans, err := svc.Ask(t.Context(), q.Question)
				if err != nil {
					t.Fatal(err)
				}
				if ans.Mode != LLM && ans.Note == "" { // refused before asking the model
					continue
				}
				n := len(labelGroupRe.FindAllString(ans.Text, -1))
				if ans.Mode != LLM {
					n = 0
				}
				if ans.UnsupportedSentences > 0 {
					t.Logf("%s: kept %d, removed %d: %q", q.ID, n, ans.UnsupportedSentences, ans.Text)
				}
				kept += n
				total += n + ans.UnsupportedSentences
				// The same model text, checked at other thresholds.
				for _, r := range srv.Requests()[before:] {
					if r.System == "" {
						continue
					}
					cites := promptCitations(r.User)
					c := checkCitations(m.script(0, r).Content, citedPassages(cites))
					for i, th := range thresholds {
						sweep[i] += checkSupportAt(an, an.ParseQuery(q.Question), c.text, c.citations, th).kept
					}
				}
			}
			if total == 0 {
				t.Fatal("the model wrote no sentence")
			}
			share := float64(kept) / float64(total)
			t.Logf("%s model: %d of %d sentences kept (%.1f %%) at minSupport %.2f", m.name, kept, total, 100*share, minSupport)
			for i, th := range thresholds {
				t.Logf("  at %.2f: %.1f %% kept", th, 100*float64(sweep[i])/float64(total))
			}
			if share < 0.95 {
				t.Errorf("%s model: %.1f %% of sentences kept, want ≥ 95 %%", m.name, 100*share)
			}
		})
	}
}

// promptCitations are the passages a prompt numbered, as citations.
func promptCitations(user string) []retrieval.Citation {
	ps, _ := openaitest.ParsePrompt(user)
	var cs []retrieval.Citation
	for _, p := range ps {
		cs = append(cs, retrieval.Citation{N: p.N, Passage: retrieval.Passage{Text: p.Text}})
	}
	return cs
}

// loadTranslations reads testdata/paraphrase_en.txt.
func loadTranslations(tb testing.TB) []openaitest.Translation {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "paraphrase_en.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []openaitest.Translation
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		src, text, ok := strings.Cut(sc.Text(), "\t")
		if ok && !strings.HasPrefix(src, "#") {
			out = append(out, openaitest.Translation{Source: src, Text: text})
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// sharedFile finds rel under the shared folder beside the repository (or
// beside the folder of worktrees holding it), skipping the test when there
// is none, as in a user's clone.
func sharedFile(tb testing.TB, rel string) string {
	tb.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		tb.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip(fmt.Sprintf("shared/%s not found above the package", rel))
		}
		dir = parent
	}
}
