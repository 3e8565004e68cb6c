package bot

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"citebot/answer"
	"citebot/internal/discordtest"
)

// panicAnswer is an Answerer that panics, as a bug deep in a handler
// would.
type panicAnswer struct{}

func (panicAnswer) AskStream(ctx context.Context, q string, onText func(string)) (answer.Answer, error) {
	onText("Le chef d’état-major")
	panic("answerer exploded")
}

// refIn is the reference a user is shown, as in "Référence : `1a2b3c4d`".
var refIn = regexp.MustCompile("(?:Référence|Reference) ?: `([0-9a-f]{8})`")

// helpAnswered sends !help and waits for its reply: chat commands still
// work.
func helpAnswered(t *testing.T, h *harness) {
	t.Helper()
	ev := h.say(t, discordtest.Event{Text: "!help", UserID: "1200000000000000099"})
	h.srv.Wait(t, "a reply to !help", func(c []discordtest.Call) bool { return len(replies(c, ev.ID)) > 0 })
}

func TestInteractionWithoutDataIsRefusedPolitely(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	auto := h.interact(t, "autocomplete_no_data.json", discordtest.Event{})
	cmd := h.interact(t, "slash_undecodable.json", discordtest.Event{})
	ac := h.answered(t, auto.Token, callback)[0].Decode(t)
	if ac.Type != 8 || ac.Data == nil || len(ac.Data.Choices) != 0 {
		t.Errorf("autocomplete without data answered %+v, want no choices", ac)
	}
	got := h.answered(t, cmd.Token, callback)[0].Decode(t)
	if got.Type != 4 || got.Data.Flags&64 == 0 || refIn.FindStringSubmatch(got.Data.Content) == nil {
		t.Errorf("command without data answered %+v, want a private error with a reference", got)
	}
	if m := refIn.FindStringSubmatch(got.Data.Content); m != nil && !strings.Contains(h.logs.String(), "ref="+m[1]) {
		t.Errorf("reference %s not in the log:\n%s", m[1], h.logs)
	}
	helpAnswered(t, h)
	if strings.Contains(h.logs.String(), "panic") {
		t.Errorf("a panic was logged:\n%s", h.logs)
	}
}

func TestPanicInHandlerIsReportedAndBotRunsOn(t *testing.T) {
	t.Parallel()
	h := start(t, setup{answer: panicAnswer{}})
	ic := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
	msg := h.say(t, discordtest.Event{Text: "!ask " + question})
	calls := h.answered(t, ic.Token, func(c []discordtest.Call) bool {
		for _, e := range discordtest.Of(c, discordtest.EditOriginal) {
			if refIn.Match(e.Body) {
				return true
			}
		}
		return false
	})
	edits := discordtest.Of(calls, discordtest.EditOriginal)
	got := edits[len(edits)-1].Decode(t).Content
	chat := h.srv.Wait(t, "the chat error", func(c []discordtest.Call) bool {
		for _, c := range discordtest.Of(c, discordtest.MessageEdit) {
			if refIn.Match(c.Body) {
				return true
			}
		}
		for _, r := range replies(c, msg.ID) {
			if refIn.Match(r.Body) {
				return true
			}
		}
		return false
	})
	helpAnswered(t, h)
	log := h.logs.String()
	for _, text := range []string{got, chatText(t, chat, msg.ID)} {
		m := refIn.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("error %q has no reference", text)
			continue
		}
		if !regexp.MustCompile(`panic while handling an event.*ref=` + m[1]).MatchString(log) {
			t.Errorf("no log line with the panic and ref %s:\n%s", m[1], log)
		}
	}
	if !strings.Contains(log, "interaction_id="+ic.ID) || !strings.Contains(log, "message_id="+msg.ID) {
		t.Errorf("the panic log lines do not name the events:\n%s", log)
	}
	checkMessages(t, h.srv.Calls())
}

// chatText is the last text the bot showed in reply to message id: its
// reply, as last edited.
func chatText(t *testing.T, calls []discordtest.Call, id string) string {
	t.Helper()
	rs := replies(calls, id)
	if len(rs) == 0 {
		return ""
	}
	text := rs[0].Decode(t).Content
	for _, c := range discordtest.Of(calls, discordtest.MessageEdit) {
		text = c.Decode(t).Content
	}
	return text
}

func TestRefusedRegistrationIsRetriedWhileChatWorks(t *testing.T) {
	t.Parallel()
	h := start(t, setup{
		cfg:    Config{RegisterRetry: 10 * time.Millisecond},
		server: discordtest.Options{CommandStatus: []int{403, 400}},
	})
	helpAnswered(t, h)
	h.srv.Wait(t, "a third registration", func(c []discordtest.Call) bool {
		return len(discordtest.Of(c, discordtest.Commands)) >= 3
	})
	log := h.logs.wait(t, "registration", func(log string) bool {
		return strings.Contains(log, "slash commands registered")
	})
	for _, want := range []string{"applications.commands", "source.options.0.name: Command name is invalid", "attempt=3"} {
		if !strings.Contains(log, want) {
			t.Errorf("log does not say %q:\n%s", want, log)
		}
	}
	helpAnswered(t, h)
}
