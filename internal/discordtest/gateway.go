package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// payload is a gateway frame.
type payload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  int64           `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

// identify is the part of an Identify the server checks.
type identify struct {
	Token   string  `json:"token"`
	Intents int     `json:"intents"`
	Shard   *[2]int `json:"shard"` // [shard id, shard count]; absent without sharding
}

// resume is the part of a Resume the server reads.
type resume struct {
	SessionID string `json:"session_id"`
}

// Shard returns the shard that Discord routes events of guildID to among
// count shards: (guild_id >> 22) % count. Events without a guild (direct
// messages) go to shard 0.
func Shard(guildID string, count int) int {
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil || count < 2 {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// receives reports whether a connection identified as shard of count
// gets an event about guildID ("" for none).
func receives(shard, count int, guildID string) bool {
	if count < 2 {
		return true
	}
	return Shard(guildID, count) == shard
}

// websocket speaks the gateway: Hello, then Identify answered by Ready,
// then heartbeats answered by acks until the client goes away.
func (s *Server) websocket(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		http.Error(w, "gateway unavailable", http.StatusServiceUnavailable)
		return
	}
	ws, err := s.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws}
	defer ws.Close()
	hello, _ := json.Marshal(map[string]int{"heartbeat_interval": 41250})
	if c.write(payload{Op: 10, D: hello}) != nil {
		return
	}
	var id identify
	resumed := false
	for {
		var p payload
		if ws.ReadJSON(&p) != nil {
			return
		}
		if p.Op == 2 {
			json.Unmarshal(p.D, &id)
			if id.Shard != nil {
				c.shard, c.shards = id.Shard[0], id.Shard[1]
			}
			s.append(Call{Kind: Identify, Auth: id.Token, Body: p.D, At: time.Now()})
			break
		}
		if p.Op == 6 { // Resume, after a lost connection
			var r resume
			json.Unmarshal(p.D, &r)
			s.mu.Lock()
			sh := s.sessions[r.SessionID]
			s.mu.Unlock()
			c.shard, c.shards = sh[0], sh[1]
			resumed = true
			break
		}
	}
	if resumed {
		s.mu.Lock()
		s.seq++
		err = c.write(payload{Op: 0, T: "RESUMED", S: s.seq, D: json.RawMessage(`{}`)})
		if err == nil {
			s.conns[c] = true
			s.notifyLocked()
		}
		s.mu.Unlock()
		if err == nil {
			s.serve(c)
		}
		return
	}
	if id.Intents&s.opts.RejectIntents != 0 {
		msg := websocket.FormatCloseMessage(4014, "Disallowed intent(s).")
		c.mu.Lock()
		ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		c.mu.Unlock()
		return
	}
	session := "loopback-session-" + s.id()
	s.mu.Lock()
	s.sessions[session] = [2]int{c.shard, c.shards}
	s.mu.Unlock()
	var shard []int
	if id.Shard != nil {
		shard = id.Shard[:]
	}
	ready, _ := json.Marshal(map[string]any{
		"v":                  10,
		"session_id":         session,
		"shard":              shard,
		"user":               map[string]any{"id": s.AppID, "username": "citebot", "discriminator": "0", "bot": true},
		"application":        map[string]any{"id": s.AppID, "flags": 0},
		"guilds":             []any{},
		"resume_gateway_url": "ws://" + r.Host + "/ws",
	})
	s.mu.Lock()
	s.seq++
	err = c.write(payload{Op: 0, T: "READY", S: s.seq, D: ready})
	if err == nil {
		s.conns[c] = true
		s.notifyLocked()
	}
	s.mu.Unlock()
	if err != nil {
		return
	}
	s.serve(c)
}

// serve answers a connected bot's heartbeats until it goes away.
func (s *Server) serve(c *conn) {
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}()
	for {
		var p payload
		if c.ws.ReadJSON(&p) != nil {
			return
		}
		if p.Op == 1 {
			if c.write(payload{Op: 11}) != nil {
				return
			}
		}
	}
}

// Ready waits until a bot has identified on the gateway and returns its
// Identify's intents.
func (s *Server) Ready(t testing.TB) (intents int) {
	t.Helper()
	calls := s.Wait(t, "a gateway connection", func(calls []Call) bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.conns) > 0
	})
	ids := Of(calls, Identify)
	var id identify
	json.Unmarshal(ids[len(ids)-1].Body, &id)
	return id.Intents
}

// Dispatch sends an event to the connected bots and returns when it was
// written. data is the event's "d", such as a fixture from Payload. As
// Discord does, a sharded connection gets only the events of its guilds
// (see Shard); a connection without shards gets them all.
func (s *Server) Dispatch(t testing.TB, event string, data json.RawMessage) time.Time {
	t.Helper()
	var about struct {
		GuildID string `json:"guild_id"`
	}
	json.Unmarshal(data, &about)
	if event == "GUILD_CREATE" {
		json.Unmarshal(data, &struct {
			ID *string `json:"id"`
		}{&about.GuildID})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.conns) == 0 {
		t.Fatalf("dispatch %s: no bot connected to the gateway", event)
	}
	s.seq++
	at := time.Now()
	sent := 0
	for c := range s.conns {
		if !receives(c.shard, c.shards, about.GuildID) {
			continue
		}
		sent++
		if err := c.write(payload{Op: 0, T: event, S: s.seq, D: data}); err != nil {
			t.Errorf("dispatch %s: %v", event, err)
		}
	}
	if sent == 0 {
		t.Fatalf("dispatch %s: no connected shard serves guild %q", event, about.GuildID)
	}
	return at
}

// Connected waits until n bots are connected to the gateway.
func (s *Server) Connected(t testing.TB, n int) {
	t.Helper()
	s.Wait(t, fmt.Sprintf("%d gateway connections", n), func([]Call) bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.conns) >= n
	})
}

// Drop closes every gateway connection abruptly, as a network failure
// would; discordgo is expected to reconnect.
func (s *Server) Drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.ws.Close()
		delete(s.conns, c)
	}
}

// Down drops every gateway connection and refuses new ones until Up, as
// an outage of Discord's gateway would.
func (s *Server) Down() {
	s.mu.Lock()
	s.down = true
	s.mu.Unlock()
	s.Drop()
}

// Up ends an outage begun by Down: the bot's next attempt connects.
func (s *Server) Up() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = false
}
