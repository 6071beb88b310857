// Command gokitfrontend is gokit's window into Go's own front end: it runs go/scanner,
// go/parser and go/types on Go files and prints what they saw as versioned JSON.
//
// It uses only the standard library and is built by gokit with the learner's own
// toolchain (once per toolchain version, then cached). Usage:
//
//	gokitfrontend version
//	gokitfrontend tokens  [-stdin NAME] FILE...
//	gokitfrontend ast     [-stdin NAME] FILE...
//	gokitfrontend imports FILE...
//	gokitfrontend types   [-importcfg F] [-path P] [-stdin NAME] FILE...
//	gokitfrontend bench-parse -n N FILE...
//	gokitfrontend bench-types -n N -importcfg F < packages.json
//
// Every answer is one JSON object with "schema" (bumped on any incompatible change),
// "go" (runtime.Version of the toolchain that built this program) and "mode".
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// schema is the version of the JSON this program prints.
const schema = 1

func main() {
	if len(os.Args) < 2 {
		fail("usage: gokitfrontend version|tokens|ast|imports|types|bench-parse|bench-types [flags] FILE...")
	}
	mode, args := os.Args[1], os.Args[2:]
	// A short-lived process that allocates a big tree and exits: collect only past 1 GiB.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(1 << 30)
	fs := flag.NewFlagSet(mode, flag.ExitOnError)
	stdinName := fs.String("stdin", "", "read one file from standard input and call it NAME")
	importcfg := fs.String("importcfg", "", "file of `packagefile path=exportfile` lines (from go list -export)")
	pkgPath := fs.String("path", "", "import path of the package being type-checked")
	n := fs.Int("n", 5, "repetitions (bench modes)")
	fs.Parse(args)

	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer w.Flush()
	e := &enc{w: w}
	e.raw(`{"schema":`)
	e.int(schema)
	e.raw(`,"go":`)
	e.str(runtime.Version())
	e.raw(`,"mode":`)
	e.str(mode)

	switch mode {
	case "version":
	case "tokens":
		files := readFiles(fs.Args(), *stdinName)
		e.raw(`,"files":[`)
		for i, f := range files {
			if i > 0 {
				e.raw(",")
			}
			tokensOf(e, f)
		}
		e.raw("]")
	case "ast":
		files := readFiles(fs.Args(), *stdinName)
		fset := token.NewFileSet()
		e.raw(`,"files":[`)
		for i, f := range files {
			if i > 0 {
				e.raw(",")
			}
			astOf(e, fset, f)
		}
		e.raw("]")
	case "imports":
		files := readFiles(fs.Args(), *stdinName)
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
	case "types":
		files := readFiles(fs.Args(), *stdinName)
		typesOf(e, files, *importcfg, *pkgPath)
	case "bench-parse":
		benchParse(e, readFiles(fs.Args(), ""), *n)
	case "bench-types":
		benchTypes(e, *importcfg, *n)
	default:
		fail("unknown mode " + strconv.Quote(mode))
	}
	e.raw("}\n")
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "gokitfrontend: "+msg)
	os.Exit(2)
}

type srcFile struct {
	name string // as printed in positions: the base name
	path string
	data []byte
}

func readFiles(paths []string, stdinName string) []srcFile {
	var out []srcFile
	if stdinName != "" {
		data, err := io.ReadAll(os.Stdin)
		if err != nil {
			fail(err.Error())
		}
		out = append(out, srcFile{stdinName, stdinName, data})
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			fail(err.Error())
		}
		out = append(out, srcFile{filepath.Base(p), p, data})
	}
	if len(out) == 0 {
		fail("no Go files given")
	}
	return out
}

// ---- a small, fast JSON writer ----

type enc struct {
	w   *bufio.Writer
	tmp []byte
}

func (e *enc) raw(s string) { e.w.WriteString(s) }
func (e *enc) int(i int) {
	e.tmp = strconv.AppendInt(e.tmp[:0], int64(i), 10)
	e.w.Write(e.tmp)
}
func (e *enc) bool(b bool) {
	if b {
		e.raw("true")
	} else {
		e.raw("false")
	}
}

const hexDigits = "0123456789abcdef"

func (e *enc) str(s string) {
	w := e.w
	w.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				w.WriteByte('\\')
				w.WriteByte(c)
			case c == '\n':
				w.WriteString(`\n`)
			case c == '\t':
				w.WriteString(`\t`)
			case c == '\r':
				w.WriteString(`\r`)
			case c < 0x20 || c == 0x7f:
				w.WriteString(`\u00`)
				w.WriteByte(hexDigits[c>>4])
				w.WriteByte(hexDigits[c&0xf])
			default:
				w.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			w.WriteString(`\ufffd`)
		} else {
			w.WriteString(s[i : i+size])
		}
		i += size
	}
	w.WriteByte('"')
}

func (e *enc) strs(ss []string) {
	e.raw("[")
	for i, s := range ss {
		if i > 0 {
			e.raw(",")
		}
		e.str(s)
	}
	e.raw("]")
}

// pos writes [offset,line,col] (unadjusted by //line directives) or null.
func (e *enc) pos(fset *token.FileSet, p token.Pos) {
	if !p.IsValid() {
		e.raw("null")
		return
	}
	ps := fset.PositionFor(p, false)
	e.raw("[")
	e.int(ps.Offset)
	e.raw(",")
	e.int(ps.Line)
	e.raw(",")
	e.int(ps.Column)
	e.raw("]")
}

func (e *enc) errList(fset *token.FileSet, err error, source string, first *bool) {
	if err == nil {
		return
	}
	list, ok := err.(scanner.ErrorList)
	if !ok {
		e.errOne(first, "", nil, err.Error(), source, false)
		return
	}
	for _, x := range list {
		p := x.Pos
		e.errOne(first, p.Filename, []int{p.Offset, p.Line, p.Column}, x.Msg, source, false)
	}
}

func (e *enc) errOne(first *bool, file string, pos []int, msg, source string, soft bool) {
	if !*first {
		e.raw(",")
	}
	*first = false
	e.raw(`{"file":`)
	e.str(filepath.Base(file))
	e.raw(`,"pos":`)
	if pos == nil {
		e.raw("null")
	} else {
		e.raw("[")
		e.int(pos[0])
		e.raw(",")
		e.int(pos[1])
		e.raw(",")
		e.int(pos[2])
		e.raw("]")
	}
	e.raw(`,"msg":`)
	e.str(msg)
	e.raw(`,"source":`)
	e.str(source)
	e.raw(`,"soft":`)
	e.bool(soft)
	e.raw("}")
}

// ---- tokens ----

func tokensOf(e *enc, f srcFile) {
	fset := token.NewFileSet()
	tf := fset.AddFile(f.name, -1, len(f.data))
	var errs scanner.ErrorList
	var s scanner.Scanner
	s.Init(tf, f.data, func(p token.Position, msg string) { errs.Add(p, msg) }, scanner.ScanComments)
	e.raw(`{"name":`)
	e.str(f.name)
	e.raw(`,"size":`)
	e.int(len(f.data))
	e.raw(`,"tokens":[`)
	for i := 0; ; i++ {
		p, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if i > 0 {
			e.raw(",")
		}
		ps := tf.PositionFor(p, false)
		e.raw("[")
		e.int(ps.Offset)
		e.raw(",")
		e.int(ps.Line)
		e.raw(",")
		e.int(ps.Column)
		e.raw(",")
		e.str(tokName(tok))
		e.raw(",")
		e.str(lit)
		e.raw(",")
		e.str(tok.String())
		e.raw("]")
	}
	e.raw(`],"errors":[`)
	first := true
	errs.Sort()
	e.errList(fset, errs.Err(), "scanner", &first)
	e.raw("]}")
}

// tokName is go/token's constant name (IDENT, ADD, LPAREN, ...), not the operator text.
var tokNames = map[token.Token]string{}

func init() {
	names := []string{"ILLEGAL", "EOF", "COMMENT", "IDENT", "INT", "FLOAT", "IMAG", "CHAR", "STRING",
		"ADD", "SUB", "MUL", "QUO", "REM", "AND", "OR", "XOR", "SHL", "SHR", "AND_NOT",
		"ADD_ASSIGN", "SUB_ASSIGN", "MUL_ASSIGN", "QUO_ASSIGN", "REM_ASSIGN", "AND_ASSIGN", "OR_ASSIGN",
		"XOR_ASSIGN", "SHL_ASSIGN", "SHR_ASSIGN", "AND_NOT_ASSIGN", "LAND", "LOR", "ARROW", "INC", "DEC",
		"EQL", "LSS", "GTR", "ASSIGN", "NOT", "NEQ", "LEQ", "GEQ", "DEFINE", "ELLIPSIS",
		"LPAREN", "LBRACK", "LBRACE", "COMMA", "PERIOD", "RPAREN", "RBRACK", "RBRACE", "SEMICOLON", "COLON",
		"TILDE"}
	toks := []token.Token{token.ILLEGAL, token.EOF, token.COMMENT, token.IDENT, token.INT, token.FLOAT,
		token.IMAG, token.CHAR, token.STRING, token.ADD, token.SUB, token.MUL, token.QUO, token.REM,
		token.AND, token.OR, token.XOR, token.SHL, token.SHR, token.AND_NOT, token.ADD_ASSIGN,
		token.SUB_ASSIGN, token.MUL_ASSIGN, token.QUO_ASSIGN, token.REM_ASSIGN, token.AND_ASSIGN,
		token.OR_ASSIGN, token.XOR_ASSIGN, token.SHL_ASSIGN, token.SHR_ASSIGN, token.AND_NOT_ASSIGN,
		token.LAND, token.LOR, token.ARROW, token.INC, token.DEC, token.EQL, token.LSS, token.GTR,
		token.ASSIGN, token.NOT, token.NEQ, token.LEQ, token.GEQ, token.DEFINE, token.ELLIPSIS,
		token.LPAREN, token.LBRACK, token.LBRACE, token.COMMA, token.PERIOD, token.RPAREN, token.RBRACK,
		token.RBRACE, token.SEMICOLON, token.COLON, token.TILDE}
	for i, t := range toks {
		tokNames[t] = names[i]
	}
}

func tokName(t token.Token) string {
	if n, ok := tokNames[t]; ok {
		return n
	}
	if t.IsKeyword() {
		return strings.ToUpper(t.String()) // BREAK, FUNC, ... as in go/token
	}
	return t.String()
}

// ---- syntax tree ----

const parseMode = parser.ParseComments | parser.SkipObjectResolution

var (
	posType     = reflect.TypeOf(token.Pos(0))
	tokenType   = reflect.TypeOf(token.Token(0))
	chanDirType = reflect.TypeOf(ast.ChanDir(0))
	nodeType    = reflect.TypeOf((*ast.Node)(nil)).Elem()
	objectType  = reflect.TypeOf((*ast.Object)(nil))
	scopeType   = reflect.TypeOf((*ast.Scope)(nil))
)

func astOf(e *enc, fset *token.FileSet, f srcFile) {
	af, err := parser.ParseFile(fset, f.name, f.data, parseMode)
	e.raw(`{"name":`)
	e.str(f.name)
	e.raw(`,"size":`)
	e.int(len(f.data))
	w := &astWriter{fset: fset, attached: map[*ast.CommentGroup]bool{}, kindIdx: map[string]int{},
		roleIdx: map[string]int{"": 0}, roles: []string{""}}
	if af != nil {
		w.tf = fset.File(af.FileStart)
		if w.tf != nil {
			w.lines = w.tf.Lines()
		}
		ast.Inspect(af, func(n ast.Node) bool {
			if cg, ok := n.(*ast.CommentGroup); ok {
				w.attached[cg] = true
			}
			return true
		})
		w.node(reflect.ValueOf(af), -1, "", -1)
	}
	e.raw(`,"kinds":`)
	e.strs(w.kinds)
	e.raw(`,"roles":`)
	e.strs(w.roles)
	e.raw(`,"nodes":[`)
	for i, v := range w.nodes {
		if i > 0 {
			e.raw(",")
		}
		e.int(v)
	}
	e.raw(`],"fields":[`)
	for i, fv := range w.fields {
		if i > 0 {
			e.raw(",")
		}
		e.int(fv.node)
		e.raw(",")
		e.str(fv.name)
		e.raw(",")
		if fv.isBool {
			e.raw(fv.value)
		} else {
			e.str(fv.value)
		}
	}
	e.raw(`],"errors":[`)
	first := true
	e.errList(fset, err, "parser", &first)
	e.raw("]}")
}

// nodeWidth is the number of ints per node in "nodes":
// kind, parent, role, index, pos offset/line/col, end offset/line/col (-1, 0, 0 when invalid).
const nodeWidth = 10

type fieldVal struct {
	node        int
	name, value string
	isBool      bool
}

type astWriter struct {
	fset     *token.FileSet
	tf       *token.File
	lines    []int // offsets where each line starts
	attached map[*ast.CommentGroup]bool // comment groups ast.Walk reaches (Doc, Comment fields)
	kinds    []string
	kindIdx  map[string]int
	roles    []string
	roleIdx  map[string]int
	nodes    []int
	fields   []fieldVal
	count    int
}

// posInts appends [offset, line, col] of p, from the file's own line table (no directives).
func (w *astWriter) posInts(p token.Pos) {
	if !p.IsValid() || w.tf == nil {
		w.nodes = append(w.nodes, -1, 0, 0)
		return
	}
	off := int(p) - w.tf.Base()
	if off < 0 || off > w.tf.Size() {
		ps := w.fset.PositionFor(p, false)
		w.nodes = append(w.nodes, ps.Offset, ps.Line, ps.Column)
		return
	}
	line := sort.Search(len(w.lines), func(i int) bool { return w.lines[i] > off }) // 1-based line
	w.nodes = append(w.nodes, off, line, off-w.lines[line-1]+1)
}

// fieldPlan says, once per go/ast struct type, which fields are scalars and which hold children.
type fieldPlan struct {
	name    string
	index   int
	scalar  int // 0 child, 1 token, 2 chandir, 3 string, 4 bool
	isIface bool
	isSlice bool
	elemIf  bool
}

var plans = map[reflect.Type][]fieldPlan{}

func planFor(st reflect.Type) []fieldPlan {
	if p, ok := plans[st]; ok {
		return p
	}
	var scalars, kids []fieldPlan
	for i := 0; i < st.NumField(); i++ {
		sf := st.Field(i)
		t := sf.Type
		switch {
		case t == posType || t == objectType || t == scopeType:
		case t == tokenType:
			scalars = append(scalars, fieldPlan{name: sf.Name, index: i, scalar: 1})
		case t == chanDirType:
			scalars = append(scalars, fieldPlan{name: sf.Name, index: i, scalar: 2})
		case t.Kind() == reflect.String:
			scalars = append(scalars, fieldPlan{name: sf.Name, index: i, scalar: 3})
		case t.Kind() == reflect.Bool:
			scalars = append(scalars, fieldPlan{name: sf.Name, index: i, scalar: 4})
		case (t.Kind() == reflect.Interface || t.Kind() == reflect.Pointer) && t.Implements(nodeType):
			kids = append(kids, fieldPlan{name: sf.Name, index: i, isIface: t.Kind() == reflect.Interface})
		case t.Kind() == reflect.Slice && t.Elem().Implements(nodeType):
			kids = append(kids, fieldPlan{name: sf.Name, index: i, isSlice: true,
				elemIf: t.Elem().Kind() == reflect.Interface})
		}
	}
	p := append(scalars, kids...)
	plans[st] = p
	return p
}

// node records one go/ast node in preorder, children in go/ast field order. File.Comments
// keeps only the groups no other node owns (Doc/Comment fields), so each comment appears once.
func (w *astWriter) node(v reflect.Value, parent int, role string, index int) {
	n := v.Interface().(ast.Node)
	sv := v.Elem()
	st := sv.Type()
	id := w.count
	w.count++
	kind := st.Name()
	k, ok := w.kindIdx[kind]
	if !ok {
		k = len(w.kinds)
		w.kindIdx[kind] = k
		w.kinds = append(w.kinds, kind)
	}
	r, ok := w.roleIdx[role]
	if !ok {
		r = len(w.roles)
		w.roleIdx[role] = r
		w.roles = append(w.roles, role)
	}
	w.nodes = append(w.nodes, k, parent, r, index)
	w.posInts(n.Pos())
	w.posInts(n.End())
	_, isFile := n.(*ast.File)
	for _, f := range planFor(st) {
		fv := sv.Field(f.index)
		switch f.scalar {
		case 1:
			w.fields = append(w.fields, fieldVal{id, f.name, token.Token(fv.Int()).String(), false})
			continue
		case 2:
			w.fields = append(w.fields, fieldVal{id, f.name, chanDir(ast.ChanDir(fv.Int())), false})
			continue
		case 3:
			w.fields = append(w.fields, fieldVal{id, f.name, fv.String(), false})
			continue
		case 4:
			w.fields = append(w.fields, fieldVal{id, f.name, strconv.FormatBool(fv.Bool()), true})
			continue
		}
		if isFile && (f.name == "Imports" || f.name == "Unresolved") {
			continue // duplicates of nodes already under Decls
		}
		if !f.isSlice {
			if fv.IsNil() {
				continue
			}
			cv := fv
			if f.isIface {
				cv = fv.Elem()
				if cv.Kind() == reflect.Pointer && cv.IsNil() {
					continue
				}
			}
			w.node(cv, id, f.name, -1)
			continue
		}
		for j := 0; j < fv.Len(); j++ {
			cv := fv.Index(j)
			if f.elemIf {
				cv = cv.Elem()
			}
			if !cv.IsValid() || cv.IsNil() {
				continue
			}
			if isFile && f.name == "Comments" && w.attached[cv.Interface().(*ast.CommentGroup)] {
				continue
			}
			w.node(cv, id, f.name, j)
		}
	}
}

func chanDir(d ast.ChanDir) string {
	switch d {
	case ast.SEND:
		return "SEND"
	case ast.RECV:
		return "RECV"
	case ast.SEND | ast.RECV:
		return "SEND|RECV"
	}
	return strconv.Itoa(int(d))
}

// ---- types ----

func readImportcfg(path string) map[string]string {
	m := map[string]string{}
	if path == "" {
		return m
	}
	data, err := os.ReadFile(path)
	if err != nil {
		fail(err.Error())
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
	return m
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

// matchFiles drops files the go command would not build here (GOOS/GOARCH suffixes, //go:build).
func matchFiles(files []srcFile) []srcFile {
	if len(files) < 2 {
		return files
	}
	var out []srcFile
	for _, f := range files {
		ok, err := build.Default.MatchFile(filepath.Dir(f.path), filepath.Base(f.path))
		if err != nil || ok {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return files
	}
	return out
}

func typesOf(e *enc, files []srcFile, importcfg, pkgPath string) {
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
		Importer: newImporter(fset, readImportcfg(importcfg)),
		Error:    func(err error) { errs = append(errs, err.(types.Error)) },
		Sizes:    types.SizesFor("gc", runtime.GOARCH),
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
	pkg, _ := conf.Check(pkgPath, fset, afs, info)
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
		a, b := tf.Offset(n.Pos()), tf.Offset(n.End())
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

	// expressions, in source order, outer before inner
	exprs := make([]ast.Expr, 0, len(info.Types))
	for x := range info.Types {
		exprs = append(exprs, x)
	}
	byPos := func(a, b ast.Node) bool {
		if a.Pos() != b.Pos() {
			return a.Pos() < b.Pos()
		}
		return a.End() > b.End()
	}
	sort.Slice(exprs, func(i, j int) bool { return byPos(exprs[i], exprs[j]) })
	e.raw(`,"expressions":[`)
	for i, x := range exprs {
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
		kind, xt := reflect.TypeOf(x).Elem().Name(), text(x)
		if lit, ok := x.(*ast.BasicLit); ok && xt != lit.Value {
			// go/types checks x++ as x += 1 with a "1" that is not in the source
			kind, xt = "implicit BasicLit", lit.Value
		}
		e.raw(`,"kind":`)
		e.str(kind)
		e.raw(`,"expr":`)
		e.str(xt)
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
	sort.Slice(uses, func(i, j int) bool { return uses[i].id.Pos() < uses[j].id.Pos() })
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
		e.str([]string{"field", "method value", "method expression"}[sel.Kind()])
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
	first := true
	for _, err := range parseErrs {
		e.errList(fset, err, "parser", &first)
	}
	for _, err := range errs {
		p := err.Fset.PositionFor(err.Pos, false)
		e.errOne(&first, p.Filename, []int{p.Offset, p.Line, p.Column}, err.Msg, "types", err.Soft)
	}
	e.raw("]")
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
	case tv.IsNil():
		return "nil"
	case tv.HasOk():
		return "commaok"
	case tv.Addressable():
		return "variable"
	case tv.Assignable():
		return "mapindex"
	case tv.IsValue():
		return "value"
	}
	return "invalid"
}

func valueKind(k constant.Kind) string {
	return [...]string{"unknown", "bool", "string", "int", "float", "complex"}[k]
}

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

// ---- benchmarks (timed inside one process, so process start-up is not in the numbers) ----

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
		e.raw(`,"ns":[`)
		for k, t := range times {
			if k > 0 {
				e.raw(",")
			}
			e.int(t)
		}
		e.raw("]}")
	}
	e.raw("]")
}

type benchPkg struct {
	Path  string   `json:"path"`
	Dir   string   `json:"dir"`
	Files []string `json:"files"`
}

func benchTypes(e *enc, importcfg string, n int) {
	var pkgs []benchPkg
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err.Error())
	}
	if err := json.Unmarshal(data, &pkgs); err != nil {
		fail("bench-types wants a JSON list of {path, dir, files} on stdin: " + err.Error())
	}
	exports := readImportcfg(importcfg)
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
				fail(err.Error())
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
		e.raw(`,"ns":[`)
		for k, t := range times {
			if k > 0 {
				e.raw(",")
			}
			e.int(t)
		}
		e.raw("]}")
	}
	e.raw("]")
}
