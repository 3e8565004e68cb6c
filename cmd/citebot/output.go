package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"citebot/answer"
	"citebot/retrieval"
)

// The JSON shapes below are read by outside checks: keep field names.

type jsonCitation struct {
	File      string `json:"file"`
	Paragraph int    `json:"paragraph"`
	Lines     [2]int `json:"lines"`
	Text      string `json:"text"`
}

type jsonAnswer struct {
	Question  string         `json:"question"`
	Answer    string         `json:"answer"`
	Grounded  bool           `json:"grounded"`
	Mode      answer.Mode    `json:"mode"`
	Citations []jsonCitation `json:"citations"`
	Nearest   []jsonCitation `json:"nearest,omitempty"`
	Note      string         `json:"note,omitempty"`
}

type jsonResult struct {
	Rank      int     `json:"rank"`
	File      string  `json:"file"`
	Paragraph int     `json:"paragraph"`
	Lines     [2]int  `json:"lines"`
	Score     float64 `json:"score"`
	Text      string  `json:"text"`
}

type jsonSearch struct {
	Query    string       `json:"query"`
	Relevant bool         `json:"relevant"`
	Coverage float64      `json:"coverage"`
	Results  []jsonResult `json:"results"`
}

func citationJSON(p retrieval.Passage) jsonCitation {
	return jsonCitation{File: p.File, Paragraph: p.Paragraph, Lines: [2]int{p.LineStart, p.LineEnd}, Text: p.Text}
}

func answerJSON(ans answer.Answer) jsonAnswer {
	out := jsonAnswer{Question: ans.Question, Answer: ans.Text, Grounded: ans.Grounded, Mode: ans.Mode,
		Citations: []jsonCitation{}, Note: ans.Note}
	for _, c := range ans.Citations {
		out.Citations = append(out.Citations, citationJSON(c.Passage))
	}
	for _, p := range ans.Nearest {
		out.Nearest = append(out.Nearest, citationJSON(p))
	}
	return out
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeAnswer prints an answer for people: the text, then its sources
// with the paragraph each label stands for.
func writeAnswer(w io.Writer, ans answer.Answer) {
	if ans.Text != "" {
		fmt.Fprintln(w, termLines(ans.Text))
	}
	if ans.Note != "" {
		fmt.Fprintf(w, "\n(%s)\n", termLines(ans.Note))
	}
	if len(ans.Citations) > 0 {
		fmt.Fprintln(w, "\nSources")
		for _, c := range ans.Citations {
			fmt.Fprintf(w, "  [%d] %s\n", c.N, termSafe(c.Passage.Location()))
			writeIndented(w, c.Passage.Text)
		}
	}
	if len(ans.Nearest) > 0 {
		if ans.Lang == retrieval.English {
			fmt.Fprintln(w, "\nNearest paragraphs (they do not answer the question)")
		} else {
			fmt.Fprintln(w, "\nParagraphes les plus proches (ils ne répondent pas à la question)")
		}
		for _, p := range ans.Nearest {
			fmt.Fprintf(w, "  - %s\n", termSafe(p.Location()))
			writeIndented(w, p.Text)
		}
	}
}

// writeIndented prints a paragraph's lines indented, made safe for a
// terminal.
func writeIndented(w io.Writer, text string) {
	for line := range strings.Lines(text) {
		fmt.Fprintf(w, "      %s\n", termSafe(strings.TrimSuffix(line, "\n")))
	}
}
