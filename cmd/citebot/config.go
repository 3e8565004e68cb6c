package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
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

	LLM LLMConfig
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

// Enabled reports whether a model is configured: a key or a base URL.
func (c LLMConfig) Enabled() bool { return c.APIKey != "" || c.BaseURL != "" }

func defaultConfig() Config {
	return Config{
		DB:       "citebot.db",
		K:        5,
		LogLevel: slog.LevelWarn,
		LLM: LLMConfig{
			Model:        "gpt-4o-mini",
			Timeout:      30 * time.Second,
			Retries:      2,
			Temperature:  0.1,
			ContextChars: 12000,
			Rewrite:      true,
		},
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
	if v := strings.TrimSpace(get("CITEBOT_LOG_LEVEL")); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			errs = append(errs, fmt.Errorf("CITEBOT_LOG_LEVEL: %q is not debug, info, warn or error", v))
		}
	}
	str("OPENAI_API_KEY", &c.LLM.APIKey)
	str("OPENAI_BASE_URL", &c.LLM.BaseURL)
	str("OPENAI_MODEL", &c.LLM.Model)
	duration("CITEBOT_LLM_TIMEOUT", &c.LLM.Timeout)
	integer("CITEBOT_LLM_RETRIES", &c.LLM.Retries)
	float("CITEBOT_LLM_TEMPERATURE", &c.LLM.Temperature)
	integer("CITEBOT_LLM_CONTEXT_CHARS", &c.LLM.ContextChars)
	boolean("CITEBOT_LLM_REWRITE", &c.LLM.Rewrite)
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
	return errors.Join(errs...)
}
