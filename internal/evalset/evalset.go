// Package evalset reads question sets with gold paragraphs and scores
// retrieval against them, as ../shared/eval/README.md defines.
package evalset

import (
	"bufio"
	"encoding/json"
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
}

// IsAnswerable reports whether the corpus holds the answer; a set that
// omits the field means yes.
func (q Question) IsAnswerable() bool { return q.Answerable == nil || *q.Answerable }

// Read parses a JSONL question set.
func Read(r io.Reader) ([]Question, error) {
	var qs []Question
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var q Question
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if q.Question == "" {
			return nil, fmt.Errorf("line %d: no question", line)
		}
		qs = append(qs, q)
	}
	return qs, sc.Err()
}

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
}

// Scorer accumulates results question by question.
type Scorer struct {
	k                           int
	n, answerable, unanswerable int
	refusedOK, falseRefusals    int
	rr                          float64
	firstHit                    []int // rank of the first hit per answerable question, 0 if none
}

// NewScorer scores recall at k (and at 1, 3, 5, 10, 20).
func NewScorer(k int) *Scorer { return &Scorer{k: k} }

// Add records what was retrieved for q.
func (s *Scorer) Add(q Question, r Retrieved) {
	s.n++
	if !q.IsAnswerable() {
		s.unanswerable++
		if r.Refused {
			s.refusedOK++
		}
		return
	}
	s.answerable++
	if r.Refused {
		s.falseRefusals++
	}
	first := 0
	for i := 0; i < len(r.Files) && i < Ranks; i++ {
		if q.Hit(r.Files[i], r.Texts[i]) {
			first = i + 1
			break
		}
	}
	s.firstHit = append(s.firstHit, first)
	if first > 0 {
		s.rr += 1 / float64(first)
	}
}

// Metrics returns the scores so far.
func (s *Scorer) Metrics() Metrics {
	m := Metrics{Questions: s.n, K: s.k, Recall: map[int]float64{}, Answerable: s.answerable,
		Unanswerable: s.unanswerable, AnswerableRefused: s.falseRefusals}
	for _, k := range []int{1, 3, 5, 10, 20, s.k} {
		m.Recall[k] = s.recall(k)
	}
	m.RecallAtK = m.Recall[s.k]
	if s.answerable > 0 {
		m.MRR = s.rr / float64(s.answerable)
		m.FalseRefusalRate = float64(s.falseRefusals) / float64(s.answerable)
	}
	if s.unanswerable > 0 {
		m.RefusalAccuracy = float64(s.refusedOK) / float64(s.unanswerable)
	} else {
		m.RefusalAccuracy = 1
	}
	return m
}

func (s *Scorer) recall(k int) float64 {
	if s.answerable == 0 {
		return 0
	}
	hits := 0
	for _, f := range s.firstHit {
		if f > 0 && f <= k {
			hits++
		}
	}
	return float64(hits) / float64(s.answerable)
}
