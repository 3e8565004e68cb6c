// Package evalset reads question sets with gold paragraphs and scores
// retrieval against them, as ../shared/eval/README.md defines.
package evalset

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// Gold names a paragraph that answers a question: one in File whose text
// contains Contains.
type Gold struct {
	File     string `json:"file"`
	Contains string `json:"contains"`
}

// Question is one line of a question set.
type Question struct {
	ID         string   `json:"id"`
	Question   string   `json:"question"`
	Lang       string   `json:"lang"`
	Answerable *bool    `json:"answerable"`
	Gold       []Gold   `json:"gold"`
	Answers    []string `json:"answers"`
	// File is the article the question was written about, when the set
	// says: conversations are built from successive questions about one.
	File string `json:"file,omitempty"`
}

// IsAnswerable reports whether the corpus holds the answer; a set that
// omits the field means yes.
func (q Question) IsAnswerable() bool { return q.Answerable == nil || *q.Answerable }

// Read parses a JSONL question set. A set without questions is an error.
func Read(r io.Reader) ([]Question, error) {
	return readJSONL(r, func(q Question) error {
		if q.Question == "" {
			return errors.New("no question")
		}
		return nil
	})
}

// readJSONL parses one T per non-blank line, each checked by check; an
// error names its line. No line at all is ErrNoQuestions: scoring nothing
// would report perfect refusals.
func readJSONL[T any](r io.Reader, check func(T) error) ([]T, error) {
	var out []T
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if err := check(v); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNoQuestions
	}
	return out, nil
}

// ErrNoQuestions means a question set holds no question.
var ErrNoQuestions = errors.New("no questions (the file is empty or blank)")

// Load reads a JSONL question set from a file.
func Load(name string) ([]Question, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	qs, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return qs, nil
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// Hit reports whether a retrieved paragraph (file relative to the corpus
// folder, original text) answers q.
func (q Question) Hit(file, text string) bool {
	base := path.Base(file)
	t := norm(text)
	for _, g := range q.Gold {
		if path.Base(g.File) == base && strings.Contains(t, norm(g.Contains)) {
			return true
		}
	}
	return false
}

// Retrieved is what a system returned for one question.
type Retrieved struct {
	Files, Texts []string // ranked, best first
	Refused      bool     // the system judged that nothing answers
	// Answer is the text shown to the user, when Answered: only then is
	// answer accuracy scored.
	Answer   string
	Answered bool
}

// Ranks is the largest k that recall is reported at, and MRR's cut-off.
const Ranks = 20

// Metrics are the scores of a run.
type Metrics struct {
	Questions         int             `json:"questions"`
	K                 int             `json:"k"`
	RecallAtK         float64         `json:"recall_at_k"`
	MRR               float64         `json:"mrr"`
	RefusalAccuracy   float64         `json:"refusal_accuracy"`
	FalseRefusalRate  float64         `json:"false_refusal_rate"`
	Recall            map[int]float64 `json:"recall"`
	Answerable        int             `json:"answerable"`
	Unanswerable      int             `json:"unanswerable"`
	AnswerableRefused int             `json:"answerable_refused"`
	// AnswerAccuracy is the share of answerable questions whose answer
	// holds an expected answer; a refusal is wrong.
	AnswerAccuracy float64 `json:"answer_accuracy"`
	// WrongAnswerRate is the share of answerable questions answered as
	// grounded with an answer that holds none of the expected answers:
	// what a refusal spares the reader. Accuracy, false refusals and this
	// add up to 1.
	WrongAnswerRate float64 `json:"wrong_answer_rate"`
	// FalseGroundingRate is the share of unanswerable questions (the set's
	// own and those made unanswerable by construction) answered as
	// grounded.
	FalseGroundingRate float64 `json:"false_grounding_rate"`
	// Constructed counts the questions made unanswerable by construction
	// (their gold files removed from the corpus).
	Constructed int `json:"constructed_unanswerable,omitempty"`
	// ByLang holds the same scores per question language.
	ByLang map[string]LangMetrics `json:"by_lang,omitempty"`
}

// LangMetrics are the scores of the questions in one language.
type LangMetrics struct {
	Questions          int     `json:"questions"`
	Answerable         int     `json:"answerable"`
	Unanswerable       int     `json:"unanswerable"`
	RecallAtK          float64 `json:"recall_at_k"`
	AnswerAccuracy     float64 `json:"answer_accuracy"`
	WrongAnswerRate    float64 `json:"wrong_answer_rate"`
	FalseRefusalRate   float64 `json:"false_refusal_rate"`
	FalseGroundingRate float64 `json:"false_grounding_rate"`
}

// counts accumulates one group of questions.
type counts struct {
	n, answerable, unanswerable int
	refusedOK, falseRefusals    int
	correct, wrong, hitsAtK     int
	rr                          float64
}

// Scorer accumulates results question by question.
type Scorer struct {
	k           int
	all         counts
	byLang      map[string]*counts
	constructed int
	firstHit    []int // rank of the first hit per answerable question, 0 if none
}

// NewScorer scores recall at k (and at 1, 3, 5, 10, 20).
func NewScorer(k int) *Scorer { return &Scorer{k: k, byLang: map[string]*counts{}} }

// Add records what was retrieved and answered for q.
func (s *Scorer) Add(q Question, r Retrieved) {
	first := 0
	if q.IsAnswerable() {
		for i := 0; i < len(r.Files) && i < Ranks; i++ {
			if q.Hit(r.Files[i], r.Texts[i]) {
				first = i + 1
				break
			}
		}
		s.firstHit = append(s.firstHit, first)
	}
	s.all.add(q.IsAnswerable(), first, s.k, r, q)
	s.lang(q.Lang).add(q.IsAnswerable(), first, s.k, r, q)
}

// AddConstructed records what was answered for q asked over a corpus
// without its gold files: an unanswerable question by construction.
func (s *Scorer) AddConstructed(q Question, r Retrieved) {
	s.constructed++
	s.all.add(false, 0, s.k, r, q)
	s.lang(q.Lang).add(false, 0, s.k, r, q)
}

func (s *Scorer) lang(l string) *counts {
	if l == "" {
		l = "unknown"
	}
	c := s.byLang[l]
	if c == nil {
		c = &counts{}
		s.byLang[l] = c
	}
	return c
}

func (c *counts) add(answerable bool, first, k int, r Retrieved, q Question) {
	c.n++
	if !answerable {
		c.unanswerable++
		if r.Refused {
			c.refusedOK++
		}
		return
	}
	c.answerable++
	if r.Refused {
		c.falseRefusals++
	}
	if first > 0 {
		c.rr += 1 / float64(first)
		if first <= k {
			c.hitsAtK++
		}
	}
	if r.Answered && !r.Refused {
		if q.AnswerHolds(r.Answer) {
			c.correct++
		} else {
			c.wrong++
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (c *counts) lang() LangMetrics {
	return LangMetrics{Questions: c.n, Answerable: c.answerable, Unanswerable: c.unanswerable,
		RecallAtK: ratio(c.hitsAtK, c.answerable), AnswerAccuracy: ratio(c.correct, c.answerable),
		WrongAnswerRate:    ratio(c.wrong, c.answerable),
		FalseRefusalRate:   ratio(c.falseRefusals, c.answerable),
		FalseGroundingRate: ratio(c.unanswerable-c.refusedOK, c.unanswerable)}
}

// Metrics returns the scores so far.
func (s *Scorer) Metrics() Metrics {
	c := s.all
	m := Metrics{Questions: c.n, K: s.k, Recall: map[int]float64{}, Answerable: c.answerable,
		Unanswerable: c.unanswerable, AnswerableRefused: c.falseRefusals, Constructed: s.constructed}
	for _, k := range []int{1, 3, 5, 10, 20, s.k} {
		m.Recall[k] = s.recall(k)
	}
	m.RecallAtK = m.Recall[s.k]
	m.MRR = c.rr / max(float64(c.answerable), 1)
	m.FalseRefusalRate = ratio(c.falseRefusals, c.answerable)
	m.AnswerAccuracy = ratio(c.correct, c.answerable)
	m.WrongAnswerRate = ratio(c.wrong, c.answerable)
	m.RefusalAccuracy = 1
	if c.unanswerable > 0 {
		m.RefusalAccuracy = ratio(c.refusedOK, c.unanswerable)
		m.FalseGroundingRate = 1 - m.RefusalAccuracy
	}
	m.ByLang = make(map[string]LangMetrics, len(s.byLang))
	for l, lc := range s.byLang {
		m.ByLang[l] = lc.lang()
	}
	return m
}

func (s *Scorer) recall(k int) float64 {
	hits := 0
	for _, f := range s.firstHit {
		if f > 0 && f <= k {
			hits++
		}
	}
	return ratio(hits, len(s.firstHit))
}
