//go:build !sqlite_fts5

package store

// Without the sqlite_fts5 build tag, go-sqlite3 lacks FTS5 and every query
// would fail deep inside SQLite with "no such module: fts5". Failing the
// build instead names the fix:
var _ = build_with_tags_sqlite_fts5 // go build -tags sqlite_fts5 ./...
