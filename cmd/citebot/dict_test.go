package main

import (
	"bytes"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestNewAnalyzerDictionary(t *testing.T) {
	t.Parallel()
	const debian = "/usr/share/dictd"
	_, err := os.Stat(debian + "/freedict-eng-fra.index")
	installed := err == nil
	tests := []struct {
		name, dir string
		log       string // in the info log line
		skip      bool
	}{
		{"off", "off", "built-in glossary only", false},
		{"missing", t.TempDir(), "install dict-freedict-eng-fra", false},
		{"installed", debian, "FreeDict and built-in glossary", !installed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skip {
				t.Skip("FreeDict not installed (apt-get install dict-freedict-eng-fra dict-freedict-fra-eng)")
			}
			var buf bytes.Buffer
			an := newAnalyzer(tc.dir, slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})))
			if !strings.Contains(buf.String(), tc.log) {
				t.Errorf("log = %q, want %q in it", buf.String(), tc.log)
			}
			// The glossary answers whatever the source.
			q := an.ParseQuery("What threat does Morocco want to counter?")
			if !slices.Contains(q.Terms[0].Translated, "menac") {
				t.Errorf("threat translated as %q, want menac among them", q.Terms[0].Translated)
			}
		})
	}
}
