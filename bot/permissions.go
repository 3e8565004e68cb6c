package bot

import (
	"errors"
	"slices"

	"github.com/bwmarrin/discordgo"
)

// messageAdmin is what decides whether a chat message's author may
// reload. Discord sends a message with its author's roles but not their
// permissions, and fills discordgo's member cache only with the
// privileged Server Members intent, which the bot does not ask for; so
// the permissions come from the message's roles and the guild's roles,
// which the gateway sends in GUILD_CREATE. The guild's owner has them all.
func (b *Bot) messageAdmin(m *discordgo.Message) (userID string, roles []string, perms int64) {
	if m.Member != nil {
		roles = m.Member.Roles
	}
	if m.GuildID == "" || m.Member == nil {
		return m.Author.ID, roles, 0
	}
	perms, err := b.session.State.MessagePermissions(m)
	if errors.Is(err, discordgo.ErrStateNotFound) {
		// A channel the state has not seen, such as a thread created
		// while disconnected: Manage Server is a guild-wide permission.
		perms = b.guildPermissions(m.GuildID, m.Author.ID, roles)
	}
	return m.Author.ID, roles, perms
}

// guildPermissions are a member's guild-wide permissions: those of
// @everyone and of their roles, or all of them for the owner.
func (b *Bot) guildPermissions(guildID, userID string, roles []string) int64 {
	g, err := b.session.State.Guild(guildID)
	if err != nil {
		return 0
	}
	b.session.State.RLock()
	defer b.session.State.RUnlock()
	if g.OwnerID == userID {
		return discordgo.PermissionAll
	}
	var perms int64
	for _, r := range g.Roles {
		if r.ID == g.ID || slices.Contains(roles, r.ID) {
			perms |= r.Permissions
		}
	}
	return perms
}
