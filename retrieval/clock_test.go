package retrieval

import (
	"slices"
	"testing"
)

func TestClockTimes(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"a 18h00, selon nos sources", "a 18h00, selon nos sources"},
		{"à 18 h 30 à salé", "à 18h30 à salé"},
		{"vers 18h, puis", "vers 18h00, puis"},
		{"at 18:00 in rabat", "at 18h00 in rabat"},
		{"at 6 pm", "at 18h00"},
		{"at 6:45 p.m.", "at 18h45"},
		{"12 am and 12 pm", "0h00 and 12h00"},
		{"09:05", "9h05"},
		// Not times.
		{"18 habitants", "18 habitants"},
		{"score 3:2", "score 3:2"},
		{"en 2018h", "en 2018h"},
		{"25h00", "25h00"},
		{"18h0", "18h0"},
		{"18h000", "18h000"},
		{"10:75", "10:75"},
		{"13 pm", "13 pm"},
		{"6 people", "6 people"},
		{"b12h00", "b12h00"},
		{"no digits here", "no digits here"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := clockTimes(tc.in); got != tc.want {
			t.Errorf("clockTimes(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestClockTimesMatch: a time written the English way in a question finds
// it written the French way in an article.
func TestClockTimesMatch(t *testing.T) {
	t.Parallel()
	an := NewAnalyzer()
	article, _ := an.IndexTerms("A 18h00, Benny Gantz se rendra à Salé.")
	q := an.ParseQuery("Where did Gantz go at 18:00?")
	var time []string
	for _, tm := range q.Terms {
		if tm.Word != "gantz" {
			time = append(time, tm.Variants...)
		}
	}
	if !slices.Contains(time, "18h00") || !slices.Contains(Words(article), "18h00") {
		t.Errorf("question terms %q, article terms %q: want 18h00 in both", time, article)
	}
}

func FuzzClockTimes(f *testing.F) {
	for _, s := range []string{"à 18 h 30", "6:45 p.m.", "3:2", "2018h", "12 am", "18h0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := clockTimes(s)
		if out == s {
			return
		}
		// A rewrite only ever writes times; running it again changes
		// nothing more.
		if again := clockTimes(out); again != out {
			t.Errorf("clockTimes(%q) = %q, then %q", s, out, again)
		}
	})
}
