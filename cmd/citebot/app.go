package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
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
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
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
	if a.cfg.Corpus == "" {
		return corpus.FS(), "(shipped articles)", nil
	}
	root, err := os.OpenRoot(a.cfg.Corpus)
	if err != nil {
		return nil, "", fmt.Errorf("corpus folder %s: %w", a.cfg.Corpus, err)
	}
	return root.FS(), a.cfg.Corpus, nil
}

// openIndex opens the index and brings it up to date with the corpus, so
// that the first question on a fresh clone builds it and later ones see
// changed files.
func (a *app) openIndex(ctx context.Context, progress store.Progress) (*store.DB, store.Report, error) {
	db, err := store.Open(ctx, a.cfg.DB, a.an)
	if err != nil {
		return nil, store.Report{}, err
	}
	fsys, name, err := a.corpusFS()
	if err != nil {
		db.Close()
		return nil, store.Report{}, err
	}
	rep, err := db.Reload(ctx, fsys, progress)
	if err != nil {
		db.Close()
		return nil, rep, err
	}
	for _, s := range rep.Skipped {
		a.log.Warn("corpus file skipped", "corpus", name, "file", s.Path, "reason", s.Reason)
	}
	if rep.Modified() {
		a.log.Info("index updated", "corpus", name, "added", len(rep.Added), "changed", len(rep.Changed),
			"removed", len(rep.Removed), "paragraphs", rep.Paragraphs, "duration", rep.Duration)
	}
	return db, rep, nil
}

func (a *app) searcher(db *store.DB) *retrieval.Searcher {
	return retrieval.NewSearcher(a.an, db, retrieval.Options{})
}

// joinArgs makes one question of the positional arguments, so quoting the
// question is optional.
func joinArgs(args []string) string { return strings.TrimSpace(strings.Join(args, " ")) }
