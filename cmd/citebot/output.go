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

// jsonArticle names the article a paragraph comes from: its title (stated,
// or made from its opening sentence) and publication date (YYYY-MM-DD when
// known as such, "" when unknown), its source and address where known.
type jsonArticle struct {
	Title  string `json:"title"`
	Date   string `json:"date"`
	Source string `json:"source,omitempty"`
	URL    string `json:"url,omitempty"`
}

func articleJSON(p retrieval.Passage) jsonArticle {
	return jsonArticle{Title: p.Title, Date: p.Date, Source: p.Source, URL: p.URL}
}

type jsonCitation struct {
	File      string `json:"file"`
	Paragraph int    `json:"paragraph"`
	Lines     [2]int `json:"lines"`
	jsonArticle
	Text string `json:"text"`
}

type jsonAnswer struct {
	Question  string         `json:"question"`
	Answer    string         `json:"answer"`
	Grounded  bool           `json:"grounded"`
	Mode      answer.Mode    `json:"mode"`
	Citations []jsonCitation `json:"citations"`
	Nearest   []jsonCitation `json:"nearest,omitempty"`
	Note      string         `json:"note,omitempty"`
	// With --explain: the judge's confidence that the articles answer, and
	// the question's words the best paragraph lacks.
	Confidence *float64 `json:"confidence,omitempty"`
	Missing    []string `json:"missing,omitempty"`
	// DroppedCitations and UnsupportedSentences count what was removed
	// from a model's answer: labels naming no retrieved passage, and
	// sentences the cited passages do not support.
	DroppedCitations     int `json:"dropped_citations"`
	UnsupportedSentences int `json:"unsupported_sentences"`
}

type jsonResult struct {
	Rank      int    `json:"rank"`
	File      string `json:"file"`
	Paragraph int    `json:"paragraph"`
	Lines     [2]int `json:"lines"`
	jsonArticle
	Score float64 `json:"score"`
	Text  string  `json:"text"`
}

type jsonSearch struct {
	Query    string       `json:"query"`
	Relevant bool         `json:"relevant"`
	Coverage float64      `json:"coverage"`
	Results  []jsonResult `json:"results"`
}

func citationJSON(p retrieval.Passage) jsonCitation {
	return jsonCitation{File: p.File, Paragraph: p.Paragraph, Lines: [2]int{p.LineStart, p.LineEnd},
		jsonArticle: articleJSON(p), Text: p.Text}
}

func answerJSON(ans answer.Answer) jsonAnswer {
	out := jsonAnswer{Question: ans.Question, Answer: ans.Text, Grounded: ans.Grounded, Mode: ans.Mode,
		Citations: []jsonCitation{}, Note: ans.Note,
		DroppedCitations: ans.DroppedCitations, UnsupportedSentences: ans.UnsupportedSentences}
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
			fmt.Fprintf(w, "  [%d] %s\n", c.N, cite(c.Passage))
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
			fmt.Fprintf(w, "  - %s\n", cite(p))
			writeIndented(w, p.Text)
		}
	}
}

// cite names a paragraph for a reader of the terminal: the article, then
// where the paragraph is, "Titre (Source, 2021-11-24) — file ¶N (line a)".
func cite(p retrieval.Passage) string {
	if h := p.Heading(); h != "" {
		return termSafe(h) + " — " + termSafe(p.Location())
	}
	return termSafe(p.Location())
}

// writeIndented prints a paragraph's lines indented, made safe for a
// terminal.
func writeIndented(w io.Writer, text string) {
	for line := range strings.Lines(text) {
		fmt.Fprintf(w, "      %s\n", termSafe(strings.TrimSuffix(line, "\n")))
	}
}

// writeExplain says why citebot answered or refused: how sure it is that
// the best paragraph answers, and which of the question's words it lacks.
func writeExplain(w io.Writer, ans answer.Answer) {
	fmt.Fprintf(w, "\nconfidence %.2f", ans.Confidence)
	if len(ans.Missing) > 0 {
		fmt.Fprintf(w, "; not in the best paragraph: %s", strings.Join(ans.Missing, ", "))
	}
	fmt.Fprintln(w)
}
