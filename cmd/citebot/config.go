package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting citebot reads, from defaults, then .env, then the
// environment, then command-line flags. .env.example documents each one.
type Config struct {
	DB       string     // CITEBOT_DB
	Corpus   string     // CITEBOT_CORPUS; empty means the shipped articles
	K        int        // CITEBOT_K
	LogLevel slog.Level // CITEBOT_LOG_LEVEL
	// DictDir holds FreeDict's dictd files, for English questions over
	// French articles; "off" uses the built-in glossary only.
	DictDir string // CITEBOT_DICT_DIR

	// Conversations bound what follow-up questions are read with.
	Conversations ConversationConfig

	LLM     LLMConfig
	Discord DiscordConfig
	Ops     OpsConfig
}

// ConversationConfig bounds the conversations kept in the index file.
type ConversationConfig struct {
	MaxTurns int           // CITEBOT_CONVERSATION_TURNS, kept per conversation
	MaxAge   time.Duration // CITEBOT_CONVERSATION_MAX_AGE, idle time before one is forgotten
}

// LLMConfig configures the OpenAI-compatible model.
type LLMConfig struct {
	APIKey       string        // OPENAI_API_KEY
	BaseURL      string        // OPENAI_BASE_URL
	Model        string        // OPENAI_MODEL
	Timeout      time.Duration // CITEBOT_LLM_TIMEOUT, per call
	Retries      int           // CITEBOT_LLM_RETRIES
	Temperature  float64       // CITEBOT_LLM_TEMPERATURE
	ContextChars int           // CITEBOT_LLM_CONTEXT_CHARS
	Rewrite      bool          // CITEBOT_LLM_REWRITE
}

// DiscordConfig configures citebot serve.
type DiscordConfig struct {
	Token         string        // DISCORD_TOKEN; never logged
	GuildID       string        // DISCORD_GUILD_ID
	AdminUsers    []string      // DISCORD_ADMIN_USER_IDS
	AdminRoles    []string      // DISCORD_ADMIN_ROLE_IDS
	Channels      []string      // DISCORD_CHANNEL_IDS
	Prefix        string        // CITEBOT_PREFIX
	APIURL        string        // DISCORD_API_URL
	RatePerMinute float64       // CITEBOT_RATE_PER_MINUTE
	RateBurst     int           // CITEBOT_RATE_BURST
	ChannelRate   float64       // CITEBOT_CHANNEL_RATE_PER_MINUTE
	ChannelBurst  int           // CITEBOT_CHANNEL_BURST
	MaxConcurrent int           // CITEBOT_MAX_CONCURRENT
	MaxQuestion   int           // CITEBOT_MAX_QUESTION
	AnswerTimeout time.Duration // CITEBOT_ANSWER_TIMEOUT
	Grace         time.Duration // CITEBOT_SHUTDOWN_GRACE
	MaxMessages   int           // CITEBOT_MAX_MESSAGES
	// Threads opens a thread on each answer to /ask or !ask, where any
	// message is a follow-up.
	Threads bool // CITEBOT_THREADS
	// Shard is this process's gateway shard, of ShardCount; a ShardCount
	// of 0 (both unset) is one process without sharding.
	Shard      int // CITEBOT_SHARD_ID
	ShardCount int // CITEBOT_SHARD_COUNT
	shardSet   bool
}

// Sharded reports whether the process serves one shard of several.
func (d DiscordConfig) Sharded() bool { return d.ShardCount > 0 }

// OpsConfig configures what an administrator watches: metrics, health,
// the question log and the log format.
type OpsConfig struct {
	MetricsAddr string // CITEBOT_METRICS_ADDR; empty: no metrics server
	LogDays     int    // CITEBOT_LOG_DAYS; 0 turns the question log off
	LogDB       string // CITEBOT_LOG_DB; empty: beside the index
	LogKey      string // CITEBOT_LOG_KEY; never logged
	LogFormat   string // CITEBOT_LOG_FORMAT: text or json
}

// LogPath is the question log's file: the setting, or beside the index
// ("citebot.db" gives "citebot-log.db").
func (c Config) LogPath() string {
	if c.Ops.LogDB != "" {
		return c.Ops.LogDB
	}
	return strings.TrimSuffix(c.DB, filepath.Ext(c.DB)) + "-log.db"
}

// Enabled reports whether a model is configured: a key or a base URL.
func (c LLMConfig) Enabled() bool { return c.APIKey != "" || c.BaseURL != "" }

func defaultConfig() Config {
	return Config{
		DB:       "citebot.db",
		K:        5,
		LogLevel: slog.LevelWarn,
		DictDir:  "/usr/share/dictd",
		Conversations: ConversationConfig{
			MaxTurns: 6,
			MaxAge:   24 * time.Hour,
		},
		LLM: LLMConfig{
			Model:        "gpt-4o-mini",
			Timeout:      30 * time.Second,
			Retries:      2,
			Temperature:  0.1,
			ContextChars: 12000,
			Rewrite:      true,
		},
		Discord: DiscordConfig{
			Prefix:        "!",
			RatePerMinute: 6,
			RateBurst:     3,
			ChannelRate:   20,
			ChannelBurst:  10,
			MaxConcurrent: 4,
			MaxQuestion:   500,
			AnswerTimeout: 2 * time.Minute,
			Grace:         20 * time.Second,
			MaxMessages:   4,
		},
		Ops: OpsConfig{LogDays: 30, LogFormat: "text"},
	}
}

// settings reads values by name; a missing name is "".
type settings func(string) string

// loadConfig applies settings over the defaults. Errors name the setting.
func loadConfig(get settings) (Config, error) {
	c := defaultConfig()
	var errs []error
	str := func(name string, dst *string) {
		if v := strings.TrimSpace(get(name)); v != "" {
			*dst = v
		}
	}
	integer := func(name string, dst *int) {
		if v := strings.TrimSpace(get(name)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a whole number", name, v))
				return
			}
			*dst = n
		}
	}
	float := func(name string, dst *float64) {
		if v := strings.TrimSpace(get(name)); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a number", name, v))
				return
			}
			*dst = f
		}
	}
	duration := func(name string, dst *time.Duration) {
		if v := strings.TrimSpace(get(name)); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a duration such as 30s or 2m", name, v))
				return
			}
			*dst = d
		}
	}
	boolean := func(name string, dst *bool) {
		if v := strings.TrimSpace(get(name)); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not true or false", name, v))
				return
			}
			*dst = b
		}
	}
	str("CITEBOT_DB", &c.DB)
	str("CITEBOT_CORPUS", &c.Corpus)
	integer("CITEBOT_K", &c.K)
	str("CITEBOT_DICT_DIR", &c.DictDir)
	if v := strings.TrimSpace(get("CITEBOT_LOG_LEVEL")); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			errs = append(errs, fmt.Errorf("CITEBOT_LOG_LEVEL: %q is not debug, info, warn or error", v))
		}
	}
	integer("CITEBOT_CONVERSATION_TURNS", &c.Conversations.MaxTurns)
	duration("CITEBOT_CONVERSATION_MAX_AGE", &c.Conversations.MaxAge)
	boolean("CITEBOT_THREADS", &c.Discord.Threads)
	str("OPENAI_API_KEY", &c.LLM.APIKey)
	str("OPENAI_BASE_URL", &c.LLM.BaseURL)
	str("OPENAI_MODEL", &c.LLM.Model)
	duration("CITEBOT_LLM_TIMEOUT", &c.LLM.Timeout)
	integer("CITEBOT_LLM_RETRIES", &c.LLM.Retries)
	float("CITEBOT_LLM_TEMPERATURE", &c.LLM.Temperature)
	integer("CITEBOT_LLM_CONTEXT_CHARS", &c.LLM.ContextChars)
	boolean("CITEBOT_LLM_REWRITE", &c.LLM.Rewrite)
	ids := func(name string, dst *[]string) {
		*dst = strings.FieldsFunc(get(name), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	}
	str("DISCORD_TOKEN", &c.Discord.Token)
	c.Discord.Token = strings.TrimPrefix(c.Discord.Token, "Bot ")
	str("DISCORD_GUILD_ID", &c.Discord.GuildID)
	ids("DISCORD_ADMIN_USER_IDS", &c.Discord.AdminUsers)
	ids("DISCORD_ADMIN_ROLE_IDS", &c.Discord.AdminRoles)
	ids("DISCORD_CHANNEL_IDS", &c.Discord.Channels)
	str("CITEBOT_PREFIX", &c.Discord.Prefix)
	str("DISCORD_API_URL", &c.Discord.APIURL)
	float("CITEBOT_RATE_PER_MINUTE", &c.Discord.RatePerMinute)
	integer("CITEBOT_RATE_BURST", &c.Discord.RateBurst)
	float("CITEBOT_CHANNEL_RATE_PER_MINUTE", &c.Discord.ChannelRate)
	integer("CITEBOT_CHANNEL_BURST", &c.Discord.ChannelBurst)
	integer("CITEBOT_MAX_CONCURRENT", &c.Discord.MaxConcurrent)
	integer("CITEBOT_MAX_QUESTION", &c.Discord.MaxQuestion)
	duration("CITEBOT_ANSWER_TIMEOUT", &c.Discord.AnswerTimeout)
	duration("CITEBOT_SHUTDOWN_GRACE", &c.Discord.Grace)
	integer("CITEBOT_MAX_MESSAGES", &c.Discord.MaxMessages)
	integer("CITEBOT_SHARD_COUNT", &c.Discord.ShardCount)
	if strings.TrimSpace(get("CITEBOT_SHARD_ID")) != "" {
		c.Discord.shardSet = true
		integer("CITEBOT_SHARD_ID", &c.Discord.Shard)
	}
	str("CITEBOT_METRICS_ADDR", &c.Ops.MetricsAddr)
	integer("CITEBOT_LOG_DAYS", &c.Ops.LogDays)
	str("CITEBOT_LOG_DB", &c.Ops.LogDB)
	str("CITEBOT_LOG_KEY", &c.Ops.LogKey)
	str("CITEBOT_LOG_FORMAT", &c.Ops.LogFormat)
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	return c, c.Validate()
}

// Validate checks the settings' values together. Errors name the setting.
func (c Config) Validate() error {
	var errs []error
	if c.DB == "" {
		errs = append(errs, errors.New("CITEBOT_DB (--db): must not be empty"))
	}
	if c.K < 1 || c.K > 50 {
		errs = append(errs, fmt.Errorf("CITEBOT_K (-k): %d is out of range 1..50", c.K))
	}
	if c.Conversations.MaxTurns < 1 || c.Conversations.MaxTurns > 50 {
		errs = append(errs, fmt.Errorf("CITEBOT_CONVERSATION_TURNS: %d is out of range 1..50", c.Conversations.MaxTurns))
	}
	if c.Conversations.MaxAge < time.Minute {
		errs = append(errs, errors.New("CITEBOT_CONVERSATION_MAX_AGE: must be at least 1m"))
	}
	if c.LLM.BaseURL != "" {
		u, err := url.Parse(c.LLM.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("OPENAI_BASE_URL: %q is not an http(s) URL", c.LLM.BaseURL))
		}
	}
	if c.LLM.Timeout <= 0 {
		errs = append(errs, errors.New("CITEBOT_LLM_TIMEOUT: must be positive"))
	}
	if c.LLM.Retries < 0 || c.LLM.Retries > 10 {
		errs = append(errs, fmt.Errorf("CITEBOT_LLM_RETRIES: %d is out of range 0..10", c.LLM.Retries))
	}
	if c.LLM.Temperature < 0 || c.LLM.Temperature > 2 {
		errs = append(errs, fmt.Errorf("CITEBOT_LLM_TEMPERATURE: %g is out of range 0..2", c.LLM.Temperature))
	}
	if c.LLM.ContextChars < 500 {
		errs = append(errs, fmt.Errorf("CITEBOT_LLM_CONTEXT_CHARS: %d is too small (at least 500)", c.LLM.ContextChars))
	}
	errs = append(errs, c.Discord.validate()...)
	errs = append(errs, c.Ops.validate()...)
	return errors.Join(errs...)
}

func (d DiscordConfig) validate() []error {
	var errs []error
	snowflakes := func(name string, vs ...string) {
		for _, v := range vs {
			if _, err := strconv.ParseUint(v, 10, 64); v != "" && err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a Discord ID (a number)", name, v))
			}
		}
	}
	snowflakes("DISCORD_GUILD_ID", d.GuildID)
	snowflakes("DISCORD_ADMIN_USER_IDS", d.AdminUsers...)
	snowflakes("DISCORD_ADMIN_ROLE_IDS", d.AdminRoles...)
	snowflakes("DISCORD_CHANNEL_IDS", d.Channels...)
	if d.APIURL != "" {
		u, err := url.Parse(d.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("DISCORD_API_URL: %q is not an http(s) URL", d.APIURL))
		}
	}
	if d.Prefix == "" || strings.ContainsAny(d.Prefix, " \t\n") || len(d.Prefix) > 5 {
		errs = append(errs, fmt.Errorf("CITEBOT_PREFIX: %q must be 1 to 5 characters without spaces", d.Prefix))
	}
	if d.RatePerMinute < 0 {
		errs = append(errs, fmt.Errorf("CITEBOT_RATE_PER_MINUTE: %g must not be negative (0 turns the limit off)", d.RatePerMinute))
	}
	if d.RateBurst < 1 || d.RateBurst > 100 {
		errs = append(errs, fmt.Errorf("CITEBOT_RATE_BURST: %d is out of range 1..100", d.RateBurst))
	}
	if d.ChannelRate < 0 {
		errs = append(errs, fmt.Errorf("CITEBOT_CHANNEL_RATE_PER_MINUTE: %g must not be negative (0 turns the limit off)", d.ChannelRate))
	}
	if d.ChannelBurst < 1 || d.ChannelBurst > 1000 {
		errs = append(errs, fmt.Errorf("CITEBOT_CHANNEL_BURST: %d is out of range 1..1000", d.ChannelBurst))
	}
	if d.MaxConcurrent < 1 || d.MaxConcurrent > 100 {
		errs = append(errs, fmt.Errorf("CITEBOT_MAX_CONCURRENT: %d is out of range 1..100", d.MaxConcurrent))
	}
	if d.MaxQuestion < 10 || d.MaxQuestion > 4000 {
		errs = append(errs, fmt.Errorf("CITEBOT_MAX_QUESTION: %d is out of range 10..4000", d.MaxQuestion))
	}
	if d.AnswerTimeout <= 0 || d.AnswerTimeout > 14*time.Minute {
		errs = append(errs, errors.New("CITEBOT_ANSWER_TIMEOUT: must be positive and at most 14m (an interaction's token lasts 15m)"))
	}
	if d.MaxMessages < 1 || d.MaxMessages > 10 {
		errs = append(errs, fmt.Errorf("CITEBOT_MAX_MESSAGES: %d is out of range 1..10", d.MaxMessages))
	}
	if d.Grace < 0 {
		errs = append(errs, errors.New("CITEBOT_SHUTDOWN_GRACE: must not be negative"))
	}
	switch {
	case d.ShardCount < 0 || d.ShardCount > 10000:
		errs = append(errs, fmt.Errorf("CITEBOT_SHARD_COUNT: %d is out of range 1..10000", d.ShardCount))
	case d.ShardCount == 0 && d.shardSet:
		errs = append(errs, errors.New("CITEBOT_SHARD_ID: set CITEBOT_SHARD_COUNT too (the number of shards of all processes)"))
	case d.ShardCount > 0 && !d.shardSet:
		errs = append(errs, errors.New("CITEBOT_SHARD_COUNT: set CITEBOT_SHARD_ID too (this process's shard, from 0)"))
	case d.ShardCount > 0 && (d.Shard < 0 || d.Shard >= d.ShardCount):
		errs = append(errs, fmt.Errorf("CITEBOT_SHARD_ID: %d is out of range 0..%d (shards count from 0)", d.Shard, d.ShardCount-1))
	}
	return errs
}

func (o OpsConfig) validate() []error {
	var errs []error
	if o.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(o.MetricsAddr); err != nil || port == "" {
			errs = append(errs, fmt.Errorf("CITEBOT_METRICS_ADDR: %q is not host:port, such as 127.0.0.1:9464", o.MetricsAddr))
		}
	}
	if o.LogDays < 0 || o.LogDays > 3650 {
		errs = append(errs, fmt.Errorf("CITEBOT_LOG_DAYS: %d is out of range 0..3650 (0 turns the question log off)", o.LogDays))
	}
	if o.LogFormat != "text" && o.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("CITEBOT_LOG_FORMAT: %q is not text or json", o.LogFormat))
	}
	return errs
}

// validateServe checks what only citebot serve needs.
func (d DiscordConfig) validateServe() error {
	if d.Token == "" {
		return errors.New("DISCORD_TOKEN: citebot serve needs the bot's token (Discord developer portal, your application, Bot, Reset Token)")
	}
	return nil
}
