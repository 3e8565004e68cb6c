package bot

import (
	"context"
	"sync"
	"time"
)

// streamTo shows an answer while it is written: onText records the text
// so far and an editor shows it, at most once per EditInterval. stop ends
// the editor and waits for an edit in progress, so that the final answer
// is never overwritten by a partial one.
func (b *Bot) streamTo(ctx context.Context, r replier, attrs []any) (onText func(string), stop func()) {
	var (
		mu     sync.Mutex
		latest string
	)
	kick := make(chan struct{}, 1)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var last time.Time
		shown := ""
		for {
			select {
			case <-kick:
			case <-done:
				return
			}
			if wait := b.cfg.EditInterval - time.Since(last); wait > 0 {
				t := time.NewTimer(wait)
				select {
				case <-t.C:
				case <-done:
					t.Stop()
					return
				}
			}
			mu.Lock()
			text := latest
			mu.Unlock()
			if text == shown || text == "" {
				continue
			}
			// The edit is not cancelled with the answer: an abandoned
			// request may still reach Discord after the final message and
			// overwrite it, so stop waits for this one to finish instead.
			ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), previewTimeout)
			if err := r.first(ectx, part{Content: preview(text)}, false); err != nil {
				b.log.Debug("streaming edit skipped", append(attrs, "err", err)...)
			}
			cancel()
			shown, last = text, time.Now()
		}
	}()
	onText = func(s string) {
		mu.Lock()
		latest = s
		mu.Unlock()
		select {
		case kick <- struct{}{}:
		default:
		}
	}
	stop = func() {
		close(done)
		<-finished
	}
	return onText, stop
}

// previewTimeout bounds one streaming edit, which finishes even when the
// answer is cancelled.
const previewTimeout = 5 * time.Second

// preview is an answer being written, cut to fit one message.
func preview(text string) string {
	const more = " …"
	if length(text) <= MaxContent-len(more) {
		return text + more
	}
	return prefixWithin(text, MaxContent-len(more)) + more
}
