package dictd

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// ErrNotInstalled means a dictionary's files are not where they were
// looked for; callers fall back to something else.
var ErrNotInstalled = errors.New("dictionary not installed")

// maxData bounds the uncompressed data read into memory; FreeDict's
// largest dictionaries are tens of megabytes.
const maxData = 256 << 20

// Dict is a dictd dictionary held in memory: the index, and the data
// uncompressed. Entries are parsed when asked for.
type Dict struct {
	order []IndexEntry // index order
	// first maps a headword's Key to its first entry in order; next
	// chains entries of the same headword (-1 ends), which are rare, so
	// that building the map costs no allocation per headword.
	first map[string]int32
	next  []int32
	data  []byte

	// byOffset lists entries by position in data, to find the entry
	// around a match; built on first use.
	byOffsetOnce sync.Once
	byOffset     []int32
}

// Open reads the dictionary called name in dir: name.index and
// name.dict.dz (dictzip, which is gzip) or name.dict. It returns an error
// wrapping ErrNotInstalled when the index is missing.
func Open(dir, name string) (*Dict, error) {
	base := filepath.Join(dir, name)
	f, err := os.Open(base + ".index")
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open %s.index: %w", base, ErrNotInstalled)
	}
	if err != nil {
		return nil, fmt.Errorf("open dictionary %s: %w", name, err)
	}
	defer f.Close()
	entries, err := ParseIndex(f)
	if err != nil {
		return nil, fmt.Errorf("read %s.index: %w", base, err)
	}
	data, err := readData(base)
	if err != nil {
		return nil, err
	}
	return New(entries, data), nil
}

// readData reads base.dict.dz, or base.dict when there is no .dz.
func readData(base string) ([]byte, error) {
	f, err := os.Open(base + ".dict.dz")
	if errors.Is(err, os.ErrNotExist) {
		data, err := os.ReadFile(base + ".dict")
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("open %s.dict.dz: %w", base, ErrNotInstalled)
		}
		if err != nil {
			return nil, fmt.Errorf("read %s.dict: %w", base, err)
		}
		return data, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open %s.dict.dz: %w", base, err)
	}
	defer f.Close()
	// dictzip is gzip with a table of chunks in the header's extra field,
	// for random access; read whole, it is one ordinary gzip stream.
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("read %s.dict.dz: %w", base, err)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(zr, maxData+1)); err != nil {
		return nil, fmt.Errorf("read %s.dict.dz: %w", base, err)
	}
	if buf.Len() > maxData {
		return nil, fmt.Errorf("read %s.dict.dz: more than %d bytes", base, maxData)
	}
	return buf.Bytes(), nil
}

// New builds a dictionary from a parsed index and its uncompressed data.
func New(entries []IndexEntry, data []byte) *Dict {
	d := &Dict{first: make(map[string]int32, len(entries)), data: data}
	last := make(map[string]int32) // chain ends, for the few duplicates
	for _, e := range entries {
		if strings.HasPrefix(e.Headword, "00database") || strings.HasPrefix(e.Headword, "00-database") {
			continue // the dictionary's own metadata, not words
		}
		i := int32(len(d.order))
		d.order = append(d.order, e)
		d.next = append(d.next, -1)
		k := Key(e.Headword)
		if j, dup := d.first[k]; dup {
			if l, ok := last[k]; ok {
				j = l
			}
			d.next[j] = i
			last[k] = i
			continue
		}
		d.first[k] = i
	}
	return d
}

// Key is how headwords are compared: lowercased and trimmed, as dictd's
// index writes them.
func Key(word string) string { return strings.ToLower(strings.TrimSpace(word)) }

// Lookup returns the entries for word, compared by Key; none when the
// dictionary lacks it or its index points outside the data.
func (d *Dict) Lookup(word string) []Entry {
	i, ok := d.first[Key(word)]
	if !ok {
		return nil
	}
	var out []Entry
	for ; i >= 0; i = d.next[i] {
		if e, ok := d.entry(d.order[i]); ok {
			out = append(out, e)
		}
	}
	return out
}

// All yields every entry in index order.
func (d *Dict) All() iter.Seq[Entry] {
	return func(yield func(Entry) bool) {
		for _, ie := range d.order {
			if e, ok := d.entry(ie); ok && !yield(e) {
				return
			}
		}
	}
}

// Len is the number of entries indexed.
func (d *Dict) Len() int { return len(d.order) }

// Has reports whether word is a headword, compared by Key.
func (d *Dict) Has(word string) bool {
	_, ok := d.first[Key(word)]
	return ok
}

func (d *Dict) entry(ie IndexEntry) (Entry, bool) {
	if ie.Offset < 0 || ie.Length < 0 || ie.Offset > int64(len(d.data)) || ie.Length > int64(len(d.data))-ie.Offset {
		return Entry{}, false
	}
	return ParseEntry(string(d.data[ie.Offset : ie.Offset+ie.Length])), true
}

// EntriesContaining returns the entries whose text holds word as a whole
// word, in lower case or capitalised, headword lines included; callers
// check where it stands.
func (d *Dict) EntriesContaining(word string) []Entry {
	if word == "" {
		return nil
	}
	d.byOffsetOnce.Do(d.sortByOffset)
	var out []Entry
	seen := make(map[int32]bool)
	for _, w := range []string{word, capitalise(word)} {
		pat := []byte(w)
		for i := 0; i < len(d.data); {
			j := bytes.Index(d.data[i:], pat)
			if j < 0 {
				break
			}
			p := i + j
			i = p + len(pat)
			if !wordBoundary(d.data, p, i) {
				continue
			}
			k, ok := d.entryAt(int64(p))
			if !ok || seen[k] {
				continue
			}
			seen[k] = true
			if e, ok := d.entry(d.order[k]); ok {
				out = append(out, e)
			}
		}
		if w == capitalise(word) {
			break
		}
	}
	return out
}

func (d *Dict) sortByOffset() {
	d.byOffset = make([]int32, len(d.order))
	for i := range d.byOffset {
		d.byOffset[i] = int32(i)
	}
	slices.SortFunc(d.byOffset, func(a, b int32) int { return cmpInt64(d.order[a].Offset, d.order[b].Offset) })
}

// entryAt finds the entry whose bytes hold position p.
func (d *Dict) entryAt(p int64) (int32, bool) {
	n, _ := slices.BinarySearchFunc(d.byOffset, p, func(i int32, p int64) int {
		if d.order[i].Offset <= p {
			return -1
		}
		return 1
	})
	if n == 0 {
		return 0, false
	}
	k := d.byOffset[n-1]
	e := d.order[k]
	return k, p < e.Offset+e.Length
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// wordBoundary reports whether data[start:end] is not part of a longer
// word.
func wordBoundary(data []byte, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRune(data[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(data) {
		r, _ := utf8.DecodeRune(data[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
