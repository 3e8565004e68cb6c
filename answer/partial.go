package answer

import "sync"

// minPartialStep is the least growth, in bytes, between two partial texts
// that are checked and shown.
const minPartialStep = 64

// checkedPartials passes partial texts to onText, each cleaned by check,
// while keeping the work of checking linear in the answer's length: a
// text is checked only once it has grown by an eighth (and at least
// minPartialStep bytes) since the last one checked. Checking every chunk
// of a stream made a 124 kB answer cost thousands of checks over the
// whole text; this way it costs a few dozen. flush passes the last text
// seen, if it was skipped.
func checkedPartials(onText func(string), check func(string) string) (partial func(string), flush func()) {
	var (
		mu      sync.Mutex
		checked int // length of the last text checked
		pending string
	)
	partial = func(t string) {
		mu.Lock()
		defer mu.Unlock()
		if checked > 0 && len(t) < checked+max(minPartialStep, checked/8) {
			pending = t
			return
		}
		checked, pending = len(t), ""
		onText(check(t))
	}
	flush = func() {
		mu.Lock()
		defer mu.Unlock()
		if pending != "" {
			checked = len(pending)
			onText(check(pending))
			pending = ""
		}
	}
	return partial, flush
}
