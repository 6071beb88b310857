package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
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
