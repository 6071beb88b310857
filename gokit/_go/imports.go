package main

import (
	"go/parser"
	"go/token"
	"sort"
	"strconv"
)

// importsOf writes "imports": the sorted, distinct import paths of the files (what the
// type checker will ask for), parsed as far as their import declarations.
func importsOf(e *enc, files []srcFile) {
	seen := map[string]bool{}
	var paths []string
	fset := token.NewFileSet()
	for _, f := range files {
		af, _ := parser.ParseFile(fset, f.name, f.data, parser.ImportsOnly)
		if af == nil {
			continue
		}
		for _, s := range af.Imports {
			p, err := strconv.Unquote(s.Path.Value)
			if err == nil && !seen[p] {
				seen[p] = true
				paths = append(paths, p)
			}
		}
	}
	sort.Strings(paths)
	e.raw(`,"imports":`)
	e.strs(paths)
}
