// Package dictd reads dictionaries in the dictd format (the .index and
// .dict or .dict.dz files that Debian's dict-freedict-* packages install)
// and returns their translations. It knows the format, not what the
// translations are used for.
package dictd

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// IndexEntry is one line of a .index file: where a headword's entry lies
// in the .dict data.
type IndexEntry struct {
	Headword string // as the index spells it: dictd lowercases it
	Offset   int64  // byte offset of the entry in the uncompressed data
	Length   int64  // byte length of the entry
}

// maxIndex bounds the size of an index read into memory; FreeDict's
// largest are a few megabytes.
const maxIndex = 64 << 20

// ParseIndex reads a dictd .index file: one entry a line, headword TAB
// offset TAB length, the numbers in dictd's base64 digits. Fields past the
// third (some dictd tools add the original headword) are ignored.
func ParseIndex(r io.Reader) ([]IndexEntry, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxIndex+1))
	if err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	if len(b) > maxIndex {
		return nil, fmt.Errorf("read index: more than %d bytes", maxIndex)
	}
	// One string for the whole file: headwords are slices of it, so a
	// start-up load makes one allocation per entry, not three.
	text := string(b)
	entries := make([]IndexEntry, 0, strings.Count(text, "\n")+1)
	line := 0
	for l := range strings.Lines(text) {
		line++
		l = strings.TrimRight(l, "\r\n")
		if l == "" {
			continue
		}
		e, err := parseIndexLine(l)
		if err != nil {
			return nil, fmt.Errorf("index line %d: %w", line, err)
		}
		entries = append(entries, e)
	}
	return entries, nil
}

func parseIndexLine(text string) (IndexEntry, error) {
	head, rest, ok1 := strings.Cut(text, "\t")
	off, rest, ok2 := strings.Cut(rest, "\t")
	n, _, _ := strings.Cut(rest, "\t")
	if !ok1 || !ok2 {
		return IndexEntry{}, errors.New("want headword, offset and length separated by tabs")
	}
	o, err := decodeNumber(off)
	if err != nil {
		return IndexEntry{}, fmt.Errorf("offset %q: %w", off, err)
	}
	l, err := decodeNumber(n)
	if err != nil {
		return IndexEntry{}, fmt.Errorf("length %q: %w", n, err)
	}
	return IndexEntry{Headword: head, Offset: o, Length: l}, nil
}

// b64 is dictd's digit alphabet: base64's, most significant digit first,
// without padding.
const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// maxDigits keeps a number within int64: 10 digits are 60 bits.
const maxDigits = 10

func decodeNumber(s string) (int64, error) {
	if s == "" {
		return 0, errors.New("empty number")
	}
	if len(s) > maxDigits {
		return 0, errors.New("number too large")
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(b64, s[i])
		if d < 0 {
			return 0, fmt.Errorf("%q is not a base64 digit", s[i])
		}
		n = n<<6 | int64(d)
	}
	return n, nil
}

// encodeNumber is decodeNumber's inverse, for tests and fixtures.
func encodeNumber(n int64) string {
	if n == 0 {
		return "A"
	}
	var buf [maxDigits + 1]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = b64[n&63]
		n >>= 6
	}
	return string(buf[i:])
}
