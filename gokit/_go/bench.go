//go:build !gokit_lite

package main

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// The timing modes measure inside one process, so process start-up is not in the numbers, and
// with Go's default garbage collector on (main turns it off only for the one-shot modes), so
// collection costs are part of what a parse or a type check costs.
// benchParse writes "files": per file its path, size, node count and n parse times in ns.
func benchParse(e *enc, files []srcFile, n int) {
	e.raw(`,"files":[`)
	for i, f := range files {
		if i > 0 {
			e.raw(",")
		}
		times := make([]int, 0, n)
		nodes := 0
		for k := 0; k < n; k++ {
			fset := token.NewFileSet()
			t0 := time.Now()
			af, _ := parser.ParseFile(fset, f.name, f.data, parseMode)
			times = append(times, int(time.Since(t0).Nanoseconds()))
			if k == 0 && af != nil {
				ast.Inspect(af, func(ast.Node) bool { nodes++; return true })
			}
		}
		e.raw(`{"path":`)
		e.str(f.path)
		e.raw(`,"size":`)
		e.int(len(f.data))
		e.raw(`,"nodes":`)
		e.int(nodes)
		e.raw(`,"ns":`)
		e.ints(times)
		e.raw("}")
	}
	e.raw("]")
}

// benchScan writes "files": per file its path, size, token count and n times in ns of go/scanner
// tokenising it to EOF (comments included, as the tokens mode does).
func benchScan(e *enc, files []srcFile, n int) {
	e.raw(`,"files":[`)
	for i, f := range files {
		if i > 0 {
			e.raw(",")
		}
		times := make([]int, 0, n)
		count := 0
		for k := 0; k < n; k++ {
			fset := token.NewFileSet()
			tf := fset.AddFile(f.name, -1, len(f.data))
			var s scanner.Scanner
			toks := 0
			t0 := time.Now()
			s.Init(tf, f.data, nil, scanner.ScanComments)
			for {
				_, tok, _ := s.Scan()
				if tok == token.EOF {
					break
				}
				toks++
			}
			times = append(times, int(time.Since(t0).Nanoseconds()))
			count = toks
		}
		e.raw(`{"path":`)
		e.str(f.path)
		e.raw(`,"size":`)
		e.int(len(f.data))
		e.raw(`,"tokens":`)
		e.int(count)
		e.raw(`,"ns":`)
		e.ints(times)
		e.raw("}")
	}
	e.raw("]")
}

// benchPkg is one package of bench-types' input: a JSON list of them on stdin.
type benchPkg struct {
	Path  string   `json:"path"`
	Dir   string   `json:"dir"`
	Files []string `json:"files"`
}

// benchTypes writes "packages": per package its path, file count, size, error count, first
// error and n type-check times in ns (after one untimed check that loads the imports).
func benchTypes(e *enc, stdin io.Reader, exports map[string]string, n int) error {
	var pkgs []benchPkg
	data, err := io.ReadAll(stdin)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &pkgs); err != nil {
		return errors.New("bench-types wants a JSON list of {path, dir, files} on stdin: " + err.Error())
	}
	fset := token.NewFileSet()
	imp := newImporter(fset, exports) // shared: dependencies are loaded once, then reused
	e.raw(`,"packages":[`)
	for i, p := range pkgs {
		if i > 0 {
			e.raw(",")
		}
		var afs []*ast.File
		size := 0
		for _, name := range p.Files {
			path := filepath.Join(p.Dir, name)
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			size += len(b)
			af, _ := parser.ParseFile(fset, path, b, parseMode)
			if af != nil {
				afs = append(afs, af)
			}
		}
		var times []int
		nerr := 0
		firstErr := ""
		for k := 0; k <= n; k++ { // run 0 warms the importer up and is not kept
			nerr = 0
			conf := types.Config{Importer: imp, Sizes: types.SizesFor("gc", runtime.GOARCH),
				Error: func(err error) {
					if nerr == 0 {
						firstErr = err.Error()
					}
					nerr++
				}}
			info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
				Uses: map[*ast.Ident]types.Object{}}
			t0 := time.Now()
			conf.Check(p.Path, fset, afs, info)
			if k > 0 {
				times = append(times, int(time.Since(t0).Nanoseconds()))
			}
		}
		e.raw(`{"path":`)
		e.str(p.Path)
		e.raw(`,"files":`)
		e.int(len(afs))
		e.raw(`,"size":`)
		e.int(size)
		e.raw(`,"errors":`)
		e.int(nerr)
		e.raw(`,"first_error":`)
		e.str(firstErr)
		e.raw(`,"ns":`)
		e.ints(times)
		e.raw("}")
	}
	e.raw("]")
	return nil
}
