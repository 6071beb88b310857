package main

import (
	"bytes"
	"errors"
	"go/build"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type srcFile struct {
	name string // as printed in positions: the base name
	path string
	data []byte
}

// readFiles reads the files named on the command line, after the one on stdin if stdinName is set.
func readFiles(paths []string, stdin io.Reader, stdinName string) ([]srcFile, error) {
	var out []srcFile
	if stdinName != "" {
		data, err := io.ReadAll(stdin)
		if err != nil {
			return nil, err
		}
		out = append(out, srcFile{stdinName, stdinName, data})
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, srcFile{filepath.Base(p), p, data})
	}
	if len(out) == 0 {
		return nil, errors.New("no Go files given")
	}
	return out, nil
}

// memDir is the directory the in-memory build context pretends file i lives in: each file gets
// its own, so two inputs with the same base name never shadow each other, and nothing is read
// from disk (a file given on stdin has no directory at all).
const memDir = "/gokit-mem"

// fileMatcher answers go/build's question "would go build compile this file?" for files held in
// memory, with go/build's own code (file-name suffixes and //go:build or // +build lines).
type fileMatcher struct {
	ctx   build.Context
	files map[string][]byte // memDir/i/name -> contents
}

// newFileMatcher starts from ctx (GOOS, GOARCH, CgoEnabled, release and tool tags) and points
// every file-system hook at files.
func newFileMatcher(ctx build.Context, files []srcFile) *fileMatcher {
	m := &fileMatcher{ctx: ctx, files: make(map[string][]byte, len(files))}
	for i, f := range files {
		m.files[m.path(i, f.name)] = f.data
	}
	m.ctx.JoinPath = path.Join
	m.ctx.IsAbsPath = path.IsAbs
	m.ctx.SplitPathList = func(string) []string { return nil }
	m.ctx.HasSubdir = func(string, string) (string, bool) { return "", false }
	m.ctx.IsDir = func(p string) bool {
		p = path.Clean(p)
		if p == memDir {
			return true
		}
		for name := range m.files {
			if path.Dir(name) == p {
				return true
			}
		}
		return false
	}
	m.ctx.ReadDir = func(dir string) ([]fs.FileInfo, error) {
		var out []fs.FileInfo
		for name, data := range m.files {
			if path.Dir(name) == path.Clean(dir) {
				out = append(out, memInfo{path.Base(name), int64(len(data))})
			}
		}
		return out, nil
	}
	m.ctx.OpenFile = func(p string) (io.ReadCloser, error) {
		data, ok := m.files[path.Clean(p)]
		if !ok {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		}
		return io.NopCloser(bytes.NewReader(data)), nil
	}
	return m
}

func (m *fileMatcher) dir(i int) string { return memDir + "/" + strconv.Itoa(i) }

func (m *fileMatcher) path(i int, name string) string { return path.Join(m.dir(i), name) }

// match is go/build's MatchFile for input i: false for names go build skips (a leading _ or .,
// a GOOS/GOARCH suffix for another target) and for files whose build constraint is false here.
// An error (a malformed //go:build line, two of them, a NUL byte in the header) means go build
// would not skip the file but fail on it.
func (m *fileMatcher) match(i int, name string) (bool, error) {
	return m.ctx.MatchFile(m.dir(i), name)
}

// targetContext is the build context of `go build` for goos/goarch with cgo disabled (gokit
// builds with CGO_ENABLED=0). Empty goos or goarch means the helper's own.
func targetContext(goos, goarch string) build.Context {
	ctx := build.Default
	if goos == "" {
		goos = runtime.GOOS
	}
	if goarch == "" {
		goarch = runtime.GOARCH
	}
	if goarch != runtime.GOARCH {
		// Tool tags such as amd64.v1 name the architecture level the helper was built for;
		// they say nothing about another architecture (whose own levels are not added).
		var tags []string
		for _, t := range ctx.ToolTags {
			if !strings.HasPrefix(t, runtime.GOARCH+".") {
				tags = append(tags, t)
			}
		}
		ctx.ToolTags = tags
	}
	ctx.GOOS, ctx.GOARCH = goos, goarch
	ctx.CgoEnabled = false
	return ctx
}

// memInfo is the fs.FileInfo of an in-memory file.
type memInfo struct {
	name string
	size int64
}

func (fi memInfo) Name() string       { return fi.name }
func (fi memInfo) Size() int64        { return fi.size }
func (fi memInfo) Mode() fs.FileMode  { return 0o444 }
func (fi memInfo) ModTime() time.Time { return time.Time{} }
func (fi memInfo) IsDir() bool        { return false }
func (fi memInfo) Sys() any           { return nil }

// offsetIn is p's offset in tf, clamped to the file as go/token does since Go 1.23 (Go 1.22's
// File.Offset panics on a position past the end, which go/parser makes for some syntax errors).
func offsetIn(tf *token.File, p token.Pos) int {
	return max(min(int(p)-tf.Base(), tf.Size()), 0)
}
