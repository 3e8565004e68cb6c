package store

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// indexable lists the extensions Reload reads.
var indexable = map[string]bool{".txt": true, ".md": true, ".markdown": true, ".html": true, ".htm": true}

// corpusFile is a file to index with what its directory entry says of it.
type corpusFile struct {
	path  string
	size  int64
	mtime int64 // Unix nanoseconds; 0 if unknown
}

// listCorpus walks fsys for files to index, in lexical order. Hidden files
// and folders are passed over silently; other extensions and links that
// cannot be followed inside the corpus are reported as skipped.
func listCorpus(fsys fs.FS) (files []corpusFile, skipped []Skip, err error) {
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			skipped = append(skipped, Skip{Path: p, Reason: openReason(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if p != "." && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		var info fs.FileInfo
		if d.Type()&fs.ModeSymlink != 0 {
			info, err = fs.Stat(fsys, p)
			if err != nil {
				skipped = append(skipped, Skip{Path: p, Reason: openReason(err)})
				return nil
			}
			if !info.Mode().IsRegular() {
				skipped = append(skipped, Skip{Path: p, Reason: "link to a folder (not followed)"})
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		if !indexable[strings.ToLower(path.Ext(name))] {
			skipped = append(skipped, Skip{Path: p, Reason: fmt.Sprintf("unsupported file type %q", path.Ext(name))})
			return nil
		}
		f := corpusFile{path: p}
		if info == nil {
			info, _ = d.Info()
		}
		if info != nil {
			f.size = info.Size()
			if !info.ModTime().IsZero() {
				f.mtime = info.ModTime().UnixNano()
			}
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("corpus folder not found: %w", err)
		}
		return nil, nil, fmt.Errorf("read corpus: %w", err)
	}
	slices.SortFunc(files, func(a, b corpusFile) int { return strings.Compare(a.path, b.path) })
	return files, skipped, nil
}
