package bot

import (
	"slices"
	"testing"
)

func TestRefusedFields(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"option name", `{"code": 50035, "errors": {"2": {"options": {"0": {"name": {"_errors": [{"code": "APPLICATION_COMMAND_INVALID_NAME", "message": "Command name is invalid"}]}}}}}, "message": "Invalid Form Body"}`,
			[]string{"source.options.0.name: Command name is invalid (APPLICATION_COMMAND_INVALID_NAME)"}},
		{"two commands, sorted", `{"errors": {"1": {"description": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 100 or fewer in length."}]}}, "0": {"name_localizations": {"_errors": [{"code": "X", "message": "bad"}]}}}}`,
			[]string{"ask.name_localizations: bad (X)", "search.description: Must be 100 or fewer in length. (BASE_TYPE_MAX_LENGTH)"}},
		{"index out of range", `{"errors": {"99": {"_errors": [{"code": "C", "message": "m"}]}}}`, []string{"99: m (C)"}},
		{"no errors object", `{"code": 50001, "message": "Missing Access"}`, nil},
		{"not JSON", `<html>502</html>`, nil},
		{"errors of the wrong shape", `{"errors": {"0": [1, 2]}}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := refusedFields([]byte(tc.body)); !slices.Equal(got, tc.want) {
				t.Errorf("refusedFields = %q, want %q", got, tc.want)
			}
		})
	}
}

func FuzzRefusedFields(f *testing.F) {
	f.Add([]byte(`{"errors": {"2": {"options": {"0": {"name": {"_errors": [{"code": "C", "message": "m"}]}}}}}}`))
	f.Add([]byte(`{"errors": {"-1": {"_errors": [{}]}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		refusedFields(body) // must not panic, whatever Discord or a proxy sends
	})
}
