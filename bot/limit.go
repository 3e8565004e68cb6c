package bot

import (
	"context"
	"sync"
	"time"
)

// limiter is the one rate limit on everything that makes the bot post: a
// token bucket per user and one per channel. A request takes its cost
// from both buckets or from neither, so that a refused user does not use
// up the channel's allowance.
type limiter struct {
	mu       sync.Mutex
	now      func() time.Time
	users    buckets
	channels buckets
}

// buckets are token buckets, one per key: each key may spend burst
// tokens at once, then gets rate more per second. A rate of 0 is no
// limit.
type buckets struct {
	rate, burst float64
	m           map[string]*bucket
}

type bucket struct {
	tokens  float64
	at      time.Time
	noticed bool // the user was told of a refusal since the last request allowed
}

// verdict is the limiter's answer to a request.
type verdict struct {
	ok     bool
	wait   time.Duration // until the refusing bucket has enough tokens again
	notice bool          // the first refusal since that bucket last allowed a request
}

// Costs of requests: an autocomplete is asked for as the user types, so
// several make one request's worth.
const (
	requestCost      = 1
	autocompleteCost = 0.25
)

// maxBuckets bounds each map; full buckets are forgotten beyond it.
const maxBuckets = 10000

func newLimiter(cfg Config, now func() time.Time) *limiter {
	return &limiter{
		now:      now,
		users:    buckets{rate: cfg.RatePerMinute / 60, burst: float64(cfg.RateBurst), m: map[string]*bucket{}},
		channels: buckets{rate: cfg.ChannelRatePerMinute / 60, burst: float64(cfg.ChannelBurst), m: map[string]*bucket{}},
	}
}

// allow takes cost from user's bucket and channel's, if both have it.
func (l *limiter) allow(user, channel string, cost float64) verdict {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	u, c := l.users.refill(user, now), l.channels.refill(channel, now)
	for _, x := range []struct {
		b    *bucket
		rate float64
	}{{u, l.users.rate}, {c, l.channels.rate}} {
		if x.b != nil && x.b.tokens < cost {
			// The notice is the user's: when the channel refuses, each of
			// its users is told once, not only the first one refused.
			told := x.b
			if u != nil {
				told = u
			}
			v := verdict{wait: time.Duration((cost - x.b.tokens) / x.rate * float64(time.Second)), notice: !told.noticed}
			told.noticed = true
			return v
		}
	}
	for _, b := range []*bucket{u, c} {
		if b != nil {
			b.tokens -= cost
			// Only a whole request allowed ends the window of the notice:
			// an autocomplete squeezed in between two refused requests
			// must not earn the user a second notice.
			if cost >= requestCost {
				b.noticed = false
			}
		}
	}
	return verdict{ok: true}
}

// refill returns key's bucket with the tokens earned since it was last
// used, or nil if there is no limit.
func (bs *buckets) refill(key string, now time.Time) *bucket {
	if bs.rate <= 0 {
		return nil
	}
	b, ok := bs.m[key]
	if !ok {
		if len(bs.m) >= maxBuckets {
			bs.forgetFull(now)
		}
		b = &bucket{tokens: bs.burst, at: now}
		bs.m[key] = b
	}
	b.tokens = min(bs.burst, b.tokens+now.Sub(b.at).Seconds()*bs.rate)
	b.at = now
	return b
}

func (bs *buckets) forgetFull(now time.Time) {
	for k, b := range bs.m {
		if b.tokens+now.Sub(b.at).Seconds()*bs.rate >= bs.burst {
			delete(bs.m, k)
		}
	}
}

// gate caps how many answers are computed at once; the others queue.
type gate chan struct{}

// enter waits for a free slot, or for ctx to end.
func (g gate) enter(ctx context.Context) error {
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g gate) leave() { <-g }
