package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

type gold struct {
	File     string `json:"file"`
	Contains string `json:"contains"`
}

type question struct {
	Question string `json:"question"`
	Gold     []gold `json:"gold"`
}

func readQuestions(name string) ([]question, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var qs []question
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var q question
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return nil, err
		}
		qs = append(qs, q)
	}
	return qs, sc.Err()
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// hit is ../shared/eval/README.md's rule: same base name, and the
// paragraph's text contains the gold text, white space collapsed.
func (q question) hit(file, text string) bool {
	t := norm(text)
	for _, g := range q.Gold {
		if filepath.Base(g.File) == filepath.Base(file) && strings.Contains(t, norm(g.Contains)) {
			return true
		}
	}
	return false
}

// paragraph is a block of a corpus file, as the baselines index it.
type paragraph struct {
	File, Text string
}

// paragraphs splits every file of dir into blocks separated by blank
// lines, dropping a first block that is a title line.
func paragraphs(dir string) ([]paragraph, error) {
	var out []paragraph
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		blocks := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n\n")
		for i, b := range blocks {
			b = strings.TrimSpace(b)
			if b == "" || (i == 0 && isTitle(b)) {
				continue
			}
			out = append(out, paragraph{File: filepath.ToSlash(rel), Text: b})
		}
		return nil
	})
	return out, err
}

func isTitle(b string) bool {
	if strings.Contains(b, "\n") || utf8.RuneCountInString(b) > 150 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(b)
	return !strings.ContainsRune(".!?:;»\"…", last)
}

// scale writes a corpus of n paragraphs: the set's own files, whose gold
// paragraphs stay findable, then filler files of recombined sentences.
func scale(src, dst string, n int) error {
	if _, err := os.Stat(filepath.Join(dst, ".done")); err == nil {
		return nil
	}
	os.RemoveAll(dst)
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		return err
	}
	own, err := paragraphs(src)
	if err != nil {
		return err
	}
	var sentences []string
	for _, p := range own {
		for _, s := range strings.SplitAfter(norm(p.Text), ". ") {
			if len(s) > 30 {
				sentences = append(sentences, strings.TrimSpace(s))
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for f, left := 0, n-len(own); left > 0; f++ {
		var b strings.Builder
		for p := 0; p < 20 && left > 0; p, left = p+1, left-1 {
			if p > 0 {
				b.WriteString("\n\n")
			}
			for s := range 3 + r.IntN(4) {
				if s > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(sentences[r.IntN(len(sentences))])
			}
		}
		name := filepath.Join(dst, "filler", fmt.Sprintf("%03d", f%1000), fmt.Sprintf("%06d.txt", f))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(name, []byte(b.String()+"\n"), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dst, ".done"), nil, 0o644)
}
