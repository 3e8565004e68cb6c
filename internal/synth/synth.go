// Package synth writes large corpora of real text for benchmarks: it
// recombines the sentences of a source corpus (French Wikipedia from
// PIAF when it is at hand, else the shipped articles) deterministically,
// so that runs at 10k, 100k or 1M paragraphs are comparable.
package synth

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// ParagraphsPerFile is how many paragraphs each generated file holds.
const ParagraphsPerFile = 20

// Sentences collects the sentences of every .txt file in fsys.
func Sentences(fsys fs.FS) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		for _, para := range strings.Split(string(data), "\n\n") {
			for _, s := range strings.SplitAfter(strings.Join(strings.Fields(para), " "), ". ") {
				if s = strings.TrimSpace(s); len(s) > 30 {
					out = append(out, s)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read sentences: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read sentences: no sentence found")
	}
	return out, nil
}

// Write creates dir/NNNNNN.txt files holding paragraphs paragraphs of 3 to
// 6 sentences each, drawn with seed. It returns the files' names.
func Write(dir string, sentences []string, paragraphs int, seed uint64) ([]string, error) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var names []string
	for f := 0; f*ParagraphsPerFile < paragraphs; f++ {
		var b strings.Builder
		for p := 0; p < ParagraphsPerFile && f*ParagraphsPerFile+p < paragraphs; p++ {
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
		b.WriteByte('\n')
		name := fmt.Sprintf("%02d/%06d.txt", f%100, f)
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}

// Questions draws n queries of 4 to 8 consecutive words from sentences,
// the way a reader quotes half-remembered text.
func Questions(sentences []string, n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, seed+1))
	var out []string
	for len(out) < n {
		words := strings.Fields(sentences[r.IntN(len(sentences))])
		if len(words) < 8 {
			continue
		}
		k := 4 + r.IntN(5)
		i := r.IntN(len(words) - k + 1)
		out = append(out, strings.Join(words[i:i+k], " "))
	}
	return out
}
