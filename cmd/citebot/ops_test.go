package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"citebot/internal/discordtest"
	"citebot/internal/evalset"
	"citebot/usage"
)

const (
	kohavi     = "Qui a accueilli le chef d'état-major marocain ?"
	zeppelin   = "Quel est le prix du zeppelin Klaxovia ?"
	zeppelin2  = "Le zeppelin Klaxovia : quel prix ?"
	hindenburg = "Combien de passagers transportait le dirigeable Hindenburg ?"
	userA      = "1200000000000000021"
	userB      = "1200000000000000022"
	userC      = "1200000000000000023"
	userD      = "1200000000000000024"
	userE      = "1200000000000000025"
)

// TestOpsAtTheWire runs citebot serve against a loopback Discord with
// metrics and the question log on, scripts a session of six questions
// (answered, refused, rate-limited, on slash, chat and mention), two
// votes (a button and a reaction) and /stats, then checks that the
// scraped metrics and citebot report count exactly that, that /readyz
// follows the gateway down and up again, and that the export of the log
// is a question set citebot eval reads.
func TestOpsAtTheWire(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{})
	dir := t.TempDir()
	env := map[string]string{
		"CITEBOT_DB":           filepath.Join(dir, "index.db"),
		"CITEBOT_LOG_LEVEL":    "info",
		"CITEBOT_LOG_FORMAT":   "json",
		"CITEBOT_METRICS_ADDR": "127.0.0.1:0",
		"CITEBOT_RATE_BURST":   "3",
		"DISCORD_TOKEN":        "MTEwMDAwMDAwMDAwMDAwMDAwMQ.secret-token",
		"DISCORD_API_URL":      srv.URL(),
		"DISCORD_GUILD_ID":     discordtest.GuildID,
	}
	var stderr syncBuffer
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, &stderr)
	}()
	defer func() { stop(); <-done }()
	srv.Wait(t, "guild command registration", func(c []discordtest.Call) bool {
		return len(discordtest.Of(c, discordtest.Commands)) > 0
	})
	base := "http://" + logAttr(t, &stderr, "metrics and health", "addr")

	// The session.
	edit := func(ev discordtest.Event) discordtest.Body {
		calls := srv.Wait(t, "the answer to "+ev.Text, func(c []discordtest.Call) bool {
			return len(discordtest.Of(discordtest.For(c, ev.Token), discordtest.EditOriginal)) > 0
		})
		return discordtest.Of(discordtest.For(calls, ev.Token), discordtest.EditOriginal)[0].Decode(t)
	}
	slash := func(user, q string) (discordtest.Event, json.RawMessage) {
		data, ev := srv.Payload(t, "slash_ask.json", discordtest.Event{Text: q, UserID: user})
		srv.Dispatch(t, "INTERACTION_CREATE", data)
		return ev, nil
	}
	ev1, _ := slash(userA, kohavi)
	answer1 := edit(ev1)
	if !strings.Contains(answer1.Content, "000_9fa98d75917ce04d.txt") {
		t.Errorf("first answer does not cite its article:\n%s", answer1.Content)
	}
	for _, q := range []string{zeppelin, zeppelin2} {
		ev, _ := slash(userA, q)
		if got := edit(ev).Content; !strings.Contains(got, "ne contiennent pas") {
			t.Errorf("%q was not refused:\n%s", q, got)
		}
	}
	ev4, _ := slash(userA, kohavi) // over the burst of 3
	calls := srv.Wait(t, "the rate-limit notice", func(c []discordtest.Call) bool {
		return len(discordtest.For(c, ev4.Token)) > 0
	})
	if cb := discordtest.For(calls, ev4.Token)[0].Decode(t); cb.Data == nil || !strings.Contains(cb.Data.Content, "Attendez") {
		t.Errorf("fourth question: %+v, want a rate-limit notice", cb)
	}
	chat := func(user, text string, mention bool) discordtest.Call {
		data, ev := srv.Payload(t, "message_create.json", discordtest.Event{Text: text, UserID: user, Mention: mention})
		srv.Dispatch(t, "MESSAGE_CREATE", data)
		var reply discordtest.Call
		srv.Wait(t, "the reply to "+text, func(c []discordtest.Call) bool {
			for _, m := range discordtest.Of(c, discordtest.Message) {
				if b := m.Decode(t); b.Reference != nil && b.Reference.MessageID == ev.ID {
					reply = m
					return true
				}
			}
			return false
		})
		return reply
	}
	answer5 := chat(userB, "!ask "+kohavi, false)
	if !strings.Contains(answer5.Decode(t).Content, "000_9fa98d75917ce04d.txt") {
		t.Errorf("chat answer does not cite its article:\n%s", answer5.Decode(t).Content)
	}
	if got := chat(userC, "<@"+srv.AppID+"> "+hindenburg, true).Decode(t).Content; !strings.Contains(got, "ne contiennent pas") {
		t.Errorf("mention was not refused:\n%s", got)
	}

	// A question is logged just after its answer is sent: a vote may only
	// follow once it is.
	eventually(t, "six questions in the log", func() bool { return strings.Count(stderr.String(), `"msg":"question"`) == 6 })

	// Votes: 👎 on the first answer's button, 👍 as a reaction on the chat answer.
	down := customID(t, answer1.Components, "citebot:vote:-")
	data, ev := srv.Payload(t, "button.json", discordtest.Event{CustomID: down, UserID: userD})
	srv.Dispatch(t, "INTERACTION_CREATE", data)
	calls = srv.Wait(t, "the vote's thanks", func(c []discordtest.Call) bool { return len(discordtest.For(c, ev.Token)) > 0 })
	if cb := discordtest.For(calls, ev.Token)[0].Decode(t); cb.Data == nil || !strings.Contains(cb.Data.Content, "👎") || cb.Data.Flags != 64 {
		t.Errorf("vote answered %+v, want a private thanks naming 👎", cb)
	}
	data, _ = srv.Payload(t, "reaction_add.json", discordtest.Event{Text: "👍", UserID: userE, MessageID: answer5.MessageID})
	srv.Dispatch(t, "MESSAGE_REACTION_ADD", data)
	eventually(t, "two votes in the log", func() bool { return strings.Count(stderr.String(), `"msg":"vote"`) == 2 })

	// The metrics count exactly the session.
	want := map[string]int{
		`citebot_questions_total{outcome="answered",surface="slash"}`:     1,
		`citebot_questions_total{outcome="refused",surface="slash"}`:      2,
		`citebot_questions_total{outcome="rate-limited",surface="slash"}`: 1,
		`citebot_questions_total{outcome="answered",surface="chat"}`:      1,
		`citebot_questions_total{outcome="refused",surface="mention"}`:    1,
		`citebot_questions_total{outcome="error",surface="slash"}`:        0,
		`citebot_gateway_connected`:                                       1,
		`citebot_index_documents`:                                         2,
	}
	eventually(t, "the metrics of six questions", func() bool { return sumQuestions(scrape(t, base)) == 6 })
	m := scrape(t, base)
	for k, v := range want {
		if m[k] != float64(v) {
			t.Errorf("%s = %g, want %d", k, m[k], v)
		}
	}
	answered := m[`citebot_answer_duration_seconds_count{surface="slash"}`] + m[`citebot_answer_duration_seconds_count{surface="chat"}`] +
		m[`citebot_answer_duration_seconds_count{surface="mention"}`]
	if answered != 5 || m["citebot_retrieval_duration_seconds_count"] != 5 {
		t.Errorf("answer and retrieval histograms counted %g and %g, want 5 and 5", answered, m["citebot_retrieval_duration_seconds_count"])
	}
	t.Logf("metrics after the session: %d questions (answered 2, refused 3, rate-limited 1)", sumQuestions(m))

	// /stats, for an administrator, privately.
	data, ev = srv.Payload(t, "slash_stats.json", discordtest.Event{Permissions: discordtest.ManagerPermissions, Days: 1})
	srv.Dispatch(t, "INTERACTION_CREATE", data)
	stats := edit(ev)
	calls = srv.Calls()
	if cb := discordtest.For(calls, ev.Token)[0].Decode(t); cb.Data == nil || cb.Data.Flags != 64 {
		t.Errorf("/stats was not private: %+v", cb)
	}
	for _, s := range []string{"6, de 3 personnes", "×2 Le zeppelin Klaxovia", "Hindenburg", "👎1"} {
		if !strings.Contains(stats.Content, s) {
			t.Errorf("/stats lacks %q:\n%s", s, stats.Content)
		}
	}

	// Health follows the gateway.
	if code := status(t, base+"/readyz"); code != 200 {
		t.Errorf("/readyz = %d while connected, want 200", code)
	}
	if code := status(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d, want 200", code)
	}
	srv.Down()
	dropped := time.Now()
	eventuallyWithin(t, 5*time.Second, "/readyz 503 after the gateway dropped", func() bool { return status(t, base+"/readyz") == 503 })
	t.Logf("/readyz 503 %v after the gateway dropped", time.Since(dropped).Round(time.Millisecond))
	srv.Up()
	up := time.Now()
	eventuallyWithin(t, discordtest.WaitTimeout, "/readyz 200 after the reconnect", func() bool { return status(t, base+"/readyz") == 200 })
	t.Logf("/readyz 200 %v after the gateway came back", time.Since(up).Round(time.Millisecond))
	if m := scrape(t, base); m["citebot_gateway_reconnects_total"] != 1 {
		t.Errorf("reconnects = %g, want 1", m["citebot_gateway_reconnects_total"])
	}

	stop()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	done <- nil

	// citebot report counts the same.
	out, errs, code := cli(t, env, "report", "--json", "--days", "1")
	if code != 0 {
		t.Fatalf("report: %d %s", code, errs)
	}
	var rep usage.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report --json: %v\n%s", err, out)
	}
	if rep.Questions != 6 || rep.Outcomes[usage.Answered] != 2 || rep.Outcomes[usage.Refused] != 3 ||
		rep.Outcomes[usage.RateLimited] != 1 || rep.VotesUp != 1 || rep.VotesDown != 1 || rep.Users != 3 {
		t.Errorf("report: %d questions, outcomes %v, votes %d/%d, users %d; want 6, answered 2 refused 3 rate-limited 1, 1/1, 3",
			rep.Questions, rep.Outcomes, rep.VotesUp, rep.VotesDown, rep.Users)
	}
	if len(rep.Unanswered) != 2 || rep.Unanswered[0].Count != 2 || rep.Unanswered[1].Texts[0] != hindenburg {
		t.Errorf("unanswered: %+v, want the two zeppelin questions grouped, then Hindenburg", rep.Unanswered)
	}
	if len(rep.VotedDown) != 1 || rep.VotedDown[0].Text != kohavi {
		t.Errorf("voted down: %+v", rep.VotedDown)
	}
	text, _, _ := cli(t, env, "report", "--days", "1")
	for _, s := range []string{zeppelin2, hindenburg, "refused       3", "rate-limited  1"} {
		if !strings.Contains(text, s) {
			t.Errorf("report lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, userA) || strings.Contains(out, userA) {
		t.Error("the report shows a user id")
	}

	// The export is a question set that citebot eval reads.
	export := filepath.Join(dir, "export.jsonl")
	if _, errs, code := cli(t, env, "report", "--export-eval", export); code != 0 {
		t.Fatalf("report --export-eval: %d %s", code, errs)
	}
	qs, err := evalset.Load(export)
	if err != nil {
		t.Fatal(err)
	}
	var gold, unlabelled int
	for _, q := range qs {
		if q.Answerable == nil {
			unlabelled++
		}
		if len(q.Gold) == 1 && q.Gold[0].File == "000_9fa98d75917ce04d.txt" {
			gold++
		}
	}
	if len(qs) != 5 || unlabelled != 4 || gold != 1 {
		t.Errorf("export: %d questions, %d to label, %d with gold; want 5, 4 (3 refused, 1 voted down), 1 (voted up)", len(qs), unlabelled, gold)
	}
	evalOut, errs, code := cli(t, env, "eval", "--json", export)
	var metrics evalset.Metrics
	if code != 0 || json.Unmarshal([]byte(evalOut), &metrics) != nil {
		t.Fatalf("eval on the export: %d %s\n%s", code, errs, evalOut)
	}
	t.Logf("eval on the export: %s", strings.TrimSpace(evalOut))
}

// customID is the custom_id of the first button whose id starts with prefix.
func customID(t *testing.T, comps []json.RawMessage, prefix string) string {
	t.Helper()
	for _, raw := range comps {
		var row struct {
			Components []struct {
				CustomID string `json:"custom_id"`
			} `json:"components"`
		}
		json.Unmarshal(raw, &row)
		for _, c := range row.Components {
			if strings.HasPrefix(c.CustomID, prefix) {
				return c.CustomID
			}
		}
	}
	t.Fatalf("no button %s* in %s", prefix, comps)
	return ""
}

// logAttr waits for a JSON log line with msg and returns its attribute.
func logAttr(t *testing.T, log *syncBuffer, msg, attr string) string {
	t.Helper()
	var v string
	eventually(t, "log line "+msg, func() bool {
		sc := bufio.NewScanner(strings.NewReader(log.String()))
		for sc.Scan() {
			var line map[string]any
			if json.Unmarshal(sc.Bytes(), &line) == nil && line["msg"] == msg {
				v, _ = line[attr].(string)
				return true
			}
		}
		return false
	})
	return v
}

// scrape reads /metrics into a map from series to value.
func scrape(t *testing.T, base string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	m := make(map[string]float64)
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		var v float64
		fmt.Sscan(line[i+1:], &v)
		m[line[:i]] = v
	}
	return m
}

func sumQuestions(m map[string]float64) int {
	n := 0.0
	for k, v := range m {
		if strings.HasPrefix(k, "citebot_questions_total{") {
			n += v
		}
	}
	return int(n)
}

func status(t *testing.T, url string) int {
	t.Helper()
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// eventually polls cond until it holds, for at most WaitTimeout.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	eventuallyWithin(t, discordtest.WaitTimeout, what, cond)
}

func eventuallyWithin(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", d, what)
		}
		<-tick.C
	}
}
