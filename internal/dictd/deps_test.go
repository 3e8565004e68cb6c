package dictd

import (
	"testing"

	"citebot/internal/depcheck"
)

// dictd reads a file format and nothing else: it knows no part of
// citebot, so that retrieval can take its translations without depending
// on it.
func TestDeps(t *testing.T) {
	depcheck.Forbid(t, "citebot/retrieval", "citebot/store", "citebot/answer", "citebot/bot",
		"citebot/prompts", "database/sql", "github.com/")
}
