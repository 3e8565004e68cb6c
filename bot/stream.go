package bot

import (
	"context"
	"strings"
	"sync"
	"time"

	"citebot/retrieval"
)

// streamTo shows an answer while it is written: onText records the text
// so far and an editor shows it, at most once per EditInterval. stop ends
// the editor and waits for an edit in progress, so that the final answer
// is never overwritten by a partial one.
func (b *Bot) streamTo(ctx context.Context, r replier, lang retrieval.Lang, attrs []any) (onText func(string), stop func()) {
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
			// What the user would see, not the raw text, decides: past
			// the length of a message, more text changes nothing.
			view := renderPreview(text, lang)
			if view == shown || text == "" {
				continue
			}
			// The edit is not cancelled with the answer: an abandoned
			// request may still reach Discord after the final message and
			// overwrite it, so stop waits for this one to finish instead.
			ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), previewTimeout)
			if err := r.first(ectx, part{Content: view}, false); err != nil {
				b.log.Debug("streaming edit skipped", append(attrs, "err", err)...)
			} else {
				shown = view
			}
			cancel()
			last = time.Now()
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

// renderPreview is an answer being written, as a draft: a first line
// says it is not checked yet, then as much of the text as fits in one
// message, escaped like the final answer. It costs the same however long
// the text is.
func renderPreview(text string, lang retrieval.Lang) string {
	head := say(lang, msgDraft) + "\n"
	const more = " …"
	room := MaxContent - length(head) - length(more)
	body := escape(prefixWithin(text, room), anyLabel) // never shorter than what it escapes
	body = strings.TrimSpace(unsplitEscape(prefixWithin(body, room)))
	return head + body + more
}

// draftGivenUp replaces a draft that could not be replaced by its answer
// nor deleted; the answer follows it.
const draftGivenUp = "-# ✍️ Brouillon remplacé par la réponse ci-dessous · Draft replaced by the answer below"
