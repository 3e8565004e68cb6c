package dictd

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// The fixtures in testdata are small made-up dictionaries in the dictd
// layout: eng-fra as a plain .dict, fra-eng gzipped as .dict.dz (gzip -n of
// a hand-written text; dictzip is gzip with a chunk table, read here as
// one stream).

func openFixture(tb testing.TB, name string) *Dict {
	tb.Helper()
	d, err := Open("testdata", name)
	if err != nil {
		tb.Fatalf("Open(testdata, %s): %v", name, err)
	}
	return d
}

// Every index entry must point at the start of its own entry: the
// fixtures' offsets were computed, and this keeps them honest if the
// text is edited.
func TestFixtureIndexes(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"eng-fra", "fra-eng"} {
		d := openFixture(t, name)
		n := 0
		for e := range d.All() {
			n++
			if len(d.Lookup(e.Headword)) == 0 && !strings.ContainsAny(e.Headword, "'-") {
				t.Errorf("%s: entry %q not found by its headword", name, e.Headword)
			}
		}
		if n != d.Len() || n == 0 {
			t.Errorf("%s: All yielded %d entries, Len = %d", name, n, d.Len())
		}
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	d := openFixture(t, "eng-fra")
	tests := []struct {
		word string
		want []string
	}{
		{"army", []string{"armée", "armée militaire"}},
		{"Army", []string{"armée", "armée militaire"}},
		{"abandon", []string{"abdiquer", "abandonner", "délaisser", "livrer", "renoncer", "résigner"}},
		{"achilles heel", []string{"talon d'Achille"}},
		{"00databaseinfo", nil},
		{"navy", nil},
	}
	for _, tc := range tests {
		t.Run(tc.word, func(t *testing.T) {
			var got []string
			for _, e := range d.Lookup(tc.word) {
				got = append(got, e.Translations...)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Lookup(%q) = %q, want %q", tc.word, got, tc.want)
			}
		})
	}
}

func TestOpenMissing(t *testing.T) {
	t.Parallel()
	if _, err := Open(t.TempDir(), "freedict-eng-fra"); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Open of an empty folder: %v, want ErrNotInstalled", err)
	}
	if _, err := Load(t.TempDir()); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Load of an empty folder: %v, want ErrNotInstalled", err)
	}
}

// An index that points past the data loses those entries, not the process.
func TestLookupOutOfRange(t *testing.T) {
	t.Parallel()
	d := New([]IndexEntry{{"army", 0, 12}, {"navy", 5, 100}, {"sea", -1, 2}}, []byte("army /a/\narmée\n"))
	if got := d.Lookup("navy"); got != nil {
		t.Errorf("Lookup(navy) = %v, want nothing", got)
	}
	if got := d.Lookup("sea"); got != nil {
		t.Errorf("Lookup(sea) = %v, want nothing", got)
	}
	if got := d.Lookup("army"); len(got) != 1 {
		t.Errorf("Lookup(army) = %v, want one entry", got)
	}
}

func TestTranslator(t *testing.T) {
	t.Parallel()
	tr := NewTranslator(openFixture(t, "eng-fra"), openFixture(t, "fra-eng"))
	tests := []struct {
		word string
		want []string
	}{
		{"army", []string{"armée", "armée militaire"}},
		{"armies", []string{"armée", "armée militaire"}},
		{"welcomed", []string{"accueillir", "bienvenu"}},
		{"welcoming", []string{"accueillir", "bienvenu"}},
		{"countries", []string{"pays", "contrée"}},
		{"threat", []string{"menace"}},    // only in fra-eng, read backwards
		{"greet", []string{"accueillir"}}, // "to greet" there
		{"demolish", nil},                 // from an entry with too many senses
		{"ness", nil},                     // suffix entries are not words
		{"navy", nil},
	}
	for _, tc := range tests {
		t.Run(tc.word, func(t *testing.T) {
			if got := tr.Translate(tc.word); !slices.Equal(got, tc.want) {
				t.Errorf("Translate(%q) = %q, want %q", tc.word, got, tc.want)
			}
		})
	}
}

func TestLemmas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // one of the forms
	}{
		{"countries", "country"}, {"welcomed", "welcome"}, {"signed", "sign"},
		{"stopped", "stop"}, {"running", "run"}, {"making", "make"}, {"taxes", "tax"},
		{"churches", "church"}, {"won", "win"}, {"children", "child"}, {"died", "die"},
	}
	for _, tc := range tests {
		if got := Lemmas(tc.in); got[0] != tc.in || !slices.Contains(got, tc.want) {
			t.Errorf("Lemmas(%q) = %q, want it first and %q among them", tc.in, got, tc.want)
		}
	}
	if got := Lemmas("us"); len(got) != 1 {
		t.Errorf("Lemmas(us) = %q, want only itself", got)
	}
}

// debianDir is where dict-freedict-eng-fra installs its files.
const debianDir = "/usr/share/dictd"

func loadDebian(tb testing.TB) *Translator {
	tb.Helper()
	if _, err := os.Stat(debianDir + "/" + EngFra + ".index"); err != nil {
		tb.Skipf("FreeDict not installed (apt-get install dict-freedict-eng-fra dict-freedict-fra-eng): %v", err)
	}
	tr, err := Load(debianDir)
	if err != nil {
		tb.Fatalf("Load(%s): %v", debianDir, err)
	}
	return tr
}

func TestDebianDictionaries(t *testing.T) {
	t.Parallel()
	start := time.Now()
	tr := loadDebian(t)
	t.Logf("loaded %s in %v", tr.Sources(), time.Since(start))
	for _, tc := range []struct{ en, fr string }{
		{"army", "armée"}, {"secretary", "secrétaire"}, {"welcomed", "bienvenue"}, {"countries", "pays"},
	} {
		if got := tr.Translate(tc.en); !slices.Contains(got, tc.fr) {
			t.Errorf("Translate(%q) = %q, want %q among them", tc.en, got, tc.fr)
		}
	}
}

func BenchmarkLoadDebian(b *testing.B) {
	loadDebian(b)
	for b.Loop() {
		if _, err := Load(debianDir); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenDebianEngFra(b *testing.B) {
	loadDebian(b)
	for b.Loop() {
		if _, err := Open(debianDir, EngFra); err != nil {
			b.Fatal(err)
		}
	}
}
