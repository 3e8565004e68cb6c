package discordtest

import (
	"bytes"
	"embed"
	"encoding/json"
	"testing"
	"text/template"
)

//go:embed testdata/*.json
var fixtures embed.FS

// Permission bitfields for Event.Permissions.
const (
	// MemberPermissions is an ordinary member's: no Manage Server.
	MemberPermissions = "1071698660929"
	// ManagerPermissions adds Manage Server (1<<5) to MemberPermissions.
	ManagerPermissions = "1071698660961"
)

// Event fills a fixture. Empty fields take defaults; IDs and tokens are
// fresh for every payload.
type Event struct {
	ID, Token      string // the interaction's or message's id; the interaction's token
	AppID          string // set by Payload
	GuildID        string
	ChannelID      string
	UserID         string
	Username       string
	Roles          []string
	Permissions    string // the member's permissions in the channel
	Locale         string // the user's Discord locale, such as "fr" or "en-US"
	Text           string // question, query, focused option value or message content
	Private        bool   // /ask's private option
	File           string // /source's file option
	Paragraph      int    // /source's paragraph option
	Days           int    // /stats's days option
	CustomID       string // the clicked component's custom_id
	MessageID      string // the message holding the clicked component
	MessageContent string // that message's content
	Mention        bool   // the message mentions the bot
	ReplyTo        string // the id of the bot's message this message replies to, in message_create.json
	OwnerID        string // the guild's owner, in guild_create.json
	GuildLocale    string // the guild's preferred locale, in guild_create.json

	// Set by Payload, for guild_create.json.
	ManagerRoleID, MemberRoleID           string
	ManagerPermissions, MemberPermissions string
}

// Default IDs of the guild, channel and user in events.
const (
	GuildID   = "1200000000000000001"
	ChannelID = "1200000000000000002"
	UserID    = "1200000000000000003"
	OwnerID   = "1200000000000000008"
)

// Roles of the guild in guild_create.json, besides @everyone (whose id is
// the guild's) and the bot's own role.
const (
	// ManagerRoleID is a role with Manage Server.
	ManagerRoleID = "1200000000000000010"
	// MemberRoleID is a role without it.
	MemberRoleID = "1200000000000000011"
)

// Payload renders the fixture testdata/name with ev, for Dispatch. The
// fixtures are shaped like the payloads Discord sends.
func (s *Server) Payload(t testing.TB, name string, ev Event) (json.RawMessage, Event) {
	t.Helper()
	tmpl, err := template.New(name).Option("missingkey=error").Funcs(template.FuncMap{
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
	}).ParseFS(fixtures, "testdata/"+name)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	ev = s.defaults(ev)
	var b bytes.Buffer
	if err := tmpl.Execute(&b, ev); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	if !json.Valid(b.Bytes()) {
		t.Fatalf("fixture %s renders invalid JSON:\n%s", name, b.Bytes())
	}
	return b.Bytes(), ev
}

func (s *Server) defaults(ev Event) Event {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	ev.AppID = s.AppID
	def(&ev.ID, s.id())
	def(&ev.Token, "aW50ZXJhY3Rpb246"+s.id())
	def(&ev.GuildID, GuildID)
	def(&ev.ChannelID, ChannelID)
	def(&ev.UserID, UserID)
	def(&ev.Username, "alice")
	def(&ev.Permissions, MemberPermissions)
	def(&ev.Locale, "fr")
	def(&ev.MessageID, s.id())
	def(&ev.OwnerID, OwnerID)
	def(&ev.GuildLocale, "fr")
	ev.ManagerRoleID, ev.MemberRoleID = ManagerRoleID, MemberRoleID
	ev.ManagerPermissions, ev.MemberPermissions = ManagerPermissions, MemberPermissions
	if ev.Roles == nil {
		ev.Roles = []string{}
	}
	return ev
}
