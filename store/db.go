// Package store keeps the corpus index in SQLite: schema, ingest, reload
// and FTS5 queries. It implements retrieval.Index.
package store

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"citebot/retrieval"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

const (
	// applicationID marks a SQLite file as a citebot index ("CITE").
	applicationID = 0x43495445
	// schemaVersion is bumped whenever schema.sql changes, or the
	// analyser turns the same text into other index terms (5: dotted
	// acronyms and single letters are words), so older indexes are rebuilt.
	schemaVersion = 5
)

var (
	// ErrNoFTS5 means the binary was built without FTS5.
	ErrNoFTS5 = errors.New("SQLite was built without FTS5: build citebot with -tags sqlite_fts5")
	// ErrForeignDB means the file is a SQLite database that citebot did not create.
	ErrForeignDB = errors.New("not a citebot index (refusing to modify another application's database)")
	// ErrReloadRunning means another reload holds the index.
	ErrReloadRunning = errors.New("a reload is already running")
	// ErrNotFound means no such file or paragraph in the index.
	ErrNotFound = errors.New("not found in the index")
)

//go:embed schema.sql
var schemaSQL string

// DB is an open citebot index.
type DB struct {
	sql      *sql.DB
	an       *retrieval.Analyzer
	reloadMu sync.Mutex // one reload at a time in this process
}

var _ retrieval.Index = (*DB)(nil)

// Open opens the index at path, creating it if needed. An index of an
// older schema is emptied and recreated (it is derived from the corpus);
// a database that is not a citebot index is refused.
func Open(ctx context.Context, path string, an *retrieval.Analyzer) (*DB, error) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "5000")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	q.Set("_cache_size", "-65536")
	sqlDB, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	d := &DB{sql: sqlDB, an: an}
	if err := d.init(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.sql.Close() }

func (d *DB) init(ctx context.Context) error {
	var fts5 bool
	if err := d.sql.QueryRowContext(ctx, "SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&fts5); err != nil {
		return translate(err)
	}
	if !fts5 {
		return ErrNoFTS5
	}
	tx, err := d.sql.BeginTx(ctx, nil)
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
	case app == applicationID && version == schemaVersion:
		return nil
	case app == applicationID:
		if err := dropAll(ctx, tx); err != nil {
			return err
		}
	case tables > 0 || app != 0:
		return ErrForeignDB
	}
	if err := createSchema(ctx, tx); err != nil {
		return err
	}
	return translate(tx.Commit())
}

func createSchema(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, schemaSQL); err != nil {
		return fmt.Errorf("create schema: %w", translate(err))
	}
	pragmas := fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", applicationID, schemaVersion)
	if _, err := tx.ExecContext(ctx, pragmas); err != nil {
		return fmt.Errorf("create schema: %w", translate(err))
	}
	return nil
}

// dropAll removes an older schema's objects so the current one can be
// created in the same transaction.
func dropAll(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
	if err != nil {
		return translate(err)
	}
	var drops []string
	for rows.Next() {
		var typ, name string
		if err := rows.Scan(&typ, &name); err != nil {
			rows.Close()
			return err
		}
		drops = append(drops, fmt.Sprintf("DROP %s IF EXISTS %q", strings.ToUpper(typ), name))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return translate(err)
	}
	for _, stmt := range drops {
		if _, err := tx.ExecContext(ctx, stmt); err != nil && !strings.Contains(err.Error(), "no such table") {
			return fmt.Errorf("drop old schema: %w", translate(err))
		}
	}
	return nil
}

// translate turns driver errors that users can act on into errors that
// say what to do. It is the one place that reads driver error text.
func translate(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "no such module: fts5"):
		return fmt.Errorf("%w (%v)", ErrNoFTS5, err)
	case strings.Contains(msg, "file is not a database"):
		return fmt.Errorf("%w: %v", ErrForeignDB, err)
	case strings.Contains(msg, "database is locked"):
		return fmt.Errorf("the index is locked by another citebot process (waited 5s): %w", err)
	}
	return err
}
