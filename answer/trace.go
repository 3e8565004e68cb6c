package answer

import (
	"context"
	"errors"
	"fmt"

	"citebot/retrieval"
)

// Trace is what the extractive path saw for a question: the judge's
// features and every candidate quote with its features, in the order of
// the feature constants. It exists for answer/fit, which fits the weights
// on question sets, and for explaining a refusal.
type Trace struct {
	Result  retrieval.Result
	Judge   []float64
	Windows []TraceWindow
}

// TraceWindow is one candidate quote.
type TraceWindow struct {
	Passage  int // index in Result.Passages
	Text     string
	Features []float64
	Chosen   bool
}

// Trace retrieves passages for question and reports how the extractive
// path would judge them and choose its quote.
func (s *Service) Trace(ctx context.Context, question string) (Trace, error) {
	res, err := s.search.Search(ctx, question, s.k)
	if err != nil && !errors.Is(err, retrieval.ErrEmptyQuery) {
		return Trace{}, fmt.Errorf("trace: %w", err)
	}
	c := s.choose(question, res)
	t := Trace{Result: res, Judge: c.judgement.feats[:]}
	for _, w := range c.all {
		chosen := len(c.quotes) > 0 && c.quotes[0].passage == w.passage && c.quotes[0].text == w.text
		t.Windows = append(t.Windows, TraceWindow{Passage: w.passage, Text: w.text, Features: w.feats[:], Chosen: chosen})
	}
	return t, nil
}
