package main

import (
	"bytes"
	"strings"
	"testing"

	"citebot/answer"
	"citebot/retrieval"
)

func TestDraft(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		partials  []string
		ans       answer.Answer
		printText bool
		want      string // what the draft wrote
	}{
		{"nothing streamed", nil, answer.Answer{Mode: answer.Extractive, Text: "« x » [1]"}, true, ""},
		{"checked answer is the draft", []string{"Aviv", "Aviv Kohavi [1]."},
			answer.Answer{Mode: answer.LLM, Text: "Aviv Kohavi [1]."}, false, faint + "Aviv Kohavi [1]." + reset + "\n"},
		{"sentence removed", []string{"Aviv Kohavi [1].", "Aviv Kohavi [1]. Il pleuvait."},
			answer.Answer{Mode: answer.LLM, Text: "Aviv Kohavi [1].", Lang: retrieval.French}, true,
			faint + "Aviv Kohavi [1]. Il pleuvait." + reset + "\n\n" + checkedMarker(retrieval.French) + "\n\n"},
		{"fallback after a cut stream", []string{"He was"},
			answer.Answer{Mode: answer.Extractive, Text: "« x » [1]", Lang: retrieval.English}, true,
			faint + "He was" + reset + "\n\n" + checkedMarker(retrieval.English) + "\n\n"},
		{"cleaned text changed behind the draft", []string{"Aviv [1", "Aviv Kohavi."},
			answer.Answer{Mode: answer.LLM, Text: "Aviv Kohavi."}, true, faint + "Aviv [1" + reset + "\n\n" + checkedMarker("") + "\n\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			d := &draft{w: &b}
			for _, p := range tc.partials {
				d.update(p)
			}
			if got := d.settle(tc.ans); got != tc.printText {
				t.Errorf("settle = %v, want %v", got, tc.printText)
			}
			if b.String() != tc.want {
				t.Errorf("draft wrote %q, want %q", b.String(), tc.want)
			}
			if strings.Count(b.String(), faint) != strings.Count(b.String(), reset) {
				t.Errorf("draft %q leaves the terminal faint", b.String())
			}
		})
	}
}
