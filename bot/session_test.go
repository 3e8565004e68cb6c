package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"citebot/answer"
	"citebot/internal/discordtest"
)

// panicOn is an Answerer that panics on one question, as a bug would,
// and otherwise asks next.
type panicOn struct {
	question string
	next     Answerer
}

func (p panicOn) AskStream(ctx context.Context, q string, onText func(string)) (answer.Answer, error) {
	if q == p.question {
		panic("bug on " + q)
	}
	return p.next.AskStream(ctx, q, onText)
}

// TestScriptedHostileSession runs the bot through rounds of malformed
// events, panics and bursts while Discord refuses its slash commands,
// and checks after each round that a chat question is still answered.
func TestScriptedHostileSession(t *testing.T) {
	t.Parallel()
	const (
		rounds, burst, perBurst = 3, 3, 20
		burstChannel            = "1200000000000000050"
	)
	h := start(t, setup{
		wrap: func(next Answerer) Answerer { return panicOn{question: "boum", next: next} },
		cfg: Config{RegisterRetry: 10 * time.Millisecond, RatePerMinute: 0.01, RateBurst: burst,
			ChannelRatePerMinute: 0.01, ChannelBurst: 100},
		server: discordtest.Options{CommandStatus: []int{403, 403}},
	})
	var asked, answered, malformed, burstMessages int
	for round := range rounds {
		// Malformed events: no data, undecodable data, an unknown button,
		// a message without an author.
		odd := discordtest.Event{UserID: fmt.Sprint(1200000000000000100 + round)}
		h.interact(t, "autocomplete_no_data.json", odd)
		h.interact(t, "slash_undecodable.json", odd)
		odd.CustomID = "other-bot:vote"
		h.interact(t, "button.json", odd)
		raw, _ := json.Marshal(map[string]any{"id": "1290000000000000001", "channel_id": discordtest.ChannelID, "content": "!help"})
		h.srv.Dispatch(t, "MESSAGE_CREATE", raw)
		malformed += 4
		// Panics, in a slash command and a chat command.
		pi := h.interact(t, "slash_ask.json", discordtest.Event{Text: "boum", UserID: fmt.Sprint(1200000000000000200 + round)})
		pm := h.say(t, discordtest.Event{Text: "!ask boum", UserID: fmt.Sprint(1200000000000000300 + round)})
		// A burst from one user, in another channel.
		user := fmt.Sprint(1200000000000000400 + round)
		var ids []string
		for i := range perBurst {
			text := []string{"!help", "!ask " + question, "!search accord", "!source x", "!reload"}[i%5]
			ids = append(ids, h.say(t, discordtest.Event{Text: text, UserID: user, ChannelID: burstChannel}).ID)
		}
		h.until(t, fmt.Sprintf("round %d handled", round), func(calls []discordtest.Call, log string) bool {
			handled := strings.Count(log, `msg="rate limited"`) - round*(perBurst-burst)
			for _, id := range ids {
				if len(replies(calls, id)) > 0 {
					handled++
				}
			}
			return handled == perBurst && refIn.Match(lastEdit(calls, pi.Token)) && len(replies(calls, pm.ID)) > 0
		})
		// Chat commands are answered throughout.
		probe := h.say(t, discordtest.Event{Text: "!ask " + question, UserID: fmt.Sprint(1200000000000000500 + round)})
		asked++
		calls := h.srv.Wait(t, "the probe's answer", func(c []discordtest.Call) bool { return len(replies(c, probe.ID)) > 0 })
		if strings.Contains(chatText(t, calls, probe.ID), "Kohavi") {
			answered++
		}
		for _, id := range ids {
			burstMessages += len(replies(calls, id))
		}
		select {
		case err := <-h.done:
			t.Fatalf("Run returned during round %d: %v", round, err)
		default:
		}
	}
	h.until(t, "registration", func(_ []discordtest.Call, log string) bool {
		return strings.Contains(log, "slash commands registered")
	})
	exits := 0
	if err := h.shutdown(t); err != nil {
		exits++
		t.Errorf("Run: %v", err)
	}
	log := h.logs.String()
	recovered := strings.Count(log, "panic while handling an event")
	refusedRegistrations := strings.Count(log, "slash commands are not registered")
	t.Logf("%d rounds: %d malformed events, %d registrations refused (403), %d bursts of %d; "+
		"%d exits, 0 panics reaching the process (%d recovered in handlers), chat answered %d/%d, "+
		"%d bot messages for %d burst messages (burst %d per user)",
		rounds, malformed, refusedRegistrations, rounds, perBurst, exits, recovered, answered, asked,
		burstMessages, rounds*perBurst, burst)
	if recovered != 2*rounds || answered != asked || burstMessages > rounds*burst || refusedRegistrations != 2 {
		t.Errorf("want %d recovered panics, every probe answered, at most %d burst messages, 2 refused registrations",
			2*rounds, rounds*burst)
	}
	if strings.Contains(log, "Attendez") {
		t.Error("a rate-limit message was sent")
	}
	checkMessages(t, h.srv.Calls())
}

// lastEdit is the body of the last edit of an interaction's response.
func lastEdit(calls []discordtest.Call, token string) []byte {
	edits := discordtest.Of(discordtest.For(calls, token), discordtest.EditOriginal)
	if len(edits) == 0 {
		return nil
	}
	return edits[len(edits)-1].Body
}
