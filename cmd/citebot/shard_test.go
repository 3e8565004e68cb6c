package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"citebot/bot"
	"citebot/internal/discordtest"
	"citebot/store"
)

// serveHelper makes the test binary a `citebot serve` process when the
// environment asks for one: the shard tests start several, as an operator
// would, so that they share nothing but the index file and Discord.
const serveHelper = "CITEBOT_TEST_SERVE_PROCESS"

func TestMain(m *testing.M) {
	if os.Getenv(serveHelper) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := run(ctx, []string{"serve"}, os.Getenv, strings.NewReader(""), os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "serve:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveProcess is a `citebot serve` running in a process of its own.
type serveProcess struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	logs []map[string]any // its JSON log lines
	done chan struct{}    // closed when its log ends
}

// startServe starts a serve process with env over a clean environment
// (the developer's own settings would leak in otherwise) and stops it
// with SIGTERM when the test ends.
func startServe(t testing.TB, env map[string]string) *serveProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "CITEBOT_") && !strings.HasPrefix(k, "DISCORD_") && !strings.HasPrefix(k, "OPENAI_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, serveHelper+"=1", "CITEBOT_LOG_FORMAT=json", "CITEBOT_LOG_LEVEL=debug")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var line map[string]any
			if json.Unmarshal(sc.Bytes(), &line) != nil {
				line = map[string]any{"msg": sc.Text()}
			}
			p.mu.Lock()
			p.logs = append(p.logs, line)
			p.mu.Unlock()
		}
		io.Copy(io.Discard, stderr)
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		timer := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
		defer timer.Stop()
		<-p.done
		if err := cmd.Wait(); err != nil {
			t.Errorf("serve process ended with %v; its log:\n%s", err, p.dump())
		}
	})
	return p
}

// lines returns its log lines whose message is msg.
func (p *serveProcess) lines(msg string) []map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []map[string]any
	for _, l := range p.logs {
		if l["msg"] == msg {
			out = append(out, l)
		}
	}
	return out
}

func (p *serveProcess) dump() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, l := range p.logs {
		j, _ := json.Marshal(l)
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

// guildOnShard returns a guild id that Discord routes to shard of count.
func guildOnShard(t testing.TB, shard, count int) string {
	t.Helper()
	for id := uint64(1250000000000000000); id < 1250000000000000000+uint64(count)<<23; id += 1 << 22 {
		if g := strconv.FormatUint(id, 10); discordtest.Shard(g, count) == shard {
			return g
		}
	}
	t.Fatalf("no guild id for shard %d of %d", shard, count)
	return ""
}

// Two serve processes, one per shard, over one index file: each answers
// the guilds Discord routes to it and no other, the slash commands are
// registered once, and a reload through one shard shows in the other's
// next answer.
func TestShardsShareOneIndex(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{})
	corpusDir := shippedCopy(t)
	db := tempDB(t)
	guilds := []string{guildOnShard(t, 0, 2), guildOnShard(t, 1, 2)}
	procs := make([]*serveProcess, 2)
	for shard := range procs {
		procs[shard] = startServe(t, map[string]string{
			"CITEBOT_DB":              db,
			"CITEBOT_CORPUS":          corpusDir,
			"DISCORD_TOKEN":           "MTEwMDAwMDAwMDAwMDAwMDAwMQ.secret-token",
			"DISCORD_API_URL":         srv.URL(),
			"CITEBOT_SHARD_ID":        strconv.Itoa(shard),
			"CITEBOT_SHARD_COUNT":     "2",
			"CITEBOT_RATE_PER_MINUTE": "0",
		})
	}
	srv.Connected(t, 2)
	srv.Wait(t, "command registration", func(c []discordtest.Call) bool {
		return len(discordtest.Of(c, discordtest.Commands)) > 0
	})

	// ask sends a question in guild and returns the answer, checking
	// that it was answered exactly once.
	ask := func(guild, q string) string {
		t.Helper()
		data, ev := srv.Payload(t, "slash_ask.json", discordtest.Event{GuildID: guild, Text: q})
		srv.Dispatch(t, "INTERACTION_CREATE", data)
		calls := srv.Wait(t, "an answer", func(c []discordtest.Call) bool {
			return len(discordtest.Of(discordtest.For(c, ev.Token), discordtest.EditOriginal)) > 0
		})
		mine := discordtest.For(calls, ev.Token)
		if n := len(discordtest.Of(mine, discordtest.Callback)); n != 1 {
			t.Errorf("%q in guild %s: %d callbacks, want 1", q, guild, n)
		}
		return discordtest.Of(mine, discordtest.EditOriginal)[0].Decode(t).Content
	}
	const before = "Qui a accueilli le chef d'état-major marocain ?"
	for _, g := range guilds {
		if got := ask(g, before); !strings.Contains(got, "000_9fa98d75917ce04d.txt ¶1") {
			t.Errorf("guild %s: answer does not cite its paragraph:\n%s", g, got)
		}
	}

	// A new article, reloaded by an administrator of shard 1's guild.
	text := "Le zeppelin Klaxovia a atterri jeudi à Rabat après un vol de trois jours.\n"
	if err := os.WriteFile(filepath.Join(corpusDir, "zz_klaxovia.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	data, ev := srv.Payload(t, "slash_reload.json", discordtest.Event{GuildID: guilds[1], Permissions: discordtest.ManagerPermissions})
	srv.Dispatch(t, "INTERACTION_CREATE", data)
	calls := srv.Wait(t, "the reload report", func(c []discordtest.Call) bool {
		return len(discordtest.Of(discordtest.For(c, ev.Token), discordtest.EditOriginal)) > 0
	})
	reported := discordtest.Of(discordtest.For(calls, ev.Token), discordtest.EditOriginal)[0]
	if got := ask(guilds[0], "Où le zeppelin Klaxovia a-t-il atterri ?"); !strings.Contains(got, "zz_klaxovia.txt ¶1") {
		t.Errorf("shard 0's answer after shard 1's reload does not cite the new file:\n%s", got)
	}
	t.Logf("shard 0 answered from shard 1's reload %v after its report", time.Since(reported.At).Round(time.Millisecond))

	// Each process logged the questions of its own guild only.
	for shard, p := range procs {
		qs := p.lines("question")
		if len(qs) == 0 {
			t.Errorf("shard %d logged no question; its log:\n%s", shard, p.dump())
		}
		for _, q := range qs {
			if q["guild_id"] != guilds[shard] || q["shard"] != float64(shard) {
				t.Errorf("shard %d logged a question of guild %v as shard %v, want guild %s", shard, q["guild_id"], q["shard"], guilds[shard])
			}
		}
	}
	if len(procs[1].lines("slash commands are registered by shard 0")) != 1 {
		t.Errorf("shard 1 did not leave the commands to shard 0; its log:\n%s", procs[1].dump())
	}
	if n := len(discordtest.Of(srv.Calls(), discordtest.Commands)); n != 1 {
		t.Errorf("slash commands registered %d times, want once", n)
	}
}

func TestShardSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id, count string
		bad       string // the setting the error names; empty if valid
	}{
		{"", "", ""},
		{"0", "1", ""},
		{"1", "2", ""},
		{"3", "4", ""},
		{"1", "", "CITEBOT_SHARD_ID"},
		{"", "2", "CITEBOT_SHARD_COUNT"},
		{"2", "2", "CITEBOT_SHARD_ID"},
		{"-1", "2", "CITEBOT_SHARD_ID"},
		{"0", "-2", "CITEBOT_SHARD_COUNT"},
		{"zero", "2", "CITEBOT_SHARD_ID"},
	} {
		env := map[string]string{"CITEBOT_SHARD_ID": tc.id, "CITEBOT_SHARD_COUNT": tc.count}
		_, err := loadConfig(func(k string) string { return env[k] })
		switch {
		case tc.bad == "" && err != nil:
			t.Errorf("shard %q of %q: %v, want valid", tc.id, tc.count, err)
		case tc.bad != "" && (err == nil || !strings.Contains(err.Error(), tc.bad)):
			t.Errorf("shard %q of %q: %v, want an error naming %s", tc.id, tc.count, err, tc.bad)
		}
	}
}

// A reload asked of one process while another process holds the index's
// writer (its own reload, or citebot index) gets the bot's "a reload is
// already running", not a minute's wait.
func TestReloadWhileAnotherProcessWrites(t *testing.T) {
	t.Parallel()
	path := tempDB(t)
	a, err := newApp(func(k string) string {
		return map[string]string{"CITEBOT_DB": path, "CITEBOT_DICT_DIR": "off"}[k]
	}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	db, err := a.openIndex(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src, err := a.source()
	if err != nil {
		t.Fatal(err)
	}
	defer holdWriter(t, path)()
	idx := &index{db: db, src: src, corpus: a.corpusLabel(), log: a.log}
	began := time.Now()
	_, err = idx.Reload(t.Context())
	if !errors.Is(err, bot.ErrReloadRunning) {
		t.Errorf("reload while another process writes: %v, want bot.ErrReloadRunning", err)
	}
	if waited := time.Since(began); waited > reloadWait+5*time.Second {
		t.Errorf("the reload waited %v for the other writer", waited)
	}
}

// holdWriter holds path's write lock from a connection of its own, as
// another process's reload would, until release is called.
func holdWriter(t *testing.T, path string) (release func()) {
	t.Helper()
	other, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := other.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO meta(key, value) VALUES('held', 'by another process')"); err != nil {
		t.Fatal(err)
	}
	return sync.OnceFunc(func() {
		tx.Rollback()
		other.Close()
	})
}

// A process that starts while another builds the index waits for the
// build, however long, and still hears that it should stop.
func TestStartWhileAnotherProcessBuilds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		released bool // the other process finishes; else this one is stopped
	}{{"build finishes", true}, {"stopped while waiting", false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := tempDB(t)
			a, err := newApp(func(k string) string {
				return map[string]string{"CITEBOT_DB": path, "CITEBOT_DICT_DIR": "off"}[k]
			}, io.Discard, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			empty, err := store.Open(t.Context(), path, a.an) // the schema, no article yet
			if err != nil {
				t.Fatal(err)
			}
			empty.Close()
			release := holdWriter(t, path)
			defer release()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			const held = 3 * time.Second // longer than one wait of the store
			time.AfterFunc(held, func() {
				if tc.released {
					release()
				} else {
					cancel()
				}
			})
			began := time.Now()
			db, err := a.openIndex(ctx, nil)
			waited := time.Since(began)
			if tc.released {
				if err != nil {
					t.Fatalf("start after the other build: %v", err)
				}
				defer db.Close()
				if st, _ := db.Stats(t.Context()); st.Documents == 0 {
					t.Error("the index is still empty")
				}
			} else if err == nil {
				db.Close()
				t.Error("a start stopped while waiting succeeded")
			}
			if waited < held-time.Second || waited > held+3*time.Second {
				t.Errorf("waited %v, want about %v", waited, held)
			}
		})
	}
}
