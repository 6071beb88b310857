package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"sort"
	"strconv"
)

// parseMode is how every mode but facts parses: comments kept, no old-style object resolution
// (go/types does its own).
const parseMode = parser.ParseComments | parser.SkipObjectResolution

// The "nodes" array of the ast mode is flat: nodeWidth ints per node, in preorder, laid out as
// below. gokit/frontend.py reads it 10 ints at a time, so the layout is part of the schema.
const (
	rowKind   = iota              // index into "kinds" (the go/ast type name)
	rowParent                     // the parent's node index, -1 for the File
	rowRole                       // index into "roles" (the parent's field holding this node)
	rowIndex                      // position in that field when it is a list, else -1
	rowPos                        // Pos(): posWidth ints, [offset, line, col]
	rowEnd    = rowPos + posWidth // End(): posWidth ints
	nodeWidth = rowEnd + posWidth
)

// noPos is written for an invalid position in a node row: offset -1, line 0, col 0.
var noPos = [posWidth]int{-1, 0, 0}

var (
	posType     = reflect.TypeOf(token.Pos(0))
	tokenType   = reflect.TypeOf(token.Token(0))
	chanDirType = reflect.TypeOf(ast.ChanDir(0))
	nodeType    = reflect.TypeOf((*ast.Node)(nil)).Elem()
	objectType  = reflect.TypeOf((*ast.Object)(nil))
	scopeType   = reflect.TypeOf((*ast.Scope)(nil))
)

// astOf writes {"name","size","kinds","roles","nodes","fields","posnames","positions","errors"} for
// one file: "nodes" as described at nodeWidth, "fields" as flat triples (node index, field name,
// value) of every scalar field (a token, channel direction, string or bool), and "positions" as flat
// rows of 5 ints (node index, index into "posnames", offset, line, col) for every token.Pos field
// (Lbrace, Rparen, OpPos, ...: where go/ast says a keyword, bracket or operator is; offset -1 when
// go/ast has none, like the Func of a method's type).
func astOf(e *enc, fset *token.FileSet, f srcFile) {
	af, err := parser.ParseFile(fset, f.name, f.data, parseMode)
	e.raw(`{"name":`)
	e.str(f.name)
	e.raw(`,"size":`)
	e.int(len(f.data))
	w := &astWriter{fset: fset, attached: map[*ast.CommentGroup]bool{}, kinds: newInterner(), roles: newInterner(),
		posNames: newInterner()}
	w.roles.index("") // role 0 is the File's: no parent field
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
	e.strs(w.kinds.list)
	e.raw(`,"roles":`)
	e.strs(w.roles.list)
	e.raw(`,"nodes":`)
	e.ints(w.nodes)
	e.raw(`,"fields":[`)
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
	e.raw(`],"posnames":`)
	e.strs(w.posNames.list)
	e.raw(`,"positions":`)
	e.ints(w.positions)
	e.raw(`,"errors":[`)
	l := errorList{e: e}
	l.list(err, "parser")
	e.raw("]}")
}

// interner numbers strings in order of first appearance.
type interner struct {
	list []string
	idx  map[string]int
}

func newInterner() *interner { return &interner{idx: map[string]int{}} }

func (in *interner) index(s string) int {
	i, ok := in.idx[s]
	if !ok {
		i = len(in.list)
		in.idx[s] = i
		in.list = append(in.list, s)
	}
	return i
}

type fieldVal struct {
	node        int
	name, value string
	isBool      bool
}

type astWriter struct {
	fset      *token.FileSet
	tf        *token.File
	lines     []int                      // offsets where each line starts
	attached  map[*ast.CommentGroup]bool // comment groups ast.Walk reaches (Doc, Comment fields)
	kinds     *interner
	roles     *interner
	nodes     []int // nodeWidth ints per node
	fields    []fieldVal
	posNames  *interner
	positions []int // 5 ints per token.Pos field: node, name, offset, line, col
	count     int
}

// posInts appends [offset, line, col] of p, from the file's own line table (no directives).
func (w *astWriter) posInts(p token.Pos) {
	w.nodes = w.appendPos(w.nodes, p)
}

// appendPos appends [offset, line, col] of p to xs ([-1, 0, 0] when p is not a valid position).
func (w *astWriter) appendPos(xs []int, p token.Pos) []int {
	if !p.IsValid() || w.tf == nil {
		return append(xs, noPos[:]...)
	}
	off := int(p) - w.tf.Base()
	if off < 0 || off > w.tf.Size() {
		ps := w.fset.PositionFor(p, false)
		return append(xs, ps.Offset, ps.Line, ps.Column)
	}
	line := sort.Search(len(w.lines), func(i int) bool { return w.lines[i] > off }) // 1-based line
	return append(xs, off, line, off-w.lines[line-1]+1)
}

// scalarKind says how a go/ast struct field is written: as a child node, or as one of the
// scalar "fields".
type scalarKind int

const (
	childField   scalarKind = iota // a node or a list of nodes
	tokenField                     // token.Token, written as its text ("+", ":=", "INT")
	chanDirField                   // ast.ChanDir, written as SEND, RECV or SEND|RECV
	stringField
	boolField
	posField // token.Pos: written to "positions", not "fields"
)

// fieldPlan says, once per go/ast struct type, which fields are scalars and which hold children.
type fieldPlan struct {
	name    string
	index   int
	scalar  scalarKind
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
		case t == objectType || t == scopeType:
		case t == posType:
			scalars = append(scalars, fieldPlan{name: sf.Name, index: i, scalar: posField})
		case t == tokenType:
			scalars = append(scalars, fieldPlan{name: sf.Name, index: i, scalar: tokenField})
		case t == chanDirType:
			scalars = append(scalars, fieldPlan{name: sf.Name, index: i, scalar: chanDirField})
		case t.Kind() == reflect.String:
			scalars = append(scalars, fieldPlan{name: sf.Name, index: i, scalar: stringField})
		case t.Kind() == reflect.Bool:
			scalars = append(scalars, fieldPlan{name: sf.Name, index: i, scalar: boolField})
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
	w.nodes = append(w.nodes, w.kinds.index(st.Name()), parent, w.roles.index(role), index) // rowKind..rowIndex
	w.posInts(n.Pos())                                                                      // rowPos
	w.posInts(n.End())                                                                      // rowEnd
	_, isFile := n.(*ast.File)
	for _, f := range planFor(st) {
		fv := sv.Field(f.index)
		switch f.scalar {
		case tokenField:
			w.fields = append(w.fields, fieldVal{id, f.name, token.Token(fv.Int()).String(), false})
			continue
		case chanDirField:
			w.fields = append(w.fields, fieldVal{id, f.name, chanDir(ast.ChanDir(fv.Int())), false})
			continue
		case stringField:
			w.fields = append(w.fields, fieldVal{id, f.name, fv.String(), false})
			continue
		case boolField:
			w.fields = append(w.fields, fieldVal{id, f.name, strconv.FormatBool(fv.Bool()), true})
			continue
		case posField:
			w.positions = w.appendPos(append(w.positions, id, w.posNames.index(f.name)), token.Pos(fv.Int()))
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
