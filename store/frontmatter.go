package store

import (
	"strings"
)

// frontMatter is what a Markdown file's front matter says of the article.
type frontMatter struct {
	Title, Date, Source, URL string
}

// maxFrontMatterLines bounds how far a closing "---" is looked for: a
// file that opens with a horizontal rule and never closes it is text.
const maxFrontMatterLines = 200

// parseFrontMatter reads the YAML front matter that opens a Markdown
// file: a "---" line, "key: value" lines, and a closing "---" (or "...")
// line. Only the scalar keys citebot shows are read (title, date, source,
// url, with a few common synonyms); lists, nesting and other keys are
// skipped, as is anything that is not "key: value". It returns the text
// after the block and how many lines the block took, so that paragraph
// line numbers stay those of the file; ok is false, and text is
// returned whole, when the file has no front matter.
func parseFrontMatter(text string) (fm frontMatter, body string, lines int, ok bool) {
	first, rest, found := strings.Cut(text, "\n")
	if !found || strings.TrimRight(first, " \t\r") != "---" {
		return fm, text, 0, false
	}
	lines = 1
	for rest != "" && lines <= maxFrontMatterLines {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		lines++
		line = strings.TrimRight(line, " \t\r")
		if line == "---" || line == "..." {
			return fm, rest, lines, true
		}
		fm.set(line)
	}
	return frontMatter{}, text, 0, false
}

// set reads one "key: value" line at the top level of the block.
func (fm *frontMatter) set(line string) {
	if line == "" || line[0] == ' ' || line[0] == '\t' || line[0] == '#' {
		return
	}
	key, value, ok := strings.Cut(line, ":")
	if !ok {
		return
	}
	value = yamlScalar(value)
	if value == "" {
		return
	}
	var dst *string
	switch strings.ToLower(strings.TrimSpace(key)) {
	case "title", "titre":
		dst = &fm.Title
	case "date", "published", "publication":
		dst = &fm.Date
	case "source", "publisher", "site":
		dst = &fm.Source
	case "url", "link", "lien":
		dst = &fm.URL
	default:
		return
	}
	if *dst == "" {
		*dst = value
	}
}

// yamlScalar is a one-line YAML scalar's value: quotes removed (” inside
// single quotes is a quote, \" and \\ inside double quotes are escapes),
// a trailing " # comment" dropped from a plain scalar. A block scalar
// ("|", ">") or a flow collection ("[", "{") is not read.
func yamlScalar(v string) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return ""
	case v[0] == '"':
		if end := strings.LastIndexByte(v, '"'); end > 0 {
			r := strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\n`, " ", `\t`, " ")
			return strings.TrimSpace(r.Replace(v[1:end]))
		}
		return ""
	case v[0] == '\'':
		if end := strings.LastIndexByte(v, '\''); end > 0 {
			return strings.TrimSpace(strings.ReplaceAll(v[1:end], "''", "'"))
		}
		return ""
	case strings.ContainsRune("|>[{&*!", rune(v[0])):
		return ""
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}
