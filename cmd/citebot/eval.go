package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"

	"citebot/answer"
	"citebot/internal/evalset"
	"citebot/retrieval"
	"citebot/store"
)

// evalJSON is eval's --json output: the set's metrics, and those of the
// questions asked over a corpus of another language when --foreign is set.
type evalJSON struct {
	evalset.Metrics
	// Foreign is the share of --foreign questions answered as grounded:
	// all of them should be refused.
	ForeignQuestions     int     `json:"foreign_questions,omitempty"`
	ForeignGroundingRate float64 `json:"foreign_grounding_rate"`
}

type evalFlags struct {
	verbose    bool
	llm        bool
	removeGold int
	seed       uint64
	foreign    string
	features   string
	convs      bool
	turns      int
}

func runEval(ctx context.Context, a *app, args []string) error {
	fl := a.flags("eval")
	fl.Lookup("k").DefValue = "5"
	var f evalFlags
	fl.BoolVar(&f.verbose, "v", false, "list the questions whose gold paragraph was missed or whose answer was wrong")
	fl.BoolVar(&f.llm, "llm", false, "answer through the configured language model (default: extractive answers)")
	fl.IntVar(&f.removeGold, "remove-gold", 0, "also ask N sampled answerable questions over the corpus without their gold files (all should be refused)")
	fl.Uint64Var(&f.seed, "seed", 1, "sampling seed for --remove-gold")
	fl.StringVar(&f.foreign, "foreign", "", "also ask the questions of this set, which the corpus does not cover (all should be refused)")
	fl.StringVar(&f.features, "features", "", "write each question's answerability and quote features to this JSONL file, for answer/fit")
	fl.BoolVar(&f.convs, "conversations", false, "the file is a conversation set, or a question set to build conversations from: score follow-ups alone and in conversation")
	fl.IntVar(&f.turns, "turns", 3, "with --conversations: most turns of a conversation built from a question set")
	pos, err := a.parse(fl, args)
	if err != nil {
		return err
	}
	if f.llm && !a.cfg.LLM.Enabled() {
		return usageError{"eval --llm needs a model: set OPENAI_API_KEY or OPENAI_BASE_URL"}
	}
	if len(pos) == 1 && f.convs {
		return a.evalConversations(ctx, f, pos[0])
	}
	if len(pos) != 1 {
		return usageError{"eval needs one question file, e.g. citebot eval --corpus ../shared/eval/piaf-v1.1/corpus ../shared/eval/piaf-v1.1/dev.jsonl"}
	}
	qs, err := evalset.Load(pos[0])
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	var foreign []evalset.Question
	if f.foreign != "" {
		if foreign, err = evalset.Load(f.foreign); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	db, err := a.openIndex(ctx, a.progress())
	if err != nil {
		return err
	}
	defer db.Close()
	e := evaluator{a: a, f: f, sc: evalset.NewScorer(a.cfg.K)}
	if f.features != "" {
		out, err := os.Create(f.features)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		defer out.Close()
		e.feats = json.NewEncoder(out)
	}
	e.group = "set"
	if err := e.askAll(ctx, db, qs, e.sc.Add); err != nil {
		return err
	}
	if f.removeGold > 0 {
		if err := e.removedGold(ctx, qs); err != nil {
			return err
		}
	}
	out := evalJSON{Metrics: e.sc.Metrics()}
	if len(foreign) > 0 {
		grounded := 0
		e.group = "foreign"
		err := e.askAll(ctx, db, foreign, func(q evalset.Question, r evalset.Retrieved) {
			if !r.Refused {
				grounded++
				e.verbosef("foreign question grounded %s: %s\n", q.ID, q.Question)
			}
		})
		if err != nil {
			return err
		}
		out.ForeignQuestions = len(foreign)
		out.ForeignGroundingRate = float64(grounded) / float64(len(foreign))
	}
	if a.json {
		return writeJSON(a.stdout, out)
	}
	writeEval(a.stdout, out)
	return nil
}

func (a *app) evalConversations(ctx context.Context, f evalFlags, name string) error {
	cs, err := evalset.LoadConversations(name, f.turns, f.seed)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	db, err := a.openIndex(ctx, a.progress())
	if err != nil {
		return err
	}
	defer db.Close()
	e := evaluator{a: a, f: f}
	out, err := e.evalConversations(ctx, db, cs)
	if err != nil {
		return err
	}
	if a.json {
		return writeJSON(a.stdout, out)
	}
	writeConvEval(a.stdout, out)
	return nil
}

// evaluator asks a question set and scores what a user would see.
type evaluator struct {
	a  *app
	f  evalFlags
	sc *evalset.Scorer
	// feats receives each question's features when --features is set;
	// group says which kind of question is being asked.
	feats *json.Encoder
	group string
}

func (e *evaluator) verbosef(format string, args ...any) {
	if e.f.verbose {
		fmt.Fprintf(e.a.stderr, format, args...)
	}
}

// askAll retrieves and answers every question of qs over db, and hands
// each result to add.
func (e *evaluator) askAll(ctx context.Context, db *store.DB, qs []evalset.Question, add func(evalset.Question, evalset.Retrieved)) error {
	s := e.a.searcher(db)
	var svc *answer.Service
	if e.f.llm {
		svc = e.a.answerer(db)
	} else {
		svc = answer.New(s, answer.Options{K: e.a.cfg.K, Logger: e.a.log})
	}
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, err := e.ask(ctx, s, svc, q)
		if err != nil {
			return err
		}
		add(q, r)
	}
	return nil
}

func (e *evaluator) ask(ctx context.Context, s *retrieval.Searcher, svc *answer.Service, q evalset.Question) (evalset.Retrieved, error) {
	res, err := s.Search(ctx, q.Question, max(e.a.cfg.K, evalset.Ranks))
	if err != nil && !errors.Is(err, retrieval.ErrEmptyQuery) {
		return evalset.Retrieved{}, fmt.Errorf("eval %s: %w", q.ID, err)
	}
	var r evalset.Retrieved
	for _, p := range res.Passages {
		r.Files = append(r.Files, p.File)
		r.Texts = append(r.Texts, p.Text)
	}
	ans, err := svc.Ask(ctx, q.Question)
	if err != nil && !errors.Is(err, answer.ErrEmptyQuestion) {
		return r, fmt.Errorf("eval %s: %w", q.ID, err)
	}
	r.Answered, r.Answer, r.Refused = true, ans.Text, !ans.Grounded
	if e.feats != nil {
		if err := e.writeFeatures(ctx, svc, q); err != nil {
			return r, err
		}
	}
	switch {
	case e.group != "set":
		// Constructed and foreign questions are reported by their callers.
	case q.IsAnswerable():
		if !hitWithin(q, r, e.a.cfg.K) {
			e.verbosef("miss %s: %s\n", q.ID, q.Question)
		}
		switch {
		case r.Refused:
			e.verbosef("refused %s (coverage %.2f): %s\n", q.ID, res.Coverage, q.Question)
		case !q.AnswerHolds(ans.Text):
			e.verbosef("answer wrong %s: %s\n  want %q\n  got  %q\n", q.ID, q.Question, q.Answers, ans.Text)
		}
	case !r.Refused:
		e.verbosef("grounded, should be refused %s (coverage %.2f): %s\n", q.ID, res.Coverage, q.Question)
	}
	return r, nil
}

// featureLine is one line of --features output, read by answer/fit.
type featureLine struct {
	ID         string          `json:"id"`
	Group      string          `json:"group"` // set, removed-gold, foreign
	Lang       string          `json:"lang"`
	Answerable bool            `json:"answerable"` // in the corpus it was asked over
	Judge      []float64       `json:"judge"`
	Windows    []featureWindow `json:"windows"`
}

type featureWindow struct {
	Passage  int       `json:"passage"`
	Hit      bool      `json:"hit"`   // the passage is a gold paragraph
	Holds    bool      `json:"holds"` // the window holds an expected answer
	Chosen   bool      `json:"chosen"`
	Features []float64 `json:"f"`
}

func (e *evaluator) writeFeatures(ctx context.Context, svc *answer.Service, q evalset.Question) error {
	t, err := svc.Trace(ctx, q.Question)
	if err != nil {
		return fmt.Errorf("eval %s: %w", q.ID, err)
	}
	l := featureLine{ID: q.ID, Group: e.group, Lang: q.Lang, Answerable: e.group == "set" && q.IsAnswerable(), Judge: t.Judge}
	for _, w := range t.Windows {
		p := t.Result.Passages[w.Passage]
		l.Windows = append(l.Windows, featureWindow{Passage: w.Passage, Hit: q.Hit(p.File, p.Text),
			Holds: q.AnswerHolds(w.Text), Chosen: w.Chosen, Features: w.Features})
	}
	return e.feats.Encode(l)
}

// goldBatch is how many sampled questions share one corpus without their
// gold files: few enough that the corpus stays nearly whole.
const goldBatch = 8

// removedGold asks a sample of answerable questions over the corpus
// without the files holding their gold paragraphs, a batch at a time, in
// an index of its own: every one of them should be refused.
func (e *evaluator) removedGold(ctx context.Context, qs []evalset.Question) error {
	sample := sampleAnswerable(qs, e.f.removeGold, e.f.seed)
	fsys, _, err := e.a.corpusFS()
	if err != nil {
		return err
	}
	byBase, err := filesByBase(fsys)
	if err != nil {
		return fmt.Errorf("eval: list corpus: %w", err)
	}
	dir, err := os.MkdirTemp("", "citebot-eval-")
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, filepath.Join(dir, "removed-gold.db"), e.a.an)
	if err != nil {
		return err
	}
	defer db.Close()
	e.group = "removed-gold"
	for start := 0; start < len(sample); start += goldBatch {
		batch := sample[start:min(start+goldBatch, len(sample))]
		hidden := make(map[string]bool)
		for _, q := range batch {
			for _, g := range q.Gold {
				for _, p := range byBase[path.Base(g.File)] {
					hidden[p] = true
				}
			}
		}
		if _, err := db.Reload(ctx, hidingFS{fsys, hidden}, nil); err != nil {
			return fmt.Errorf("eval: index without gold files: %w", err)
		}
		err := e.askAll(ctx, db, batch, func(q evalset.Question, r evalset.Retrieved) {
			if !r.Refused {
				e.verbosef("grounded without its gold file %s: %s\n  %q\n", q.ID, q.Question, r.Answer)
			}
			e.sc.AddConstructed(q, r)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// sampleAnswerable picks n answerable questions with gold paragraphs, the
// same ones for the same seed.
func sampleAnswerable(qs []evalset.Question, n int, seed uint64) []evalset.Question {
	var pool []evalset.Question
	for _, q := range qs {
		if q.IsAnswerable() && len(q.Gold) > 0 {
			pool = append(pool, q)
		}
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return pool[:min(n, len(pool))]
}

// filesByBase lists the corpus's files by base name, which is how gold
// paragraphs name them.
func filesByBase(fsys fs.FS) (map[string][]string, error) {
	out := make(map[string][]string)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out[path.Base(p)] = append(out[path.Base(p)], p)
		}
		return nil
	})
	return out, err
}

// hidingFS is a corpus with some of its files left out.
type hidingFS struct {
	fs.FS
	hidden map[string]bool
}

func (h hidingFS) Open(name string) (fs.File, error) {
	if h.hidden[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return h.FS.Open(name)
}

func (h hidingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := fs.ReadDir(h.FS, name)
	return slices.DeleteFunc(es, func(e fs.DirEntry) bool { return h.hidden[path.Join(name, e.Name())] }), err
}

func writeEval(w io.Writer, m evalJSON) {
	fmt.Fprintf(w, "questions     %d (%d answerable, %d unanswerable", m.Questions, m.Answerable, m.Unanswerable)
	if m.Constructed > 0 {
		fmt.Fprintf(w, ", of which %d by removing their gold files", m.Constructed)
	}
	fmt.Fprintln(w, ")")
	for _, k := range []int{1, 3, 5, 10, 20} {
		fmt.Fprintf(w, "recall@%-2d     %.3f\n", k, m.Recall[k])
	}
	fmt.Fprintf(w, "MRR           %.3f\n", m.MRR)
	fmt.Fprintf(w, "answers       accuracy %.3f, wrong (grounded without the answer) %.3f\n", m.AnswerAccuracy, m.WrongAnswerRate)
	fmt.Fprintf(w, "refusals      accuracy %.3f, false-refusal rate %.3f, false-grounding rate %.3f\n",
		m.RefusalAccuracy, m.FalseRefusalRate, m.FalseGroundingRate)
	if m.ForeignQuestions > 0 {
		fmt.Fprintf(w, "foreign       %d questions, grounded %.3f\n", m.ForeignQuestions, m.ForeignGroundingRate)
	}
	langs := make([]string, 0, len(m.ByLang))
	for l := range m.ByLang {
		langs = append(langs, l)
	}
	if len(langs) < 2 {
		return
	}
	sort.Strings(langs)
	for _, l := range langs {
		lm := m.ByLang[l]
		fmt.Fprintf(w, "  %-8s %4d questions: recall@%d %.3f, answers %.3f, false refusals %.3f, false grounding %.3f\n",
			l, lm.Questions, m.K, lm.RecallAtK, lm.AnswerAccuracy, lm.FalseRefusalRate, lm.FalseGroundingRate)
	}
}

func hitWithin(q evalset.Question, r evalset.Retrieved, k int) bool {
	for i := range min(len(r.Files), k) {
		if q.Hit(r.Files[i], r.Texts[i]) {
			return true
		}
	}
	return false
}
