// Command bench measures citebot's retrieval against raw SQLite FTS5 and
// Bleve on the same corpus and questions, and prints one table. It is its
// own module so that Bleve never enters citebot's dependencies.
//
//	cd bench && go run -tags sqlite_fts5 . -set both
//	cd bench && go run -tags sqlite_fts5 . -set piaf -size 1000000 -systems citebot,fts5-fair
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	set, systems, shared, only, corpus, questions, lang, work string
	size, sample                                              int
	reuse                                                     bool
}

func run() error {
	var o options
	flag.StringVar(&o.set, "set", "both", "piaf, squad or both")
	flag.StringVar(&o.systems, "systems", "citebot,fts5-fair,fts5-all,bleve", "systems to measure")
	flag.StringVar(&o.shared, "shared", filepath.Join("..", "..", "shared"), "the shared folder with eval/")
	flag.IntVar(&o.size, "size", 0, "paragraphs in the corpus (0: the set's own corpus; more: filler added)")
	flag.IntVar(&o.sample, "questions", 2000, "questions sampled (0: all)")
	flag.StringVar(&o.work, "work", "", "folder for generated corpora and indexes (default: a temporary one)")
	flag.BoolVar(&o.reuse, "reuse", false, "citebot only: search the index an earlier run left in -work (its reload finds nothing to do), to iterate on search")
	flag.StringVar(&o.only, "only", "", "internal: measure one system in this process")
	flag.StringVar(&o.corpus, "corpus", "", "internal: corpus folder")
	flag.StringVar(&o.questions, "qfile", "", "internal: questions file")
	flag.StringVar(&o.lang, "lang", "fr", "internal: corpus language")
	flag.Parse()
	if o.only != "" {
		res, err := measure(o, os.Stdin, os.Stdout)
		if err != nil {
			return err
		}
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	if o.work == "" {
		dir, err := os.MkdirTemp("", "citebot-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.work = dir
	}
	sets := []string{"piaf", "squad"}
	if o.set != "both" {
		sets = []string{o.set}
	}
	var rows []result
	for _, set := range sets {
		r, err := runSet(o, set)
		if err != nil {
			return err
		}
		rows = append(rows, r...)
	}
	printTable(os.Stdout, rows)
	return nil
}

// evalSet is where a set's files are.
func evalSet(shared, set string) (corpus, questions, lang string) {
	dir := map[string]string{"piaf": "piaf-v1.1", "squad": "squad-v1.1-dev"}[set]
	lang = map[string]string{"piaf": "fr", "squad": "en"}[set]
	base := filepath.Join(shared, "eval", dir)
	return filepath.Join(base, "corpus"), filepath.Join(base, "dev.jsonl"), lang
}

func runSet(o options, set string) ([]result, error) {
	corpus, qfile, lang := evalSet(o.shared, set)
	if _, err := os.Stat(qfile); err != nil {
		return nil, fmt.Errorf("%s: %w (is -shared right?)", set, err)
	}
	work := filepath.Join(o.work, fmt.Sprintf("%s-%d", set, o.size))
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	if o.size > 0 {
		scaled := filepath.Join(work, "corpus")
		if err := scale(corpus, scaled, o.size); err != nil {
			return nil, err
		}
		corpus = scaled
	}
	sampled := filepath.Join(work, "questions.jsonl")
	if err := sample(qfile, sampled, o.sample); err != nil {
		return nil, err
	}
	systems := strings.Split(o.systems, ",")
	procs := make([]*proc, 0, len(systems))
	defer func() {
		for _, p := range procs {
			p.kill()
		}
	}()
	// Builds run one at a time, each alone on the machine; the processes
	// then stay up, holding their indexes, for the questions.
	for _, sys := range systems {
		fmt.Fprintf(os.Stderr, "%s: %s: build...\n", set, sys)
		p, err := start(sys, "-only", sys, "-corpus", corpus, "-qfile", sampled, "-lang", lang, "-work", work, fmt.Sprintf("-reuse=%t", o.reuse))
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", set, sys, err)
		}
		procs = append(procs, p)
	}
	n, err := countLines(sampled)
	if err != nil {
		return nil, err
	}
	// Each question goes to every system in turn, the first system
	// rotating, so that a burst of load on the machine lands on all of
	// them alike.
	fmt.Fprintf(os.Stderr, "%s: %d questions, systems interleaved...\n", set, n)
	for i := range n {
		for j := range procs {
			p := procs[(i+j)%len(procs)]
			if err := p.ask(i); err != nil {
				return nil, fmt.Errorf("%s %s: question %d: %w", set, p.name, i, err)
			}
		}
	}
	var rows []result
	for _, p := range procs {
		r, err := p.finish()
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", set, p.name, err)
		}
		r.Set = set
		rows = append(rows, r)
	}
	return rows, nil
}

// sample copies n questions (all if n is 0), drawn with a fixed seed.
func sample(from, to string, n int) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			lines = append(lines, sc.Text())
		}
	}
	if n > 0 && n < len(lines) {
		r := rand.New(rand.NewPCG(42, 42))
		r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
		lines = lines[:n]
	}
	return os.WriteFile(to, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}
