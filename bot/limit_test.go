package bot

import (
	"strings"
	"testing"
	"time"

	"citebot/internal/discordtest"
)

func TestLimiter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newLimiter(Config{RatePerMinute: 6, RateBurst: 2, ChannelRatePerMinute: 60, ChannelBurst: 3}, func() time.Time { return now })
	for i, tc := range []struct {
		user, channel string
		cost          float64
		advance       time.Duration
		want          verdict
	}{
		{"u1", "c1", 1, 0, verdict{ok: true}},
		{"u1", "c1", 1, 0, verdict{ok: true}},
		{"u1", "c1", 1, 0, verdict{wait: 10 * time.Second, notice: true}},
		{"u1", "c1", 1, 0, verdict{wait: 10 * time.Second}}, // told once per window
		{"u1", "c1", 0.25, 0, verdict{wait: 2500 * time.Millisecond}},
		{"u2", "c1", 1, 0, verdict{ok: true}},                             // the channel's third
		{"u2", "c1", 1, 0, verdict{wait: time.Second, notice: true}},      // the channel is out
		{"u4", "c1", 1, 0, verdict{wait: time.Second, notice: true}},      // ...and each of its users is told
		{"u4", "c1", 1, 0, verdict{wait: time.Second}},                    // once
		{"u2", "c2", 1, 0, verdict{ok: true}},                             // another channel
		{"u1", "c1", 1, 10 * time.Second, verdict{ok: true}},              // a token back
		{"u1", "c1", 1, 0, verdict{wait: 10 * time.Second, notice: true}}, // a new window, a new notice
		{"u3", "c3", 1, 0, verdict{ok: true}},
		{"u3", "c3", 0.25, 0, verdict{ok: true}},
		{"u3", "c3", 1, 0, verdict{wait: 2500 * time.Millisecond, notice: true}},
		{"u3", "c3", 0.25, 0, verdict{ok: true}},           // an autocomplete fits...
		{"u3", "c3", 1, 0, verdict{wait: 5 * time.Second}}, // ...and does not earn a second notice
	} {
		now = now.Add(tc.advance)
		if got := l.allow(tc.user, tc.channel, tc.cost); got != tc.want {
			t.Errorf("request %d (%s in %s): %+v, want %+v", i, tc.user, tc.channel, got, tc.want)
		}
	}
}

// burstEvent is one event of a burst, chat message or interaction.
type burstEvent struct {
	fixture string // "" for a chat message
	ev      discordtest.Event
}

// TestBurstOverEveryPath sends 20 events from one user, over every chat
// command and interaction that makes the bot post, and counts what the
// loopback Discord receives.
func TestBurstOverEveryPath(t *testing.T) {
	t.Parallel()
	const burst = 3
	h := start(t, setup{cfg: Config{RatePerMinute: 0.01, RateBurst: burst, MaxQuestion: 100}})
	mention := "<@" + h.srv.AppID + ">"
	events := []burstEvent{
		{"", discordtest.Event{Text: "!ask " + question}},
		{"slash_ask.json", discordtest.Event{Text: question}},
		{"", discordtest.Event{Text: "!help"}},
		{"slash_help.json", discordtest.Event{}},
		{"", discordtest.Event{Text: mention, Mention: true}},
		{"autocomplete_source.json", discordtest.Event{Text: "9fa"}},
		{"", discordtest.Event{Text: "!ask"}},
		{"button.json", discordtest.Event{CustomID: customSources, MessageContent: "[1] `000_9fa98d75917ce04d.txt ¶1 (line 1)`"}},
		{"", discordtest.Event{Text: "!ask " + strings.Repeat("pourquoi ", 30)}},
		{"slash_search.json", discordtest.Event{Text: "accord"}},
		{"", discordtest.Event{Text: "!source nonsense"}},
		{"slash_source.json", discordtest.Event{File: "000_9fa98d75917ce04d.txt", Paragraph: 1}},
		{"", discordtest.Event{Text: "!reload"}},
		{"slash_reload.json", discordtest.Event{}},
		{"", discordtest.Event{Text: "!search accord"}},
		{"autocomplete_no_data.json", discordtest.Event{}},
		{"", discordtest.Event{Text: mention + " " + question, Mention: true}},
		{"slash_undecodable.json", discordtest.Event{}},
		{"", discordtest.Event{Text: "!source 000_9fa98d75917ce04d.txt ¶1"}},
		{"slash_ask.json", discordtest.Event{Text: question, Private: true}},
	}
	chat, tokens := map[string]bool{}, map[string]bool{}
	for _, e := range events {
		if e.fixture == "" {
			chat[h.say(t, e.ev).ID] = true
		} else {
			tokens[h.interact(t, e.fixture, e.ev).Token] = true
		}
	}
	// Every event is either served (a reply, or a callback that is not
	// the rate-limit notice) or refused (a log line).
	h.until(t, "every event handled", func(calls []discordtest.Call, log string) bool {
		served := 0
		for id := range chat {
			if len(replies(calls, id)) > 0 {
				served++
			}
		}
		for tok := range tokens {
			acks := discordtest.Of(discordtest.For(calls, tok), discordtest.Callback)
			if len(acks) > 0 && !strings.Contains(string(acks[0].Body), "Attendez") {
				served++
			}
		}
		limited := strings.Count(log, `msg="rate limited"`)
		// The notice is posted after its log line: wait for it too.
		noticed := len(discordtest.Of(calls, discordtest.Reaction)) > 0
		for _, c := range discordtest.Of(calls, discordtest.Callback) {
			noticed = noticed || strings.Contains(string(c.Body), "Attendez")
		}
		return served+limited == len(events) && (limited == 0 || noticed)
	})
	if err := h.shutdown(t); err != nil {
		t.Fatal(err)
	}
	calls := h.srv.Calls()
	var public, notices, cost int
	for _, c := range calls {
		switch c.Kind {
		case discordtest.Message:
			public++
			if strings.Contains(string(c.Body), "Attendez") || strings.Contains(string(c.Body), "vite") {
				t.Errorf("a public rate-limit message: %s", c.Body)
			}
		case discordtest.Reaction:
			notices++
		case discordtest.Callback:
			b := c.Decode(t)
			switch {
			case b.Data != nil && strings.Contains(b.Data.Content, "Attendez"):
				notices++
				if b.Data.Flags&64 == 0 {
					t.Errorf("a public rate-limit notice: %s", c.Body)
				}
			case b.Type == 8:
				cost++ // at most four autocompletes make one request: counted high
			default:
				cost++
				if b.Data == nil || b.Data.Flags&64 == 0 {
					public++
				}
			}
		}
	}
	t.Logf("%d events from one user, burst %d: %d public bot messages, %d rate-limit notice (private), %d interaction responses",
		len(events), burst, public, notices, cost)
	if public > burst {
		t.Errorf("%d public bot messages, want at most %d", public, burst)
	}
	if notices != 1 {
		t.Errorf("%d rate-limit notices, want 1 per window", notices)
	}
	checkMessages(t, calls)
}

func TestChannelLimitAndMissingReactionPermission(t *testing.T) {
	t.Parallel()
	h := start(t, setup{
		cfg:    Config{RatePerMinute: 0.01, RateBurst: 3, ChannelRatePerMinute: 0.01, ChannelBurst: 4},
		server: discordtest.Options{ForbidReactions: true},
	})
	for _, user := range []string{"1200000000000000003", "1200000000000000004"} {
		for range 3 {
			h.say(t, discordtest.Event{Text: "!help", UserID: user})
		}
	}
	h.logs.wait(t, "two refusals", func(log string) bool { return strings.Count(log, `msg="rate limited"`) == 2 })
	// Each user refused by the full channel is told once, by a reaction
	// that Discord refuses, and the bot stays silent. Which messages the
	// channel refuses depends on the order they are handled in: one user's
	// two, or one of each.
	told := 0
	h.logs.wait(t, "the refused reactions", func(log string) bool {
		told = strings.Count(log, "notice=true")
		return told > 0 && strings.Count(log, "Add Reactions") == told
	})
	h.srv.Wait(t, "four replies", func(c []discordtest.Call) bool { return len(discordtest.Of(c, discordtest.Message)) == 4 })
	if err := h.shutdown(t); err != nil {
		t.Fatal(err)
	}
	calls := h.srv.Calls()
	if n := len(discordtest.Of(calls, discordtest.Message)); n != 4 {
		t.Errorf("%d messages in the channel, want its 4", n)
	}
	if n := len(discordtest.Of(calls, discordtest.Reaction)); n != told || told > 2 {
		t.Errorf("%d reactions tried for %d users told; want one per refused user, at most 2", n, told)
	}
}
