package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"citebot/corpus"
)

func TestConversationTurns(t *testing.T) {
	t.Parallel()
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	ctx := t.Context()
	t0 := time.Date(2025, 1, 7, 10, 0, 0, 0, time.UTC)
	for i := range 5 {
		turn := Turn{Question: fmt.Sprintf("q%d", i+1), Answer: "a", At: t0.Add(time.Duration(i) * time.Minute),
			Cited: []Cited{{File: "x.txt", Paragraph: i + 1}}}
		if err := db.AddTurn(ctx, "alice", turn, 3, t0.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddTurn(ctx, "bob", Turn{Question: "b1", Answer: "a", At: t0}, 3, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		conv  string
		limit int
		since time.Time
		want  []string
	}{
		{"bounded in turns, oldest first", "alice", 10, t0.Add(-time.Hour), []string{"q3", "q4", "q5"}},
		{"limit keeps the latest", "alice", 2, t0.Add(-time.Hour), []string{"q4", "q5"}},
		{"bounded in age", "alice", 10, t0.Add(3*time.Minute + time.Second), []string{"q5"}},
		{"conversations apart", "bob", 10, t0.Add(-time.Hour), []string{"b1"}},
		{"unknown conversation", "carol", 10, t0.Add(-time.Hour), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ts, err := db.Turns(ctx, tc.conv, tc.limit, tc.since)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, turn := range ts {
				got = append(got, turn.Question)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("Turns = %v, want %v", got, tc.want)
			}
		})
	}
	ts, _ := db.Turns(ctx, "alice", 1, t0.Add(-time.Hour))
	if len(ts) != 1 || ts[0].N != 5 || len(ts[0].Cited) != 1 || ts[0].Cited[0].Paragraph != 5 {
		t.Errorf("last turn = %+v, want turn 5 citing ¶5", ts)
	}
	// A turn a day later forgets the idle conversations.
	if err := db.AddTurn(ctx, "bob", Turn{Question: "b2", Answer: "a", At: t0.Add(24 * time.Hour)}, 3, t0.Add(23*time.Hour)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM conversation_turns").Scan(&n); err != nil || n != 1 {
		t.Errorf("%d turns left after forgetting (err %v), want 1", n, err)
	}
}

func TestConversationLinks(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "i.db")
	db := openDB(t, path)
	ctx := t.Context()
	now := time.Now()
	if _, err := db.Linked(ctx, "m1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown link: err %v, want ErrNotFound", err)
	}
	if err := db.Link(ctx, "m0", "conv-old", now.Add(-2*time.Hour), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Link(ctx, "m1", "conv-a", now, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Linked(ctx, "m0"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a link older than the forget time: err %v, want ErrNotFound", err)
	}
	if err := db.AddTurn(ctx, "conv-a", Turn{Question: "q", Answer: "a", At: now}, 3, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	// A rebuild of the index keeps the conversations.
	if _, err := db.Sync(ctx, Source{Name: Shipped, FS: corpus.FS()}, SyncOptions{Rebuild: true}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openDB(t, path)
	if conv, err := db.Linked(ctx, "m1"); err != nil || conv != "conv-a" {
		t.Errorf("after a rebuild and a restart, m1 -> %q (%v), want conv-a", conv, err)
	}
	if ts, err := db.Turns(ctx, "conv-a", 5, now.Add(-time.Hour)); err != nil || len(ts) != 1 {
		t.Errorf("after a rebuild and a restart, %d turns (%v), want 1", len(ts), err)
	}
}

// A write given a deadline stops waiting for another writer at the
// deadline, not after SQLite's own minute.
func TestAddTurnWaitsNoLongerThanItsContext(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "index.db")
	db := openDB(t, path)
	other, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("INSERT INTO meta(key, value) VALUES('held', 'by another process')"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	err = db.AddTurn(ctx, "c", Turn{Question: "q", At: time.Now()}, 6, time.Time{})
	if !errors.Is(err, ErrBusy) {
		t.Errorf("AddTurn while another connection writes: %v, want ErrBusy", err)
	}
	if waited := time.Since(began); waited > 3*time.Second {
		t.Errorf("AddTurn waited %v, want about its context's 300ms", waited)
	}
}
