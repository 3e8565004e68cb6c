package main

import (
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"citebot/answer"
	"citebot/corpus"
	"citebot/internal/convstore"
	"citebot/retrieval"
	"citebot/store"
)

// BenchmarkConversationMemory runs 10,000 conversation turns through what
// serve keeps conversations with (answer.Chat over the store, and the
// links of answers to conversations) and reports the heap in use after a
// collection at 1,000 and at 10,000 turns, and the turns the store holds:
// conversations live in SQLite, bounded in turns and age, so neither
// grows with the turns asked.
//
//	go test -tags sqlite_fts5 ./cmd/citebot -run '^$' -bench ConversationMemory -benchtime 1x
func BenchmarkConversationMemory(b *testing.B) {
	const (
		turns = 10_000
		users = 200
	)
	an := retrieval.NewAnalyzer()
	db, err := store.Open(b.Context(), filepath.Join(b.TempDir(), "index.db"), an)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Sync(b.Context(), store.Source{Name: store.Shipped, FS: corpus.FS()}, store.SyncOptions{}); err != nil {
		b.Fatal(err)
	}
	clock := time.Date(2025, 1, 7, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	convs := conversations{Store: convstore.Store{DB: db}, now: now}
	svc := answer.New(retrieval.NewSearcher(an, db, retrieval.Options{}), answer.Options{})
	chat := answer.NewChat(svc, convs, answer.ChatOptions{MaxTurns: 6, MaxAge: time.Hour, Now: now})
	questions := []string{
		"Quel accord Benny Gantz a-t-il signé à Rabat ?",
		"Et quand a-t-il été signé ?",
		"Qui a accueilli le chef d'état-major marocain en Israël ?",
		"Et combien de temps dure le colloque ?",
		"Quelle unité Benny Gantz visite-t-il à Salé ?",
	}
	heapAt := func() float64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return float64(m.HeapInuse) / (1 << 20)
	}
	for b.Loop() {
		var at1k float64
		for i := range turns {
			// Each user talks in turns; every 50th turn of theirs starts
			// a new conversation, so conversations keep being created.
			user := i % users
			conv := fmt.Sprintf("discord/c/%d/%d", user, i/(users*50))
			ans, err := chat.AskIn(b.Context(), conv, questions[(i/users)%len(questions)], nil)
			if err != nil {
				b.Fatal(err)
			}
			if err := convs.Link(b.Context(), fmt.Sprintf("m%d", i), conv); err != nil {
				b.Fatal(err)
			}
			_ = ans
			clock = clock.Add(2 * time.Second)
			if i+1 == 1000 {
				at1k = heapAt()
			}
		}
		at10k := heapAt()
		b.ReportMetric(at1k, "heap-MB@1k")
		b.ReportMetric(at10k, "heap-MB@10k")
		kept, err := db.Turns(b.Context(), fmt.Sprintf("discord/c/0/%d", (turns-1)/(users*50)), 100, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(kept)), "turns-kept/conv")
	}
}
