// Package openaitest is a loopback server that speaks OpenAI's chat
// completions API, plain and streamed, for testing the real go-openai
// client against scripted replies and faults.
package openaitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Reply scripts one response.
type Reply struct {
	Content    string // the assistant's text
	Status     int    // non-zero and not 200: an error response
	RetryAfter string // Retry-After header on an error response
	Hang       bool   // never answer (until the client gives up)
	Garbage    bool   // a body that is not JSON
	CutAfter   int    // streamed: drop the connection after this many chunks
}

// Request is what the server received.
type Request struct {
	Auth   string // the Authorization header
	Stream bool
	Model  string
	System string
	User   string
}

// Script picks the reply to the n-th request (from 0).
type Script func(n int, req Request) Reply

// Server is a running fake.
type Server struct {
	*httptest.Server
	token  string
	script Script

	mu       sync.Mutex
	requests []Request
	hang     chan struct{}
}

// New starts a server that requires "Bearer "+token (if token is not
// empty) and answers with script. It is closed when the test ends.
func New(tb testing.TB, token string, script Script) *Server {
	s := &Server{token: token, script: script, hang: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(func() {
		close(s.hang)
		s.Server.Close()
	})
	return s
}

// BaseURL is what to configure as OPENAI_BASE_URL.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

type chatRequest struct {
	Model    string `json:"model"`
	Stream   bool   `json:"stream"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
		writeError(w, http.StatusNotFound, "not found", "")
		return
	}
	if s.token != "" && r.Header.Get("Authorization") != "Bearer "+s.token {
		writeError(w, http.StatusUnauthorized, "invalid api key", "")
		return
	}
	var cr chatRequest
	if err := json.NewDecoder(r.Body).Decode(&cr); err != nil {
		writeError(w, http.StatusBadRequest, "bad json", "")
		return
	}
	req := Request{Auth: r.Header.Get("Authorization"), Stream: cr.Stream, Model: cr.Model}
	for _, m := range cr.Messages {
		switch m.Role {
		case "system":
			req.System = m.Content
		case "user":
			req.User = m.Content
		}
	}
	s.mu.Lock()
	n := len(s.requests)
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	reply := s.script(n, req)
	switch {
	case reply.Hang:
		select {
		case <-r.Context().Done():
		case <-s.hang:
		}
	case reply.Status != 0 && reply.Status != http.StatusOK:
		writeError(w, reply.Status, "scripted failure", reply.RetryAfter)
	case reply.Garbage:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"choices": [ not json`)
	case cr.Stream:
		stream(w, cr.Model, reply)
	default:
		complete(w, cr.Model, reply.Content)
	}
}

func writeError(w http.ResponseWriter, status int, msg, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "server_error"}})
}

func complete(w http.ResponseWriter, model, content string) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-test", "object": "chat.completion", "created": 1, "model": model,
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content},
		}},
		"usage": map[string]any{"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
	})
}

// stream sends content as server-sent events, a few characters a chunk,
// ending with a finish reason and [DONE] unless the reply cuts it short.
func stream(w http.ResponseWriter, model string, reply Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	chunk := func(delta map[string]any, finish any) {
		b, _ := json.Marshal(map[string]any{
			"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1, "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
		})
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	pieces := split(reply.Content, 8)
	for i, p := range pieces {
		if reply.CutAfter > 0 && i == reply.CutAfter {
			// Drop the connection mid-answer, as a crashed server would.
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
				}
			}
			return
		}
		chunk(map[string]any{"content": p}, nil)
	}
	chunk(map[string]any{}, "stop")
	fmt.Fprint(w, "data: [DONE]\n\n")
}

func split(s string, n int) []string {
	var out []string
	r := []rune(s)
	for len(r) > 0 {
		k := min(n, len(r))
		out = append(out, string(r[:k]))
		r = r[k:]
	}
	return out
}

// Always answers every request with r.
func Always(r Reply) Script { return func(int, Request) Reply { return r } }

// Answer replies with content to answer requests and with keywords to
// keyword-rewrite requests (those without a system message).
func Answer(content, keywords string) Script {
	return func(_ int, req Request) Reply {
		if req.System == "" {
			return Reply{Content: keywords}
		}
		return Reply{Content: content}
	}
}

// Contains reports whether any request's user message contains sub.
func (s *Server) Contains(sub string) bool {
	for _, r := range s.Requests() {
		if strings.Contains(r.User, sub) {
			return true
		}
	}
	return false
}
