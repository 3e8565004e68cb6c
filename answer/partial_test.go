package answer

import (
	"strings"
	"testing"
)

// TestCheckedPartialsCostLinearWork streams a 124 kB answer a few bytes
// at a time: the bytes checked stay within a small multiple of its
// length, and the last text shown is the whole of it.
func TestCheckedPartialsCostLinearWork(t *testing.T) {
	t.Parallel()
	text := strings.Repeat("Il a été accueilli par son homologue [1]. ", 3000)
	var checkedBytes, checks int
	var last string
	partial, flush := checkedPartials(func(s string) { last = s }, func(s string) string {
		checkedBytes += len(s)
		checks++
		return s
	})
	for n := 4; n <= len(text); n += 4 {
		partial(text[:n])
	}
	partial(text)
	flush()
	if last != text {
		t.Errorf("last text shown is %d bytes, want all %d", len(last), len(text))
	}
	if checkedBytes > 10*len(text) {
		t.Errorf("checked %d bytes in %d checks for a %d-byte answer: not linear", checkedBytes, checks, len(text))
	}
	t.Logf("%d-byte answer in %d chunks: %d checks, %d bytes checked", len(text), len(text)/4, checks, checkedBytes)
}
