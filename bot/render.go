package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"citebot/answer"
	"citebot/retrieval"
)

// renderAnswer lays an answer out as messages: its text, then the Sources
// list ("[n] `file ¶N (lines a–b)`"), split within Discord's limits. The
// last part carries the "Show sources" button, which reads the list back
// from the message it is on.
func renderAnswer(a answer.Answer, lang retrieval.Lang) []part {
	if a.Lang != "" {
		lang = a.Lang
	}
	var b strings.Builder
	b.WriteString(strings.TrimSpace(a.Text))
	if a.Note != "" {
		b.WriteString("\n\n-# " + oneLine(a.Note))
	}
	if len(a.Citations) > 0 {
		b.WriteString("\n\n**Sources**")
		for _, c := range a.Citations {
			fmt.Fprintf(&b, "\n[%d] %s", c.N, code(c.Passage.Location()))
		}
	}
	if !a.Grounded && len(a.Nearest) > 0 {
		b.WriteString("\n\n" + say(lang, msgNearest))
		for _, p := range a.Nearest {
			b.WriteString("\n• " + code(p.Location()))
		}
	}
	parts := textParts(b.String())
	if len(a.Citations) > 0 && len(parts) > 0 {
		parts[len(parts)-1].Components = sourcesButton(lang)
	}
	return parts
}

func sourcesButton(lang retrieval.Lang) []discordgo.MessageComponent {
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: say(lang, msgShowSources), Style: discordgo.SecondaryButton, CustomID: customSources},
	}}}
}

// code shows s as inline code; backticks inside would end it early.
func code(s string) string { return "`" + strings.ReplaceAll(s, "`", "ˋ") + "`" }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// sourceLine is a line of a Sources list as renderAnswer writes it.
var sourceLine = regexp.MustCompile("(?m)^\\[(\\d+)\\] `([^`\n]+) ¶(\\d+)(?: \\([^)`]*\\))?`$")

// ref names a paragraph.
type ref struct {
	N    int // label in the answer, 0 if none
	File string
	Para int
}

// parseSources reads the Sources list back from a rendered answer.
func parseSources(content string) []ref {
	var out []ref
	for _, m := range sourceLine.FindAllStringSubmatch(content, 50) {
		n, _ := strconv.Atoi(m[1])
		p, err := strconv.Atoi(m[3])
		if err != nil {
			continue
		}
		out = append(out, ref{N: n, File: m[2], Para: p})
	}
	return out
}

// renderPassage shows a paragraph's exact text under its citation.
func renderPassage(label string, p retrieval.Passage) string {
	return "**" + label + "** " + code(p.Location()) + "\n" + quote(p.Text)
}

// quote shows text as a block quote, its markdown escaped so that it
// reads exactly as in the article.
func quote(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for i, l := range lines {
		l = escapeMarkdown(l)
		if strings.HasPrefix(l, "-") || strings.HasPrefix(l, "+") {
			l = `\` + l // not a list item
		}
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

var markdown = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "|", `\|`,
	">", `\>`, "<", `\<`, "#", `\#`, "[", `\[`, "]", `\]`, "@", `\@`,
)

func escapeMarkdown(s string) string { return markdown.Replace(s) }

// renderSearch lists the best passages for a query, each cut short.
func renderSearch(res retrieval.Result, lang retrieval.Lang) []part {
	if len(res.Passages) == 0 {
		return textParts(say(lang, msgNoResults))
	}
	var b strings.Builder
	if !res.Relevant {
		b.WriteString("-# " + say(lang, msgNotRelevant) + "\n")
	}
	for i, p := range res.Passages {
		short := p
		short.Text = excerpt(p.Text, 350)
		b.WriteString("\n" + renderPassage(fmt.Sprintf("[%d]", i+1), short) + "\n")
	}
	return textParts(b.String())
}

// excerpt cuts text to about max characters at a word boundary.
func excerpt(text string, max int) string {
	text = oneLine(text)
	if length(text) <= max {
		return text
	}
	cut := prefixWithin(text, max)
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return cut + " …"
}

// renderHelp is /help: what the bot does, and the corpus's size.
func renderHelp(lang retrieval.Lang, prefix string, st Stats, statsOK bool) []part {
	text := say(lang, msgHelp, prefix)
	if statsOK {
		when := say(lang, msgNeverLoaded)
		if !st.ReloadedAt.IsZero() {
			when = fmt.Sprintf("<t:%d:R>", st.ReloadedAt.Unix())
		}
		text += "\n\n" + say(lang, msgStats, st.Documents, st.Paragraphs, when)
	}
	return textParts(text)
}

// renderReport says what a reload changed.
func renderReport(r Report, lang retrieval.Lang) []part {
	var b strings.Builder
	b.WriteString(say(lang, msgReloaded, r.Duration.Round(time.Millisecond), len(r.Added), len(r.Changed),
		len(r.Removed), r.Unchanged, len(r.Skipped), r.Paragraphs, r.ParagraphsAdded, r.ParagraphsRemoved))
	l := labels[lang]
	if _, ok := labels[lang]; !ok {
		l = labels[retrieval.French]
	}
	list := func(label string, items []string) {
		if len(items) == 0 {
			return
		}
		const shown = 15
		b.WriteString("\n**" + label + "**")
		for _, it := range items[:min(shown, len(items))] {
			b.WriteString("\n• " + it)
		}
		if len(items) > shown {
			fmt.Fprintf(&b, "\n• … (+%d)", len(items)-shown)
		}
	}
	list(l[0], codes(r.Added))
	list(l[1], codes(r.Changed))
	list(l[2], codes(r.Removed))
	var skipped []string
	for _, s := range r.Skipped {
		skipped = append(skipped, code(s.Path)+" — "+oneLine(s.Reason))
	}
	list(l[3], skipped)
	if len(r.Added)+len(r.Changed)+len(r.Removed)+len(r.Skipped) == 0 {
		b.WriteString("\n" + say(lang, msgNoChanges))
	}
	return textParts(b.String())
}

func codes(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = code(x)
	}
	return out
}
