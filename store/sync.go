package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"time"
)

// Shipped is the Source name of the articles shipped inside citebot.
const Shipped = "shipped"

// Source is a corpus to index: its files, and the name that identifies it
// in the index (an absolute folder path, or Shipped).
type Source struct {
	Name string
	FS   fs.FS
}

// SyncOptions says how Sync may change the index.
type SyncOptions struct {
	// Rebuild replaces the index from scratch, even one built from another
	// corpus.
	Rebuild bool
	// Wait, if positive, is how long to wait for another process's writes
	// before ErrBusy (a minute otherwise).
	Wait     time.Duration
	Progress Progress
}

// wait is how long the reload waits for another writer.
func (o SyncOptions) wait() time.Duration {
	if o.Wait > 0 {
		return o.Wait
	}
	return syncWait
}

// ErrOtherCorpus is what a CorpusError is.
var ErrOtherCorpus = errors.New("the index belongs to another corpus")

// CorpusError means the index was built from another corpus than the one
// given: it is left as it is.
type CorpusError struct {
	Index string // the corpus the index belongs to
	Given string // the corpus asked for
}

func (e *CorpusError) Error() string {
	return fmt.Sprintf("the index was built from %s, not %s", describe(e.Index), describe(e.Given))
}

func (e *CorpusError) Is(target error) bool { return target == ErrOtherCorpus }

func describe(name string) string {
	if name == Shipped {
		return "the shipped articles"
	}
	return name
}

// FullCheckEvery is how long Fresh trusts folder modification times
// alone. A file edited in place changes no folder's time; a reload, which
// compares every file's size and time, is due after this long.
const FullCheckEvery = time.Minute

// Fresh reports whether the index is up to date with src as far as a cheap
// check can tell, without taking any lock: the index belongs to src and
// has been built, none of the corpus folders changed since the last
// reload (a file added, removed or renamed changes its folder), and that
// reload, which compared every file, is less than FullCheckEvery old. It
// returns a *CorpusError if the index belongs to another corpus.
func (d *DB) Fresh(ctx context.Context, src Source) (bool, error) {
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("check index: %w", translate(err))
	}
	defer tx.Rollback()
	meta, err := readMeta(ctx, tx)
	if err != nil {
		return false, fmt.Errorf("check index: %w", err)
	}
	if owner := meta["corpus"]; owner != "" && owner != src.Name {
		return false, &CorpusError{Index: owner, Given: src.Name}
	}
	checked, _ := strconv.ParseInt(meta["checked_at"], 10, 64)
	if meta["corpus"] == "" || time.Since(time.Unix(0, checked)) > FullCheckEvery {
		return false, nil
	}
	folders, err := loadFolders(ctx, tx)
	if err != nil {
		return false, fmt.Errorf("check index: %w", err)
	}
	tx.Rollback()
	if len(folders) == 0 {
		return false, nil
	}
	for _, f := range folders {
		if !f.unchanged(src.FS) {
			return false, nil
		}
	}
	return true, nil
}

// unchanged reports whether the folder is as it was listed: by its
// modification time, or when that was not trusted, by its entries' names.
func (f folder) unchanged(fsys fs.FS) bool {
	if f.mtime != 0 {
		info, err := fs.Stat(fsys, f.path)
		return err == nil && info.ModTime().UnixNano() == f.mtime
	}
	names, err := folderNames(fsys, f.path)
	return err == nil && names == f.names
}

// Sync brings the index in line with src, as Reload does, and records that
// the index belongs to src. It refuses with a *CorpusError, changing
// nothing, when the index belongs to another corpus, unless opt.Rebuild.
func (d *DB) Sync(ctx context.Context, src Source, opt SyncOptions) (Report, error) {
	rep, err := d.update(ctx, src, opt, true)
	if err == nil {
		d.truncateWAL(ctx, rep)
	}
	return rep, err
}

// claim makes the index src's, or refuses if it belongs to another corpus.
// A rebuild empties it first, in the same transaction.
func claim(ctx context.Context, tx *sql.Tx, name string, rebuild bool) error {
	if rebuild {
		if err := recreateSchema(ctx, tx); err != nil {
			return err
		}
	} else {
		var owner string
		err := tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'corpus'").Scan(&owner)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return translate(err)
		}
		if owner != "" && owner != name {
			return &CorpusError{Index: owner, Given: name}
		}
	}
	return setMeta(ctx, tx, map[string]string{"corpus": name})
}

func readMeta(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT key, value FROM meta")
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	m := make(map[string]string)
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, translate(err)
		}
		m[k] = v
	}
	return m, translate(rows.Err())
}

func setMeta(ctx context.Context, tx *sql.Tx, kv map[string]string) error {
	for k, v := range kv {
		if _, err := tx.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", k, v); err != nil {
			return fmt.Errorf("set %s: %w", k, translate(err))
		}
	}
	return nil
}

func loadFolders(ctx context.Context, tx *sql.Tx) ([]folder, error) {
	rows, err := tx.QueryContext(ctx, "SELECT path, mtime_ns, names FROM folders ORDER BY path")
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []folder
	for rows.Next() {
		var f folder
		if err := rows.Scan(&f.path, &f.mtime, &f.names); err != nil {
			return nil, translate(err)
		}
		out = append(out, f)
	}
	return out, translate(rows.Err())
}

// saveFolders records the folders as listed by a reload that began at
// began, and the time of that full check.
func saveFolders(ctx context.Context, tx *sql.Tx, folders []folder, began time.Time) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM folders"); err != nil {
		return fmt.Errorf("save folders: %w", translate(err))
	}
	for _, f := range folders {
		if _, err := tx.ExecContext(ctx, "INSERT INTO folders(path, mtime_ns, names) VALUES(?, ?, ?)",
			f.path, trustedMTime(f.mtime, began), f.names); err != nil {
			return fmt.Errorf("save folders: %w", translate(err))
		}
	}
	return setMeta(ctx, tx, map[string]string{"checked_at": strconv.FormatInt(began.UnixNano(), 10)})
}

// connGrace is how long a writer that may not wait still waits for this
// process's own writer connection.
const connGrace = 100 * time.Millisecond

// syncWait is how long a writer waits for another one: an explicit
// `citebot index` outlasts a reader's update of a few changed files.
const syncWait = time.Minute

// begin starts the writer's transaction, waiting up to wait in all for
// another writer, of this process (its one writer connection) or of
// another, and no longer than ctx's deadline: SQLite's busy wait does not
// hear of the context. done gives the connection back.
func (d *DB) begin(ctx context.Context, wait time.Duration) (tx *sql.Tx, done func(), err error) {
	if d.w == nil {
		return nil, nil, ErrReadOnly
	}
	end := time.Now().Add(wait)
	if deadline, ok := ctx.Deadline(); ok && deadline.Before(end) {
		end = deadline
	}
	// A moment's grace even without waiting: this process's other
	// writes hold the connection for milliseconds.
	connEnd := end
	if grace := time.Now().Add(connGrace); connEnd.Before(grace) {
		connEnd = grace
	}
	cctx, cancel := context.WithDeadline(ctx, connEnd)
	conn, err := d.w.Conn(cctx)
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			return nil, nil, fmt.Errorf("%w (this process's writer is busy)", ErrBusy)
		}
		return nil, nil, translate(err)
	}
	wait = max(0, time.Until(end))
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", wait.Milliseconds())); err != nil {
		conn.Close()
		return nil, nil, translate(err)
	}
	tx, err = conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, nil, translate(err)
	}
	return tx, func() { conn.Close() }, nil
}
