package store

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skippedHTML are elements whose text is not article text.
var skippedHTML = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Nav: true, atom.Header: true, atom.Footer: true,
	atom.Aside: true, atom.Form: true, atom.Noscript: true, atom.Iframe: true, atom.Svg: true,
	atom.Template: true, atom.Button: true, atom.Select: true, atom.Head: true,
}

// blockHTML are elements that end a paragraph.
var blockHTML = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Li: true, atom.Blockquote: true, atom.Pre: true, atom.Td: true, atom.Th: true, atom.Dt: true,
	atom.Dd: true, atom.Figcaption: true, atom.Div: true, atom.Article: true, atom.Section: true,
	atom.Main: true, atom.Body: true, atom.Br: false, atom.Tr: true, atom.Ul: true, atom.Ol: true,
	atom.Table: true, atom.Hr: true,
}

// parseHTML extracts an article from HTML with a real tokenizer: the
// <title> is the title; scripts, styles, navigation, headers, footers and
// forms are dropped; each block element's text is a paragraph. Line ranges
// are the source lines where a paragraph's text starts and ends, so that
// "lines a–b" still leads a reader to it in the .html file.
func parseHTML(text string) document {
	var doc document
	z := html.NewTokenizer(strings.NewReader(text))
	line := 1
	skip := 0
	inTitle := false
	var cur strings.Builder
	start, end := 0, 0
	flush := func() {
		para := strings.Join(strings.Fields(cur.String()), " ")
		cur.Reset()
		if para == "" || isJunk(para) || isBoilerplate(para) {
			return
		}
		doc.Paragraphs = append(doc.Paragraphs, block{N: len(doc.Paragraphs) + 1, LineStart: start, LineEnd: end, Text: para})
	}
	for {
		tt := z.Next()
		raw := string(z.Raw())
		at := line
		line += strings.Count(raw, "\n")
		switch tt {
		case html.ErrorToken:
			flush()
			return doc
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case a == atom.Title:
				inTitle = tt == html.StartTagToken
			case skippedHTML[a] && tt == html.StartTagToken:
				skip++
			case blockHTML[a]:
				flush()
			case a == atom.Br:
				cur.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case a == atom.Title:
				inTitle = false
			case skippedHTML[a] && skip > 0:
				skip--
			case blockHTML[a]:
				flush()
			}
		case html.TextToken:
			t := string(z.Text())
			switch {
			case inTitle:
				doc.Title = strings.Join(strings.Fields(doc.Title+" "+t), " ")
			case skip == 0 && strings.TrimSpace(t) != "":
				lead := len(t) - len(strings.TrimLeft(t, " \t\r\n"))
				if strings.TrimSpace(cur.String()) == "" {
					start = at + strings.Count(raw[:min(lead, len(raw))], "\n")
				}
				end = at + strings.Count(strings.TrimRight(raw, " \t\r\n"), "\n")
				cur.WriteString(t)
			}
		}
	}
}
