package usage

import (
	"testing"

	"citebot/internal/depcheck"
)

// usage is data and arithmetic that store, bot and cmd share: it knows
// none of them, nor SQLite, Discord or Prometheus.
func TestDeps(t *testing.T) {
	depcheck.Forbid(t, "citebot/store", "citebot/bot", "citebot/answer", "citebot/cmd", "citebot/retrieval",
		"github.com/mattn/go-sqlite3", "github.com/bwmarrin/discordgo", "github.com/prometheus")
}
