package evalset

import "testing"

func TestAnorm(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"Aviv  Kohavi", "aviv kohavi"},
		{"chef d’état-major", "chef d etat major"},
		{"Œuvre, cœur!", "oeuvre coeur"},
		{"18h45", "18h45"},
		{"  «24 novembre 2021»  ", "24 novembre 2021"},
		{"snake_case", "snake_case"},
		{"", ""},
	} {
		if got := anorm(tc.in); got != tc.want {
			t.Errorf("anorm(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAnswerHolds(t *testing.T) {
	t.Parallel()
	q := Question{Answers: []string{"Kohavi", "24 novembre 2021"}}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"« accueilli par Aviv Kohavi. » [1]", true},
		{"le 24 novembre 2021 [2]", true},
		{"Kohavim", false}, // whole words only
		{"le 24 novembre", false},
		{"KOHAVI", true},
	} {
		if got := q.AnswerHolds(tc.text); got != tc.want {
			t.Errorf("AnswerHolds(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	if (Question{}).AnswerHolds("anything") {
		t.Error("a question without answers held an answer")
	}
}
