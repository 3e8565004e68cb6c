package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"citebot/internal/discordtest"
)

func TestServeNeedsToken(t *testing.T) {
	t.Parallel()
	_, stderr, code := cli(t, map[string]string{"CITEBOT_DB": tempDB(t)}, "serve")
	if code != 2 || !strings.Contains(stderr, "DISCORD_TOKEN") {
		t.Errorf("serve without a token: code %d, stderr %q; want 2 and a message naming DISCORD_TOKEN", code, stderr)
	}
}

func TestServeConfigErrorsNameTheSetting(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"DISCORD_API_URL", "DISCORD_ADMIN_USER_IDS", "CITEBOT_PREFIX", "CITEBOT_MAX_CONCURRENT",
		"CITEBOT_METRICS_ADDR", "CITEBOT_LOG_DAYS", "CITEBOT_LOG_FORMAT"} {
		env := map[string]string{"CITEBOT_DB": tempDB(t), "DISCORD_TOKEN": "t", name: "not valid at all"}
		_, stderr, code := cli(t, env, "serve")
		if code == 0 || !strings.Contains(stderr, name) {
			t.Errorf("%s invalid: code %d, stderr %q", name, code, stderr)
		}
	}
}

// TestServe runs citebot serve as deployed, against a loopback Discord:
// guild commands, an answer with citations, an admin reload that the next
// answer sees, and a clean shutdown when the context ends (as on SIGTERM).
func TestServe(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{})
	corpusDir := shippedCopy(t)
	const token = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.secret-token"
	env := map[string]string{
		"CITEBOT_DB":        tempDB(t),
		"CITEBOT_CORPUS":    corpusDir,
		"CITEBOT_LOG_LEVEL": "debug",
		"DISCORD_TOKEN":     token,
		"DISCORD_API_URL":   srv.URL(),
		"DISCORD_GUILD_ID":  discordtest.GuildID,
	}
	var stdout, stderr syncBuffer
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	}()
	defer func() {
		stop()
		<-done
	}()

	calls := srv.Wait(t, "guild command registration", func(c []discordtest.Call) bool {
		return len(discordtest.Of(c, discordtest.Commands)) > 0
	})
	if reg := discordtest.Of(calls, discordtest.Commands)[0]; reg.Params["guild"] != discordtest.GuildID || reg.Auth != "Bot "+token {
		t.Errorf("commands registered at %s with %q, want the guild's endpoint and the bot token", reg.Path, reg.Auth)
	}

	ask := func(q string) string {
		data, ev := srv.Payload(t, "slash_ask.json", discordtest.Event{Text: q})
		srv.Dispatch(t, "INTERACTION_CREATE", data)
		calls := srv.Wait(t, "an answer", func(c []discordtest.Call) bool {
			return len(discordtest.Of(discordtest.For(c, ev.Token), discordtest.EditOriginal)) > 0
		})
		mine := discordtest.For(calls, ev.Token)
		if mine[0].Kind != discordtest.Callback || mine[0].Decode(t).Type != 5 {
			t.Errorf("first response %s %s, want a deferred ack", mine[0].Kind, mine[0].Body)
		}
		return discordtest.Of(mine, discordtest.EditOriginal)[0].Decode(t).Content
	}
	if got := ask("Qui a accueilli le chef d'état-major marocain ?"); !strings.Contains(got, "`000_9fa98d75917ce04d.txt ¶1 (line 1)`") {
		t.Errorf("answer does not cite its paragraph:\n%s", got)
	}

	text := "Le zeppelin Klaxovia a atterri jeudi à Rabat après un vol de trois jours.\n"
	if err := os.WriteFile(filepath.Join(corpusDir, "zz_klaxovia.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	data, ev := srv.Payload(t, "slash_reload.json", discordtest.Event{Permissions: discordtest.ManagerPermissions})
	srv.Dispatch(t, "INTERACTION_CREATE", data)
	srv.Wait(t, "the reload report", func(c []discordtest.Call) bool {
		return len(discordtest.Of(discordtest.For(c, ev.Token), discordtest.EditOriginal)) > 0
	})
	if got := ask("Où le zeppelin Klaxovia a-t-il atterri ?"); !strings.Contains(got, "zz_klaxovia.txt ¶1") {
		t.Errorf("answer after reload does not cite the new file:\n%s", got)
	}

	stop()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v on shutdown, want nil", err)
	}
	done <- nil
	if strings.Contains(stderr.String(), "secret-token") {
		t.Error("the token appears in the log")
	}
	if !strings.Contains(stderr.String(), "bot stopped") {
		t.Errorf("no clean stop in the log:\n%s", stderr.String())
	}
}

// shippedCopy is a folder holding a copy of the shipped articles, which
// a test may add to.
func shippedCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"000_9fa98d75917ce04d.txt", "002_2352071ffc99a4ce.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "corpus", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
