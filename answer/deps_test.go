package answer

import (
	"testing"

	"citebot/internal/depcheck"
)

// answer is shared by the CLI and the bot: nothing Discord-specific, and
// it reaches the index only through retrieval.
func TestDeps(t *testing.T) {
	depcheck.Forbid(t, "github.com/bwmarrin/discordgo", "github.com/mattn/go-sqlite3", "citebot/bot", "citebot/store",
		"github.com/prometheus")
}
