package store

import (
	"crypto/sha256"
	"encoding/hex"
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

// folder is a corpus folder as a listing saw it.
type folder struct {
	path  string
	mtime int64  // Unix nanoseconds; 0 if unknown
	names string // hash of its entries' names
}

// listing is what a walk of the corpus found.
type listing struct {
	files   []corpusFile
	skipped []Skip
	folders []folder
}

// listCorpus walks fsys for files to index, in lexical order. Hidden files
// and folders are passed over silently; other extensions and links that
// cannot be followed inside the corpus are reported as skipped. Every
// folder walked is listed with its modification time and the names it
// holds, for Fresh.
func listCorpus(fsys fs.FS) (listing, error) {
	var files []corpusFile
	var skipped []Skip
	var folders []folder
	names := make(map[string][]string)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
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
		if p != "." {
			names[path.Dir(p)] = append(names[path.Dir(p)], name)
		}
		if p != "." && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			f := folder{path: p}
			if info, err := d.Info(); err == nil && !info.ModTime().IsZero() {
				f.mtime = info.ModTime().UnixNano()
			}
			folders = append(folders, f)
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
			return listing{}, fmt.Errorf("corpus folder not found: %w", err)
		}
		return listing{}, fmt.Errorf("read corpus: %w", err)
	}
	slices.SortFunc(files, func(a, b corpusFile) int { return strings.Compare(a.path, b.path) })
	for i := range folders {
		folders[i].names = hashNames(names[folders[i].path])
	}
	return listing{files: files, skipped: skipped, folders: folders}, nil
}

// hashNames is the hash of a folder's entry names, in any order.
func hashNames(names []string) string {
	names = slices.Clone(names)
	slices.Sort(names)
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// folderNames is the hash of the names a folder holds now.
func folderNames(fsys fs.FS, dir string) (string, error) {
	es, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return "", err
	}
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Name()
	}
	return hashNames(names), nil
}
