package store

import (
	"os"
	"path/filepath"
	"testing"

	"citebot/corpus"
)

// A full build must not leave its write-ahead log on disk: it is as large
// as the index, and a server would keep it for as long as it runs.
func TestReloadTruncatesWAL(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "i.db")
	db := openDB(t, path)
	if _, err := db.Reload(t.Context(), corpus.FS(), nil); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() != 0 {
		t.Errorf("WAL after a full build: %d bytes, want 0", info.Size())
	}
}
