package bot

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the bot an edge: it reaches the index through its own
// interfaces, never the store or SQLite, and knows nothing of the CLI.
func TestDeps(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-tags", "sqlite_fts5", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"citebot/store", "citebot/cmd/", "github.com/mattn/go-sqlite3", "citebot/internal/discordtest", "github.com/prometheus"} {
			if dep == bad || strings.HasPrefix(dep, bad) {
				t.Errorf("bot depends on %s", dep)
			}
		}
	}
}
