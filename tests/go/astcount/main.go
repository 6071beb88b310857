// Command astcount is the independent check for gokit's front end: it scans each file with
// go/scanner (no comments) and walks it with ast.Inspect, and prints what it counted as JSON.
package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"reflect"
)

type counts struct {
	Offsets []int          `json:"offsets"` // offset of every non-comment token, in order
	Tokens  map[string]int `json:"tokens"`  // token.String() -> count
	Nodes   map[string]int `json:"nodes"`   // go/ast type name -> count (no comments parsed)
}

func main() {
	out := map[string]counts{}
	for _, path := range os.Args[1:] {
		src, err := os.ReadFile(path)
		if err != nil {
			panic(err)
		}
		c := counts{Offsets: []int{}, Tokens: map[string]int{}, Nodes: map[string]int{}}
		fset := token.NewFileSet()
		f := fset.AddFile(path, -1, len(src))
		var s scanner.Scanner
		s.Init(f, src, nil, 0)
		for {
			pos, tok, _ := s.Scan()
			if tok == token.EOF {
				break
			}
			c.Offsets = append(c.Offsets, f.Offset(pos))
			c.Tokens[tok.String()]++
		}
		file, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
		if err != nil {
			panic(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if n != nil {
				c.Nodes[reflect.TypeOf(n).Elem().Name()]++
			}
			return true
		})
		out[path] = c
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
