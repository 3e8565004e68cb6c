package usage

import (
	"strings"
	"testing"
	"time"
)

// words is a key function for tests: lower-case words longer than three
// letters, which stands in for the analyser's stems without stop words.
func words(s string) string {
	var ws []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 0xC0)
	}) {
		if len([]rune(w)) > 3 {
			ws = append(ws, w)
		}
	}
	return ContentKey(ws)
}

func TestSummarize(t *testing.T) {
	t0 := time.Date(2025, 1, 7, 10, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	qs := []Question{
		{At: t0, Outcome: Answered, Surface: Slash, User: "a", Latency: 100 * ms, Up: 2},
		{At: t0.Add(1), Outcome: Refused, Surface: Chat, User: "b", Text: "Qui a signé l'accord ?", Latency: 10 * ms},
		{At: t0.Add(2), Outcome: Refused, Surface: Slash, User: "a", Text: "l'accord : signé par qui", Latency: 20 * ms},
		{At: t0.Add(3), Outcome: Refused, Surface: Mention, User: "c", Text: "Combien coûte le zeppelin ?", Latency: 30 * ms},
		{At: t0.Add(4), Outcome: RateLimited, Surface: Slash, User: "a"},
		{At: t0.Add(5), Outcome: Answered, Surface: Slash, User: "c", Latency: 400 * ms, Down: 1, Fallback: true},
		{At: t0.Add(6), Outcome: Failed, Surface: Chat, User: "c"},
	}
	r := Summarize(qs, t0, t0.Add(time.Hour), words)
	if r.Questions != 7 || r.Outcomes[Answered] != 2 || r.Outcomes[Refused] != 3 || r.Outcomes[RateLimited] != 1 || r.Outcomes[Failed] != 1 {
		t.Errorf("counts: %d questions, outcomes %v", r.Questions, r.Outcomes)
	}
	if r.Surfaces[Slash] != 4 || r.Surfaces[Chat] != 2 || r.Surfaces[Mention] != 1 {
		t.Errorf("surfaces %v", r.Surfaces)
	}
	if r.RefusalRate != 0.6 || r.Users != 3 || r.VotesUp != 2 || r.VotesDown != 1 || r.Fallbacks != 1 {
		t.Errorf("refusal rate %g, users %d, votes %d/%d, fallbacks %d; want 0.6, 3, 2/1, 1",
			r.RefusalRate, r.Users, r.VotesUp, r.VotesDown, r.Fallbacks)
	}
	if r.Latency.P50 != 30 || r.Latency.Max != 400 {
		t.Errorf("latency %+v, want p50 30 ms and max 400 ms", r.Latency)
	}
	if len(r.Unanswered) != 2 || r.Unanswered[0].Count != 2 || r.Unanswered[0].Key != "accord signé" {
		t.Fatalf("unanswered %+v, want the two accord questions grouped first", r.Unanswered)
	}
	if got := r.Unanswered[0].Texts; len(got) != 2 || got[0] != "l'accord : signé par qui" {
		t.Errorf("group texts %q, want both wordings, the latest first", got)
	}
	if len(r.VotedDown) != 1 || r.VotedDown[0].Latency != 400*ms {
		t.Errorf("voted down %+v", r.VotedDown)
	}
}

func TestSummarizeEmpty(t *testing.T) {
	r := Summarize(nil, time.Time{}, time.Time{}, words)
	if r.Questions != 0 || r.RefusalRate != 0 || r.Latency != (Percentiles{}) || len(r.Unanswered) != 0 {
		t.Errorf("empty report %+v", r)
	}
}

func TestPercentiles(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	p := percentiles(ds)
	if p.P50 != 50 || p.P90 != 90 || p.P99 != 99 || p.Max != 100 {
		t.Errorf("percentiles of 1..100 ms: %+v", p)
	}
}
