// Package discordtest is a Discord on loopback for tests: enough of the
// REST API and of the gateway websocket for a real discordgo.Session to
// connect, receive events and answer them. It records every REST call the
// bot makes, so tests can check what a user would have seen.
//
// Point a session at it through its HTTP client (see Transport): the
// gateway address then comes from the server's own GET /gateway.
package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Kind names what a recorded REST call did.
type Kind string

const (
	Gateway      Kind = "gateway"       // GET /gateway, /gateway/bot
	Commands     Kind = "commands"      // PUT bulk overwrite of application commands
	Callback     Kind = "callback"      // POST /interactions/{id}/{token}/callback
	EditOriginal Kind = "edit_original" // PATCH /webhooks/{app}/{token}/messages/@original
	Followup     Kind = "followup"      // POST /webhooks/{app}/{token}
	FollowupEdit Kind = "followup_edit" // PATCH /webhooks/{app}/{token}/messages/{id}
	Message      Kind = "message"       // POST /channels/{id}/messages
	MessageEdit  Kind = "message_edit"  // PATCH /channels/{id}/messages/{id}
	Typing       Kind = "typing"        // POST /channels/{id}/typing
	Reaction     Kind = "reaction"      // PUT /channels/{id}/messages/{id}/reactions/{emoji}/@me
	Identify     Kind = "identify"      // gateway Identify (op 2), Body holds its data
	ThreadStart  Kind = "thread_start"  // POST /channels/{id}/messages/{id}/threads
)

// Deletions of messages, which a reply whose edit failed makes.
const (
	DeleteOriginal Kind = "delete_original" // DELETE /webhooks/{app}/{token}/messages/@original
	MessageDelete  Kind = "message_delete"  // DELETE /channels/{id}/messages/{id}
)

// Call is one request the bot made, as received.
type Call struct {
	Kind   Kind
	Method string
	Path   string            // URL path, e.g. /api/v9/channels/1/messages
	Params map[string]string // path wildcards: id, token, app, guild, channel, message
	Auth   string            // Authorization header
	Body   json.RawMessage
	At     time.Time
	// MessageID is the id of the message a call created or edited, as
	// the server answered it.
	MessageID string
}

// Body is the part of a message payload tests look at, for every kind of
// message the bot can send (callbacks wrap it in Data).
type Body struct {
	Type            int               `json:"type"` // callbacks only
	Data            *Body             `json:"data"` // callbacks only
	Content         string            `json:"content"`
	Flags           int               `json:"flags"`
	Embeds          []json.RawMessage `json:"embeds"`
	Components      []json.RawMessage `json:"components"`
	AllowedMentions *AllowedMentions  `json:"allowed_mentions"`
	Reference       *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
	Choices []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	} `json:"choices"`
}

// AllowedMentions is Discord's allowed_mentions object. Parse is a pointer
// so that an absent list (Discord's default: parse everything) differs
// from an empty one (mention nobody).
type AllowedMentions struct {
	Parse       *[]string `json:"parse"`
	Users       []string  `json:"users"`
	Roles       []string  `json:"roles"`
	RepliedUser bool      `json:"replied_user"`
}

// Blocked reports whether nothing in the message can ping anyone.
func (a *AllowedMentions) Blocked() bool {
	return a != nil && a.Parse != nil && len(*a.Parse) == 0 && len(a.Users) == 0 && len(a.Roles) == 0
}

// Decode returns the call's body as a message payload.
func (c Call) Decode(t testing.TB) Body {
	t.Helper()
	var b Body
	if err := json.Unmarshal(c.Body, &b); err != nil {
		t.Fatalf("decode %s body %s: %v", c.Kind, c.Body, err)
	}
	return b
}

// Options configure a Server.
type Options struct {
	// RejectIntents are gateway intents the server refuses, closing the
	// connection with 4014 as Discord does for privileged intents that are
	// not enabled for the application.
	RejectIntents int
	// CommandStatus lists the statuses of the successive bulk overwrites
	// of the application's commands: 400 answers Discord's Invalid Form
	// Body with the refused field, 403 its Missing Access (an invite
	// without the applications.commands scope). Overwrites beyond the
	// list, and 0 or 200 in it, succeed.
	CommandStatus []int
	// ForbidReactions answers the bot's reactions 403 Missing
	// Permissions, as for a bot invited without Add Reactions.
	ForbidReactions bool
}

// Server is a loopback Discord.
type Server struct {
	AppID string // the application's id, also the bot user's id
	http  *httptest.Server
	opts  Options
	up    websocket.Upgrader

	mu      sync.Mutex
	calls   []Call
	changed chan struct{} // closed and replaced whenever calls grows
	conns   map[*conn]bool
	seq     int64
	nextID  int64
	limited map[Kind]int    // kind -> how many next calls answer 429
	failing map[Kind]int    // kind -> how many next calls answer 500
	acked   map[string]bool // interaction ids already given a callback
	puts    int             // bulk overwrites so far
	down    bool            // the gateway refuses connections (see Down)
	// sessions maps a gateway session to the shard that identified it,
	// so that a Resume keeps its guilds.
	sessions map[string][2]int
	// originals maps an interaction token to its original response's id.
	originals map[string]string
}

// conn is one gateway websocket; writes are serialised.
type conn struct {
	mu sync.Mutex
	ws *websocket.Conn
	// shard and shards are the connection's place among the shards, as
	// it identified (shards 0: not sharded).
	shard, shards int
}

func (c *conn) write(v any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteJSON(v)
}

// New starts a Server and stops it when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{
		AppID:    "1100000000000000001",
		opts:     opts,
		changed:  make(chan struct{}),
		conns:    make(map[*conn]bool),
		sessions: make(map[string][2]int),
		nextID:   1300000000000000000,
		limited:  make(map[Kind]int),
		failing:  make(map[Kind]int),
		acked:    make(map[string]bool),

		originals: make(map[string]string),
	}
	s.http = httptest.NewServer(s.routes())
	t.Cleanup(s.close)
	return s
}

// URL is the server's base URL, to use as DISCORD_API_URL.
func (s *Server) URL() string { return s.http.URL }

func (s *Server) close() {
	s.mu.Lock()
	for c := range s.conns {
		c.ws.Close()
	}
	s.mu.Unlock()
	s.http.CloseClientConnections()
	s.http.Close()
}

const api = "/api/{version}/"

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+api+"gateway", s.gateway)
	mux.HandleFunc("GET "+api+"gateway/bot", s.gateway)
	mux.HandleFunc("GET /ws/", s.websocket)
	mux.HandleFunc("PUT "+api+"applications/{app}/commands", s.commands)
	mux.HandleFunc("PUT "+api+"applications/{app}/guilds/{guild}/commands", s.commands)
	mux.HandleFunc("POST "+api+"interactions/{id}/{token}/callback", s.callback)
	mux.HandleFunc("PATCH "+api+"webhooks/{app}/{token}/messages/{message}", s.message(FollowupEdit))
	mux.HandleFunc("POST "+api+"webhooks/{app}/{token}", s.message(Followup))
	mux.HandleFunc("POST "+api+"channels/{channel}/messages", s.message(Message))
	mux.HandleFunc("PATCH "+api+"channels/{channel}/messages/{message}", s.message(MessageEdit))
	mux.HandleFunc("POST "+api+"channels/{channel}/typing", s.record(Typing, http.StatusNoContent))
	mux.HandleFunc("DELETE "+api+"webhooks/{app}/{token}/messages/{message}", s.record(DeleteOriginal, http.StatusNoContent))
	mux.HandleFunc("DELETE "+api+"channels/{channel}/messages/{message}", s.record(MessageDelete, http.StatusNoContent))
	mux.HandleFunc("PUT "+api+"channels/{channel}/messages/{message}/reactions/{emoji}/@me", s.reaction)
	mux.HandleFunc("POST "+api+"channels/{channel}/messages/{message}/threads", s.threadStart)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message": "404: Not Found", "code": 0}`, http.StatusNotFound)
	})
	return mux
}

func (s *Server) gateway(w http.ResponseWriter, r *http.Request) {
	s.add(r, Gateway, nil, "")
	writeJSON(w, http.StatusOK, map[string]any{
		"url":    "ws://" + r.Host + "/ws",
		"shards": 1,
		"session_start_limit": map[string]int{
			"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1,
		},
	})
}

func (s *Server) commands(w http.ResponseWriter, r *http.Request) {
	body, ok := s.read(w, r, Commands)
	if !ok {
		return
	}
	s.mu.Lock()
	status := 0
	if s.puts < len(s.opts.CommandStatus) {
		status = s.opts.CommandStatus[s.puts]
	}
	s.puts++
	s.mu.Unlock()
	switch status {
	case http.StatusBadRequest:
		writeJSON(w, status, invalidCommand)
		return
	case http.StatusForbidden:
		writeJSON(w, status, map[string]any{"message": "Missing Access", "code": 50001})
		return
	}
	var cmds []map[string]any
	if err := json.Unmarshal(body, &cmds); err != nil {
		http.Error(w, `{"message": "Invalid Form Body", "code": 50035}`, http.StatusBadRequest)
		return
	}
	for _, c := range cmds {
		c["id"] = s.id()
		c["application_id"] = s.AppID
		c["version"] = s.id()
	}
	writeJSON(w, http.StatusOK, cmds)
}

// invalidCommand is Discord's answer to a command it refuses: the
// errors object names the refused field by its path in the request.
var invalidCommand = map[string]any{
	"code":    50035,
	"message": "Invalid Form Body",
	"errors": map[string]any{"2": map[string]any{"options": map[string]any{"0": map[string]any{
		"name": map[string]any{"_errors": []any{map[string]any{
			"code": "APPLICATION_COMMAND_INVALID_NAME", "message": "Command name is invalid"}}},
	}}}},
}

// callback answers an interaction's callback, once: Discord refuses a
// second one for the same interaction.
func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	again := s.acked[r.PathValue("id")]
	s.mu.Unlock()
	if again {
		writeJSON(w, http.StatusBadRequest, map[string]any{
			"message": "Interaction has already been acknowledged.", "code": 40060})
		return
	}
	if _, ok := s.read(w, r, Callback); ok {
		s.mu.Lock()
		s.acked[r.PathValue("id")] = true
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}
}

// threadStart opens a public thread on a message, as Discord does: the
// thread is a channel whose id is the message's.
func (s *Server) threadStart(w http.ResponseWriter, r *http.Request) {
	body, ok := s.read(w, r, ThreadStart)
	if !ok {
		return
	}
	var req struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Name == "" || len([]rune(req.Name)) > 100 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"id": r.PathValue("message"), "type": 11, "parent_id": r.PathValue("channel"), "name": req.Name,
		"owner_id": s.AppID, "message_count": 0, "member_count": 1,
		"thread_metadata": map[string]any{"archived": false, "auto_archive_duration": 1440, "locked": false},
	})
}

// reaction records a reaction the bot adds, or refuses it as Discord
// does without the Add Reactions permission.
func (s *Server) reaction(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.read(w, r, Reaction); !ok {
		return
	}
	if s.opts.ForbidReactions {
		writeJSON(w, http.StatusForbidden, map[string]any{"message": "Missing Permissions", "code": 50013})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// record answers a call with status and no body.
func (s *Server) record(kind Kind, status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.read(w, r, kind); ok {
			w.WriteHeader(status)
		}
	}
}

// message answers a call that creates or edits a message with the message.
func (s *Server) message(kind Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if kind == FollowupEdit && r.PathValue("message") == "@original" {
			kind = EditOriginal
		}
		id := r.PathValue("message")
		if id == "" || id == "@original" {
			id = s.originalID(r)
		}
		body, ok := s.readAs(w, r, kind, id)
		if !ok {
			return
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			http.Error(w, `{"message": "Invalid Form Body", "code": 50035}`, http.StatusBadRequest)
			return
		}
		m["id"] = id
		m["channel_id"] = r.PathValue("channel")
		m["author"] = map[string]any{"id": s.AppID, "username": "citebot", "bot": true}
		m["type"] = 0
		delete(m, "allowed_mentions")
		writeJSON(w, http.StatusOK, m)
	}
}

// read records the call, or answers 429 if the test asked for it.
func (s *Server) read(w http.ResponseWriter, r *http.Request, kind Kind) ([]byte, bool) {
	return s.readAs(w, r, kind, "")
}

// readAs is read for a call that makes or edits message id.
func (s *Server) readAs(w http.ResponseWriter, r *http.Request, kind Kind, id string) ([]byte, bool) {
	var body json.RawMessage
	if r.Body != nil {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil && r.ContentLength != 0 {
			http.Error(w, `{"message": "Invalid JSON", "code": 50109}`, http.StatusBadRequest)
			return nil, false
		}
	}
	s.mu.Lock()
	limited := s.limited[kind] > 0
	if limited {
		s.limited[kind]--
	}
	failing := !limited && s.failing[kind] > 0
	if failing {
		s.failing[kind]--
	}
	s.mu.Unlock()
	if failing {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "500: Internal Server Error", "code": 0})
		return nil, false
	}
	if limited {
		w.Header().Set("Retry-After", "1")
		w.Header().Set("X-RateLimit-Scope", "user")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{
			"message": "You are being rate limited.", "retry_after": 0.05, "global": false,
		})
		return nil, false
	}
	s.add(r, kind, body, id)
	w.Header().Set("X-RateLimit-Limit", "5")
	w.Header().Set("X-RateLimit-Remaining", "4")
	w.Header().Set("X-RateLimit-Reset-After", "1")
	w.Header().Set("X-RateLimit-Bucket", string(kind))
	return body, true
}

// RateLimit makes the next n calls of kind answer 429 Too Many Requests
// with a short retry_after, as Discord does when a bucket is exhausted.
func (s *Server) RateLimit(kind Kind, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limited[kind] += n
}

// Fail makes the next n calls of kind answer 500 Internal Server Error,
// which discordgo does not retry.
func (s *Server) Fail(kind Kind, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failing[kind] += n
}

func (s *Server) add(r *http.Request, kind Kind, body json.RawMessage, id string) {
	params := make(map[string]string)
	for _, k := range []string{"id", "token", "app", "guild", "channel", "message", "emoji"} {
		if v := r.PathValue(k); v != "" {
			params[k] = v
		}
	}
	s.append(Call{Kind: kind, Method: r.Method, Path: r.URL.Path, Params: params,
		Auth: r.Header.Get("Authorization"), Body: body, At: time.Now(), MessageID: id})
}

func (s *Server) append(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	s.notifyLocked()
}

// notifyLocked wakes the waiters; s.mu is held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// originalID is the id of the message a call creates, or for an
// interaction's original response the same id on every edit.
func (s *Server) originalID(r *http.Request) string {
	if r.PathValue("message") != "@original" {
		return s.id()
	}
	key := r.PathValue("token")
	s.mu.Lock()
	id, ok := s.originals[key]
	s.mu.Unlock()
	if !ok {
		id = s.id()
		s.mu.Lock()
		s.originals[key] = id
		s.mu.Unlock()
	}
	return id
}

func (s *Server) id() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// Calls returns the calls recorded so far, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Changed returns a channel closed at the next call the server records,
// for tests that wait on the calls and something else together.
func (s *Server) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// WaitTimeout bounds every wait, so that a bot that never answers fails
// the test instead of hanging it.
const WaitTimeout = 20 * time.Second

// Wait blocks until cond holds for the calls recorded so far and returns
// them; it fails the test if that does not happen within WaitTimeout.
func (s *Server) Wait(t testing.TB, what string, cond func([]Call) bool) []Call {
	t.Helper()
	deadline := time.NewTimer(WaitTimeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		calls := append([]Call(nil), s.calls...)
		changed := s.changed
		s.mu.Unlock()
		if cond(calls) {
			return calls
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; calls:\n%s", what, describe(calls))
			return nil
		}
	}
}

func describe(calls []Call) string {
	var b strings.Builder
	for _, c := range calls {
		fmt.Fprintf(&b, "  %s %s %s %.300s\n", c.Kind, c.Method, c.Path, c.Body)
	}
	return b.String()
}

// Of returns the calls of kind, in order.
func Of(calls []Call, kind Kind) []Call {
	var out []Call
	for _, c := range calls {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

// For returns the calls that answer the interaction with token: its
// callback, edits of its original response and its follow-ups.
func For(calls []Call, token string) []Call {
	var out []Call
	for _, c := range calls {
		if c.Params["token"] == token {
			out = append(out, c)
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
