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

func TestChatHelpSpeaksTheGuildsLanguage(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	const frGuild = "1200000000000000101"
	h.guild(t, discordtest.Event{GuildLocale: "en-US"})
	h.guild(t, discordtest.Event{GuildID: frGuild, GuildLocale: "fr"})
	mention := "<@" + h.srv.AppID + ">"
	for _, tc := range []struct {
		name string
		ev   discordtest.Event
		want string
	}{
		{"English guild", discordtest.Event{Text: "!help"}, "answers questions about news articles"},
		{"English guild, bare mention", discordtest.Event{Text: mention, Mention: true}, "answers questions about news articles"},
		{"English guild, French message", discordtest.Event{Text: "!help je ne comprends pas les citations"}, "répond aux questions"},
		{"French guild", discordtest.Event{Text: "!help", GuildID: frGuild}, "répond aux questions"},
		{"French guild, English message", discordtest.Event{Text: "!help how do I read the sources", GuildID: frGuild}, "answers questions"},
		{"direct message", discordtest.Event{Text: "!help", GuildID: "0"}, "répond aux questions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := h.say(t, tc.ev)
			calls := h.srv.Wait(t, "help", func(c []discordtest.Call) bool { return len(replies(c, msg.ID)) > 0 })
			if got := replies(calls, msg.ID)[0].Decode(t).Content; !strings.Contains(got, tc.want) {
				t.Errorf("help = %.80q…, want it to contain %q", got, tc.want)
			}
		})
	}
}

func TestGatewayReconnectIsLoggedOnceAndNothingAfterStop(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	h.srv.Ready(t)
	h.srv.Drop()
	h.logs.wait(t, "the reconnection", func(log string) bool { return strings.Contains(log, "gateway reconnected") })
	helpAnswered(t, h)
	if err := h.shutdown(t); err != nil {
		t.Fatal(err)
	}
	log := h.logs.String()
	if n := strings.Count(log, "gateway reconnected"); n != 1 {
		t.Errorf("%d reconnection lines for one reconnection:\n%s", n, log)
	}
	if !strings.HasSuffix(strings.TrimSpace(log), `msg="bot stopped" component=bot`) {
		t.Errorf("the log goes on after \"bot stopped\":\n%s", log)
	}
	if regexp.MustCompile(`level=(WARN|ERROR)`).MatchString(log) {
		t.Errorf("a reconnection and a clean stop logged a warning:\n%s", log)
	}
}

// cutAnswer answers as answer.Service does when its model call is cut:
// an extractive answer with a note that the model did not answer, and
// no error.
type cutAnswer struct{ started chan struct{} }

func (c cutAnswer) AskStream(ctx context.Context, q string, onText func(string)) (answer.Answer, error) {
	close(c.started)
	<-ctx.Done()
	a := citedAnswer("« Le chef d’état-major de l’armée marocaine est en visite en Israël. » [1]")
	a.Mode, a.Note = answer.Extractive, "Le modèle de langue n’a pas répondu ; voici les passages des articles"
	return a, nil
}

func TestShutdownNoteSaysTheBotRestarts(t *testing.T) {
	t.Parallel()
	ca := cutAnswer{started: make(chan struct{})}
	h := start(t, setup{answer: ca, cfg: Config{Grace: time.Millisecond}})
	ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
	<-ca.started
	if err := h.shutdown(t); err != nil {
		t.Fatal(err)
	}
	edits := discordtest.Of(discordtest.For(h.srv.Calls(), ev.Token), discordtest.EditOriginal)
	if len(edits) == 0 {
		t.Fatal("the cut answer was not edited")
	}
	got := edits[len(edits)-1].Decode(t).Content
	if !strings.Contains(got, "redémarre") || strings.Contains(got, "modèle") {
		t.Errorf("the cut answer says %q, want that citebot is restarting", got)
	}
}
