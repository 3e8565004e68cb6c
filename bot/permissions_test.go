package bot

import (
	"strings"
	"testing"

	"citebot/internal/discordtest"
)

// TestChatReloadUsesTheMessagesRoles checks that !reload is allowed by a
// role with Manage Server on the message's member, and by the guild's
// owner, though neither is in discordgo's member cache.
func TestChatReloadUsesTheMessagesRoles(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	h.guild(t, discordtest.Event{})
	writeArticle(t, h.corpus)
	before, _ := h.db.Stats(t.Context())
	reload := func(ev discordtest.Event) string {
		t.Helper()
		ev.Text = "!reload"
		msg := h.say(t, ev)
		calls := h.srv.Wait(t, "a reply to !reload", func(c []discordtest.Call) bool { return len(replies(c, msg.ID)) > 0 })
		return replies(calls, msg.ID)[0].Decode(t).Content
	}

	got := reload(discordtest.Event{UserID: "1200000000000000666", Username: "mallory", Roles: []string{discordtest.MemberRoleID}})
	if !strings.Contains(got, "administrateurs") {
		t.Errorf("a member without Manage Server got %q, want a refusal", got)
	}
	if after, _ := h.db.Stats(t.Context()); after != before {
		t.Errorf("refused reload changed the index from %+v to %+v", before, after)
	}

	got = reload(discordtest.Event{UserID: "1200000000000000555", Username: "modo", Roles: []string{discordtest.MemberRoleID, discordtest.ManagerRoleID}})
	if !strings.Contains(got, "Rechargement terminé") || !strings.Contains(got, "1 ajoutés") {
		t.Errorf("a member whose role has Manage Server got %q, want the reload's report", got)
	}

	got = reload(discordtest.Event{UserID: discordtest.OwnerID, Username: "owner"})
	if !strings.Contains(got, "Rechargement terminé") {
		t.Errorf("the guild's owner got %q, want the reload's report", got)
	}
}
