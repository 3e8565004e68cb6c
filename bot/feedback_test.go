package bot

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"citebot/retrieval"
)

func TestVoteID(t *testing.T) {
	t.Parallel()
	for _, v := range []int{1, -1} {
		id := voteID(v, "1a2b3c4d")
		got, ref, ok := parseVoteID(id)
		if !ok || got != v || ref != "1a2b3c4d" || !isVoteButton(id) || isSourcesButton(id) {
			t.Errorf("voteID(%d) = %q parses as %d %q %v", v, id, got, ref, ok)
		}
	}
	for _, bad := range []string{"citebot:vote:", "citebot:vote:+", "citebot:vote:*:r", "citebot:vote:+r", "citebot:sources:1:1:a"} {
		if _, _, ok := parseVoteID(bad); ok {
			t.Errorf("parseVoteID(%q) accepted", bad)
		}
	}
}

// TestWithVotes: the vote buttons join the "Show sources" row of the
// last part, and every row and custom_id stays within Discord's limits.
func TestWithVotes(t *testing.T) {
	t.Parallel()
	sources := strings.Repeat("s", maxCustomID)
	full := discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{CustomID: "a"}, discordgo.Button{CustomID: "b"}, discordgo.Button{CustomID: "c"}, discordgo.Button{CustomID: "d"}}}
	for _, tc := range []struct {
		name       string
		parts      []part
		rows, last int // rows on the last part, buttons in its last row
	}{
		{"answer with sources", []part{{Content: "a"}, {Content: "b", Components: sourcesButton(retrieval.French, sources)}}, 1, 3},
		{"refusal", []part{{Content: "a"}}, 1, 2},
		{"full row", []part{{Content: "a", Components: []discordgo.MessageComponent{full}}}, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := withVotes(tc.parts, retrieval.French, newRef())
			comps := parts[len(parts)-1].Components
			if len(comps) != tc.rows {
				t.Fatalf("%d rows, want %d", len(comps), tc.rows)
			}
			for _, c := range comps {
				row := c.(discordgo.ActionsRow)
				if len(row.Components) > maxButtons {
					t.Errorf("row of %d buttons", len(row.Components))
				}
				for _, bc := range row.Components {
					if id := bc.(discordgo.Button).CustomID; len(id) > maxCustomID {
						t.Errorf("custom_id of %d characters", len(id))
					}
				}
			}
			if got := len(comps[len(comps)-1].(discordgo.ActionsRow).Components); got != tc.last {
				t.Errorf("%d buttons in the last row, want %d", got, tc.last)
			}
			if len(parts) > 1 && parts[0].Components != nil {
				t.Error("vote buttons on a part other than the last")
			}
		})
	}
}
