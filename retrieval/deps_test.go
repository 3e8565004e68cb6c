package retrieval

import (
	"testing"

	"citebot/internal/depcheck"
)

// retrieval is the domain core: no database, Discord or model, and no
// dictionary format (it takes translations as a function).
func TestDeps(t *testing.T) {
	depcheck.Forbid(t, "database/sql", "github.com/mattn/go-sqlite3", "github.com/bwmarrin/discordgo",
		"github.com/sashabaranov/go-openai", "citebot/store", "citebot/answer", "citebot/bot", "citebot/prompts",
		"citebot/internal/dictd")
}
