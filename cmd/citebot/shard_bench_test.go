package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"citebot/internal/discordtest"
)

// BenchmarkShards is the bot's throughput, model-free, with one serve
// process for two guilds and with two processes, one shard each, over
// one index file: every round sends the same questions to the two guilds
// at once through the loopback Discord and waits for every answer. Run
// with
//
//	go test -tags sqlite_fts5 -run '^$' -bench Shards -benchtime 20x ./cmd/citebot
//
// and read answers/s. The loopback Discord runs in the benchmark's own
// process, on the same cores.
func BenchmarkShards(b *testing.B) {
	questions := []string{
		"Qui a accueilli le chef d'état-major de l'armée marocaine en Israël ?",
		"Quand l'accord de défense entre le Maroc et Israël a-t-il été signé ?",
		"What threat does Morocco want to counter with Israel's defense expertise?",
		"Où se tenait la conférence sur l'innovation militaire ?",
		"Who signed the security agreement with Morocco?",
		"Quel est le rôle du général Belkhir El Farouk ?",
		"Quel âge a le général Belkhir ?",
		"Sur quel réseau social Benny Gantz a-t-il annoncé l'accord ?",
	}
	for _, tc := range []struct {
		procs int
		log   string // CITEBOT_LOG_DAYS: the question log on (30) or off (0)
	}{{1, "30"}, {2, "30"}, {1, "0"}, {2, "0"}} {
		procs := tc.procs
		name := "processes=" + strconv.Itoa(procs) + "/log=" + map[string]string{"0": "off", "30": "on"}[tc.log]
		b.Run(name, func(b *testing.B) {
			srv := discordtest.New(b, discordtest.Options{})
			db := filepath.Join(b.TempDir(), "index.db")
			guilds := []string{guildOnShard(b, 0, 2), guildOnShard(b, 1, 2)}
			for shard := range procs {
				env := map[string]string{
					"CITEBOT_DB":                      db,
					"CITEBOT_LOG_LEVEL":               "warn",
					"CITEBOT_LOG_DAYS":                tc.log,
					"CITEBOT_RATE_PER_MINUTE":         "0",
					"CITEBOT_CHANNEL_RATE_PER_MINUTE": "0",
					"DISCORD_TOKEN":                   "MTEwMDAwMDAwMDAwMDAwMDAwMQ.secret-token",
					"DISCORD_API_URL":                 srv.URL(),
				}
				if procs > 1 {
					env["CITEBOT_SHARD_ID"] = strconv.Itoa(shard)
					env["CITEBOT_SHARD_COUNT"] = strconv.Itoa(procs)
				}
				startServe(b, env)
			}
			srv.Connected(b, procs)
			answered := 0
			var busy time.Duration
			for b.Loop() {
				var payloads []json.RawMessage
				var tokens []string
				for _, q := range questions {
					for _, g := range guilds {
						data, ev := srv.Payload(b, "slash_ask.json", discordtest.Event{GuildID: g, Text: q})
						payloads, tokens = append(payloads, data), append(tokens, ev.Token)
					}
				}
				start := time.Now()
				for _, p := range payloads {
					srv.Dispatch(b, "INTERACTION_CREATE", p)
				}
				srv.Wait(b, "every answer", func(c []discordtest.Call) bool {
					n := 0
					for _, call := range discordtest.Of(c, discordtest.EditOriginal) {
						for _, tok := range tokens {
							if call.Params["token"] == tok {
								n++
							}
						}
					}
					return n >= len(tokens)
				})
				busy += time.Since(start)
				answered += len(tokens)
			}
			b.ReportMetric(float64(answered)/busy.Seconds(), "answers/s")
		})
	}
}
