package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"citebot/usage"
)

// The question log lives in a SQLite file of its own, not in the index:
// the index is derived from the corpus and may be deleted and rebuilt at
// any time (index --rebuild, a new schema version, damage), while the
// log is the only record of what people asked.
const (
	// logApplicationID marks a SQLite file as a citebot question log ("CILG").
	logApplicationID = 0x43494C47
	// logSchemaVersion is bumped whenever log.sql changes.
	logSchemaVersion = 1
	// pruneEvery is how often Record deletes what is past retention.
	pruneEvery = time.Hour
)

//go:embed log.sql
var logSQL string

// LogOptions configure a Log.
type LogOptions struct {
	// Days is how long questions are kept; older ones, with their votes,
	// are deleted as new ones come in. 0 keeps them forever.
	Days int
	// Key is the secret of the keyed hash of user ids. Empty: a random
	// key kept in the log file itself.
	Key string
	Now func() time.Time // nil for time.Now
}

// Log is the question log: what was asked, what became of it, and the
// votes on the answers.
type Log struct {
	db   *sql.DB
	key  []byte
	days int
	now  func() time.Time

	mu       sync.Mutex
	prunedAt time.Time
}

// OpenLog opens the question log at path, creating it if needed, and
// deletes what is past retention.
func OpenLog(ctx context.Context, path string, opts LogOptions) (*Log, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open log %s: %w", path, err)
	}
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", strconv.Itoa(int(busyWait.Milliseconds())))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite3", dsn(abs, q))
	if err != nil {
		return nil, fmt.Errorf("open log %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer; the log is small and writes are short
	if opts.Now == nil {
		opts.Now = time.Now
	}
	l := &Log{db: db, days: opts.Days, now: opts.Now}
	if err := l.init(ctx, opts.Key); err != nil {
		db.Close()
		return nil, fmt.Errorf("open log %s: %w", path, err)
	}
	if err := l.prune(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open log %s: %w", path, err)
	}
	return l, nil
}

// Close closes the log.
func (l *Log) Close() error { return l.db.Close() }

func (l *Log) init(ctx context.Context, key string) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer tx.Rollback()
	var app, version, tables int
	if err := tx.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); err != nil {
		return translate(err)
	}
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return translate(err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return translate(err)
	}
	switch {
	case app == 0 && tables == 0:
		if _, err := tx.ExecContext(ctx, logSQL); err != nil {
			return fmt.Errorf("create log schema: %w", translate(err))
		}
		pragmas := fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", logApplicationID, logSchemaVersion)
		if _, err := tx.ExecContext(ctx, pragmas); err != nil {
			return fmt.Errorf("create log schema: %w", translate(err))
		}
	case app != logApplicationID:
		return fmt.Errorf("%w: not a citebot question log", ErrForeignDB)
	case version > logSchemaVersion:
		return fmt.Errorf("the question log was written by a newer citebot (version %d)", version)
	}
	if l.key, err = logKey(ctx, tx, key); err != nil {
		return err
	}
	return translate(tx.Commit())
}

// logKey is the hash key: the one given, or the log's own, made on first
// use.
func logKey(ctx context.Context, tx *sql.Tx, given string) ([]byte, error) {
	if given != "" {
		return []byte(given), nil
	}
	var key []byte
	err := tx.QueryRowContext(ctx, "SELECT value FROM log_meta WHERE key = 'hash_key'").Scan(&key)
	if err == nil {
		return key, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, translate(err)
	}
	key = make([]byte, 32)
	rand.Read(key)
	if _, err := tx.ExecContext(ctx, "INSERT INTO log_meta (key, value) VALUES ('hash_key', ?)", key); err != nil {
		return nil, translate(err)
	}
	return key, nil
}

// hash is a user id as the log keeps it: HMAC-SHA-256 under the log's
// key, cut to 128 bits. Empty stays empty.
func (l *Log) hash(user string) string {
	if user == "" {
		return ""
	}
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(user))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Record adds a question to the log. q.User is hashed before it is
// stored.
func (l *Log) Record(ctx context.Context, q usage.Question) error {
	if err := l.maybePrune(ctx); err != nil {
		return err
	}
	if q.At.IsZero() {
		q.At = l.now()
	}
	cited, err := json.Marshal(orEmpty(q.Cited))
	if err != nil {
		return fmt.Errorf("record question %s: %w", q.Ref, err)
	}
	_, err = l.db.ExecContext(ctx, `INSERT INTO questions (ref, at, surface, outcome, user_hash, guild_id,
		channel_id, message_id, text, lang, mode, grounded, fallback, cited, latency_us)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (ref) DO NOTHING`,
		q.Ref, q.At.UnixMilli(), string(q.Surface), string(q.Outcome), l.hash(q.User), q.GuildID,
		q.ChannelID, q.MessageID, q.Text, q.Lang, q.Mode, q.Grounded, q.Fallback, string(cited),
		q.Latency.Microseconds())
	if err != nil {
		return fmt.Errorf("record question %s: %w", q.Ref, translate(err))
	}
	return nil
}

func orEmpty(cs []usage.Cited) []usage.Cited {
	if cs == nil {
		return []usage.Cited{}
	}
	return cs
}

// Vote records a user's vote on an answer named by its reference or by
// the bot's reply message, replacing the user's earlier vote; a Value of
// 0 withdraws it. It returns an error wrapping ErrNotFound for an answer
// the log does not hold (pruned, or asked while the log was off).
func (l *Log) Vote(ctx context.Context, v usage.Vote) error {
	if v.At.IsZero() {
		v.At = l.now()
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("vote: %w", translate(err))
	}
	defer tx.Rollback()
	ref, err := l.resolve(ctx, tx, v)
	if err != nil {
		return err
	}
	user := l.hash(v.User)
	if v.Value == 0 {
		_, err = tx.ExecContext(ctx, "DELETE FROM votes WHERE ref = ? AND user_hash = ?", ref, user)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO votes (ref, user_hash, value, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (ref, user_hash) DO UPDATE SET value = excluded.value, at = excluded.at`,
			ref, user, sign(v.Value), v.At.UnixMilli())
	}
	if err != nil {
		return fmt.Errorf("vote on %s: %w", ref, translate(err))
	}
	return translate(tx.Commit())
}

func sign(n int) int {
	if n < 0 {
		return -1
	}
	return 1
}

// resolve finds the reference of the question a vote is about.
func (l *Log) resolve(ctx context.Context, tx *sql.Tx, v usage.Vote) (string, error) {
	var ref string
	var err error
	switch {
	case v.Ref != "":
		err = tx.QueryRowContext(ctx, "SELECT ref FROM questions WHERE ref = ?", v.Ref).Scan(&ref)
	case v.MessageID != "":
		err = tx.QueryRowContext(ctx, "SELECT ref FROM questions WHERE message_id = ?", v.MessageID).Scan(&ref)
	default:
		return "", fmt.Errorf("vote: no answer named: %w", ErrNotFound)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("vote on %s%s: %w", v.Ref, v.MessageID, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("vote: %w", translate(err))
	}
	return ref, nil
}

// Questions returns the questions asked since then, oldest first, with
// their votes counted. User holds the hash.
func (l *Log) Questions(ctx context.Context, since time.Time) ([]usage.Question, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT q.ref, q.at, q.surface, q.outcome, q.user_hash, q.guild_id,
		q.channel_id, q.message_id, q.text, q.lang, q.mode, q.grounded, q.fallback, q.cited, q.latency_us,
		coalesce(sum(v.value = 1), 0), coalesce(sum(v.value = -1), 0)
		FROM questions q LEFT JOIN votes v ON v.ref = q.ref
		WHERE q.at >= ? GROUP BY q.ref ORDER BY q.at, q.ref`, since.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("read questions: %w", translate(err))
	}
	defer rows.Close()
	var out []usage.Question
	for rows.Next() {
		var q usage.Question
		var at, lat int64
		var surface, outcome, cited string
		if err := rows.Scan(&q.Ref, &at, &surface, &outcome, &q.User, &q.GuildID, &q.ChannelID, &q.MessageID,
			&q.Text, &q.Lang, &q.Mode, &q.Grounded, &q.Fallback, &cited, &lat, &q.Up, &q.Down); err != nil {
			return nil, fmt.Errorf("read questions: %w", translate(err))
		}
		q.At, q.Latency = time.UnixMilli(at), time.Duration(lat)*time.Microsecond
		q.Surface, q.Outcome = usage.Surface(surface), usage.Outcome(outcome)
		if err := json.Unmarshal([]byte(cited), &q.Cited); err != nil {
			return nil, fmt.Errorf("read question %s: cited paragraphs: %w", q.Ref, err)
		}
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read questions: %w", translate(err))
	}
	return out, nil
}

// maybePrune prunes when the last pruning is older than pruneEvery.
func (l *Log) maybePrune(ctx context.Context) error {
	l.mu.Lock()
	due := l.now().Sub(l.prunedAt) >= pruneEvery
	l.mu.Unlock()
	if !due {
		return nil
	}
	return l.prune(ctx)
}

// prune deletes the questions past retention, and their votes.
func (l *Log) prune(ctx context.Context) error {
	now := l.now()
	l.mu.Lock()
	l.prunedAt = now
	l.mu.Unlock()
	if l.days <= 0 {
		return nil
	}
	cut := now.AddDate(0, 0, -l.days)
	if _, err := l.db.ExecContext(ctx, "DELETE FROM questions WHERE at < ?", cut.UnixMilli()); err != nil {
		return fmt.Errorf("prune the question log: %w", translate(err))
	}
	return nil
}
