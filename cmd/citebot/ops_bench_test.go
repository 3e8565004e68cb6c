package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"citebot/internal/discordtest"
)

// The cost of watching: the same answers with the question log and the
// metrics on, then off. Run with
//
//	go test -tags sqlite_fts5 -run '^$' -bench 'Ops' -count 6 ./cmd/citebot
//
// and compare the on and off lines (benchstat, or by eye against their
// spread).

// BenchmarkOpsAsk is citebot ask, whole (ns/op: settings, index, answer,
// and with --log the log opened, written and closed), and the time until
// the answer is printed (ns-to-answer/op): --log writes after that.
func BenchmarkOpsAsk(b *testing.B) {
	env := map[string]string{"CITEBOT_DB": filepath.Join(b.TempDir(), "index.db"), "CITEBOT_DICT_DIR": "off"}
	get := func(k string) string { return env[k] }
	if err := run(b.Context(), []string{"ask", kohavi}, get, strings.NewReader(""), io.Discard, io.Discard); err != nil {
		b.Fatal(err) // builds the index
	}
	for _, mode := range []struct {
		name string
		args []string
	}{{"off", []string{"ask", kohavi}}, {"on", []string{"ask", "--log", kohavi}}} {
		b.Run(mode.name, func(b *testing.B) {
			var toAnswer time.Duration
			for b.Loop() {
				out := &firstWrite{start: time.Now()}
				if err := run(b.Context(), mode.args, get, strings.NewReader(""), out, io.Discard); err != nil {
					b.Fatal(err)
				}
				toAnswer += out.at
			}
			b.ReportMetric(float64(toAnswer.Nanoseconds())/float64(b.N), "ns-to-answer/op")
		})
	}
}

// BenchmarkOpsBotAnswer is the time from a /ask reaching the gateway to
// its answer edited in, through the loopback Discord.
func BenchmarkOpsBotAnswer(b *testing.B) {
	for _, mode := range []struct {
		name string
		env  map[string]string
	}{
		{"off", map[string]string{"CITEBOT_LOG_DAYS": "0"}},
		{"metrics", map[string]string{"CITEBOT_LOG_DAYS": "0", "CITEBOT_METRICS_ADDR": "127.0.0.1:0"}},
		{"log", map[string]string{}},
		{"json", map[string]string{"CITEBOT_LOG_DAYS": "0", "CITEBOT_LOG_FORMAT": "json", "CITEBOT_LOG_LEVEL": "info"}},
		{"on", map[string]string{"CITEBOT_METRICS_ADDR": "127.0.0.1:0", "CITEBOT_LOG_FORMAT": "json", "CITEBOT_LOG_LEVEL": "info"}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			srv := discordtest.New(b, discordtest.Options{})
			env := map[string]string{
				"CITEBOT_DB":                      filepath.Join(b.TempDir(), "index.db"),
				"CITEBOT_DICT_DIR":                "off",
				"CITEBOT_RATE_PER_MINUTE":         "0",
				"CITEBOT_CHANNEL_RATE_PER_MINUTE": "0",
				"DISCORD_TOKEN":                   "MTEwMDAwMDAwMDAwMDAwMDAwMQ.secret-token",
				"DISCORD_API_URL":                 srv.URL(),
				"DISCORD_GUILD_ID":                discordtest.GuildID,
			}
			for k, v := range mode.env {
				env[k] = v
			}
			ctx, stop := context.WithCancel(b.Context())
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
			}()
			defer func() { stop(); <-done }()
			srv.Ready(b)
			for b.Loop() {
				data, ev := srv.Payload(b, "slash_ask.json", discordtest.Event{Text: kohavi})
				srv.Dispatch(b, "INTERACTION_CREATE", data)
				srv.Wait(b, "an answer", func(c []discordtest.Call) bool {
					for i := len(c) - 1; i >= 0; i-- {
						if c[i].Kind == discordtest.EditOriginal && c[i].Params["token"] == ev.Token {
							return true
						}
					}
					return false
				})
			}
		})
	}
}

// firstWrite notes when the answer was first written.
type firstWrite struct {
	start time.Time
	at    time.Duration
}

func (w *firstWrite) Write(p []byte) (int, error) {
	if w.at == 0 {
		w.at = time.Since(w.start)
	}
	return len(p), nil
}
