package store

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

//go:embed conversations.sql
var conversationsSQL string

// keptTables are not dropped when the index is rebuilt: they hold what
// the corpus cannot give back.
var keptTables = []string{"conversation_turns", "conversation_links"}

// Turn is one question of a conversation and what answered it.
type Turn struct {
	N          int
	Question   string
	Understood string
	Answer     string
	Cited      []Cited
	At         time.Time
}

// Cited names a paragraph an answer cited.
type Cited struct {
	File      string `json:"file"`
	Paragraph int    `json:"paragraph"`
}

// Turns returns up to limit of conversation conv's latest turns, oldest
// first, none from before since.
func (d *DB) Turns(ctx context.Context, conv string, limit int, since time.Time) ([]Turn, error) {
	rows, err := d.sql.QueryContext(ctx, `
		SELECT n, at_ns, question, understood, answer, cited FROM conversation_turns
		WHERE conversation = ? AND at_ns >= ? ORDER BY n DESC LIMIT ?`, conv, since.UnixNano(), limit)
	if err != nil {
		return nil, fmt.Errorf("turns of %s: %w", conv, translate(err))
	}
	defer rows.Close()
	var out []Turn
	for rows.Next() {
		var t Turn
		var at int64
		var cited string
		if err := rows.Scan(&t.N, &at, &t.Question, &t.Understood, &t.Answer, &cited); err != nil {
			return nil, fmt.Errorf("turns of %s: %w", conv, translate(err))
		}
		t.At = time.Unix(0, at)
		if err := json.Unmarshal([]byte(cited), &t.Cited); err != nil {
			return nil, fmt.Errorf("turns of %s: cited paragraphs: %w", conv, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("turns of %s: %w", conv, translate(err))
	}
	slices.Reverse(out)
	return out, nil
}

// AddTurn records t as a turn of conv, keeps the conversation's latest
// keep turns, and forgets every turn and link from before forget: what
// the store holds stays bounded however long the bot runs.
func (d *DB) AddTurn(ctx context.Context, conv string, t Turn, keep int, forget time.Time) error {
	tx, done, err := d.begin(ctx, syncWait)
	if err != nil {
		return fmt.Errorf("add turn to %s: %w", conv, err)
	}
	defer done()
	defer tx.Rollback()
	if err := addTurn(ctx, tx, conv, t, keep); err != nil {
		return fmt.Errorf("add turn to %s: %w", conv, err)
	}
	if err := forgetBefore(ctx, tx, forget); err != nil {
		return fmt.Errorf("add turn to %s: %w", conv, err)
	}
	return translate(tx.Commit())
}

func addTurn(ctx context.Context, tx *sql.Tx, conv string, t Turn, keep int) error {
	cited, err := json.Marshal(slices.Clip(append([]Cited{}, t.Cited...)))
	if err != nil {
		return err
	}
	if t.N <= 0 {
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(n), 0) + 1 FROM conversation_turns WHERE conversation = ?", conv).Scan(&t.N); err != nil {
			return translate(err)
		}
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO conversation_turns (conversation, n, at_ns, question, understood, answer, cited)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (conversation, n) DO UPDATE SET at_ns = excluded.at_ns, question = excluded.question,
			understood = excluded.understood, answer = excluded.answer, cited = excluded.cited`,
		conv, t.N, t.At.UnixNano(), t.Question, t.Understood, t.Answer, string(cited))
	if err != nil {
		return translate(err)
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM conversation_turns WHERE conversation = ? AND n <= ?", conv, t.N-max(keep, 1))
	return translate(err)
}

func forgetBefore(ctx context.Context, tx *sql.Tx, forget time.Time) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM conversation_turns WHERE at_ns < ?", forget.UnixNano()); err != nil {
		return translate(err)
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM conversation_links WHERE at_ns < ?", forget.UnixNano())
	return translate(err)
}

// Link records that key (a bot message's id, a thread's) continues
// conversation conv, and forgets the links made before forget (none if
// it is zero): links are made for answers that record no turn too (a
// private /ask's sources button), so turns alone cannot bound them.
func (d *DB) Link(ctx context.Context, key, conv string, at, forget time.Time) error {
	tx, done, err := d.begin(ctx, syncWait)
	if err != nil {
		return fmt.Errorf("link %s: %w", key, err)
	}
	defer done()
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO conversation_links (key, conversation, at_ns) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET conversation = excluded.conversation, at_ns = excluded.at_ns`, key, conv, at.UnixNano())
	if err != nil {
		return fmt.Errorf("link %s: %w", key, translate(err))
	}
	if !forget.IsZero() {
		if _, err := tx.ExecContext(ctx, "DELETE FROM conversation_links WHERE at_ns < ?", forget.UnixNano()); err != nil {
			return fmt.Errorf("link %s: %w", key, translate(err))
		}
	}
	return translate(tx.Commit())
}

// Linked returns the conversation key continues, or ErrNotFound.
func (d *DB) Linked(ctx context.Context, key string) (string, error) {
	var conv string
	err := d.sql.QueryRowContext(ctx, "SELECT conversation FROM conversation_links WHERE key = ?", key).Scan(&conv)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("link %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("link %s: %w", key, translate(err))
	}
	return conv, nil
}
