package dotenv

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want map[string]string
		err  string
	}{
		{"plain", "A=1\nB = two \n", map[string]string{"A": "1", "B": "two"}, ""},
		{"comments and blanks", "# c\n\nA=1 # note\n", map[string]string{"A": "1"}, ""},
		{"export", "export A=x", map[string]string{"A": "x"}, ""},
		{"single quotes keep everything", `A='a #b \n'`, map[string]string{"A": `a #b \n`}, ""},
		{"double quotes escape", `A="l1\nl2 \"q\""`, map[string]string{"A": "l1\nl2 \"q\""}, ""},
		{"empty", "A=", map[string]string{"A": ""}, ""},
		{"byte order mark", "\uFEFFCITEBOT_K=3\nA=1\n", map[string]string{"CITEBOT_K": "3", "A": "1"}, ""},
		{"equals in value", "URL=http://x/?a=b", map[string]string{"URL": "http://x/?a=b"}, ""},
		{"no equals", "A\n", nil, "line 1"},
		{"bad key", "1A=x", nil, "line 1"},
		{"unterminated", `A="x`, nil, "unterminated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Parse(%q) error = %v, want %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("Parse(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	t.Parallel()
	got, err := Load(filepath.Join(t.TempDir(), ".env"))
	if err != nil || len(got) != 0 {
		t.Fatalf("Load(missing) = %v, %v; want empty, nil", got, err)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), ".env")
	os.WriteFile(p, []byte("CITEBOT_K=7\n"), 0o600)
	got, err := Load(p)
	if err != nil || got["CITEBOT_K"] != "7" {
		t.Fatalf("Load = %v, %v", got, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("A=1\n# c\nexport B='x'\nC=\"y\\n\"")
	f.Add(`A="unterminated`)
	f.Fuzz(func(t *testing.T, in string) {
		env, err := Parse(strings.NewReader(in))
		if err != nil {
			return
		}
		for k := range env {
			if !validKey(k) {
				t.Fatalf("Parse(%q) accepted key %q", in, k)
			}
		}
	})
}
