package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"citebot/usage"
)

func openTestLog(t testing.TB, path string, opts LogOptions) *Log {
	t.Helper()
	l, err := OpenLog(t.Context(), path, opts)
	if err != nil {
		t.Fatalf("OpenLog: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestLogRecordAndVotes(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log.db")
	l := openTestLog(t, path, LogOptions{Days: 30})
	ctx := t.Context()
	q := usage.Question{Ref: "r1", Surface: usage.Chat, Outcome: usage.Answered, User: "1200000000000000003",
		GuildID: "g", ChannelID: "c", MessageID: "m1", Text: "Qui ?", Lang: "fr", Mode: "extractive", Grounded: true,
		Cited: []usage.Cited{{File: "a.txt", Paragraph: 2}}, Latency: 1500 * time.Microsecond}
	if err := l.Record(ctx, q); err != nil {
		t.Fatal(err)
	}
	if err := l.Record(ctx, usage.Question{Ref: "r2", Surface: usage.Slash, Outcome: usage.Refused, Text: "Quoi ?"}); err != nil {
		t.Fatal(err)
	}
	votes := []usage.Vote{
		{Ref: "r1", User: "u1", Value: 1},
		{Ref: "r1", User: "u1", Value: -1}, // changed
		{MessageID: "m1", User: "u2", Value: -1},
		{Ref: "r1", User: "u3", Value: 1},
		{Ref: "r1", User: "u3", Value: 0}, // withdrawn
	}
	for _, v := range votes {
		if err := l.Vote(ctx, v); err != nil {
			t.Fatalf("vote %+v: %v", v, err)
		}
	}
	if err := l.Vote(ctx, usage.Vote{Ref: "nope", User: "u1", Value: 1}); !errors.Is(err, ErrNotFound) {
		t.Errorf("vote on an unknown answer: %v, want ErrNotFound", err)
	}
	qs, err := l.Questions(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 {
		t.Fatalf("%d questions, want 2", len(qs))
	}
	got := qs[0]
	if got.Up != 0 || got.Down != 2 {
		t.Errorf("votes on r1: %d up %d down, want 0 and 2 (one changed, one withdrawn)", got.Up, got.Down)
	}
	if got.User == q.User || len(got.User) != 32 || strings.Contains(got.User, "1200000000000000003") {
		t.Errorf("user stored as %q, want a keyed hash", got.User)
	}
	if got.Text != q.Text || got.Latency != q.Latency || len(got.Cited) != 1 || got.Cited[0] != q.Cited[0] ||
		!got.Grounded || got.Mode != "extractive" || got.MessageID != "m1" {
		t.Errorf("read back %+v, want %+v", got, q)
	}
}

// TestLogHashKey: the same user hashes alike across openings of a log
// that keeps its own key, and differently under another key.
func TestLogHashKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	hashOf := func(path, key string) string {
		l, err := OpenLog(t.Context(), path, LogOptions{Key: key})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.hash("42")
	}
	a, b := hashOf(filepath.Join(dir, "a.db"), ""), hashOf(filepath.Join(dir, "a.db"), "")
	c := hashOf(filepath.Join(dir, "b.db"), "")
	d := hashOf(filepath.Join(dir, "a.db"), "secret")
	if a != b || a == c || a == d {
		t.Errorf("hashes: same log %q %q, other log %q, given key %q", a, b, c, d)
	}
}

func TestLogRetention(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	path := filepath.Join(t.TempDir(), "log.db")
	l := openTestLog(t, path, LogOptions{Days: 30, Now: clock})
	ctx := t.Context()
	for i, age := range []time.Duration{40 * 24 * time.Hour, 29 * 24 * time.Hour, 0} {
		ref := string(rune('a' + i))
		if err := l.Record(ctx, usage.Question{Ref: ref, At: now.Add(-age), Text: "q", Surface: usage.Slash, Outcome: usage.Refused}); err != nil {
			t.Fatal(err)
		}
		if err := l.Vote(ctx, usage.Vote{Ref: ref, User: "u", Value: -1}); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(2 * time.Hour) // the next Record prunes
	if err := l.Record(ctx, usage.Question{Ref: "d", Text: "q", Surface: usage.Slash, Outcome: usage.Refused}); err != nil {
		t.Fatal(err)
	}
	qs, err := l.Questions(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var refs string
	for _, q := range qs {
		refs += q.Ref
	}
	if refs != "bcd" {
		t.Errorf("after pruning: %q, want bcd (a is 40 days old)", refs)
	}
	var votes int
	l.db.QueryRow("SELECT count(*) FROM votes").Scan(&votes)
	if votes != 2 {
		t.Errorf("%d votes left, want 2: a pruned question's votes go with it", votes)
	}
}

// TestLogOutlivesIndexRebuild: the log is its own file, so deleting and
// rebuilding the index beside it keeps every question.
func TestLogOutlivesIndexRebuild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	idx := filepath.Join(dir, "citebot.db")
	logPath := filepath.Join(dir, "citebot-log.db")
	openDB(t, idx).Close()
	l := openTestLog(t, logPath, LogOptions{})
	if err := l.Record(t.Context(), usage.Question{Ref: "r", Text: "q", Surface: usage.CLI, Outcome: usage.Refused}); err != nil {
		t.Fatal(err)
	}
	if err := Delete(idx); err != nil {
		t.Fatal(err)
	}
	if qs, err := l.Questions(t.Context(), time.Time{}); err != nil || len(qs) != 1 {
		t.Errorf("after index --rebuild: %d questions, %v; want 1", len(qs), err)
	}
	other := filepath.Join(dir, "i2.db")
	openDB(t, other).Close()
	if _, err := OpenLog(t.Context(), other, LogOptions{}); !errors.Is(err, ErrForeignDB) {
		t.Errorf("opening an index as a log: %v, want ErrForeignDB", err)
	}
}
