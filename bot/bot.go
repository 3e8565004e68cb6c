// Package bot is citebot's Discord edge: it routes slash commands, chat
// commands and mentions to the answer service and the index, renders
// answers within Discord's limits, checks who may reload, and limits how
// fast users ask and how many answers are computed at once.
//
// Chat commands (!ask …) need the privileged Message Content intent,
// enabled in the Discord developer portal under Bot. Without it the bot
// logs a warning and still answers slash commands, direct messages and
// messages that mention it, whose content Discord always delivers.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"citebot/answer"
	"citebot/retrieval"
)

// Answerer answers a question; onText receives the text so far while the
// answer is written. *answer.Service implements it.
type Answerer interface {
	AskStream(ctx context.Context, question string, onText func(partial string)) (answer.Answer, error)
}

// Searcher finds the passages that best match a query, for /search.
// *retrieval.Searcher implements it.
type Searcher interface {
	Search(ctx context.Context, text string, k int) (retrieval.Result, error)
}

// Index looks paragraphs and articles up, for /source, the sources
// button, autocomplete and /help.
type Index interface {
	// Paragraph returns paragraph n of file, or an error wrapping
	// ErrNotFound.
	Paragraph(ctx context.Context, file string, n int) (retrieval.Passage, error)
	// Articles lists up to limit indexed articles whose path contains
	// sub, or whose title does (ignoring case and accents), those whose
	// path, file name or title starts with sub first.
	Articles(ctx context.Context, sub string, limit int) ([]Article, error)
	Stats(ctx context.Context) (Stats, error)
}

// Reloader re-indexes the corpus. It returns an error wrapping
// ErrReloadRunning if a reload is already under way.
type Reloader interface {
	Reload(ctx context.Context) (Report, error)
}

var (
	// ErrNotFound is what Index.Paragraph wraps for an unknown paragraph.
	ErrNotFound = errors.New("not found in the index")
	// ErrReloadRunning is what Reloader.Reload wraps when one is running.
	ErrReloadRunning = errors.New("a reload is already running")
)

// Article is an indexed article: its file and the title citations show.
type Article struct {
	File, Title string
}

// Stats describes the index, for /help.
type Stats struct {
	Documents, Paragraphs int
	ReloadedAt            time.Time // zero if never
}

// Report says what a reload changed.
type Report struct {
	Added, Changed, Removed []string
	Skipped                 []Skip
	Unchanged               int
	Paragraphs              int // in the index after the reload
	ParagraphsAdded         int
	ParagraphsRemoved       int
	Duration                time.Duration
}

// Skip is a corpus file that was not indexed, and why.
type Skip struct{ Path, Reason string }

// Config is the bot's settings.
type Config struct {
	Token      string   // the bot token, without "Bot "
	APIURL     string   // Discord's API base URL; empty for https://discord.com
	GuildID    string   // register commands in this guild only; empty for global
	AdminUsers []string // user IDs allowed to reload
	AdminRoles []string // role IDs allowed to reload
	Channels   []string // if set, the only channels the bot answers in
	Prefix     string   // chat command prefix, such as "!"

	K             int     // passages per /search
	MaxQuestion   int     // longest question, in characters
	RatePerMinute float64 // per-user requests per minute; 0 for no limit
	RateBurst     int     // per-user requests at once

	// ChannelRatePerMinute and ChannelBurst limit the requests in one
	// channel, all users together; a rate of 0 for no limit.
	ChannelRatePerMinute float64
	ChannelBurst         int

	MaxConcurrent int           // answers computed at once; others queue
	AnswerTimeout time.Duration // budget of one answer
	ReloadTimeout time.Duration // budget of one reload
	Grace         time.Duration // how long in-flight work may finish on shutdown
	EditInterval  time.Duration // least time between edits of a streaming answer
	MaxMessages   int           // messages one reply may take at most
	// Threads opens a thread on each answer to /ask and !ask, where any
	// message is a follow-up; needs Deps.Chat and Deps.Links.
	Threads       bool
	RegisterRetry time.Duration // first wait before registering the slash commands again
	// Shard and ShardCount place this process among the gateway shards
	// of several; a ShardCount of 0 or 1 is one process without sharding.
	// Only shard 0 registers the slash commands.
	Shard, ShardCount int
}

func (c Config) withDefaults() Config {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if c.Prefix == "" {
		c.Prefix = "!"
	}
	if c.K <= 0 {
		c.K = 5
	}
	if c.MaxQuestion <= 0 {
		c.MaxQuestion = 500
	}
	if c.RateBurst <= 0 {
		c.RateBurst = 3
	}
	if c.ChannelBurst <= 0 {
		c.ChannelBurst = 10
	}
	if c.MaxConcurrent <= 0 {
		c.MaxConcurrent = 4
	}
	def(&c.AnswerTimeout, 2*time.Minute)
	def(&c.ReloadTimeout, 10*time.Minute)
	def(&c.Grace, 20*time.Second)
	def(&c.EditInterval, time.Second)
	if c.MaxMessages <= 0 {
		c.MaxMessages = DefaultMaxMessages
	}
	def(&c.RegisterRetry, 5*time.Second)
	return c
}

// Deps are the services the bot uses.
type Deps struct {
	Answer   Answerer
	Search   Searcher
	Index    Index
	Reload   Reloader
	Logger   *slog.Logger                     // nil discards
	Lang     func(text string) retrieval.Lang // language of a chat message; nil for French
	Now      func() time.Time                 // nil for time.Now
	Redirect http.RoundTripper                // transport under the API redirect; nil for the default

	Observer Observer // hears questions, acks and the gateway; nil for none
	Log      Log      // keeps questions and votes; nil for no log and no vote buttons
	Reporter Reporter // sums the log up for /stats; nil: /stats says the log is off
	// Chat and Links, when both are set, answer follow-ups: replies to
	// the bot's answers and messages in the threads it opens.
	Chat  Conversation
	Links Links
}

// Bot is a Discord bot answering from the articles.
type Bot struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	session *discordgo.Session
	limits  *limiter
	gate    gate
	cited   *cited
	obs     Observer

	// acked holds the ids of the interactions, while they are handled,
	// whose callback has been sent: a panic is then reported by editing
	// the response, as a second callback would be refused.
	acked sync.Map

	mu       sync.Mutex
	draining bool
	stopped  bool // the gateway is being closed for good
	inflight sync.WaitGroup
	botID    string
	appID    string
	conns    int       // gateway connections made
	downAt   time.Time // when the gateway was last lost
}

// New returns a Bot; Run connects it.
func New(cfg Config, deps Deps) (*Bot, error) {
	cfg = cfg.withDefaults()
	if cfg.Token == "" {
		return nil, errors.New("bot: no Discord token")
	}
	if deps.Answer == nil || deps.Search == nil || deps.Index == nil || deps.Reload == nil {
		return nil, errors.New("bot: Answer, Search, Index and Reload are required")
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Lang == nil {
		deps.Lang = func(string) retrieval.Lang { return retrieval.French }
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Observer == nil {
		deps.Observer = noObserver{}
	}
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	client, err := apiClient(cfg.APIURL, deps.Redirect)
	if err != nil {
		return nil, err
	}
	s.Client = client
	s.Identify.Intents = intents
	if cfg.ShardCount > 1 {
		if cfg.Shard < 0 || cfg.Shard >= cfg.ShardCount {
			return nil, fmt.Errorf("bot: shard %d out of range 0..%d", cfg.Shard, cfg.ShardCount-1)
		}
		s.ShardID, s.ShardCount = cfg.Shard, cfg.ShardCount
	}
	s.StateEnabled = true
	return &Bot{
		cfg:     cfg,
		deps:    deps,
		log:     deps.Logger.With("component", "bot"),
		session: s,
		limits:  newLimiter(cfg, deps.Now),
		gate:    make(gate, cfg.MaxConcurrent),
		cited:   newCited(deps.Links),
		obs:     deps.Observer,
	}, nil
}

// intents are the gateway events the bot needs; MessageContent is
// privileged and dropped if the application lacks it.
const intents = discordgo.IntentGuilds | discordgo.IntentGuildMessages |
	discordgo.IntentDirectMessages | discordgo.IntentMessageContent |
	discordgo.IntentGuildMessageReactions | discordgo.IntentDirectMessageReactions

// apiClient is the HTTP client for Discord's REST API: requests for
// discord.com go to apiURL instead when it is set.
func apiClient(apiURL string, next http.RoundTripper) (*http.Client, error) {
	c := &http.Client{Timeout: 20 * time.Second, Transport: next}
	if apiURL == "" {
		return c, nil
	}
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("bot: API URL %q is not an http(s) URL", apiURL)
	}
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = redirect{to: u, next: next}
	return c, nil
}

// redirect sends requests for Discord's API host to another base URL,
// keeping their path (/api/v9/...).
type redirect struct {
	to   *url.URL
	next http.RoundTripper
}

// discordHost is where discordgo sends REST requests.
const discordHost = "discord.com"

func (r redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != discordHost {
		return r.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.URL.Scheme = r.to.Scheme
	req.URL.Host = r.to.Host
	req.URL.Path = r.to.Path + req.URL.Path
	req.URL.RawPath = ""
	req.Host = r.to.Host
	return r.next.RoundTrip(req)
}

// Run connects to the gateway, registers the commands in the background
// (retrying until Discord accepts them) and answers until ctx ends; then
// it stops taking new work, lets in-flight answers finish within the
// grace period, ends the rest, and closes the gateway.
func (b *Bot) Run(ctx context.Context) error {
	// Work outlives ctx by the grace period; shutdown ends it.
	work, endWork := context.WithCancel(context.WithoutCancel(ctx))
	defer endWork()
	b.addHandlers(ctx, work)
	if err := b.open(); err != nil {
		return err
	}
	botID, _ := b.ids()
	b.log.Info("bot ready", "bot_id", botID, "guild_id", b.cfg.GuildID, "prefix", b.cfg.Prefix)
	registered := make(chan struct{})
	go func() {
		defer close(registered)
		if b.cfg.ShardCount > 1 && b.cfg.Shard != 0 {
			// Commands belong to the application, not to a connection:
			// one registration serves every shard.
			b.log.Info("slash commands are registered by shard 0", "shard", b.cfg.Shard)
			return
		}
		b.registerLoop(ctx)
	}()
	<-ctx.Done()
	<-registered
	b.shutdown(endWork)
	return nil
}

// addHandlers routes events to the bot. Work starts under work; an event
// that arrives once ctx has ended is refused.
func (b *Bot) addHandlers(ctx, work context.Context) {
	s := b.session
	s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		b.onInteraction(work, ctx.Done(), ic.Interaction)
	})
	s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { b.onMessage(work, ctx.Done(), m.Message) })
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.MessageReactionAdd) {
		b.onReaction(work, r.MessageReaction, true)
	})
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.MessageReactionRemove) {
		b.onReaction(work, r.MessageReaction, false)
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) { b.gatewayDown() })
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) { b.gatewayUp() })
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.RateLimit) {
		b.log.Warn("discord rate limit", "url", r.URL, "retry_after", r.RetryAfter)
	})
}

// open connects to the gateway. If Discord refuses the Message Content
// intent (close code 4014) it says so and connects without it.
func (b *Bot) open() error {
	err := b.session.Open()
	var ce *websocket.CloseError
	if errors.As(err, &ce) && ce.Code == closeDisallowedIntents {
		b.log.Warn("the Message Content intent is not enabled for this application: " +
			"chat commands such as !ask will not work; slash commands, mentions and direct messages will. " +
			"Enable it in the Discord developer portal, Bot, Privileged Gateway Intents, then restart.")
		b.session.Identify.Intents &^= discordgo.IntentMessageContent
		err = b.session.Open()
	}
	if err != nil {
		return fmt.Errorf("connect to the Discord gateway: %w", err)
	}
	st := b.session.State
	st.RLock()
	defer st.RUnlock()
	if st.User == nil {
		return errors.New("connect to the Discord gateway: no user in Ready")
	}
	b.mu.Lock()
	b.botID = st.User.ID
	b.appID = st.User.ID
	if st.Application != nil && st.Application.ID != "" {
		b.appID = st.Application.ID
	}
	b.mu.Unlock()
	return nil
}

// closeDisallowedIntents is the gateway close code for intents the
// application may not use.
const closeDisallowedIntents = 4014

// admit counts a new piece of work in, unless the bot is shutting down:
// stopping is closed, or the drain has begun.
func (b *Bot) admit(stopping <-chan struct{}) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-stopping:
		return false
	default:
	}
	if b.draining {
		return false
	}
	b.inflight.Add(1)
	return true
}

func (b *Bot) shutdown(endWork context.CancelFunc) {
	b.mu.Lock()
	b.draining = true
	b.mu.Unlock()
	b.log.Info("shutting down: finishing answers in flight", "grace", b.cfg.Grace)
	done := make(chan struct{})
	go func() { b.inflight.Wait(); close(done) }()
	timer := time.NewTimer(b.cfg.Grace)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		b.log.Warn("grace period over: ending answers in flight")
		endWork()
		<-done
	}
	b.mu.Lock()
	b.stopped = true // closing emits a Disconnect: not one to report
	b.mu.Unlock()
	if err := b.session.Close(); err != nil {
		b.log.Warn("close gateway", "err", err)
	}
	b.log.Info("bot stopped")
}

// gatewayDown notes when the gateway was lost; discordgo reconnects on
// its own, and gatewayUp logs the reconnection once it is made.
func (b *Bot) gatewayDown() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.obs.Gateway(false)
	if !b.stopped && b.downAt.IsZero() {
		b.downAt = time.Now()
		b.log.Debug("gateway disconnected; reconnecting")
	}
}

// gatewayUp logs one line per reconnection, none for the first connection.
func (b *Bot) gatewayUp() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.obs.Gateway(true)
	b.conns++
	if b.conns == 1 || b.stopped {
		return
	}
	attrs := []any{"reconnections", b.conns - 1}
	if !b.downAt.IsZero() {
		attrs = append(attrs, "down_for", time.Since(b.downAt).Round(time.Millisecond))
	}
	b.downAt = time.Time{}
	b.log.Info("gateway reconnected", attrs...)
}

func (b *Bot) ids() (botID, appID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.botID, b.appID
}

func (b *Bot) allowedChannel(id string) bool {
	return len(b.cfg.Channels) == 0 || slices.Contains(b.cfg.Channels, id)
}
