package discordtest

import (
	"encoding/json"
	"net/http"
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
	Token   string `json:"token"`
	Intents int    `json:"intents"`
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
			s.append(Call{Kind: Identify, Auth: id.Token, Body: p.D, At: time.Now()})
			break
		}
		if p.Op == 6 { // Resume, after a lost connection
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
	ready, _ := json.Marshal(map[string]any{
		"v":                  10,
		"session_id":         "loopback-session",
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

// Dispatch sends an event to every connected bot and returns when it was
// written. data is the event's "d", such as a fixture from Payload.
func (s *Server) Dispatch(t testing.TB, event string, data json.RawMessage) time.Time {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.conns) == 0 {
		t.Fatalf("dispatch %s: no bot connected to the gateway", event)
	}
	s.seq++
	at := time.Now()
	for c := range s.conns {
		if err := c.write(payload{Op: 0, T: event, S: s.seq, D: data}); err != nil {
			t.Errorf("dispatch %s: %v", event, err)
		}
	}
	return at
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
