package answer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// ModelConfig configures an OpenAI-compatible chat model.
type ModelConfig struct {
	APIKey  string // may be empty for local servers
	BaseURL string // empty: OpenAI's
	Model   string
	// Timeout bounds one call, retries included. go-openai's default HTTP
	// client has none, so a hung server would hang the answer.
	Timeout     time.Duration
	Retries     int // extra attempts after a 429 or 5xx
	Temperature float32
	// Transport carries the HTTP requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
}

// Model is a chat model reached through go-openai.
type Model struct {
	client      *openai.Client
	name        string
	timeout     time.Duration
	temperature float32
	key         string
}

// NewModel returns a Model for cfg.
func NewModel(cfg ModelConfig) *Model {
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	base := cfg.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	oc.HTTPClient = &http.Client{
		Timeout:   cfg.Timeout,
		Transport: &retryTransport{base: base, retries: cfg.Retries},
	}
	return &Model{client: openai.NewClientWithConfig(oc), name: cfg.Model, timeout: cfg.Timeout,
		temperature: cfg.Temperature, key: cfg.APIKey}
}

var (
	errEmptyReply = errors.New("the model returned no text")
	errStreamCut  = errors.New("the model's stream ended before it finished")
)

// chat sends one system and one user message and returns the reply. With
// onText it streams, calling onText with the text so far.
func (m *Model) chat(ctx context.Context, system, user string, maxTokens int, onText func(string)) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	req := openai.ChatCompletionRequest{
		Model:       m.name,
		Temperature: m.temperature,
		MaxTokens:   maxTokens,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
	}
	var text string
	var err error
	if onText == nil {
		text, err = m.complete(ctx, req)
	} else {
		text, err = m.stream(ctx, req, onText)
	}
	if err != nil {
		return "", m.redact(err)
	}
	return text, nil
}

func (m *Model) complete(ctx context.Context, req openai.ChatCompletionRequest) (string, error) {
	resp, err := m.client.CreateChatCompletion(ctx, req)
	if err != nil {
		return "", fmt.Errorf("chat completion: %w", err)
	}
	if len(resp.Choices) == 0 || strings.TrimSpace(resp.Choices[0].Message.Content) == "" {
		return "", errEmptyReply
	}
	return resp.Choices[0].Message.Content, nil
}

func (m *Model) stream(ctx context.Context, req openai.ChatCompletionRequest, onText func(string)) (string, error) {
	req.Stream = true
	s, err := m.client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return "", fmt.Errorf("chat stream: %w", err)
	}
	defer s.Close()
	var b strings.Builder
	finished := false
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("chat stream: %w", err)
		}
		for _, c := range chunk.Choices {
			if c.Delta.Content != "" {
				b.WriteString(c.Delta.Content)
				onText(b.String())
			}
			finished = finished || c.FinishReason != ""
		}
	}
	// go-openai reports a dropped connection like a finished stream; every
	// compatible server ends a complete one with a finish reason.
	if !finished {
		return "", errStreamCut
	}
	if strings.TrimSpace(b.String()) == "" {
		return "", errEmptyReply
	}
	return b.String(), nil
}

// redact keeps the API key out of errors, whatever a server echoes back.
func (m *Model) redact(err error) error {
	if m.key == "" || !strings.Contains(err.Error(), m.key) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), m.key, "[redacted]"))
}

// retryTransport retries 429 and 5xx answers a bounded number of times,
// waiting as Retry-After says or with a jittered exponential backoff. It
// lives at the transport because go-openai's errors do not carry headers.
type retryTransport struct {
	base    http.RoundTripper
	retries int
}

// maxRetryWait caps a server's Retry-After: beyond it the call's timeout
// would be spent waiting.
const maxRetryWait = 10 * time.Second

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		r := req
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r = req.Clone(req.Context())
			r.Body = body
		}
		resp, err := t.base.RoundTrip(r)
		if err != nil || attempt >= t.retries || !retryable(resp.StatusCode) || (attempt == 0 && req.Body != nil && req.GetBody == nil) {
			return resp, err
		}
		wait := retryAfter(resp.Header.Get("Retry-After"), attempt)
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(wait):
		}
	}
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), or
// backs off exponentially from 250 ms with jitter.
func retryAfter(h string, attempt int) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s >= 0 {
		return min(time.Duration(s)*time.Second, maxRetryWait)
	}
	if at, err := http.ParseTime(h); err == nil {
		return min(max(time.Until(at), 0), maxRetryWait)
	}
	d := 250 * time.Millisecond << attempt
	return min(d/2+rand.N(d/2+1), maxRetryWait)
}
