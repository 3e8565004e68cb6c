package store

import (
	"testing"

	"citebot/internal/depcheck"
)

// store owns SQLite and nothing above it.
func TestDeps(t *testing.T) {
	depcheck.Forbid(t, "github.com/bwmarrin/discordgo", "github.com/sashabaranov/go-openai",
		"citebot/answer", "citebot/bot", "citebot/prompts")
}
