// Package depcheck keeps the dependency graph honest: each package's
// deps_test.go names the imports it must never gain.
package depcheck

import (
	"os/exec"
	"strings"
	"testing"
)

// Forbid fails t if the package in the current directory depends, directly
// or not, on any package whose import path starts with one of forbidden.
func Forbid(t *testing.T, forbidden ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.CommandContext(t.Context(), "go", "list", "-tags", "sqlite_fts5", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	for dep := range strings.FieldsSeq(string(out)) {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("depends on %s, which this package must not import", dep)
			}
		}
	}
}
