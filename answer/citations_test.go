package answer

import (
	"strconv"
	"strings"
	"testing"

	"citebot/retrieval"
)

func TestCheckCitations(t *testing.T) {
	t.Parallel()
	ps := []retrieval.Passage{{File: "a", Paragraph: 1}, {File: "b", Paragraph: 2}, {File: "c", Paragraph: 3}}
	tests := []struct {
		in             string
		want           string
		refs           []string
		valid, dropped int
	}{
		{"X [1].", "X [1].", []string{"a ¶1"}, 1, 0},
		{"X [3]. Y [1].", "X [1]. Y [2].", []string{"c ¶3", "a ¶1"}, 2, 0},
		{"X [1, 3] and [2;2].", "X [1][2] and [3][3].", []string{"a ¶1", "c ¶3", "b ¶2"}, 4, 0},
		{"X [1][2].", "X [1][2].", []string{"a ¶1", "b ¶2"}, 2, 0},
		{"X [5]. Y [0] [4, 1].", "X. Y [1].", []string{"a ¶1"}, 1, 3},
		{"No citation.", "No citation.", nil, 0, 0},
		{"Year [2021] stays? no: dropped.", "Year stays? no: dropped.", nil, 0, 1},
		{"Text [a] and [ ] untouched.", "Text [a] and [ ] untouched.", nil, 0, 0},
	}
	for _, tc := range tests {
		got := checkCitations(tc.in, ps)
		var refs []string
		for i, c := range got.citations {
			if c.N != i+1 {
				t.Errorf("%q: citation %d labelled %d", tc.in, i, c.N)
			}
			refs = append(refs, c.Passage.Ref())
		}
		if got.text != tc.want || strings.Join(refs, ",") != strings.Join(tc.refs, ",") || got.valid != tc.valid || got.dropped != tc.dropped {
			t.Errorf("checkCitations(%q) = %q %q valid %d dropped %d; want %q %q %d %d",
				tc.in, got.text, refs, got.valid, got.dropped, tc.want, tc.refs, tc.valid, tc.dropped)
		}
	}
}

func FuzzCheckCitations(f *testing.F) {
	f.Add("X [1, 3] and [2;9][0].")
	f.Add("[[1]] [1,,2] [99999]")
	ps := []retrieval.Passage{{File: "a", Paragraph: 1}, {File: "b", Paragraph: 2}}
	f.Fuzz(func(t *testing.T, in string) {
		got := checkCitations(in, ps)
		// Whatever the model wrote, every label left names a citation.
		for _, m := range citeRe.FindAllStringSubmatch(got.text, -1) {
			for f := range strings.FieldsFuncSeq(m[1], func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
				if n, err := strconv.Atoi(f); err != nil || n < 1 || n > len(got.citations) {
					t.Fatalf("checkCitations(%q) = %q: label %s has no citation (%d citations)", in, got.text, f, len(got.citations))
				}
			}
		}
		if len(got.citations) > len(ps) {
			t.Fatalf("%d citations from %d passages", len(got.citations), len(ps))
		}
	})
}
