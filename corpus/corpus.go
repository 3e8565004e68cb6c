// Package corpus ships the founding articles, citebot's default corpus, in
// the binary, so that it answers out of the box with no folder to point at.
package corpus

import (
	"embed"
	"io/fs"
)

//go:embed *.txt
var files embed.FS

// FS returns the shipped articles.
func FS() fs.FS { return files }
