package bot

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"citebot/answer"
	"citebot/internal/discordtest"
	"citebot/retrieval"
)

const question = "Qui a accueilli le chef d'état-major marocain ?"

// citation is a Sources line, "[n] Title — `file ¶N (lines a–b)`", whose
// paragraph the test then checks.
var citation = regexp.MustCompile("\\[(\\d+)\\] ([^`\n]*) — `([^`]+) ¶(\\d+) \\((lines? [^)]*)\\)`")

// checkCitations fails unless content cites at least one paragraph and
// every cited paragraph exists in the index with the lines shown, under
// the title of its article.
func checkCitations(t *testing.T, h *harness, content string) {
	t.Helper()
	ms := citation.FindAllStringSubmatch(content, -1)
	if len(ms) == 0 {
		t.Fatalf("no Sources citation in %q", content)
	}
	for _, m := range ms {
		if !strings.Contains(content, "["+m[1]+"]") {
			t.Errorf("label [%s] not in the answer", m[1])
		}
		var n int
		for _, c := range m[4] {
			n = n*10 + int(c-'0')
		}
		p, err := h.db.Paragraph(t.Context(), m[3], n)
		if err != nil {
			t.Errorf("cited %s ¶%d: %v", m[3], n, err)
			continue
		}
		if want := strings.TrimPrefix(p.Location(), p.Ref()+" ("); !strings.HasPrefix(want, m[5]) {
			t.Errorf("cited %s ¶%d at %q, index says %q", m[3], n, m[5], p.Location())
		}
		if p.Title == "" || m[2] != escape(p.Heading(), nil) {
			t.Errorf("cited %s ¶%d under %q, want its article's title %q", m[3], n, m[2], p.Heading())
		}
	}
}

func TestSlashAskDefersThenEditsWithCitations(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
	calls := h.answered(t, ev.Token, finalEdit)
	if calls[0].Kind != discordtest.Callback {
		t.Fatalf("first call is %s, want the deferred ack", calls[0].Kind)
	}
	if ack := calls[0].Decode(t); ack.Type != 5 || ack.Data == nil || ack.Data.Flags&64 != 0 {
		t.Errorf("ack = type %d %+v, want a public deferred response (type 5)", ack.Type, ack.Data)
	}
	edit := discordtest.Of(calls, discordtest.EditOriginal)
	body := edit[len(edit)-1].Decode(t)
	checkCitations(t, h, body.Content)
	if !strings.Contains(body.Content, "Kohavi") {
		t.Errorf("answer %q does not quote the paragraph", body.Content)
	}
	if len(body.Components) == 0 || !strings.Contains(string(body.Components[0]), customSources) {
		t.Errorf("no Show sources button: %s", body.Components)
	}
	if calls[0].Auth != "Bot test-token" {
		t.Errorf("Authorization = %q", calls[0].Auth)
	}
	checkMessages(t, h.srv.Calls())
}

func TestSlashAskPrivateIsEphemeral(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: question, Private: true})
	calls := h.answered(t, ev.Token, finalEdit)
	if ack := calls[0].Decode(t); ack.Type != 5 || ack.Data == nil || ack.Data.Flags&64 == 0 {
		t.Errorf("ack = type %d %+v, want an ephemeral deferred response", ack.Type, ack.Data)
	}
}

func TestChatAskAndMentionReply(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	for _, tc := range []struct {
		name string
		ev   discordtest.Event
	}{
		{"prefix", discordtest.Event{Text: "!ask " + question}},
		{"mention", discordtest.Event{Text: "<@" + h.srv.AppID + "> " + question, Mention: true}},
		{"mention with nickname", discordtest.Event{Text: "<@!" + h.srv.AppID + "> " + question, Mention: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := h.say(t, tc.ev)
			calls := h.srv.Wait(t, "a reply", func(c []discordtest.Call) bool { return len(replies(c, ev.ID)) > 0 })
			got := replies(calls, ev.ID)[0].Decode(t)
			checkCitations(t, h, got.Content)
			if got.Reference == nil || got.Reference.MessageID != ev.ID {
				t.Errorf("reply references %+v, want message %s", got.Reference, ev.ID)
			}
		})
	}
	checkMessages(t, h.srv.Calls())
}

func TestChatIgnoresOtherMessages(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	h.say(t, discordtest.Event{Text: "bonjour à tous"})
	h.say(t, discordtest.Event{Text: "!play despacito"})
	last := h.say(t, discordtest.Event{Text: "!help"})
	calls := h.srv.Wait(t, "help", func(c []discordtest.Call) bool { return len(replies(c, last.ID)) > 0 })
	if n := len(discordtest.Of(calls, discordtest.Message)); n != 1 {
		t.Errorf("bot sent %d messages, want only the help reply", n)
	}
}

// longText is an answer of several messages with citations, a list and
// a code block.
func longText() string {
	var b strings.Builder
	for i := range 40 {
		b.WriteString("Le chef d’état-major de l’armée marocaine est en visite en Israël, où il a été accueilli. ")
		if i%3 == 0 {
			b.WriteString("Il rencontre son homologue [1]. ")
		}
		if i%10 == 9 {
			b.WriteString("\n\n```text\n" + strings.Repeat("ligne de code\n", 30) + "```\n\n")
		}
	}
	return b.String()
}

func citedAnswer(text string) answer.Answer {
	return answer.Answer{Text: text, Grounded: true, Mode: answer.LLM, Lang: retrieval.French,
		Citations: []retrieval.Citation{{N: 1, Passage: retrieval.Passage{
			File: "000_9fa98d75917ce04d.txt", Paragraph: 1, LineStart: 1, LineEnd: 1}}}}
}

func TestLongAnswerSplitsIntoValidMessages(t *testing.T) {
	t.Parallel()
	text := longText()
	h := start(t, setup{answer: &fakeAnswer{ans: citedAnswer(text)}})
	ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
	calls := h.answered(t, ev.Token, func(c []discordtest.Call) bool {
		return finalEdit(c) && slices.ContainsFunc(discordtest.Of(c, discordtest.Followup), func(x discordtest.Call) bool {
			return strings.Contains(string(x.Body), customSources)
		})
	})
	edits := discordtest.Of(calls, discordtest.EditOriginal)
	parts := []string{edits[len(edits)-1].Decode(t).Content}
	for _, f := range discordtest.Of(calls, discordtest.Followup) {
		parts = append(parts, f.Decode(t).Content)
	}
	if len(parts) < 3 {
		t.Fatalf("%d parts for a %d-character answer", len(parts), len(text))
	}
	for i, p := range parts {
		if strings.Count(p, "```")%2 != 0 {
			t.Errorf("part %d leaves a code block open:\n%s", i, p)
		}
		if strings.Count(p, "[") != strings.Count(p, "]") {
			t.Errorf("part %d cuts a citation:\n%s", i, p)
		}
	}
	joined := strings.Join(parts, " ")
	if got, want := strings.Count(joined, "[1]"), strings.Count(text, "[1]")+1; got != want {
		t.Errorf("%d citations across parts, want %d (the text's and the Sources line)", got, want)
	}
	checkMessages(t, calls)
}

func TestModelCannotPingEveryone(t *testing.T) {
	t.Parallel()
	text := "@everyone @here <@1200000000000000003> <@&1200000000000000005> regardez : le général est accueilli [1]."
	h := start(t, setup{answer: &fakeAnswer{ans: citedAnswer(text)}})
	ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: "@everyone " + question})
	h.answered(t, ev.Token, finalEdit)
	msg := h.say(t, discordtest.Event{Text: "!ask @everyone " + question})
	calls := h.srv.Wait(t, "a reply", func(c []discordtest.Call) bool { return len(replies(c, msg.ID)) > 0 })
	checkMessages(t, calls)
}

func TestReloadByNonAdminIsRefused(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	before, _ := h.db.Stats(t.Context())
	writeArticle(t, h.corpus)
	ev := h.interact(t, "slash_reload.json", discordtest.Event{UserID: "1200000000000000666", Username: "mallory"})
	calls := h.answered(t, ev.Token, callback)
	got := calls[0].Decode(t)
	if got.Type != 4 || got.Data.Flags&64 == 0 || !strings.Contains(got.Data.Content, "administrateurs") {
		t.Errorf("refusal = %+v, want an ephemeral, polite message", got)
	}
	msg := h.say(t, discordtest.Event{Text: "!reload", UserID: "1200000000000000666", Username: "mallory"})
	h.srv.Wait(t, "chat refusal", func(c []discordtest.Call) bool { return len(replies(c, msg.ID)) > 0 })
	after, _ := h.db.Stats(t.Context())
	if after.Documents != before.Documents || after.Paragraphs != before.Paragraphs {
		t.Errorf("index changed from %+v to %+v", before, after)
	}
	if n := strings.Count(h.logs.String(), "reload refused"); n != 2 || !strings.Contains(h.logs.String(), "user=mallory") {
		t.Errorf("want 2 log lines naming mallory, log:\n%s", h.logs)
	}
}

func TestReloadByAdminShowsInNextAnswer(t *testing.T) {
	t.Parallel()
	h := start(t, setup{cfg: Config{AdminUsers: []string{"1200000000000000777"}}})
	file := writeArticle(t, h.corpus)
	for _, tc := range []struct {
		name   string
		reload func() []discordtest.Call
	}{
		{"manage server", func() []discordtest.Call {
			ev := h.interact(t, "slash_reload.json", discordtest.Event{Permissions: discordtest.ManagerPermissions})
			return discordtest.Of(h.answered(t, ev.Token, finalEdit), discordtest.EditOriginal)
		}},
		{"allow-listed user", func() []discordtest.Call {
			ev := h.say(t, discordtest.Event{Text: "!reload", UserID: "1200000000000000777"})
			return replies(h.srv.Wait(t, "reload", func(c []discordtest.Call) bool { return len(replies(c, ev.ID)) > 0 }), ev.ID)
		}},
	} {
		got := tc.reload()[0].Decode(t).Content
		if !strings.Contains(got, "Rechargement terminé") {
			t.Errorf("%s: reload reply %q", tc.name, got)
		}
		if tc.name == "manage server" && !strings.Contains(got, "1 ajoutés") {
			t.Errorf("%s: reload reply %q does not report the new file", tc.name, got)
		}
	}
	ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: "Quand le zeppelin Klaxovia a-t-il atterri ?"})
	edits := discordtest.Of(h.answered(t, ev.Token, finalEdit), discordtest.EditOriginal)
	got := edits[len(edits)-1].Decode(t).Content
	if !strings.Contains(got, file) {
		t.Errorf("answer after reload does not cite %s:\n%s", file, got)
	}
	checkCitations(t, h, got)
}

// writeArticle adds an article about something no other article
// mentions, and returns its file name.
func writeArticle(t *testing.T, dir string) string {
	t.Helper()
	const name = "zz_klaxovia.txt"
	text := "Le zeppelin Klaxovia a atterri jeudi à Rabat après un vol de trois jours.\n\nSes passagers ont été accueillis par le maire.\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestBurstFromOneUserIsRateLimited(t *testing.T) {
	t.Parallel()
	h := start(t, setup{cfg: Config{RatePerMinute: 1, RateBurst: 2}})
	var tokens []string
	for range 4 {
		tokens = append(tokens, h.interact(t, "slash_ask.json", discordtest.Event{Text: question}).Token)
	}
	other := h.interact(t, "slash_ask.json", discordtest.Event{Text: question, UserID: "1200000000000000004"})
	h.logs.wait(t, "two refusals", func(log string) bool { return strings.Count(log, `msg="rate limited"`) == 2 })
	calls := h.srv.Wait(t, "four acks", func(c []discordtest.Call) bool {
		return len(discordtest.Of(c, discordtest.Callback)) == 4
	})
	var deferred, limited int
	for _, tok := range tokens {
		acks := discordtest.Of(discordtest.For(calls, tok), discordtest.Callback)
		if len(acks) == 0 {
			continue // over the limit, and already told
		}
		switch ack := acks[0].Decode(t); {
		case ack.Type == 5:
			deferred++
		case ack.Type == 4 && ack.Data.Flags&64 != 0 && strings.Contains(ack.Data.Content, "Attendez"):
			limited++
		default:
			t.Errorf("unexpected ack %+v", ack)
		}
	}
	if deferred != 2 || limited != 1 {
		t.Errorf("%d deferred and %d told they are limited, want 2 and 1", deferred, limited)
	}
	if ack := discordtest.For(calls, other.Token)[0].Decode(t); ack.Type != 5 {
		t.Errorf("another user was limited too: %+v", ack)
	}
}

func TestQuestionTooLongIsRefused(t *testing.T) {
	t.Parallel()
	h := start(t, setup{cfg: Config{MaxQuestion: 20}})
	ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: question, Locale: "en-US"})
	ack := h.answered(t, ev.Token, callback)[0].Decode(t)
	if ack.Type != 4 || !strings.Contains(ack.Data.Content, "too long") {
		t.Errorf("ack = %+v, want an English refusal", ack)
	}
}

func TestShutdownDuringAnswer(t *testing.T) {
	t.Parallel()
	t.Run("finishes within grace", func(t *testing.T) {
		t.Parallel()
		fa := &fakeAnswer{ans: citedAnswer("Il a été accueilli [1]."), release: make(chan struct{}), started: make(chan struct{})}
		h := start(t, setup{answer: fa, cfg: Config{Grace: time.Minute}})
		ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
		<-fa.started
		h.stop()
		late := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
		calls := h.answered(t, late.Token, callback)
		if ack := calls[0].Decode(t); ack.Type != 4 || !strings.Contains(ack.Data.Content, "redémarre") {
			t.Errorf("new work during shutdown got %+v, want a polite refusal", ack)
		}
		close(fa.release)
		if err := h.shutdown(t); err != nil {
			t.Fatal(err)
		}
		if !finalEdit(discordtest.For(h.srv.Calls(), ev.Token)) {
			t.Error("the answer in flight was not delivered before shutdown")
		}
	})
	t.Run("ended after grace", func(t *testing.T) {
		t.Parallel()
		fa := &fakeAnswer{ans: citedAnswer("jamais"), release: make(chan struct{}), started: make(chan struct{})}
		h := start(t, setup{answer: fa, cfg: Config{Grace: time.Millisecond}})
		ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
		<-fa.started
		if err := h.shutdown(t); err != nil {
			t.Fatal(err)
		}
		edits := discordtest.Of(discordtest.For(h.srv.Calls(), ev.Token), discordtest.EditOriginal)
		if len(edits) == 0 || !strings.Contains(edits[len(edits)-1].Decode(t).Content, "redémarre") {
			t.Errorf("the interrupted answer was not told so: %v", edits)
		}
	})
}

func TestShowSourcesButton(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	ask := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
	edits := discordtest.Of(h.answered(t, ask.Token, finalEdit), discordtest.EditOriginal)
	final := edits[len(edits)-1].Decode(t)
	ev := h.interact(t, "button.json", discordtest.Event{CustomID: buttonOf(t, final), MessageContent: final.Content,
		UserID: "1200000000000000004"})
	calls := h.answered(t, ev.Token, finalEdit)
	if ack := calls[0].Decode(t); ack.Type != 5 || ack.Data.Flags&64 == 0 {
		t.Errorf("ack = %+v, want an ephemeral deferred response", ack)
	}
	got := discordtest.Of(calls, discordtest.EditOriginal)[0].Decode(t).Content
	want := escape("Le chef d’état-major de l’armée marocaine est en visite en Israël.", nil)
	if !strings.Contains(got, want) {
		t.Errorf("sources %q do not show the paragraph's text", got)
	}
	checkMessages(t, h.srv.Calls())
}

// buttonOf is the custom_id of the button a message carries.
func buttonOf(t *testing.T, b discordtest.Body) string {
	t.Helper()
	for _, c := range b.Components {
		if m := customID.FindSubmatch(c); m != nil {
			return string(m[1])
		}
	}
	t.Fatalf("no button in %s", b.Components)
	return ""
}

var customID = regexp.MustCompile(`"custom_id":"([^"]*)"`)

func TestSourceSearchHelpAutocomplete(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	src := h.interact(t, "slash_source.json", discordtest.Event{File: "000_9fa98d75917ce04d.txt", Paragraph: 1})
	missing := h.interact(t, "slash_source.json", discordtest.Event{File: "000_9fa98d75917ce04d.txt", Paragraph: 999})
	search := h.interact(t, "slash_search.json", discordtest.Event{Text: "accord de défense"})
	help := h.interact(t, "slash_help.json", discordtest.Event{Locale: "en-GB"})
	auto := h.interact(t, "autocomplete_source.json", discordtest.Event{Text: "9fa9"})
	chat := h.say(t, discordtest.Event{Text: "!source `000_9fa98d75917ce04d.txt ¶1 (line 1)`"})
	byTitle := h.interact(t, "slash_source.json", discordtest.Event{File: "Le partenariat entre le Maroc", Paragraph: 4})
	autoTitle := h.interact(t, "autocomplete_source.json", discordtest.Event{Text: "partenariat"})
	for _, tc := range []struct {
		name, token, want string
	}{
		{"source", src.Token, "Aviv Kohavi"},
		{"source by title", byTitle.Token, "compte Twitter"},
		{"missing paragraph", missing.Token, "pas de paragraphe 999"},
		{"search", search.Token, "¶"},
		{"help", help.Token, "paragraphs; last reload"},
	} {
		edits := discordtest.Of(h.answered(t, tc.token, finalEdit), discordtest.EditOriginal)
		if got := edits[0].Decode(t).Content; !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q does not contain %q", tc.name, got, tc.want)
		}
	}
	ac := h.answered(t, auto.Token, callback)[0].Decode(t)
	if ac.Type != 8 || len(ac.Data.Choices) != 1 || ac.Data.Choices[0].Value != "000_9fa98d75917ce04d.txt" ||
		ac.Data.Choices[0].Name != "Le chef d’état-major de l’armée marocaine est en visite en Israël — 000_9fa98d75917ce04d.txt" {
		t.Errorf("autocomplete = %+v, want the article's title and file", ac)
	}
	ac = h.answered(t, autoTitle.Token, callback)[0].Decode(t)
	if len(ac.Data.Choices) != 1 || ac.Data.Choices[0].Value != "002_2352071ffc99a4ce.txt" ||
		!strings.HasPrefix(ac.Data.Choices[0].Name, "Le partenariat entre le Maroc et Israël") {
		t.Errorf("autocomplete of a word of a title = %+v, want that article", ac)
	}
	calls := h.srv.Wait(t, "!source", func(c []discordtest.Call) bool { return len(replies(c, chat.ID)) > 0 })
	if got := replies(calls, chat.ID)[0].Decode(t).Content; !strings.Contains(got, "Aviv Kohavi") {
		t.Errorf("!source = %q", got)
	}
	checkMessages(t, h.srv.Calls())
}

func TestMissingMessageContentIntentDegrades(t *testing.T) {
	t.Parallel()
	h := start(t, setup{server: discordtest.Options{RejectIntents: 1 << 15}})
	if intents := h.srv.Ready(t); intents&(1<<15) != 0 {
		t.Errorf("connected with intents %b, want Message Content dropped", intents)
	}
	if !strings.Contains(h.logs.String(), "Message Content intent is not enabled") {
		t.Errorf("no clear log line:\n%s", h.logs)
	}
	ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
	h.answered(t, ev.Token, finalEdit)
}

func TestStreamingEditsSurviveRateLimits(t *testing.T) {
	t.Parallel()
	h := start(t, setup{answer: &fakeAnswer{ans: citedAnswer(longText())}})
	h.srv.RateLimit(discordtest.EditOriginal, 2)
	ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
	h.answered(t, ev.Token, finalEdit)
}

// TestAckLatency measures the time from an interaction's dispatch to its
// deferred ack, over 100 interactions. It logs, and asserts nothing about
// timing.
func TestAckLatency(t *testing.T) {
	h := start(t, setup{cfg: Config{RatePerMinute: 0}})
	const n = 100
	var lat []time.Duration
	for range n {
		data, ev := h.srv.Payload(t, "slash_ask.json", discordtest.Event{Text: question})
		at := h.srv.Dispatch(t, "INTERACTION_CREATE", data)
		calls := h.answered(t, ev.Token, callback)
		lat = append(lat, calls[0].At.Sub(at))
	}
	slices.Sort(lat)
	t.Logf("dispatch to deferred ack over %d interactions: median %v, worst %v", n, lat[n/2], lat[n-1])
}

func TestChatSourceRendering(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	for _, tc := range []struct {
		name, text, want string
	}{
		{"without extension", "!source 000_9fa98d75917ce04d ¶1", "Aviv Kohavi"},
		{"unknown file", "!source pas_de_fichier.txt ¶3", "`pas_de_fichier.txt`"},
		{"title prefix, any case and apostrophe", "!source le chef d'etat-major ¶2", "Comme d’autres militaires"},
		{"whole headline", "!source Le partenariat entre le Maroc et Israël franchit une nouvelle étape avec la signature… ¶4", "compte Twitter"},
		{"prefix of both titles", "!source Le ¶1", "`Le`"},
		{"citation pasted whole", "!source Le chef d’état-major de l’armée marocaine est en visite en Israël (TIMES OF ISRAEL) — `000_9fa98d75917ce04d.txt ¶1 (line 1)`", "Aviv Kohavi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := h.say(t, discordtest.Event{Text: tc.text})
			calls := h.srv.Wait(t, tc.text, func(c []discordtest.Call) bool { return len(replies(c, ev.ID)) > 0 })
			got := replies(calls, ev.ID)[0].Decode(t).Content
			if !strings.Contains(got, tc.want) || strings.HasPrefix(got, "**") {
				t.Errorf("%s = %q, want %q and no empty bold label", tc.text, got, tc.want)
			}
		})
	}
	checkMessages(t, h.srv.Calls())
}

// hugeText is a 124 kB answer with a citation in every sentence.
func hugeText() string {
	var b strings.Builder
	for b.Len() < 124_000 {
		b.WriteString("Le chef d’état-major de l’armée marocaine a été accueilli par son homologue [1]. ")
	}
	return b.String()
}

func TestHugeRepliesAreBounded(t *testing.T) {
	t.Parallel()
	h := start(t, setup{answer: &fakeAnswer{ans: citedAnswer(hugeText())}})
	para := strings.Repeat("Un paragraphe sans fin, qui parle encore du chef d’état-major. ", 3000)
	if err := os.WriteFile(filepath.Join(h.corpus, "zz_huge.txt"), []byte(para+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.Reload(t.Context(), os.DirFS(h.corpus), nil); err != nil {
		t.Fatal(err)
	}
	// final is what the user is left with: the original response's last
	// edit and the follow-ups.
	final := func(calls []discordtest.Call) []string {
		edits := discordtest.Of(calls, discordtest.EditOriginal)
		out := []string{edits[len(edits)-1].Decode(t).Content}
		for _, f := range discordtest.Of(calls, discordtest.Followup) {
			out = append(out, f.Decode(t).Content)
		}
		return out
	}
	done := func(c []discordtest.Call) bool {
		return finalEdit(c) && slices.ContainsFunc(c, func(x discordtest.Call) bool { return strings.Contains(string(x.Body), "✂️") })
	}
	ask := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
	src := h.interact(t, "slash_source.json", discordtest.Event{File: "zz_huge.txt", Paragraph: 1})
	for _, tc := range []struct{ name, token, want string }{
		{"answer", ask.Token, "**Sources**"},
		{"source", src.Token, "`zz_huge.txt ¶1 (line 1)`"},
	} {
		msgs := final(h.answered(t, tc.token, done))
		t.Logf("%s: %d messages", tc.name, len(msgs))
		if len(msgs) > DefaultMaxMessages {
			t.Errorf("%s: %d messages, want at most %d", tc.name, len(msgs), DefaultMaxMessages)
		}
		if last := msgs[len(msgs)-1]; !strings.Contains(last, "✂️") || !strings.Contains(last, tc.want) {
			t.Errorf("%s: last message does not say it was cut, or lacks %q:\n%s", tc.name, tc.want, last)
		}
	}
	before := len(discordtest.Of(h.srv.Calls(), discordtest.Message))
	chat := h.say(t, discordtest.Event{Text: "!source zz_huge.txt ¶1"})
	calls := h.srv.Wait(t, "!source cut", func(c []discordtest.Call) bool {
		return slices.ContainsFunc(discordtest.Of(c, discordtest.Message), func(x discordtest.Call) bool {
			return strings.Contains(string(x.Body), "✂️")
		})
	})
	if n := len(discordtest.Of(calls, discordtest.Message)) - before; n > DefaultMaxMessages || len(replies(calls, chat.ID)) != 1 {
		t.Errorf("!source sent %d messages, want at most %d, the first a reply", n, DefaultMaxMessages)
	}
	checkMessages(t, h.srv.Calls())
}
