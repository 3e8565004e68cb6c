// Command fit fits the weights of the extractive answer's two small
// models, quote choice (windowWeights) and answerability (judgeWeights),
// on features that `citebot eval --features` writes, and prints them as Go
// to paste into answer/window.go and answer/judge.go, with the error
// rates at each threshold.
//
//	citebot eval --corpus ../shared/eval/piaf-v1.1/corpus --remove-gold 1000 --seed 7 \
//	    --foreign ../shared/eval/squad-v1.1-dev/dev.jsonl --features piaf.jsonl ../shared/eval/piaf-v1.1/dev.jsonl
//	citebot eval --corpus ../shared/eval/squad-v1.1-dev/corpus --remove-gold 1000 --seed 7 \
//	    --foreign ../shared/eval/piaf-v1.1/dev.jsonl --features squad.jsonl ../shared/eval/squad-v1.1-dev/dev.jsonl
//	go run ./answer/fit piaf.jsonl squad.jsonl
//
// Each file is also scored with weights fitted on the others only, so the
// figures printed for it are not tuned on it.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
)

// Feature indexes, as in answer/window.go and answer/judge.go.
const (
	wCoverage = 1
	wKindFit  = 2

	jBestCoverage   = 2
	jWindowCoverage = 3
	jWindowScore    = 4
	jKindFit        = 8
)

// minCoverage is retrieval's relevance floor: below it a question is
// refused before the judge is asked.
const minCoverage = 0.2

type window struct {
	Passage int       `json:"passage"`
	Hit     bool      `json:"hit"`
	Holds   bool      `json:"holds"`
	F       []float64 `json:"f"`
}

type question struct {
	ID         string    `json:"id"`
	Group      string    `json:"group"`
	Lang       string    `json:"lang"`
	Answerable bool      `json:"answerable"`
	Judge      []float64 `json:"judge"`
	Windows    []window  `json:"windows"`
	file       string
}

func main() {
	l2 := flag.Float64("l2", 0.01, "L2 penalty")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: fit FEATURES.jsonl ...")
		os.Exit(2)
	}
	var all []question
	for _, name := range flag.Args() {
		qs, err := load(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "fit:", err)
			os.Exit(1)
		}
		all = append(all, qs...)
	}
	ww := fitWindows(all, *l2)
	jw := fitJudge(all, ww, *l2)
	fmt.Printf("windowWeights = %s\n", goFloats(ww))
	fmt.Printf("judgeWeights  = %s\n\n", goFloats(jw))
	report(os.Stdout, "all files, fitted on all", all, ww, jw)
	// Held out: each file scored with weights fitted on the others.
	if flag.NArg() > 1 {
		for _, name := range flag.Args() {
			var train, test []question
			for _, q := range all {
				if q.file == name {
					test = append(test, q)
				} else {
					train = append(train, q)
				}
			}
			w := fitWindows(train, *l2)
			report(os.Stdout, name+", fitted on the other files", test, w, fitJudge(train, w, *l2))
		}
	}
}

func load(name string) ([]question, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var qs []question
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var q question
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		q.file = name
		qs = append(qs, q)
	}
	return qs, sc.Err()
}

// fitWindows fits P(window holds the answer) on the windows of answerable
// questions that have at least one window holding it.
func fitWindows(qs []question, l2 float64) []float64 {
	var xs [][]float64
	var ys, ws []float64
	for _, q := range qs {
		if !q.Answerable || !slices.ContainsFunc(q.Windows, func(w window) bool { return w.Holds }) {
			continue
		}
		// Each question weighs the same, however many windows it has.
		wt := 1 / float64(len(q.Windows))
		for _, w := range q.Windows {
			xs = append(xs, w.F)
			ys = append(ys, b2f(w.Holds))
			ws = append(ws, wt)
		}
	}
	return logistic(xs, ys, ws, l2)
}

// best is the chosen quote of q under window weights ww.
func best(q question, ww []float64) (window, float64, bool) {
	var b window
	bs := math.Inf(-1)
	for _, w := range q.Windows {
		if s := dot(ww, w.F); s > bs {
			b, bs = w, s
		}
	}
	return b, bs, len(q.Windows) > 0
}

// judgeFeatures recomputes the features of q that depend on the chosen
// quote.
func judgeFeatures(q question, ww []float64) []float64 {
	f := slices.Clone(q.Judge)
	if b, s, ok := best(q, ww); ok {
		f[jWindowCoverage] = b.F[wCoverage]
		f[jWindowScore] = s
		f[jKindFit] = b.F[wKindFit]
	}
	return f
}

// fitJudge fits P(the passages answer) on every question that passes
// retrieval's floor, positives and negatives weighing the same in all.
func fitJudge(qs []question, ww []float64, l2 float64) []float64 {
	var xs [][]float64
	var ys, ws []float64
	pos, neg := 0, 0
	for _, q := range qs {
		if q.Judge[jBestCoverage] < minCoverage {
			continue
		}
		if q.Answerable {
			pos++
		} else {
			neg++
		}
	}
	for _, q := range qs {
		if q.Judge[jBestCoverage] < minCoverage {
			continue
		}
		xs = append(xs, judgeFeatures(q, ww))
		ys = append(ys, b2f(q.Answerable))
		if q.Answerable {
			ws = append(ws, 0.5/float64(pos))
		} else {
			ws = append(ws, 0.5/float64(neg))
		}
	}
	return logistic(xs, ys, ws, l2)
}

// logistic fits weighted, L2-penalised logistic regression by Newton's
// method: the problems are small and it converges in a few steps.
func logistic(xs [][]float64, ys, ws []float64, l2 float64) []float64 {
	if len(xs) == 0 {
		return nil
	}
	n := len(xs[0])
	beta := make([]float64, n)
	sw := 0.0
	for _, w := range ws {
		sw += w
	}
	for range 50 {
		grad := make([]float64, n)
		hess := make([][]float64, n)
		for i := range hess {
			hess[i] = make([]float64, n)
		}
		for i, x := range xs {
			p := sigmoid(dot(beta, x))
			w := ws[i] / sw
			for a := range n {
				grad[a] += w * (ys[i] - p) * x[a]
				for b := range n {
					hess[a][b] += w * p * (1 - p) * x[a] * x[b]
				}
			}
		}
		for a := 1; a < n; a++ { // the bias is not penalised
			grad[a] -= l2 * beta[a]
			hess[a][a] += l2
		}
		for a := range n {
			hess[a][a] += 1e-9
		}
		step := solve(hess, grad)
		for a := range n {
			beta[a] += step[a]
		}
		if norm(step) < 1e-8 {
			break
		}
	}
	return beta
}

// solve solves A x = b by Gaussian elimination with partial pivoting.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(slices.Clone(a[i]), b[i])
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		m[c], m[p] = m[p], m[c]
		if m[c][c] == 0 {
			continue
		}
		for r := c + 1; r < n; r++ {
			k := m[r][c] / m[c][c]
			for j := c; j <= n; j++ {
				m[r][j] -= k * m[c][j]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		if m[r][r] == 0 {
			continue
		}
		s := m[r][n]
		for j := r + 1; j < n; j++ {
			s -= m[r][j] * x[j]
		}
		x[r] = s / m[r][r]
	}
	return x
}

// report prints, for a range of thresholds on the judge, what a user of
// the extractive answers would see: false refusals and answer accuracy
// on the answerable questions, grounding of unanswerable ones per group.
func report(w io.Writer, title string, qs []question, ww, jw []float64) {
	fmt.Fprintf(w, "%s\n", title)
	chosenHolds, withHold := 0, 0
	for _, q := range qs {
		if !q.Answerable || !slices.ContainsFunc(q.Windows, func(w window) bool { return w.Holds }) {
			continue
		}
		withHold++
		if b, _, _ := best(q, ww); b.Holds {
			chosenHolds++
		}
	}
	fmt.Fprintf(w, "  chosen quote holds the answer when one of its windows does: %.3f (%d questions)\n",
		ratio(chosenHolds, withHold), withHold)
	groups := map[string]bool{}
	for _, q := range qs {
		if !q.Answerable {
			groups[q.Group] = true
		}
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "  %-9s %-14s %-15s", "threshold", "false refusals", "answer accuracy")
	for _, g := range names {
		fmt.Fprintf(w, " %-22s", g+" grounded")
	}
	fmt.Fprintln(w)
	for _, th := range []float64{0.2, 0.3, 0.4, 0.5, 0.6, 0.7} {
		var ans, refused, correct int
		grounded, total := map[string]int{}, map[string]int{}
		for _, q := range qs {
			p := 0.0
			if q.Judge[jBestCoverage] >= minCoverage {
				p = sigmoid(dot(jw, judgeFeatures(q, ww)))
			}
			ok := p >= th
			if q.Answerable {
				ans++
				if !ok {
					refused++
				} else if b, _, found := best(q, ww); found && b.Holds {
					correct++
				}
				continue
			}
			total[q.Group]++
			if ok {
				grounded[q.Group]++
			}
		}
		fmt.Fprintf(w, "  %-9.2f %-14.3f %-15.3f", th, ratio(refused, ans), ratio(correct, ans))
		for _, g := range names {
			fmt.Fprintf(w, " %-22s", fmt.Sprintf("%.3f of %d", ratio(grounded[g], total[g]), total[g]))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

func goFloats(xs []float64) string {
	s := "{"
	for i, x := range xs {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%.3f", x)
	}
	return s + "}"
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range min(len(a), len(b)) {
		s += a[i] * b[i]
	}
	return s
}

func norm(x []float64) float64 { return math.Sqrt(dot(x, x)) }

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
