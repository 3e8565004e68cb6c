package bot

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"citebot/answer"
	"citebot/retrieval"
)

// renderAnswer lays an answer out as at most max messages: its text,
// escaped but for the labels of its citations, then the Sources list
// ("[n] Title — `file ¶N (lines a–b)`") built from the citations alone. The last
// part carries the "Show sources" button, whose custom_id is button.
func renderAnswer(a answer.Answer, lang retrieval.Lang, button string, max int) []part {
	if a.Lang != "" {
		lang = a.Lang
	}
	var body, tail strings.Builder
	body.WriteString(escape(strings.TrimSpace(a.Text), citedLabel(labelsOf(a.Citations))))
	if a.Note != "" {
		body.WriteString("\n\n-# " + escape(oneLine(a.Note), nil))
	}
	if about := cmp.Or(a.Understood, a.About); about != "" {
		body.WriteString("\n\n-# " + escape(say(lang, msgUnderstood, oneLine(about)), nil))
	}
	if len(a.Citations) > 0 {
		tail.WriteString("**Sources**")
		for _, c := range a.Citations {
			fmt.Fprintf(&tail, "\n[%d] %s", c.N, cite(c.Passage))
		}
	}
	if !a.Grounded && len(a.Nearest) > 0 {
		if tail.Len() > 0 {
			tail.WriteString("\n\n")
		}
		tail.WriteString(say(lang, msgNearest))
		for _, p := range a.Nearest {
			tail.WriteString("\n• " + cite(p))
		}
	}
	parts := bounded(body.String(), tail.String(), say(lang, msgCutAnswer, max), max)
	if len(a.Citations) > 0 && button != "" && len(parts) > 0 {
		parts[len(parts)-1].Components = sourcesButton(lang, button)
	}
	return parts
}

func labelsOf(cs []retrieval.Citation) []int {
	ns := make([]int, len(cs))
	for i, c := range cs {
		ns[i] = c.N
	}
	return ns
}

func sourcesButton(lang retrieval.Lang, id string) []discordgo.MessageComponent {
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: say(lang, msgShowSources), Style: discordgo.SecondaryButton, CustomID: id},
	}}}
}

// code shows s as inline code, where nothing is markdown and a backslash
// is shown as is: backticks inside would end it early and a line break
// would break it, so they are replaced.
func code(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '`':
			return 'ˋ'
		case r < ' ' || r == 0x7f:
			return '�'
		}
		return r
	}, s)
	return "`" + s + "`"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// cite names a paragraph for a reader: its article, escaped, then where
// it is, as code: "Titre (Source, 2021-11-24) — `file ¶N (line a)`".
func cite(p retrieval.Passage) string {
	if h := oneLine(p.Heading()); h != "" {
		return escape(h, nil) + " — " + code(p.Location())
	}
	return code(p.Location())
}

// renderPassage shows a paragraph's exact text under its citation;
// label, such as "[1]", may be empty.
func renderPassage(label string, p retrieval.Passage) string {
	head := cite(p)
	if label != "" {
		head = "**" + label + "** " + head
	}
	return head + "\n" + quote(p.Text)
}

// quote shows text as a block quote, its markdown escaped so that it
// reads exactly as in the article.
func quote(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for i, l := range lines {
		lines[i] = "> " + escape(l, nil)
	}
	return strings.Join(lines, "\n")
}

// renderSearch lists the best passages for a query, each cut short.
func renderSearch(res retrieval.Result, lang retrieval.Lang, max int) []part {
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
	return bounded(b.String(), "", say(lang, msgCut, max), max)
}

// renderSource is /source: one paragraph, cut if it does not fit in max
// messages, saying where the whole of it is.
func renderSource(p retrieval.Passage, lang retrieval.Lang, max int) []part {
	return bounded(renderPassage("", p), "", say(lang, msgCutPassage, max, code(p.Location())), max)
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
		skipped = append(skipped, code(s.Path)+" — "+escape(oneLine(s.Reason), nil))
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
