package bot

import (
	"fmt"
	"runtime/debug"
)

// recoverPanic is deferred at the top of every event handler. It turns a
// panic into one log line with the event's ids, a reference and the
// stack, tells the user that reference if tell is set, and lets the bot
// run on: discordgo calls handlers in goroutines of their own, so a panic
// that escaped one would end the process.
func (b *Bot) recoverPanic(attrs []any, tell func(ref string)) {
	v := recover()
	if v == nil {
		return
	}
	ref := newRef()
	b.log.Error("panic while handling an event", append(attrs[:len(attrs):len(attrs)],
		"ref", ref, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))...)
	if tell == nil {
		return
	}
	defer func() {
		if v := recover(); v != nil {
			b.log.Error("panic while reporting a panic", append(attrs[:len(attrs):len(attrs)],
				"ref", ref, "panic", fmt.Sprint(v))...)
		}
	}()
	tell(ref)
}
