package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// factsMode parses without comments: facts needs declarations, not their documentation, and the
// build constraint is read from the file header the way go/build reads it.
const factsMode = parser.SkipObjectResolution

// factsOf writes what gokit needs to know about a file before building it:
//
//	{"name","package","imports","constraint","match","decls","errors"}
//
// "imports" are the import paths in source order; "constraint" is the //go:build expression
// (or the // +build lines combined, as go/build reads them), "" if there is none; "match" says
// whether go build would compile the file for m's GOOS/GOARCH with cgo disabled; "decls" are the
// top-level declarations (see declsOf). A file with syntax errors gives what go/parser
// recovered, and its errors.
func factsOf(e *enc, m *fileMatcher, i int, f srcFile) {
	fset := token.NewFileSet()
	af, parseErr := parser.ParseFile(fset, f.name, f.data, factsMode)
	pkg := ""
	var imports []string
	if af != nil {
		if af.Name != nil {
			pkg = af.Name.Name
		}
		for _, s := range af.Imports {
			if p, err := strconv.Unquote(s.Path.Value); err == nil {
				imports = append(imports, p)
			}
		}
	}
	match, buildErr := matches(m, i, f.name, imports)

	e.raw(`{"name":`)
	e.str(f.name)
	e.raw(`,"package":`)
	e.str(pkg)
	e.raw(`,"imports":`)
	e.strs(imports)
	e.raw(`,"constraint":`)
	e.str(buildConstraint(f.data))
	e.raw(`,"match":`)
	e.bool(match)
	e.raw(`,"decls":[`)
	if af != nil {
		declsOf(e, fset, af)
	}
	e.raw(`],"errors":[`)
	l := errorList{e: e}
	l.list(parseErr, "parser")
	if buildErr != nil {
		l.add(f.name, nil, buildErr.Error(), "build", false)
	}
	e.raw("]}")
}

// matches is whether go build would compile file i, named name, which imports imports.
// Test files and files that are not .go files are never part of the program. A file go/build
// cannot judge (a malformed //go:build line) is one go build would fail on, not skip: match,
// with the error.
func matches(m *fileMatcher, i int, name string, imports []string) (bool, error) {
	if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
		return false, nil
	}
	ok, err := m.match(i, name)
	if err != nil {
		return true, err
	}
	if ok && !m.ctx.CgoEnabled {
		for _, p := range imports {
			if p == "C" {
				return false, nil // go build ignores cgo files when cgo is disabled
			}
		}
	}
	return ok, nil
}

// declsOf writes one object per top-level name, in source order:
//
//	{"kind","name","recv","func","generic","line","end"}
//
// kind is func, type, var or const (methods are funcs with a recv); recv is the receiver's type
// without type parameters ("*Stack" for `func (s *Stack[T]) Push`); func is the compiler's
// spelling of a function or method (add, T.M, (*T).M), "" for other kinds; generic says the
// func or type has type parameters (a method: its receiver type has), so the compiler builds
// it only per instantiation. line and end are the first and last lines: for a func, those of
// the func keyword and of the closing brace; for a spec in a parenthesized group, the spec's own.
func declsOf(e *enc, fset *token.FileSet, af *ast.File) {
	tf := fset.File(af.FileStart)
	if tf == nil {
		return
	}
	line := func(p token.Pos) int {
		if !p.IsValid() {
			return 0
		}
		return tf.PositionFor(token.Pos(tf.Base()+offsetIn(tf, p)), false).Line
	}
	n := 0
	decl := func(kind, name, recv, fn string, generic bool, from, to token.Pos) {
		if n > 0 {
			e.raw(",")
		}
		n++
		e.raw(`{"kind":`)
		e.str(kind)
		e.raw(`,"name":`)
		e.str(name)
		e.raw(`,"recv":`)
		e.str(recv)
		e.raw(`,"func":`)
		e.str(fn)
		e.raw(`,"generic":`)
		e.bool(generic)
		e.raw(`,"line":`)
		e.int(line(from))
		e.raw(`,"end":`)
		e.int(line(to))
		e.raw("}")
	}
	for _, d := range af.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name == nil {
				continue
			}
			end := d.End()
			if d.Body != nil && d.Body.Rbrace.IsValid() {
				end = d.Body.Rbrace
			}
			recv, generic := recvType(d.Recv)
			generic = generic || d.Type.TypeParams.NumFields() > 0
			decl("func", d.Name.Name, recv, funcName(recv, d.Name.Name), generic, d.Pos(), end)
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				continue
			}
			grouped := d.Lparen.IsValid()
			for _, s := range d.Specs {
				from, to := d.Pos(), d.End()
				if grouped {
					from, to = s.Pos(), s.End()
				}
				switch s := s.(type) {
				case *ast.TypeSpec:
					decl("type", s.Name.Name, "", "", s.TypeParams.NumFields() > 0, from, to)
				case *ast.ValueSpec:
					for _, id := range s.Names {
						decl(d.Tok.String(), id.Name, "", "", false, from, to)
					}
				}
			}
		}
	}
}

// recvType is a method's receiver type as the compiler names it: T or *T, type parameters
// (and parentheses) dropped, and whether it had type parameters. "" for a plain function.
func recvType(fl *ast.FieldList) (recv string, generic bool) {
	if fl == nil || len(fl.List) == 0 {
		return "", false
	}
	t := fl.List[0].Type
	star := ""
	for {
		switch x := t.(type) {
		case *ast.ParenExpr:
			t = x.X
			continue
		case *ast.StarExpr:
			if star == "" {
				star = "*"
				t = x.X
				continue
			}
		case *ast.IndexExpr:
			t, generic = x.X, true
			continue
		case *ast.IndexListExpr:
			t, generic = x.X, true
			continue
		}
		break
	}
	return star + exprString(t), generic
}

// exprString writes a receiver's base type the way go/types.ExprString does for the expressions a
// receiver can hold (facts stays free of go/types, so the small helper gokit builds first, for
// go/parser's and go/build's facts, does not compile the type checker: see lite.go).
func exprString(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.ParenExpr:
		return "(" + exprString(x.X) + ")"
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.IndexExpr:
		return exprString(x.X) + "[" + exprString(x.Index) + "]"
	case *ast.IndexListExpr:
		parts := make([]string, len(x.Indices))
		for i, ix := range x.Indices {
			parts[i] = exprString(ix)
		}
		return exprString(x.X) + "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprintf("(ast: %T)", x) // as go/types writes nil, ast.BadExpr and the rest
}

// funcName is the compiler's name for a function or method: f, T.M or (*T).M.
func funcName(recv, name string) string {
	switch {
	case recv == "":
		return name
	case strings.HasPrefix(recv, "*"):
		return "(" + recv + ")." + name
	}
	return recv + "." + name
}

// buildConstraint is the file's build constraint as go/build finds it: the //go:build line
// among the leading comments, else the // +build lines of the leading comment block (before
// the blank line that must follow them), combined with &&. Printed in //go:build syntax,
// normalized ("linux && amd64"); a //go:build line that does not parse is returned as written.
func buildConstraint(data []byte) string {
	header, goBuild := fileHeader(data)
	if goBuild != nil {
		text := strings.TrimSpace(string(goBuild[len(goBuildPrefix):]))
		if x, err := constraint.Parse(string(goBuild)); err == nil {
			return x.String()
		}
		return text
	}
	var all constraint.Expr
	for _, line := range bytes.Split(header, []byte("\n")) {
		text := string(bytes.TrimSpace(line))
		if !constraint.IsPlusBuild(text) {
			continue
		}
		x, err := constraint.Parse(text)
		if err != nil {
			continue // go/build ignores a malformed // +build line
		}
		if all == nil {
			all = x
		} else {
			all = &constraint.AndExpr{X: all, Y: x}
		}
	}
	if all == nil {
		return ""
	}
	return all.String()
}

const goBuildPrefix = "//go:build"

// fileHeader is adapted from go/build's parseFileHeader (Go 1.22 to 1.27; Copyright The Go Authors,
// BSD-3-Clause: THIRD_PARTY_NOTICES.md and licenses/Go-BSD-3-Clause.txt): header is the file up to
// the last blank line before the first non-comment line (where // +build lines count), goBuild
// the first //go:build line among the leading comments, nil if none.
func fileHeader(content []byte) (header, goBuild []byte) {
	end := 0
	p := content
	ended := false       // found a non-blank, non-// line: no more // +build lines
	inSlashStar := false // in a /* */ comment
Lines:
	for len(p) > 0 {
		line := p
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, p = line[:i], p[i+1:]
		} else {
			p = p[len(p):]
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 && !ended { // blank line
			end = len(content) - len(p)
			continue Lines
		}
		if !bytes.HasPrefix(line, []byte("//")) { // not a // comment line
			ended = true
		}
		if !inSlashStar && isGoBuildComment(line) && goBuild == nil {
			goBuild = line
		}
	Comments:
		for len(line) > 0 {
			if inSlashStar {
				if i := bytes.Index(line, []byte("*/")); i >= 0 {
					inSlashStar = false
					line = bytes.TrimSpace(line[i+len("*/"):])
					continue Comments
				}
				continue Lines
			}
			if bytes.HasPrefix(line, []byte("//")) {
				continue Lines
			}
			if bytes.HasPrefix(line, []byte("/*")) {
				inSlashStar = true
				line = bytes.TrimSpace(line[len("/*"):])
				continue Comments
			}
			break Lines // non-comment text
		}
	}
	return content[:end], goBuild
}

func isGoBuildComment(line []byte) bool {
	if !bytes.HasPrefix(line, []byte(goBuildPrefix)) {
		return false
	}
	line = bytes.TrimSpace(line)
	rest := line[len(goBuildPrefix):]
	return len(rest) == 0 || len(bytes.TrimSpace(rest)) < len(rest)
}
