package retrieval

import "testing"

func TestIsKicker(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"TIMES OF ISRAEL.", true},
		{"COPYRIGHTS.", true},
		{"LE PLUS.", true},
		{"Aviv Kochavi.", false},
		{"2021.", false},
		{"A.", false},
		{"LES FORCES ARMÉES ROYALES DU MAROC ONT ANNONCÉ HIER UN ACCORD.", false}, // too long to be furniture
	} {
		if got := IsKicker(tc.s); got != tc.want {
			t.Errorf("IsKicker(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
