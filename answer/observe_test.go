package answer_test

import (
	"sync"
	"testing"
	"time"

	"citebot/answer"
	"citebot/internal/indextest"
	"citebot/internal/openaitest"
)

// recorder is an Observer that keeps what it hears.
type recorder struct {
	mu        sync.Mutex
	retrieved int
	calls     []answer.ModelCall
}

func (r *recorder) Retrieved(time.Duration) { r.mu.Lock(); r.retrieved++; r.mu.Unlock() }
func (r *recorder) ModelCalled(c answer.ModelCall) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
}

func TestObserver(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		reply            openaitest.Reply
		err, fallback    bool
		dropped          int
		answerIsFallback bool
	}{
		{"answered", openaitest.Reply{Content: "Il a été accueilli par Aviv Kohavi [1]."}, false, false, 0, false},
		{"invented citation", openaitest.Reply{Content: "Aviv Kohavi [1] et [9]."}, false, false, 1, false},
		{"nothing cited", openaitest.Reply{Content: "Aviv Kohavi."}, false, true, 0, true},
		{"server error", openaitest.Reply{Status: 500}, true, true, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := openaitest.New(t, token, openaitest.Always(tc.reply))
			_, search := indextest.Shipped(t)
			rec := &recorder{}
			model := answer.NewModel(answer.ModelConfig{APIKey: token, BaseURL: srv.BaseURL(), Model: "m", Timeout: 5 * time.Second})
			svc := answer.New(search, answer.Options{Model: model, Observer: rec})
			ans, err := svc.Ask(t.Context(), kohavi)
			if err != nil {
				t.Fatal(err)
			}
			if rec.retrieved != 1 || len(rec.calls) != 1 {
				t.Fatalf("heard %d searches and %d model calls, want 1 and 1", rec.retrieved, len(rec.calls))
			}
			c := rec.calls[0]
			if (c.Err != nil) != tc.err || c.Fallback != tc.fallback || c.DroppedCitations != tc.dropped || c.Purpose != answer.PurposeAnswer {
				t.Errorf("model call %+v, want error %v, fallback %v, dropped %d", c, tc.err, tc.fallback, tc.dropped)
			}
			if ans.Fallback != tc.answerIsFallback {
				t.Errorf("Answer.Fallback = %v, want %v", ans.Fallback, tc.answerIsFallback)
			}
		})
	}
}
