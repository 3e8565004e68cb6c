package retrieval

import (
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
)

// cacheShards spreads the word cache over locks so that the indexing
// goroutines rarely wait on one another.
const cacheShards = 64

// wordCache maps normalised words to their analysis, for concurrent use.
// It replaced a sync.Map, whose lookups were a sixth of the CPU time of
// building an index, CPU that the index's single writer needs more.
type wordCache struct {
	seed   maphash.Seed
	shards [cacheShards]struct {
		mu sync.RWMutex
		m  map[string]*wordInfo
	}
	size atomic.Int64
}

func newWordCache() *wordCache {
	c := &wordCache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = make(map[string]*wordInfo)
	}
	return c
}

func (c *wordCache) shard(w string) int {
	return int(maphash.String(c.seed, w) % cacheShards)
}

func (c *wordCache) load(w string) (*wordInfo, bool) {
	s := &c.shards[c.shard(w)]
	s.mu.RLock()
	in, ok := s.m[w]
	s.mu.RUnlock()
	return in, ok
}

// store remembers in for w while the cache holds fewer than limit words.
func (c *wordCache) store(w string, in *wordInfo, limit int64) {
	if c.size.Load() >= limit {
		return
	}
	s := &c.shards[c.shard(w)]
	s.mu.Lock()
	if _, ok := s.m[w]; !ok {
		s.m[strings.Clone(w)] = in
		c.size.Add(1)
	}
	s.mu.Unlock()
}
