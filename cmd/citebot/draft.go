package main

import (
	"fmt"
	"io"
	"strings"

	"citebot/answer"
	"citebot/retrieval"
)

// SGR codes for the draft: faint while the model writes, normal again
// once it is done.
const (
	faint = "\x1b[2m"
	reset = "\x1b[0m"
)

// draft shows a model's answer on a terminal while it is written. The
// streamed words are not final: citations and claims are checked on the
// whole text, so the draft is shown faint, and when the checked answer
// differs (sentences removed, or a fallback) a marker line says that what
// follows, not the draft, is the answer.
type draft struct {
	w     io.Writer
	shown string
}

// update shows what the model added since the last call. Partial text is
// cleaned as it grows, so it can change behind what is shown; the draft
// then waits for the checked answer.
func (d *draft) update(partial string) {
	rest, ok := strings.CutPrefix(partial, d.shown)
	if !ok || rest == "" {
		return
	}
	if d.shown == "" {
		fmt.Fprint(d.w, faint)
	}
	// Article and model text may hold terminal escapes: shown escaped.
	fmt.Fprint(d.w, termLines(rest))
	d.shown = partial
}

// settle ends the draft and reports whether the answer's text must still
// be printed: not when the checked answer is exactly the draft.
func (d *draft) settle(ans answer.Answer) (printText bool) {
	if d.shown == "" {
		return true
	}
	fmt.Fprintln(d.w, reset)
	// White space aside: the checked text is rebuilt sentence by sentence.
	if ans.Mode == answer.LLM && strings.Join(strings.Fields(ans.Text), " ") == strings.Join(strings.Fields(d.shown), " ") {
		return false
	}
	fmt.Fprintf(d.w, "\n%s\n\n", checkedMarker(ans.Lang))
	return true
}

// checkedMarker separates a draft from the answer that replaces it.
func checkedMarker(lang retrieval.Lang) string {
	if lang == retrieval.English {
		return "— checked answer (the draft above is not final) —"
	}
	return "— réponse vérifiée (le brouillon ci-dessus n’est pas définitif) —"
}
