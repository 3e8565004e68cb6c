package store

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"citebot/corpus"
	"citebot/internal/synth"
	"citebot/retrieval"
)

// Benchmarks build corpora of real French text at several sizes. The 1M
// size is slow to generate and index; set CITEBOT_BENCH_1M=1 to include it.
//
//	go test -tags sqlite_fts5 -run x -bench . ./store

func benchSizes() []int {
	sizes := []int{10_000, 100_000}
	if os.Getenv("CITEBOT_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	return sizes
}

// benchSentences reads PIAF's French Wikipedia paragraphs when ../shared
// is at hand, else the shipped articles.
func benchSentences(b *testing.B) []string {
	b.Helper()
	var src fs.FS = corpus.FS()
	if dir := filepath.Join("..", "..", "shared", "eval", "piaf-v1.1", "corpus"); dirExists(dir) {
		src = os.DirFS(dir)
	}
	s, err := synth.Sentences(src)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func dirExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

// benchCorpus returns a generated corpus of n paragraphs, cached between
// runs under the system's temporary folder.
func benchCorpus(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "citebot-bench", "corpus-"+strconv.Itoa(n))
	if _, err := os.Stat(filepath.Join(dir, ".done")); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	if _, err := synth.Write(dir, benchSentences(b), n, 1); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".done"), nil, 0o644)
	return dir
}

// benchIndex returns an index of the generated corpus of n paragraphs,
// built once and cached.
func benchIndex(b *testing.B, n int) *DB {
	b.Helper()
	dir := benchCorpus(b, n)
	path := filepath.Join(os.TempDir(), "citebot-bench", "index-"+strconv.Itoa(n)+".db")
	db := openDB(b, path)
	if _, err := db.Reload(b.Context(), os.DirFS(dir), nil); err != nil {
		b.Fatal(err)
	}
	return db
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			dir := benchCorpus(b, n)
			var total time.Duration
			for b.Loop() {
				db := openDB(b, filepath.Join(b.TempDir(), "i.db"))
				began := time.Now()
				rep, err := db.Reload(b.Context(), os.DirFS(dir), nil)
				total += time.Since(began)
				if err != nil || rep.Paragraphs != n {
					b.Fatalf("built %d paragraphs, %v; want %d", rep.Paragraphs, err, n)
				}
				db.Close()
			}
			b.ReportMetric(float64(n*b.N)/total.Seconds(), "paragraphs/s")
		})
	}
}

// BenchmarkSearch compares citebot's search (analysis, term look-ups,
// spelling tolerance, BM25, re-ranking, text) with bare FTS5 running the
// very MATCH expressions citebot runs for the question (Searcher.Plan: at
// 20k paragraphs and more, common terms are pruned), with the same LIMIT
// and the same fallback to the next expression, on the same database, so
// that citebot's overhead is a ratio. Timing the unpruned expression
// instead would compare citebot with a bigger question than it asks.
func BenchmarkSearch(b *testing.B) {
	questions := synth.Questions(benchSentences(b), 500, 7)
	an := retrieval.NewAnalyzer()
	const k = 5
	for _, n := range benchSizes() {
		var db *DB
		// The index is opened for the parent benchmark, so that it
		// outlives each sub-benchmark, and only if one runs.
		parent := b
		index := func(*testing.B) *DB {
			if db == nil {
				db = benchIndex(parent, n)
			}
			return db
		}
		b.Run(strconv.Itoa(n)+"/citebot", func(b *testing.B) {
			db := index(b)
			s := retrieval.NewSearcher(an, db, retrieval.Options{})
			latencies(b, questions, func(q string) error {
				_, err := s.Search(b.Context(), q, k)
				return err
			})
		})
		b.Run(strconv.Itoa(n)+"/bare-fts5-same-plan", func(b *testing.B) {
			db := index(b)
			s := retrieval.NewSearcher(an, db, retrieval.Options{})
			plans := make(map[string][]string) // FTS5 expressions
			limit := 0
			for _, q := range questions {
				plan, l, err := s.Plan(b.Context(), q, k)
				if err != nil && err != retrieval.ErrEmptyQuery {
					b.Fatal(err)
				}
				for _, m := range plan {
					plans[q] = append(plans[q], ftsMatch(m))
				}
				limit = max(limit, l)
			}
			latencies(b, questions, func(q string) error {
				for _, match := range plans[q] {
					found, err := bareMatch(b, db, match, limit)
					if err != nil || found >= k {
						return err
					}
				}
				return nil
			})
		})
	}
}

// bareMatch runs one MATCH expression in FTS5 alone, ranked, and counts
// the rows.
func bareMatch(b *testing.B, db *DB, match string, limit int) (int, error) {
	rows, err := db.sql.QueryContext(b.Context(), "SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH ? ORDER BY rank LIMIT ?", match, limit)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// latencies runs search over the questions in turn and reports the median
// and 99th percentile latency.
func latencies(b *testing.B, questions []string, search func(string) error) {
	var d []time.Duration
	i := 0
	for b.Loop() {
		q := questions[i%len(questions)]
		i++
		began := time.Now()
		if err := search(q); err != nil && err != retrieval.ErrEmptyQuery {
			b.Fatalf("%q: %v", q, err)
		}
		d = append(d, time.Since(began))
	}
	slices.Sort(d)
	b.ReportMetric(ms(d[len(d)/2]), "p50-ms")
	b.ReportMetric(ms(d[len(d)*99/100]), "p99-ms")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkReload measures a reload after one file of a 100k-paragraph
// corpus changed, against a full rebuild of the same corpus:
//
//	go test -tags sqlite_fts5 -run x -bench Reload ./store
//
// The corpus is generated in b.TempDir() and its files dated an hour back,
// as a corpus that nobody is editing: files modified within the last
// seconds are hashed on every reload (see racyWindow).
func BenchmarkReload(b *testing.B) {
	const n = 100_000
	dir := b.TempDir()
	names, err := synth.Write(dir, benchSentences(b), n, 1)
	if err != nil {
		b.Fatal(err)
	}
	anHourAgo := time.Now().Add(-time.Hour)
	for _, name := range names {
		if err := os.Chtimes(filepath.Join(dir, name), anHourAgo, anHourAgo); err != nil {
			b.Fatal(err)
		}
	}
	db := openDB(b, filepath.Join(b.TempDir(), "i.db"))
	if rep, err := db.Reload(b.Context(), os.DirFS(dir), nil); err != nil || rep.Paragraphs != n {
		b.Fatalf("build: %d paragraphs, %v; want %d", rep.Paragraphs, err, n)
	}
	var incremental, rebuild time.Duration
	b.Run(fmt.Sprintf("%d/one-file-changed", n), func(b *testing.B) {
		changed := filepath.Join(dir, filepath.FromSlash(names[len(names)/2]))
		var took time.Duration
		var read int64
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			text := fmt.Sprintf("Version %d du paragraphe.\n\nUn second paragraphe, modifié.\n", i)
			if err := os.WriteFile(changed, []byte(text), 0o644); err != nil {
				b.Fatal(err)
			}
			fsys := &countingFS{fsys: os.DirFS(dir)}
			b.StartTimer()
			began := time.Now()
			rep, err := db.Reload(b.Context(), fsys, nil)
			took += time.Since(began)
			if err != nil || len(rep.Changed) != 1 {
				b.Fatalf("reload changed %q, %v; want one file", rep.Changed, err)
			}
			read += fsys.opens.Load()
		}
		incremental = took / time.Duration(b.N)
		b.ReportMetric(ms(incremental), "ms/reload")
		b.ReportMetric(float64(read)/float64(b.N), "files-read/reload")
	})
	b.Run(fmt.Sprintf("%d/full-rebuild", n), func(b *testing.B) {
		// The same corpus the incremental index holds now.
		st, err := db.Stats(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		var took time.Duration
		for b.Loop() {
			b.StopTimer()
			fresh := openDB(b, filepath.Join(b.TempDir(), "i.db"))
			b.StartTimer()
			began := time.Now()
			rep, err := fresh.Reload(b.Context(), os.DirFS(dir), nil)
			took += time.Since(began)
			if err != nil || rep.Paragraphs != st.Paragraphs {
				b.Fatalf("rebuild: %d paragraphs, %v; want %d", rep.Paragraphs, err, st.Paragraphs)
			}
			b.StopTimer()
			fresh.Close()
			b.StartTimer()
		}
		rebuild = took / time.Duration(b.N)
		b.ReportMetric(ms(rebuild), "ms/rebuild")
		b.ReportMetric(float64(st.Paragraphs)/rebuild.Seconds(), "paragraphs/s")
		if incremental > 0 {
			b.ReportMetric(float64(rebuild)/float64(incremental), "x-one-file-reload")
		}
	})
}

// BenchmarkAdversarial indexes folders of 16 MiB hostile files (four
// million two-letter paragraphs; one 16 MiB paragraph; short lines) and
// reports the process's peak memory, which should stay flat as the folder
// grows. 64 files (1 GiB on disk) need CITEBOT_BENCH_ADVERSARIAL=64.
//
//	go test -tags sqlite_fts5 -run x -bench Adversarial -benchtime 1x ./store
func BenchmarkAdversarial(b *testing.B) {
	counts := []int{4, 16}
	if n, err := strconv.Atoi(os.Getenv("CITEBOT_BENCH_ADVERSARIAL")); err == nil && n > 16 {
		counts = append(counts, n)
	}
	for _, n := range counts {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			dir := adversarialCorpus(b, n)
			for b.Loop() {
				resetPeakRSS()
				db := openDB(b, filepath.Join(b.TempDir(), "i.db"))
				rep, err := db.Reload(b.Context(), os.DirFS(dir), nil)
				if err != nil || len(rep.Limits) == 0 {
					b.Fatalf("reload: %v, limits %q; want the limits reported", err, rep.Limits)
				}
				db.Close()
			}
			if mb := peakRSSMB(); mb > 0 {
				b.ReportMetric(mb, "peak-RSS-MB")
			}
		})
	}
}

// adversarialCorpus writes n hostile files of 16 MiB, cached between runs.
func adversarialCorpus(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "citebot-bench", "adversarial-"+strconv.Itoa(n))
	if _, err := os.Stat(filepath.Join(dir, ".done")); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	tiny := []byte(strings.Repeat("ab\n\n", MaxFileBytes/4))
	lines := []byte(strings.Repeat("zebre lion\n\n", MaxFileBytes/12))
	words := []byte(strings.Repeat("le zèbre galope dans la savane ", MaxFileBytes/32) + "\n")
	for i := range n {
		data := [][]byte{tiny, tiny, lines, words}[i%4]
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d.txt", i)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, ".done"), nil, 0o644)
	return dir
}

// resetPeakRSS resets the kernel's high-water mark of this process's
// resident memory (Linux; elsewhere a no-op).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSMB reads VmHWM, the peak resident memory, in MB; 0 if unknown.
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}
