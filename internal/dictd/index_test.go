package dictd

import (
	"strings"
	"testing"
)

func TestParseIndex(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    []IndexEntry
		wantErr string
	}{
		{"freedict lines", "army\tBu\tp\nachilles heel\tFQ\tv\n", []IndexEntry{{"army", 110, 41}, {"achilles heel", 336, 47}}, ""},
		{"zero offset", "00databaseinfo\tA\tBu", []IndexEntry{{"00databaseinfo", 0, 110}}, ""},
		{"extra field ignored", "cafe\tbRj\tX\tcafé\n", []IndexEntry{{"cafe", 111715, 23}}, ""},
		{"blank lines and CRLF", "\narmy\tBu\tp\r\n\n", []IndexEntry{{"army", 110, 41}}, ""},
		{"leading space in headword", " à\t8m\ts\n", []IndexEntry{{" à", 3878, 44}}, ""},
		{"missing length", "army\tBu\n", nil, "line 1: want headword"},
		{"bad digit", "ok\tA\tB\narmy\tB-\tp\n", nil, `line 2: offset "B-"`},
		{"empty length", "army\tBu\t\n", nil, `length ""`},
		{"overflowing number", "army\tBuuuuuuuuuuu\tp\n", nil, "too large"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseIndex(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseIndex error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseIndex: %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("ParseIndex = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("entry %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestNumberRoundTrip(t *testing.T) {
	t.Parallel()
	for _, n := range []int64{0, 1, 63, 64, 4095, 4096, 1 << 40, 1<<60 - 1} {
		s := encodeNumber(n)
		got, err := decodeNumber(s)
		if err != nil || got != n {
			t.Errorf("decodeNumber(encodeNumber(%d) = %q) = %d, %v", n, s, got, err)
		}
	}
}

func FuzzParseIndex(f *testing.F) {
	f.Add("army\tBu\tp\nachilles heel\tFQ\tv\n")
	f.Add(" à\t8m\ts\r\n")
	f.Add("cafe\tbRj\tX\tcafé")
	f.Add("x\t\t\n")
	f.Add("x\t//////////\t/\n")
	f.Fuzz(func(t *testing.T, in string) {
		entries, err := ParseIndex(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.Offset < 0 || e.Length < 0 {
				t.Fatalf("negative position in %+v from %q", e, in)
			}
			if strings.ContainsAny(e.Headword, "\t\n") {
				t.Fatalf("headword %q holds a separator", e.Headword)
			}
			// What parses must survive being written back.
			line := e.Headword + "\t" + encodeNumber(e.Offset) + "\t" + encodeNumber(e.Length)
			again, err := ParseIndex(strings.NewReader(line))
			if err != nil || len(again) != 1 || again[0] != e {
				t.Fatalf("round trip of %+v gave %+v, %v", e, again, err)
			}
		}
	})
}
