// Package store keeps the corpus index in SQLite: schema, ingest, reload
// and FTS5 queries. It implements retrieval.Index.
package store

import (
	"bytes"
	"context"
	"database/sql"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"citebot/retrieval"

	"github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

const (
	// applicationID marks a SQLite file as a citebot index ("CITE").
	applicationID = 0x43495445
	// schemaVersion is bumped whenever schema.sql changes, or the
	// analyser turns the same text into other index terms (5: dotted
	// acronyms and single letters are words; 6: the corpus an index belongs
	// to, its folders and the files it skipped; 7: each article's title,
	// date, source and address; 8: conversations, kept across rebuilds;
	// 9: each paragraph's document and number in the FTS5 table; 10:
	// times of day written one way, "18h00"), so older indexes are
	// rebuilt.
	schemaVersion = 10
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
	// ErrDamaged means SQLite found the index file corrupt.
	ErrDamaged = errors.New("the index is damaged")
	// ErrBusy means another process is writing the index.
	ErrBusy = errors.New("the index is being written by another process")
	// ErrReadOnly means the index can be read but not written.
	ErrReadOnly = errors.New("the index is read-only")
	// ErrInterrupted means a reload was cancelled and rolled back.
	ErrInterrupted = errors.New("interrupted, the previous index is intact")
)

//go:embed schema.sql
var schemaSQL string

// DB is an open citebot index. Readers use their own pool of connections
// and deferred transactions, so they never wait for a writer: in WAL mode
// they see the last committed index. Writes go through one connection that
// begins its transactions IMMEDIATE, so two writers queue at BEGIN rather
// than failing halfway.
type DB struct {
	path     string
	sql      *sql.DB // readers
	w        *sql.DB // the writer; nil when the index is read-only
	an       *retrieval.Analyzer
	reloadMu sync.Mutex // one reload at a time in this process
	terms    termCache  // term statistics between searches
}

var _ retrieval.Index = (*DB)(nil)

// busyWait is how long a writer waits for another one before ErrBusy.
const busyWait = 5 * time.Second

// Open opens the index at path, a file name (never read as a URI),
// creating it if needed. An index of an older schema is emptied and
// recreated (it is derived from the corpus); a database that is not a
// citebot index is refused. An index the process may not write (a
// read-only file or file system) is opened read-only: it answers searches
// and refuses reloads with ErrReadOnly.
func Open(ctx context.Context, path string, an *retrieval.Analyzer) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	d := &DB{path: path, an: an}
	if writable(abs) {
		err = d.openWritable(abs)
	} else {
		err = d.openReadOnly(ctx, abs)
	}
	if err == nil {
		err = d.init(ctx)
	}
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return d, nil
}

// dsn is the URI of the database file at abs with the driver's and
// SQLite's options: the path is escaped, so '#', '?' and '%' in a file
// name stay part of the name.
func dsn(abs string, opts url.Values) string {
	u := url.URL{Scheme: "file", OmitHost: true, Path: abs, RawQuery: opts.Encode()}
	return u.String()
}

func (d *DB) openWritable(abs string) error {
	common := url.Values{}
	common.Set("_foreign_keys", "on")
	common.Set("_busy_timeout", strconv.Itoa(int(busyWait.Milliseconds())))
	common.Set("_synchronous", "NORMAL")
	common.Set("_cache_size", "-65536")
	var err error
	if d.sql, err = sql.Open("sqlite3", dsn(abs, common)); err != nil {
		return err
	}
	wopts := maps.Clone(common)
	wopts.Set("_journal_mode", "WAL")
	wopts.Set("_txlock", "immediate")
	if d.w, err = sql.Open("sqlite3", dsn(abs, wopts)); err != nil {
		return err
	}
	d.w.SetMaxOpenConns(1)
	return nil
}

// openReadOnly opens the index for reading only. A WAL database needs its
// shared-memory file; where that cannot be created either (a read-only
// folder), the file is opened as immutable, which is what it is.
func (d *DB) openReadOnly(ctx context.Context, abs string) error {
	if _, err := os.Stat(abs); err != nil {
		return fmt.Errorf("cannot create the index here: %w", err)
	}
	opts := url.Values{}
	opts.Set("mode", "ro")
	opts.Set("_foreign_keys", "on")
	opts.Set("_busy_timeout", strconv.Itoa(int(busyWait.Milliseconds())))
	var err error
	if d.sql, err = sql.Open("sqlite3", dsn(abs, opts)); err != nil {
		return err
	}
	if err = d.sql.PingContext(ctx); err == nil {
		if _, err = d.sql.ExecContext(ctx, "SELECT count(*) FROM sqlite_schema"); err == nil {
			return nil
		}
	}
	d.sql.Close()
	opts.Set("immutable", "1")
	d.sql, err = sql.Open("sqlite3", dsn(abs, opts))
	return err
}

// writable reports whether this process may write the database at abs and
// the journal files beside it.
func writable(abs string) bool {
	dir := filepath.Dir(abs)
	if _, err := os.Stat(abs); errors.Is(err, fs.ErrNotExist) {
		return syscall.Access(dir, unixWOK) == nil
	}
	f, err := os.OpenFile(abs, os.O_RDWR, 0)
	if err != nil {
		return !errors.Is(err, fs.ErrPermission) && !errors.Is(err, syscall.EROFS)
	}
	f.Close()
	return syscall.Access(dir, unixWOK) == nil
}

// unixWOK is access(2)'s W_OK.
const unixWOK = 0x2

// ReadOnly reports whether the index was opened read-only.
func (d *DB) ReadOnly() bool { return d.w == nil }

// Path is the index file as given to Open.
func (d *DB) Path() string { return d.path }

// Close closes the database.
func (d *DB) Close() error {
	d.terms.close()
	var errs []error
	if d.w != nil {
		errs = append(errs, d.w.Close())
	}
	if d.sql != nil {
		errs = append(errs, d.sql.Close())
	}
	return errors.Join(errs...)
}

// schemaState is what a database file holds.
type schemaState int

const (
	schemaCurrent schemaState = iota
	schemaEmpty               // a new file
	schemaOld                 // a citebot index of another version
	schemaForeign             // another application's database
)

func readSchemaState(ctx context.Context, tx *sql.Tx) (schemaState, error) {
	var app, version, tables int
	if err := tx.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); err != nil {
		return 0, translate(err)
	}
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, translate(err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return 0, translate(err)
	}
	switch {
	case app == applicationID && version == schemaVersion:
		return schemaCurrent, nil
	case app == applicationID:
		return schemaOld, nil
	case tables > 0 || app != 0:
		return schemaForeign, nil
	}
	return schemaEmpty, nil
}

// init checks the schema with a read transaction, and only when the file
// is new or of an older version takes the write lock to create it.
func (d *DB) init(ctx context.Context) error {
	d.terms.db = d.sql // the readers, as opened for good
	var fts5 bool
	if err := d.sql.QueryRowContext(ctx, "SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&fts5); err != nil {
		return translate(err)
	}
	if !fts5 {
		return ErrNoFTS5
	}
	st, err := d.readState(ctx)
	if err != nil || st == schemaCurrent {
		return err
	}
	if st == schemaForeign {
		return ErrForeignDB
	}
	if d.w == nil {
		return fmt.Errorf("%w: it was built by another version of citebot and cannot be rebuilt", ErrReadOnly)
	}
	tx, done, err := d.begin(ctx, syncWait)
	if err != nil {
		return err
	}
	defer done()
	defer tx.Rollback()
	// Checked again under the lock: another process may have done it.
	if st, err = readSchemaState(ctx, tx); err != nil || st == schemaCurrent {
		return err
	}
	if st == schemaForeign {
		return ErrForeignDB
	}
	if err := recreateSchema(ctx, tx); err != nil {
		return err
	}
	return translate(tx.Commit())
}

// readState reads the schema state in a read transaction.
func (d *DB) readState(ctx context.Context) (schemaState, error) {
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return 0, translate(err)
	}
	defer tx.Rollback()
	return readSchemaState(ctx, tx)
}

// recreateSchema empties the index: every table is dropped and created
// again, in the caller's transaction.
func recreateSchema(ctx context.Context, tx *sql.Tx) error {
	if err := dropAll(ctx, tx); err != nil {
		return err
	}
	return createSchema(ctx, tx)
}

func createSchema(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, schemaSQL); err != nil {
		return fmt.Errorf("create schema: %w", translate(err))
	}
	if _, err := tx.ExecContext(ctx, conversationsSQL); err != nil {
		return fmt.Errorf("create conversation tables: %w", translate(err))
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
		if slices.Contains(keptTables, name) {
			continue
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
// say what to do. It is the one place that reads driver errors.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrCorrupt:
			return fmt.Errorf("%w (%v)", ErrDamaged, err)
		case sqlite3.ErrNotADB:
			return fmt.Errorf("%w: %v", ErrForeignDB, err)
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return fmt.Errorf("%w (%v)", ErrBusy, err)
		case sqlite3.ErrReadonly:
			return fmt.Errorf("%w (%v)", ErrReadOnly, err)
		case sqlite3.ErrInterrupt:
			return fmt.Errorf("%w (%v)", context.Canceled, err)
		}
	}
	if strings.Contains(err.Error(), "no such module: fts5") {
		return fmt.Errorf("%w (%v)", ErrNoFTS5, err)
	}
	return err
}

// Delete removes the index file at path and its journal files, so that it
// can be built again. It refuses a file that does not say it is a citebot
// index: a damaged index still carries its application id in its header.
func Delete(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("delete index %s: %w", path, err)
	}
	var header [100]byte
	_, err = io.ReadFull(f, header[:])
	f.Close()
	if err != nil || !bytes.HasPrefix(header[:], []byte("SQLite format 3\x00")) ||
		binary.BigEndian.Uint32(header[68:72]) != applicationID {
		return fmt.Errorf("delete index %s: %w", path, ErrForeignDB)
	}
	for _, p := range []string{path + "-wal", path + "-shm", path} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("delete index %s: %w", path, err)
		}
	}
	return nil
}
