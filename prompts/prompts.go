// Package prompts renders the messages sent to the language model from
// typed data. The templates are embedded and pinned by golden files in
// testdata (refresh with go test ./prompts -update).
package prompts

import (
	"embed"
	"fmt"
	"strings"
	"text/template"
	"unicode/utf8"

	"citebot/retrieval"
)

//go:embed *.tmpl
var files embed.FS

// NotFound is what the model is told to answer, exactly, when the passages
// do not hold the answer. The answer package looks for it.
const NotFound = "NOT_FOUND"

// Passage is one numbered passage as the model sees it.
type Passage struct {
	N     int    // the label the model cites: [N]
	Ref   string // "file ¶N"
	Title string
	Text  string
}

// Answer is the data of an answer request.
type Answer struct {
	Question string
	Lang     retrieval.Lang
	Passages []Passage
}

// Rewrite is the data of a search-keyword request.
type Rewrite struct {
	Question string
}

// Exchange is one earlier question of a conversation and its answer.
type Exchange struct {
	Question, Answer string
}

// FollowUp is the data of a request to rewrite a follow-up question into
// a standalone one.
type FollowUp struct {
	Turns    []Exchange // oldest first
	Question string
}

type systemData struct {
	NotFound string
	LangName string
}

// Set holds the parsed templates.
type Set struct {
	t *template.Template
}

// Load parses the embedded templates. Missing fields are errors, never
// "<no value>" in a prompt.
func Load() (*Set, error) {
	t, err := template.New("prompts").Option("missingkey=error").ParseFS(files, "*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse prompts: %w", err)
	}
	return &Set{t: t}, nil
}

// MustLoad is Load for callers that cannot go on without the templates:
// they are embedded, so a failure is a bug that the tests catch.
func MustLoad() *Set {
	s, err := Load()
	if err != nil {
		panic(err)
	}
	return s
}

func (s *Set) render(name string, data any) (string, error) {
	var b strings.Builder
	if err := s.t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()), nil
}

// System is the system message for answering in lang.
func (s *Set) System(lang retrieval.Lang) (string, error) {
	name := "French"
	if lang == retrieval.English {
		name = "English"
	}
	return s.render("system.tmpl", systemData{NotFound: NotFound, LangName: name})
}

// User is the user message: the numbered passages, then the question.
func (s *Set) User(a Answer) (string, error) { return s.render("user.tmpl", a) }

// RewriteQuery asks for French search keywords for a question.
func (s *Set) RewriteQuery(r Rewrite) (string, error) { return s.render("rewrite.tmpl", r) }

// Standalone asks for a follow-up question rewritten to stand alone.
func (s *Set) Standalone(f FollowUp) (string, error) { return s.render("followup.tmpl", f) }

// Fit numbers passages [1]..[k] and cuts their text so that all of it fits
// in budget characters, best passages first: a passage is shortened (at a
// word boundary, marked with …) or, once the budget is spent, left out.
func Fit(ps []retrieval.Passage, budget int) []Passage {
	var out []Passage
	left := budget
	for i, p := range ps {
		if left < minPassageChars {
			break
		}
		text := strings.Join(strings.Fields(p.Text), " ")
		if utf8.RuneCountInString(text) > left {
			text = cut(text, left)
		}
		left -= utf8.RuneCountInString(text)
		out = append(out, Passage{N: i + 1, Ref: p.Ref(), Title: p.Title, Text: text})
	}
	return out
}

// minPassageChars: a passage cut shorter than this says too little to cite.
const minPassageChars = 200

// cut shortens text to at most n runes, at a word boundary, with an ellipsis.
func cut(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	s := string(r[:n-1])
	if i := strings.LastIndexByte(s, ' '); i > len(s)/2 {
		s = s[:i]
	}
	return s + "…"
}
