package evalset

import (
	"math"
	"strings"
	"testing"
)

const set = `{"id":"a","question":"Qui ?","answerable":true,"gold":[{"file":"x.txt","contains":"Kohavi  lors"}]}
{"id":"b","question":"Quand ?","gold":[{"file":"y.txt","contains":"2021"}]}

{"id":"c","question":"Prix ?","answerable":false,"gold":[]}
`

func TestScorer(t *testing.T) {
	t.Parallel()
	qs, err := Read(strings.NewReader(set))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 3 || !qs[1].IsAnswerable() || qs[2].IsAnswerable() {
		t.Fatalf("Read = %+v", qs)
	}
	s := NewScorer(3)
	// a: hit at rank 2 (white space differs, base name compared).
	s.Add(qs[0], Retrieved{Files: []string{"x.txt", "sub/x.txt"}, Texts: []string{"autre", "Aviv Kohavi\nlors"}})
	// b: answerable but refused, no hit.
	s.Add(qs[1], Retrieved{Files: []string{"y.txt"}, Texts: []string{"2020"}, Refused: true})
	// c: unanswerable, refused.
	s.Add(qs[2], Retrieved{Refused: true})
	m := s.Metrics()
	want := Metrics{Questions: 3, K: 3, RecallAtK: 0.5, MRR: 0.25, RefusalAccuracy: 1, FalseRefusalRate: 0.5}
	if m.Questions != want.Questions || m.RecallAtK != want.RecallAtK || math.Abs(m.MRR-want.MRR) > 1e-9 ||
		m.RefusalAccuracy != want.RefusalAccuracy || m.FalseRefusalRate != want.FalseRefusalRate {
		t.Errorf("Metrics = %+v, want %+v", m, want)
	}
	if m.Recall[1] != 0 {
		t.Errorf("recall@1 = %v, want 0", m.Recall[1])
	}
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"{", `{"id":"x"}`} {
		if _, err := Read(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("Read(%q) error = %v, want one naming line 1", in, err)
		}
	}
}
