package evalset

import (
	"errors"
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

func TestReadEmpty(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "\n \n"} {
		if _, err := Read(strings.NewReader(in)); !errors.Is(err, ErrNoQuestions) {
			t.Errorf("Read(%q) error = %v, want ErrNoQuestions", in, err)
		}
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

func TestScorerAnswers(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	fr := Question{ID: "fr", Lang: "fr", Answerable: &yes, Answers: []string{"Kohavi"}}
	en := Question{ID: "en", Lang: "en", Answerable: &yes, Answers: []string{"2020"}}
	de := Question{ID: "de", Lang: "de", Answerable: &yes, Answers: []string{"Berlin"}}
	un := Question{ID: "un", Lang: "en", Answerable: &no}
	s := NewScorer(5)
	s.Add(fr, Retrieved{Answered: true, Answer: "« accueilli par Aviv Kohavi » [1]"})
	s.Add(en, Retrieved{Answered: true, Answer: "in 2020 [1]", Refused: true}) // a refusal is wrong
	s.Add(de, Retrieved{Answered: true, Answer: "« in Bonn » [1]"})            // grounded, without the answer
	s.Add(un, Retrieved{Answered: true, Answer: "x [1]"})                      // grounded: wrong
	s.AddConstructed(fr, Retrieved{Answered: true, Refused: true})             // refused: right
	m := s.Metrics()
	third := 1.0 / 3
	if m.AnswerAccuracy != third || m.WrongAnswerRate != third || m.FalseRefusalRate != third {
		t.Errorf("answer accuracy, wrong answers, false refusals = %v, %v, %v, want a third each", m.AnswerAccuracy, m.WrongAnswerRate, m.FalseRefusalRate)
	}
	if m.FalseGroundingRate != 0.5 || m.Unanswerable != 2 || m.Constructed != 1 {
		t.Errorf("false grounding = %v over %d (%d constructed), want 0.5 over 2 (1)", m.FalseGroundingRate, m.Unanswerable, m.Constructed)
	}
	if got := m.ByLang["fr"]; got.AnswerAccuracy != 1 || got.FalseGroundingRate != 0 {
		t.Errorf("fr = %+v, want accuracy 1, false grounding 0", got)
	}
	if got := m.ByLang["en"]; got.AnswerAccuracy != 0 || got.FalseGroundingRate != 1 || got.FalseRefusalRate != 1 || got.WrongAnswerRate != 0 {
		t.Errorf("en = %+v, want accuracy 0, false grounding 1, false refusals 1, wrong answers 0", got)
	}
	if got := m.ByLang["de"]; got.AnswerAccuracy != 0 || got.WrongAnswerRate != 1 {
		t.Errorf("de = %+v, want accuracy 0, wrong answers 1", got)
	}
}
