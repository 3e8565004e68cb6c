package answer

import "time"

// Observer hears how answers are made, for metrics: the edge that
// builds the Service decides what to do with it. Its methods are called
// on the answering goroutine, so they must be quick and safe for
// concurrent use.
type Observer interface {
	// Retrieved is called after each search for a question.
	Retrieved(d time.Duration)
	// ModelCalled is called after each call to the model.
	ModelCalled(c ModelCall)
}

// ModelCall is one call to the model.
type ModelCall struct {
	Purpose  string // "answer", or "rewrite" for an English question's keywords
	Duration time.Duration
	Err      error // nil if the model answered
	// Fallback is set when the answer was made extractively instead:
	// the model failed, cited nothing, or nothing it wrote was supported.
	Fallback bool
	// DroppedCitations counts the labels the model wrote for passages
	// it was not given.
	DroppedCitations int
}

// Model call purposes.
const (
	PurposeAnswer  = "answer"
	PurposeRewrite = "rewrite"
)

type noObserver struct{}

func (noObserver) Retrieved(time.Duration) {}
func (noObserver) ModelCalled(ModelCall)   {}
