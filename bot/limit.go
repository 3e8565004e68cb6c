package bot

import (
	"context"
	"sync"
	"time"
)

// buckets is a per-user token bucket: each user may make burst requests
// at once, then one every 1/rate seconds.
type buckets struct {
	mu    sync.Mutex
	rate  float64 // tokens per second
	burst float64
	now   func() time.Time
	users map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds the map; full buckets are forgotten beyond it.
const maxBuckets = 10000

func newBuckets(perMinute float64, burst int, now func() time.Time) *buckets {
	return &buckets{rate: perMinute / 60, burst: float64(burst), now: now, users: make(map[string]*bucket)}
}

// allow takes a token from user's bucket. If there is none it returns
// false and how long until there is.
func (b *buckets) allow(user string) (bool, time.Duration) {
	if b.rate <= 0 {
		return true, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	u, ok := b.users[user]
	if !ok {
		if len(b.users) >= maxBuckets {
			b.forgetFull(now)
		}
		u = &bucket{tokens: b.burst, at: now}
		b.users[user] = u
	}
	u.tokens = min(b.burst, u.tokens+now.Sub(u.at).Seconds()*b.rate)
	u.at = now
	if u.tokens >= 1 {
		u.tokens--
		return true, 0
	}
	wait := time.Duration((1 - u.tokens) / b.rate * float64(time.Second))
	return false, wait
}

func (b *buckets) forgetFull(now time.Time) {
	for id, u := range b.users {
		if u.tokens+now.Sub(u.at).Seconds()*b.rate >= b.burst {
			delete(b.users, id)
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
