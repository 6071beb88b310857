//go:build !gokit_lite

package main

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"go/version"
	"io"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"time"
)

// readImportcfg reads the `packagefile path=exportfile` lines of an importcfg file.
func readImportcfg(path string) (map[string]string, error) {
	m := map[string]string{}
	if path == "" {
		return m, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		rest, ok := strings.CutPrefix(line, "packagefile ")
		if !ok {
			continue
		}
		if k, v, ok := strings.Cut(rest, "="); ok {
			m[k] = v
		}
	}
	return m, nil
}

// newImporter reads export data from the files `go list -export` names (the build cache),
// so no package is type-checked from source twice and nothing needs the network.
func newImporter(fset *token.FileSet, exports map[string]string) types.Importer {
	lookup := func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok {
			f, ok = exports["vendor/"+path] // the standard library vendors golang.org/x/...
		}
		if !ok {
			return nil, fmt.Errorf("package %s is not in the standard library, and gokit works offline", path)
		}
		return os.Open(f)
	}
	return importer.ForCompiler(fset, "gc", lookup)
}

// langVersion checks a -lang value and spells it as types.Config.GoVersion wants it: "go1.21"
// (a go.mod's "1.21" or "1.21.0" is accepted too). "" stays "": the toolchain's own version.
func langVersion(lang string) (string, error) {
	if lang == "" {
		return "", nil
	}
	v := lang
	if !strings.HasPrefix(v, "go") {
		v = "go" + v
	}
	if !version.IsValid(v) {
		return "", fmt.Errorf("-lang %q is not a Go version like go1.21", lang)
	}
	return v, nil
}

// matchFiles drops files the go command would not build here (GOOS/GOARCH suffixes, //go:build),
// as go/build.Default sees them (the helper's GOOS, GOARCH and CGO_ENABLED). A file go/build
// cannot judge is kept; if no file is left, all are kept.
func matchFiles(files []srcFile) []srcFile {
	if len(files) < 2 {
		return files
	}
	m := newFileMatcher(build.Default, files)
	var out []srcFile
	for i, f := range files {
		ok, err := m.match(i, f.name)
		if err != nil || ok {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return files
	}
	return out
}

// typesOf type-checks the files as one package and writes "files", "package", "path",
// "check_ns", "expressions", "objects", "selections" and "errors". goVersion ("" or "go1.21")
// is the language version the package is checked against, as go.mod's go line sets it.
func typesOf(e *enc, files []srcFile, exports map[string]string, pkgPath, goVersion string) {
	files = matchFiles(files)
	fset := token.NewFileSet()
	var afs []*ast.File
	src := map[*token.File][]byte{}
	var parseErrs []error
	e.raw(`,"files":[`)
	for i, f := range files {
		af, err := parser.ParseFile(fset, f.name, f.data, parseMode)
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"name":`)
		e.str(f.name)
		e.raw(`,"size":`)
		e.int(len(f.data))
		e.raw("}")
		parseErrs = append(parseErrs, err)
		if af != nil {
			afs = append(afs, af)
			src[fset.File(af.FileStart)] = f.data
		}
	}
	e.raw("]")
	var errs []types.Error
	conf := types.Config{
		GoVersion: goVersion,
		Importer:  newImporter(fset, exports),
		Error:     func(err error) { errs = append(errs, err.(types.Error)) },
		Sizes:     types.SizesFor("gc", runtime.GOARCH),
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Implicits:  map[ast.Node]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Scopes:     map[ast.Node]*types.Scope{},
		Instances:  map[*ast.Ident]types.Instance{},
	}
	name := "main"
	if len(afs) > 0 {
		name = afs[0].Name.Name
	}
	if pkgPath == "" {
		pkgPath = name
	}
	start := time.Now()
	pkg, checkErr := conf.Check(pkgPath, fset, afs, info)
	took := time.Since(start)
	qual := types.RelativeTo(pkg)
	tstr := func(t types.Type) string {
		if t == nil {
			return ""
		}
		return types.TypeString(t, qual)
	}
	text := func(n ast.Node) string {
		tf := fset.File(n.Pos())
		if tf == nil {
			return ""
		}
		data := src[tf]
		a, b := offsetIn(tf, n.Pos()), offsetIn(tf, n.End())
		if data == nil || a < 0 || b > len(data) || a > b {
			return types.ExprString(n.(ast.Expr))
		}
		return string(data[a:b])
	}
	fileIndex := map[string]int{}
	for i, f := range files {
		fileIndex[f.name] = i
	}
	fidx := func(p token.Pos) int {
		return fileIndex[fset.PositionFor(p, false).Filename]
	}
	e.raw(`,"package":`)
	e.str(name)
	e.raw(`,"path":`)
	e.str(pkgPath)
	e.raw(`,"check_ns":`)
	e.int(int(took.Nanoseconds()))

	// expressions, in source order, outer before inner; for the same span, those written in
	// the source before implicit ones, then by kind (so the order never depends on map order)
	type exprRow struct {
		x        ast.Expr
		kind, xt string
		implicit bool
	}
	exprs := make([]exprRow, 0, len(info.Types))
	for x := range info.Types {
		r := exprRow{x: x, kind: reflect.TypeOf(x).Elem().Name(), xt: text(x)}
		if lit, ok := x.(*ast.BasicLit); ok && r.xt != lit.Value {
			// go/types checks x++ as x += 1 with a "1" that is not in the source
			r.kind, r.xt, r.implicit = "implicit BasicLit", lit.Value, true
		}
		exprs = append(exprs, r)
	}
	byPos := func(a, b ast.Node) bool {
		if a.Pos() != b.Pos() {
			return a.Pos() < b.Pos()
		}
		return a.End() > b.End()
	}
	sort.Slice(exprs, func(i, j int) bool {
		a, b := exprs[i], exprs[j]
		switch {
		case a.x.Pos() != b.x.Pos() || a.x.End() != b.x.End():
			return byPos(a.x, b.x)
		case a.implicit != b.implicit:
			return b.implicit
		}
		return a.kind < b.kind
	})
	e.raw(`,"expressions":[`)
	for i, r := range exprs {
		x := r.x
		tv := info.Types[x]
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"file":`)
		e.int(fidx(x.Pos()))
		e.raw(`,"pos":`)
		e.pos(fset, x.Pos())
		e.raw(`,"end":`)
		e.pos(fset, x.End())
		e.raw(`,"kind":`)
		e.str(r.kind)
		e.raw(`,"expr":`)
		e.str(r.xt)
		e.raw(`,"type":`)
		e.str(tstr(tv.Type))
		e.raw(`,"mode":`)
		e.str(modeOf(tv))
		if tv.Value != nil {
			e.raw(`,"value":`)
			e.str(tv.Value.String())
			e.raw(`,"exact":`)
			e.str(tv.Value.ExactString())
			e.raw(`,"value_kind":`)
			e.str(valueKind(tv.Value.Kind()))
		}
		if id, ok := x.(*ast.Ident); ok {
			if inst, ok := info.Instances[id]; ok {
				e.raw(`,"type_args":[`)
				for k := 0; k < inst.TypeArgs.Len(); k++ {
					if k > 0 {
						e.raw(",")
					}
					e.str(tstr(inst.TypeArgs.At(k)))
				}
				e.raw(`],"instance":`)
				e.str(tstr(inst.Type))
			}
		}
		e.raw("}")
	}
	e.raw("]")

	// objects: every identifier that defines or uses one
	params := map[types.Object]string{}
	funcNames := map[ast.Node]string{}
	for _, af := range afs {
		ast.Inspect(af, func(n ast.Node) bool {
			mark := func(fl *ast.FieldList, role string) {
				if fl == nil {
					return
				}
				for _, fld := range fl.List {
					for _, id := range fld.Names {
						if o := info.Defs[id]; o != nil {
							params[o] = role
						}
					}
				}
			}
			switch n := n.(type) {
			case *ast.FuncDecl:
				mark(n.Recv, "receiver")
				funcNames[n.Type] = "func " + n.Name.Name
			case *ast.FuncType:
				mark(n.TypeParams, "type parameter")
				mark(n.Params, "parameter")
				mark(n.Results, "result")
			case *ast.FuncLit:
				funcNames[n.Type] = "func literal"
			}
			return true
		})
	}
	scopeNode := map[*types.Scope]ast.Node{}
	for n, s := range info.Scopes {
		scopeNode[s] = n
	}
	scopeName := func(o types.Object) string {
		s := o.Parent()
		switch {
		case s == nil:
			if v, ok := o.(*types.Var); ok && v.IsField() {
				return "struct"
			}
			if _, ok := o.(*types.Func); ok {
				return "method set"
			}
			return ""
		case s == types.Universe:
			return "universe"
		case pkg != nil && s == pkg.Scope():
			return "package"
		case o.Pkg() != pkg && o.Pkg() != nil:
			return "package " + o.Pkg().Path()
		}
		n := scopeNode[s]
		if n == nil {
			return "block"
		}
		where := fset.PositionFor(n.Pos(), false)
		label := ""
		switch n := n.(type) {
		case *ast.File:
			return "file " + where.Filename
		case *ast.FuncType:
			label = funcNames[n]
			if label == "" {
				label = "func"
			}
		case *ast.BlockStmt:
			label = "block"
		case *ast.IfStmt:
			label = "if"
		case *ast.ForStmt:
			label = "for"
		case *ast.RangeStmt:
			label = "range"
		case *ast.SwitchStmt:
			label = "switch"
		case *ast.TypeSwitchStmt:
			label = "type switch"
		case *ast.CaseClause:
			label = "case"
		case *ast.CommClause:
			label = "select case"
		case *ast.SelectStmt:
			label = "select"
		default:
			label = reflect.TypeOf(n).Elem().Name()
		}
		return fmt.Sprintf("%s %d:%d", label, where.Line, where.Column)
	}
	type use struct {
		id   *ast.Ident
		obj  types.Object
		role string
	}
	var uses []use
	for id, o := range info.Defs {
		uses = append(uses, use{id, o, "def"})
	}
	for id, o := range info.Uses {
		uses = append(uses, use{id, o, "use"})
	}
	sort.Slice(uses, func(i, j int) bool {
		if uses[i].id.Pos() != uses[j].id.Pos() {
			return uses[i].id.Pos() < uses[j].id.Pos()
		}
		return uses[i].role < uses[j].role // an embedded field's name: "def" (the field) before "use" (its type)
	})
	e.raw(`,"objects":[`)
	for i, u := range uses {
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"name":`)
		e.str(u.id.Name)
		e.raw(`,"file":`)
		e.int(fidx(u.id.Pos()))
		e.raw(`,"pos":`)
		e.pos(fset, u.id.Pos())
		e.raw(`,"role":`)
		e.str(u.role)
		o := u.obj
		if o == nil { // the package name, or the x in `switch x := v.(type)`
			e.raw(`,"kind":"","type":"","scope":"","decl":null,"decl_file":"","pkg":""}`)
			continue
		}
		e.raw(`,"kind":`)
		e.str(objKind(o, params))
		e.raw(`,"type":`)
		e.str(tstr(o.Type()))
		e.raw(`,"scope":`)
		e.str(scopeName(o))
		e.raw(`,"decl":`)
		if o.Pkg() == pkg && o.Pos().IsValid() {
			e.pos(fset, o.Pos())
			e.raw(`,"decl_file":`)
			e.str(fset.PositionFor(o.Pos(), false).Filename)
		} else {
			e.raw(`null,"decl_file":""`)
		}
		e.raw(`,"pkg":`)
		if o.Pkg() != nil {
			e.str(o.Pkg().Path())
		} else {
			e.raw(`""`)
		}
		e.raw("}")
	}
	e.raw("]")

	// selections: x.f resolved to a field or method, and how
	sels := make([]*ast.SelectorExpr, 0, len(info.Selections))
	for s := range info.Selections {
		sels = append(sels, s)
	}
	sort.Slice(sels, func(i, j int) bool { return byPos(sels[i], sels[j]) })
	e.raw(`,"selections":[`)
	for i, s := range sels {
		sel := info.Selections[s]
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"file":`)
		e.int(fidx(s.Pos()))
		e.raw(`,"pos":`)
		e.pos(fset, s.Pos())
		e.raw(`,"expr":`)
		e.str(text(s))
		e.raw(`,"kind":`)
		e.str(selectionKinds[sel.Kind()])
		e.raw(`,"recv":`)
		e.str(tstr(sel.Recv()))
		e.raw(`,"obj":`)
		e.str(sel.Obj().Name())
		e.raw(`,"type":`)
		e.str(tstr(sel.Type()))
		e.raw(`,"indirect":`)
		e.bool(sel.Indirect())
		e.raw("}")
	}
	e.raw("]")

	e.raw(`,"errors":[`)
	l := errorList{e: e}
	for _, err := range parseErrs {
		l.list(err, "parser")
	}
	for _, err := range errs {
		p := err.Fset.PositionFor(err.Pos, false)
		l.add(p.Filename, &p, err.Msg, "types", err.Soft)
	}
	if checkErr != nil && len(errs) == 0 {
		// An error Check returns without reporting it (Go 1.22: "package requires newer Go
		// version"): the package was not checked at all. Blame the first file.
		l.add(files[0].name, nil, checkErr.Error(), "types", false)
	}
	e.raw("]")
}

var selectionKinds = map[types.SelectionKind]string{
	types.FieldVal:   "field",
	types.MethodVal:  "method value",
	types.MethodExpr: "method expression",
}

func modeOf(tv types.TypeAndValue) string {
	switch {
	case tv.IsVoid():
		return "novalue"
	case tv.IsBuiltin():
		return "builtin"
	case tv.IsType():
		return "type"
	case tv.Value != nil:
		return "constant"
	// nil: go/types gives it mode value and type untyped nil (api.go IsNil); only types2 has a nilvalue mode
	case tv.Assignable() && !tv.Addressable():
		// only a map index m[k] is assignable but not addressable (go/types api.go: Addressable is
		// mode == variable, Assignable variable or mapindex); HasOk is true for it too, so test it first
		return "mapindex"
	case tv.HasOk():
		return "commaok" // a type assertion or a channel receive
	case tv.Addressable():
		return "variable"
	case tv.IsValue():
		return "value"
	}
	return "invalid"
}

var valueKinds = map[constant.Kind]string{
	constant.Unknown: "unknown",
	constant.Bool:    "bool",
	constant.String:  "string",
	constant.Int:     "int",
	constant.Float:   "float",
	constant.Complex: "complex",
}

func valueKind(k constant.Kind) string { return valueKinds[k] }

func objKind(o types.Object, params map[types.Object]string) string {
	switch o := o.(type) {
	case *types.Var:
		if o.IsField() {
			if o.Embedded() {
				return "embedded field"
			}
			return "field"
		}
		if r, ok := params[o]; ok {
			return r
		}
		if o.Parent() != nil && o.Pkg() != nil && o.Parent() == o.Pkg().Scope() {
			return "package var"
		}
		return "var"
	case *types.Const:
		return "const"
	case *types.TypeName:
		if _, ok := o.Type().(*types.TypeParam); ok {
			return "type parameter"
		}
		if o.IsAlias() {
			return "alias"
		}
		return "type"
	case *types.Func:
		if sig, ok := o.Type().(*types.Signature); ok && sig.Recv() != nil {
			return "method"
		}
		return "func"
	case *types.PkgName:
		return "package"
	case *types.Label:
		return "label"
	case *types.Builtin:
		return "builtin"
	case *types.Nil:
		return "nil"
	}
	return strings.ToLower(reflect.TypeOf(o).Elem().Name())
}
