package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"citebot/corpus"
	"citebot/internal/dictd"
	"citebot/internal/dotenv"
	"citebot/retrieval"
	"citebot/store"
)

// app is what every subcommand shares: settings, output and logger.
type app struct {
	cfg    Config
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	json   bool
	level  *slog.LevelVar
	an     *retrieval.Analyzer
}

func newApp(getenv func(string) string, stdout, stderr io.Writer) (*app, error) {
	file, err := dotenv.Load(".env")
	if err != nil {
		return nil, err
	}
	get := func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return file[name]
	}
	cfg, err := loadConfig(get)
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	level := new(slog.LevelVar)
	level.Set(cfg.LogLevel)
	var handler slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})
	if cfg.Ops.LogFormat == "json" {
		handler = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level})
	}
	log := slog.New(handler)
	return &app{
		cfg:    cfg,
		stdout: stdout,
		stderr: stderr,
		level:  level,
		an:     newAnalyzer(cfg.DictDir, log),
		log:    log,
	}, nil
}

// newAnalyzer gives the analyser FreeDict's translations when they are
// installed in dir (Debian: apt-get install dict-freedict-eng-fra
// dict-freedict-fra-eng). Without them English questions use the
// built-in glossary, which knows far fewer words: a degraded mode, not a
// failure, so a broken dictionary is reported and left out.
func newAnalyzer(dir string, log *slog.Logger) *retrieval.Analyzer {
	if dir == "off" {
		log.Info("English translations: built-in glossary only", "setting", "CITEBOT_DICT_DIR=off")
		return retrieval.NewAnalyzer()
	}
	start := time.Now()
	tr, err := dictd.Load(dir)
	switch {
	case errors.Is(err, dictd.ErrNotInstalled):
		log.Info("English translations: built-in glossary only; install dict-freedict-eng-fra for more", "dir", dir)
		return retrieval.NewAnalyzer()
	case err != nil:
		log.Warn("English translations: dictionary unreadable, built-in glossary only", "dir", dir, "err", err)
		return retrieval.NewAnalyzer()
	}
	log.Info("English translations: FreeDict and built-in glossary", "dir", dir, "dictionaries", tr.Sources(), "duration", time.Since(start))
	return retrieval.NewAnalyzer(retrieval.WithTranslator(tr.Translate))
}

// flags returns a flag set with the flags every command takes.
func (a *app) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.StringVar(&a.cfg.DB, "db", a.cfg.DB, "index file")
	fs.StringVar(&a.cfg.Corpus, "corpus", a.cfg.Corpus, "corpus folder (default: shipped articles)")
	fs.IntVar(&a.cfg.K, "k", a.cfg.K, "passages to retrieve")
	fs.BoolVar(&a.json, "json", false, "machine-readable output")
	return fs
}

// parse parses flags that may come before or after the positional
// arguments, as people type them, and validates the result.
func (a *app) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if err := a.cfg.Validate(); err != nil {
		return nil, usageError{err.Error()}
	}
	return pos, nil
}

// corpusFS is the corpus to index: the folder given, opened so that links
// cannot lead outside it, or the articles shipped in the binary.
func (a *app) corpusFS() (fs.FS, string, error) {
	src, err := a.source()
	return src.FS, a.corpusLabel(), err
}

func (a *app) corpusLabel() string {
	if a.cfg.Corpus == "" {
		return "(shipped articles)"
	}
	return a.cfg.Corpus
}

// source is the corpus the command names, as the index records it: the
// folder's absolute path, or store.Shipped.
func (a *app) source() (store.Source, error) {
	if a.cfg.Corpus == "" {
		return store.Source{Name: store.Shipped, FS: corpus.FS()}, nil
	}
	abs, err := filepath.Abs(a.cfg.Corpus)
	if err != nil {
		return store.Source{}, fmt.Errorf("corpus folder %s: %w", a.cfg.Corpus, err)
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return store.Source{}, fmt.Errorf("corpus folder %s: %w", a.cfg.Corpus, err)
	}
	return store.Source{Name: abs, FS: root.FS()}, nil
}

// openIndex opens the index for a command that reads it. It takes no
// lock: when a cheap check finds the corpus changed, it brings the index
// up to date (the first question on a fresh clone builds it), unless
// another process is already writing, in which case it answers at once
// from the committed index.
func (a *app) openIndex(ctx context.Context, progress store.Progress) (*store.DB, error) {
	src, err := a.source()
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, a.cfg.DB, a.an)
	if err != nil {
		return nil, err
	}
	if err := a.refresh(ctx, db, src, progress); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (a *app) refresh(ctx context.Context, db *store.DB, src store.Source, progress store.Progress) error {
	fresh, err := db.Fresh(ctx, src)
	if err != nil || fresh {
		return err
	}
	if db.ReadOnly() {
		a.log.Warn("the index is read-only: answering from it as it is, without the corpus's latest changes", "db", a.cfg.DB)
		return nil
	}
	// Other processes' short writes (a conversation's turn) hold the
	// writer for milliseconds; a reload, for seconds or minutes.
	rep, err := db.Sync(ctx, src, store.SyncOptions{Wait: reloadWait, Progress: progress})
	if errors.Is(err, store.ErrBusy) || errors.Is(err, store.ErrReloadRunning) {
		st, serr := db.Stats(ctx)
		if serr != nil {
			return serr
		}
		if st.Documents > 0 {
			a.log.Warn("the index is being updated by another process: answering from the previous index", "db", a.cfg.DB)
			return nil
		}
		// Nothing to answer from yet: wait for the other process's build
		// (a second shard starting beside the first), then check it.
		// In short waits, so that SIGINT is heard: SQLite's own wait is
		// deaf to it.
		a.log.Info("the index is being built by another process: waiting for it", "db", a.cfg.DB)
		for errors.Is(err, store.ErrBusy) && ctx.Err() == nil {
			rep, err = db.Sync(ctx, src, store.SyncOptions{Wait: time.Second, Progress: progress})
		}
	}
	if err != nil {
		return err
	}
	a.logReport(rep)
	return nil
}

// logReport logs what a reload changed, and one line for all the files it
// skipped, however many.
func (a *app) logReport(rep store.Report) {
	name := a.corpusLabel()
	if len(rep.Skipped) > 0 {
		a.log.Warn("corpus files skipped", "corpus", name, "count", len(rep.Skipped),
			"reasons", skipReasons(rep.Skipped), "hint", "citebot index lists them")
	}
	for _, l := range rep.Limits {
		a.log.Warn("limit reached", "corpus", name, "limit", l)
	}
	if rep.Modified() {
		a.log.Info("index updated", "corpus", name, "added", len(rep.Added), "changed", len(rep.Changed),
			"removed", len(rep.Removed), "paragraphs", rep.Paragraphs, "duration", rep.Duration)
	}
}

// skipReasons counts skipped files by reason, most common first:
// "unsupported file type \".jpg\" (2000), empty (1)".
func skipReasons(skips []store.Skip) string {
	count := make(map[string]int)
	for _, s := range skips {
		count[s.Reason]++
	}
	reasons := slices.Collect(maps.Keys(count))
	slices.SortFunc(reasons, func(x, y string) int {
		if c := count[y] - count[x]; c != 0 {
			return c
		}
		return strings.Compare(x, y)
	})
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = fmt.Sprintf("%s (%d)", r, count[r])
	}
	return strings.Join(parts, ", ")
}

func (a *app) searcher(db *store.DB) *retrieval.Searcher {
	return retrieval.NewSearcher(a.an, db, retrieval.Options{})
}

// joinArgs makes one question of the positional arguments, so quoting the
// question is optional.
func joinArgs(args []string) string { return strings.TrimSpace(strings.Join(args, " ")) }
