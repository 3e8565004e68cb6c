package store

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skippedHTML are elements whose text is not article text: code, styling,
// navigation, page chrome, forms and embedded images.
var skippedHTML = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Nav: true, atom.Header: true, atom.Footer: true,
	atom.Aside: true, atom.Form: true, atom.Noscript: true, atom.Iframe: true, atom.Svg: true,
	atom.Math: true, atom.Template: true, atom.Button: true, atom.Select: true, atom.Textarea: true,
	atom.Canvas: true, atom.Object: true, atom.Dialog: true, atom.Menu: true,
}

// blockHTML are elements that begin and end a paragraph.
var blockHTML = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Li: true, atom.Blockquote: true, atom.Pre: true, atom.Td: true, atom.Th: true, atom.Dt: true,
	atom.Dd: true, atom.Figcaption: true, atom.Figure: true, atom.Div: true, atom.Article: true,
	atom.Section: true, atom.Main: true, atom.Body: true, atom.Tr: true, atom.Ul: true, atom.Ol: true,
	atom.Dl: true, atom.Table: true, atom.Caption: true, atom.Hr: true, atom.Address: true,
	atom.Details: true, atom.Summary: true,
}

// parseHTML extracts an article from HTML with the x/net/html tokenizer.
// The first <title> outside embedded SVG is the title; the text of
// skippedHTML elements is dropped; each block element's own text is a
// paragraph (a <div> holding text and <p>s gives one paragraph for each
// run of text between them); junk and boilerplate are dropped as in plain
// text, and ¶N counts what is kept.
//
// Line ranges are source lines of the .html file: a paragraph runs from
// the line of its first non-blank character to the line of its last, so
// "lines a–b" leads a reader to it in the file as written. A tokenizer is
// used rather than html.Parse because the parse tree does not keep source
// positions; the price is that implied end tags are only approximated
// (an unclosed skipped element is closed by the end tag of any element
// around it, as the tree builder would).
func parseHTML(text string) document {
	x := htmlExtractor{line: 1, depth: make(map[atom.Atom]int)}
	z := html.NewTokenizer(strings.NewReader(text))
	for {
		tt := z.Next()
		// Copied before Text, which unescapes in the buffer Raw shares.
		raw := string(z.Raw())
		at := x.line
		x.line += strings.Count(raw, "\n")
		if x.doc.Truncated {
			tt = html.ErrorToken
		}
		switch tt {
		case html.ErrorToken:
			x.flush()
			x.meta.finish(&x.doc)
			return x.doc
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if hasAttr && (a == atom.Meta || a == atom.Link) {
				x.meta.tag(a, z)
			}
			x.startTag(a, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			x.endTag(atom.Lookup(name))
		case html.TextToken:
			x.text(string(z.Text()), raw, at)
		}
	}
}

// htmlExtractor is parseHTML's state between tokens.
type htmlExtractor struct {
	doc       document
	meta      htmlMeta
	line      int               // line of the next token
	open      []atom.Atom       // skipped and block elements open around the current token
	depth     map[atom.Atom]int // how many of each are in open
	skipped   int               // how many skipped elements are in open
	inTitle   bool              // inside a <title>, whose text is never a paragraph
	docTitle  bool              // inside the <title> that titles the document
	titleDone bool
	inPara    bool // text has begun since the last paragraph ended
	cur       strings.Builder
	from, to  int // lines of the current paragraph's text
}

func (x *htmlExtractor) skipping() bool { return x.skipped > 0 }

func (x *htmlExtractor) push(a atom.Atom) {
	x.open = append(x.open, a)
	x.depth[a]++
	if skippedHTML[a] {
		x.skipped++
	}
}

// pop closes the innermost open a and whatever was left open inside it.
// Each element is pushed and popped once, so a file costs linear time
// however its tags are mismatched.
func (x *htmlExtractor) pop(a atom.Atom) {
	for x.depth[a] > 0 {
		top := x.open[len(x.open)-1]
		x.open = x.open[:len(x.open)-1]
		x.depth[top]--
		if skippedHTML[top] {
			x.skipped--
		}
		if top == a {
			return
		}
	}
}

func (x *htmlExtractor) startTag(a atom.Atom, selfClosing bool) {
	switch {
	case a == atom.Title && !selfClosing:
		x.inTitle = true
		x.docTitle = !x.titleDone && !x.skipping()
	case skippedHTML[a] && !selfClosing:
		x.cur.WriteByte(' ') // "a<nav>…</nav>b" is two words
		x.push(a)
	case blockHTML[a]:
		x.flush()
		if !selfClosing && a != atom.Hr {
			x.push(a)
		}
	case a == atom.Br || a == atom.Img || a == atom.Wbr:
		x.cur.WriteByte(' ')
	}
}

func (x *htmlExtractor) endTag(a atom.Atom) {
	switch {
	case a == atom.Title:
		x.titleDone = x.titleDone || x.docTitle
		x.inTitle, x.docTitle = false, false
		return
	case a == atom.Body || a == atom.Html:
		x.flush()
		x.open, x.skipped = x.open[:0], 0
		clear(x.depth)
		return
	}
	x.pop(a)
	if skippedHTML[a] {
		x.cur.WriteByte(' ')
	} else if blockHTML[a] {
		x.flush()
	}
}

func (x *htmlExtractor) text(t, raw string, at int) {
	switch {
	case x.docTitle:
		x.doc.Title = strings.Join(strings.Fields(x.doc.Title+" "+t), " ")
	case x.inTitle:
	case x.skipping() || strings.TrimSpace(t) == "":
		if t != "" {
			x.cur.WriteByte(' ')
		}
	default:
		// Lines come from the raw token, in which entities are not yet
		// decoded; blank characters are the same in both.
		if !x.inPara {
			x.inPara = true
			lead := len(raw) - len(strings.TrimLeft(raw, " \t\r\n\f"))
			x.from = at + strings.Count(raw[:lead], "\n")
		}
		x.to = at + strings.Count(strings.TrimRight(raw, " \t\r\n\f"), "\n")
		x.cur.WriteString(t)
	}
}

// flush ends the current paragraph, keeping it if it is text.
func (x *htmlExtractor) flush() {
	para := strings.Join(strings.Fields(x.cur.String()), " ")
	x.cur.Reset()
	x.inPara = false
	if para == "" || isJunk(para) || isBoilerplate(para) {
		return
	}
	x.doc.add(block{LineStart: x.from, LineEnd: x.to, Text: para})
}

// htmlMeta is what a page's meta and link tags say of the article.
type htmlMeta struct {
	title, date, site, url, canonical string
}

// metaKeys maps the property, name or itemprop of a meta tag to the field
// it fills; the first tag found for a field wins.
var metaKeys = map[string]func(m *htmlMeta) *string{
	"og:title":                  func(m *htmlMeta) *string { return &m.title },
	"twitter:title":             func(m *htmlMeta) *string { return &m.title },
	"article:published_time":    func(m *htmlMeta) *string { return &m.date },
	"og:article:published_time": func(m *htmlMeta) *string { return &m.date },
	"datepublished":             func(m *htmlMeta) *string { return &m.date },
	"date":                      func(m *htmlMeta) *string { return &m.date },
	"pubdate":                   func(m *htmlMeta) *string { return &m.date },
	"dc.date":                   func(m *htmlMeta) *string { return &m.date },
	"og:site_name":              func(m *htmlMeta) *string { return &m.site },
	"og:url":                    func(m *htmlMeta) *string { return &m.url },
}

// tag reads a <meta property|name|itemprop content> or a
// <link rel=canonical href>.
func (m *htmlMeta) tag(a atom.Atom, z *html.Tokenizer) {
	var key, content, rel, href string
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "property", "name", "itemprop":
			if key == "" || metaKeys[key] == nil {
				key = strings.ToLower(strings.TrimSpace(string(v)))
			}
		case "content":
			content = string(v)
		case "rel":
			rel = strings.ToLower(string(v))
		case "href":
			href = string(v)
		}
	}
	if a == atom.Link {
		if rel == "canonical" && m.canonical == "" {
			m.canonical = href
		}
		return
	}
	if field, ok := metaKeys[key]; ok && strings.TrimSpace(content) != "" {
		if dst := field(m); *dst == "" {
			*dst = content
		}
	}
}

// finish gives doc what the meta tags say: og:title before <title>, from
// which a " | Site" or " - Site" suffix naming the site is cut.
func (m *htmlMeta) finish(doc *document) {
	title := truncateRunes(oneLine(doc.Title), maxTitleRunes)
	if site := oneLine(m.site); site != "" {
		for _, sep := range []string{" | ", " - ", " – ", " — ", " : ", " · "} {
			if t, ok := strings.CutSuffix(title, sep+site); ok && t != "" {
				title = t
				break
			}
		}
	}
	if og := oneLine(m.title); og != "" {
		title = og
	}
	doc.Title, doc.TitleText = title, title
	doc.Date, doc.Source, doc.URL = m.date, m.site, cleanURL(m.url)
	if doc.URL == "" {
		doc.URL = m.canonical
	}
	doc.finish()
}

// truncateRunes cuts s to at most n runes: an unclosed <title> would
// otherwise make the rest of the file the title of every paragraph.
func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return strings.TrimSpace(s[:i])
		}
		n--
	}
	return s
}
