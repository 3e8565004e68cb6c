package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"citebot/answer"
	"citebot/corpus"
	"citebot/internal/convstore"
	"citebot/internal/discordtest"
	"citebot/retrieval"
	"citebot/store"
)

// harness is a bot under test: the real discordgo session against a
// loopback Discord, the real store over a corpus copied to a temporary
// folder, and the real answer service unless a test brings its own.
type harness struct {
	srv    *discordtest.Server
	db     *store.DB
	corpus string
	logs   *syncBuffer
	stop   context.CancelFunc
	done   chan error
}

type setup struct {
	cfg    Config
	answer Answerer                // nil for the real extractive service
	wrap   func(Answerer) Answerer // if set, wraps the answerer
	server discordtest.Options
	// chat answers follow-ups through the real conversation service
	// over the store; db, if set, is the index to use (a restart).
	chat bool
	db   *store.DB
}

func start(t *testing.T, su setup) *harness {
	t.Helper()
	h := &harness{corpus: t.TempDir(), logs: new(syncBuffer), done: make(chan error, 1)}
	copyCorpus(t, h.corpus)
	an := retrieval.NewAnalyzer()
	db := su.db
	if db == nil {
		var err error
		db, err = store.Open(t.Context(), filepath.Join(t.TempDir(), "index.db"), an)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
	}
	h.db = db
	idx := &testIndex{db: db, fsys: os.DirFS(h.corpus)}
	if _, err := idx.Reload(t.Context()); err != nil {
		t.Fatal(err)
	}
	search := retrieval.NewSearcher(an, db, retrieval.Options{})
	if su.answer == nil {
		su.answer = answer.New(search, answer.Options{})
	}
	if su.wrap != nil {
		su.answer = su.wrap(su.answer)
	}
	h.srv = discordtest.New(t, su.server)
	cfg := su.cfg
	cfg.Token = "test-token"
	cfg.APIURL = h.srv.URL()
	if cfg.EditInterval == 0 {
		cfg.EditInterval = 10 * time.Millisecond
	}
	deps := Deps{
		Answer: su.answer, Search: search, Index: idx, Reload: idx,
		Logger: slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Lang:   func(s string) retrieval.Lang { return an.ParseQuery(s).Lang },
	}
	if su.chat {
		convs := storeConversations{convstore.Store{DB: db}}
		deps.Chat = answer.NewChat(answer.New(search, answer.Options{}), convs, answer.ChatOptions{})
		deps.Links = convs
	}
	b, err := New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	h.stop = stop
	go func() { h.done <- b.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		if err := <-h.done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if t.Failed() {
			t.Logf("bot log:\n%s", h.logs)
		}
	})
	h.srv.Wait(t, "command registration", func(c []discordtest.Call) bool {
		return len(discordtest.Of(c, discordtest.Commands)) > 0
	})
	return h
}

// shutdown stops the bot as SIGTERM would and returns Run's error.
func (h *harness) shutdown(t *testing.T) error {
	t.Helper()
	h.stop()
	select {
	case err := <-h.done:
		h.done <- nil // for the cleanup
		return err
	case <-time.After(discordtest.WaitTimeout):
		t.Fatal("Run did not return after shutdown")
		return nil
	}
}

// interact dispatches an interaction fixture and returns its event.
func (h *harness) interact(t *testing.T, fixture string, ev discordtest.Event) discordtest.Event {
	t.Helper()
	data, ev := h.srv.Payload(t, fixture, ev)
	h.srv.Dispatch(t, "INTERACTION_CREATE", data)
	return ev
}

// say dispatches a chat message and returns its event.
func (h *harness) say(t *testing.T, ev discordtest.Event) discordtest.Event {
	t.Helper()
	data, ev := h.srv.Payload(t, "message_create.json", ev)
	h.srv.Dispatch(t, "MESSAGE_CREATE", data)
	return ev
}

// guild sends the GUILD_CREATE the gateway sends when the bot joins or
// connects: the guild's roles, channels and preferred locale, and in
// its member list only the bot itself, as without the Server Members
// intent.
func (h *harness) guild(t *testing.T, ev discordtest.Event) {
	t.Helper()
	data, _ := h.srv.Payload(t, "guild_create.json", ev)
	h.srv.Dispatch(t, "GUILD_CREATE", data)
}

// answered waits for the interaction with token to be acknowledged and
// then, if the ack was deferred, for its original response to be edited
// n-1 more times (n counts the ack). It returns the interaction's calls.
func (h *harness) answered(t *testing.T, token string, cond func([]discordtest.Call) bool) []discordtest.Call {
	t.Helper()
	calls := h.srv.Wait(t, "the answer to "+token, func(c []discordtest.Call) bool {
		return cond(discordtest.For(c, token))
	})
	return discordtest.For(calls, token)
}

// finalEdit is a condition: the original response was edited with text
// that is not a streaming preview.
func finalEdit(c []discordtest.Call) bool {
	for _, x := range c {
		var b struct{ Content string }
		if x.Kind == discordtest.EditOriginal && json.Unmarshal(x.Body, &b) == nil && !isDraft(b.Content) {
			return true
		}
	}
	return false
}

// isDraft reports whether content is a streaming preview.
func isDraft(content string) bool {
	return strings.HasPrefix(content, say(retrieval.French, msgDraft)) ||
		strings.HasPrefix(content, say(retrieval.English, msgDraft))
}

func callback(c []discordtest.Call) bool { return len(discordtest.Of(c, discordtest.Callback)) > 0 }

// replies returns the channel messages that reply to message id.
func replies(calls []discordtest.Call, id string) []discordtest.Call {
	var out []discordtest.Call
	for _, c := range discordtest.Of(calls, discordtest.Message) {
		if bytes.Contains(c.Body, []byte(`"message_id":"`+id+`"`)) {
			out = append(out, c)
		}
	}
	return out
}

// checkMessages fails if a message the bot sent could ping anyone or
// breaks Discord's limits.
func checkMessages(t *testing.T, calls []discordtest.Call) {
	t.Helper()
	for _, c := range calls {
		switch c.Kind {
		case discordtest.Callback, discordtest.EditOriginal, discordtest.Followup, discordtest.FollowupEdit,
			discordtest.Message, discordtest.MessageEdit:
		default:
			continue
		}
		b := c.Decode(t)
		if c.Kind == discordtest.Callback {
			if b.Data == nil {
				continue // autocomplete and the like carry no message
			}
			if b.Type == 8 {
				continue
			}
			b = *b.Data
		}
		if !b.AllowedMentions.Blocked() {
			t.Errorf("%s %s: allowed_mentions %+v, want parse: [] (%s)", c.Kind, c.Path, b.AllowedMentions, c.Body)
		}
		if n := length(b.Content); n > MaxContent {
			t.Errorf("%s %s: content is %d long, over %d", c.Kind, c.Path, n, MaxContent)
		}
	}
}

func copyCorpus(t *testing.T, dir string) {
	t.Helper()
	err := fs.WalkDir(corpus.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(corpus.FS(), path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, filepath.Base(path)), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testIndex adapts the store to the bot, as cmd/citebot's serve does.
type testIndex struct {
	db   *store.DB
	fsys fs.FS
}

func (x *testIndex) Paragraph(ctx context.Context, file string, n int) (retrieval.Passage, error) {
	p, err := x.db.Paragraph(ctx, file, n)
	if errors.Is(err, store.ErrNotFound) {
		return p, fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return p, err
}

func (x *testIndex) Articles(ctx context.Context, sub string, limit int) ([]Article, error) {
	docs, err := x.db.Documents(ctx, sub, limit)
	out := make([]Article, len(docs))
	for i, d := range docs {
		out[i] = Article{File: d.Path, Title: d.Title}
	}
	return out, err
}

func (x *testIndex) Stats(ctx context.Context) (Stats, error) {
	st, err := x.db.Stats(ctx)
	return Stats{Documents: st.Documents, Paragraphs: st.Paragraphs, ReloadedAt: st.ReloadedAt}, err
}

func (x *testIndex) Reload(ctx context.Context) (Report, error) {
	rep, err := x.db.Reload(ctx, x.fsys, nil)
	if errors.Is(err, store.ErrReloadRunning) {
		return Report{}, fmt.Errorf("%w: %w", ErrReloadRunning, err)
	}
	out := Report{Added: rep.Added, Changed: rep.Changed, Removed: rep.Removed, Unchanged: rep.Unchanged,
		Paragraphs: rep.Paragraphs, ParagraphsAdded: rep.ParagraphsAdded, ParagraphsRemoved: rep.ParagraphsRemoved,
		Duration: rep.Duration}
	for _, s := range rep.Skipped {
		out.Skipped = append(out.Skipped, Skip{Path: s.Path, Reason: s.Reason})
	}
	return out, err
}

// syncBuffer is a log destination safe for concurrent writers, which
// tests can wait on.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{} // closed and replaced on every write
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// until blocks until cond holds for the calls the loopback Discord has
// recorded and the bot's log together.
func (h *harness) until(t testing.TB, what string, cond func(calls []discordtest.Call, log string) bool) {
	t.Helper()
	deadline := time.NewTimer(discordtest.WaitTimeout)
	defer deadline.Stop()
	for {
		calls := h.srv.Changed()
		h.logs.mu.Lock()
		if h.logs.changed == nil {
			h.logs.changed = make(chan struct{})
		}
		logs := h.logs.changed
		h.logs.mu.Unlock()
		if cond(h.srv.Calls(), h.logs.String()) {
			return
		}
		select {
		case <-calls:
		case <-logs:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; calls:\n%v\nlog:\n%s", what, len(h.srv.Calls()), h.logs)
		}
	}
}

// wait blocks until cond holds for the log, or fails the test after
// discordtest.WaitTimeout.
func (s *syncBuffer) wait(t testing.TB, what string, cond func(log string) bool) string {
	t.Helper()
	deadline := time.NewTimer(discordtest.WaitTimeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		log := s.b.String()
		if s.changed == nil {
			s.changed = make(chan struct{})
		}
		changed := s.changed
		s.mu.Unlock()
		if cond(log) {
			return log
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s in the log:\n%s", what, log)
			return ""
		}
	}
}

// fakeAnswer is an Answerer that writes a given answer, streaming it in
// a few steps; if release is set it waits for it (or ctx) first.
type fakeAnswer struct {
	ans     answer.Answer
	release chan struct{}
	started chan struct{} // closed when the first question arrives, if set
	once    sync.Once
}

func (f *fakeAnswer) AskStream(ctx context.Context, q string, onText func(string)) (answer.Answer, error) {
	if f.started != nil {
		f.once.Do(func() { close(f.started) })
	}
	text := f.ans.Text
	for _, n := range []int{len(text) / 3, 2 * len(text) / 3} {
		onText(text[:n])
	}
	if f.release != nil {
		select {
		case <-f.release:
		case <-ctx.Done():
			return answer.Answer{}, ctx.Err()
		}
	}
	a := f.ans
	a.Question = q
	return a, nil
}

// stepAnswer is an Answerer that streams its answer step bytes at a time.
type stepAnswer struct {
	ans  answer.Answer
	step int
}

func (s *stepAnswer) AskStream(ctx context.Context, q string, onText func(string)) (answer.Answer, error) {
	for n := s.step; n < len(s.ans.Text); n += s.step {
		onText(s.ans.Text[:n])
	}
	a := s.ans
	a.Question = q
	return a, nil
}
