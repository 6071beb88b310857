package main

import (
	"bufio"
	"go/scanner"
	"go/token"
	"path/filepath"
	"runtime"
	"strconv"
	"unicode/utf8"
)

// enc is a small, fast JSON writer: the helper streams large answers (an AST of 40,000 nodes)
// straight to a buffered stdout instead of building them as Go values for encoding/json.
// The caller writes the punctuation; enc writes the values.
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

// str writes s as a JSON string. The output is always valid JSON and valid UTF-8: each byte of
// s that is not part of a valid UTF-8 sequence becomes U+FFFD (as `for range s` would see it),
// control characters and DEL are escaped, everything else (U+2028 and U+2029 included, which
// JSON allows raw) is copied as it is.
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

func (e *enc) ints(xs []int) {
	e.raw("[")
	for i, x := range xs {
		if i > 0 {
			e.raw(",")
		}
		e.int(x)
	}
	e.raw("]")
}

// A source position is written as a JSON array of posWidth ints, [offset, line, col]: the 0-based
// byte offset, the 1-based line and the 1-based byte column, all from the file's own line table
// (//line directives are ignored). gokit's Python side unpacks it in this order.
const posWidth = 3

// tuple writes [offset,line,col].
func (e *enc) tuple(offset, line, col int) {
	e.raw("[")
	e.int(offset)
	e.raw(",")
	e.int(line)
	e.raw(",")
	e.int(col)
	e.raw("]")
}

// pos writes p as [offset,line,col], or null when p is not a valid position.
func (e *enc) pos(fset *token.FileSet, p token.Pos) {
	if !p.IsValid() {
		e.raw("null")
		return
	}
	ps := fset.PositionFor(p, false)
	e.tuple(ps.Offset, ps.Line, ps.Column)
}

// header opens the answer: every mode starts with the same three keys.
func (e *enc) header(mode string) {
	e.raw(`{"schema":`)
	e.int(schema)
	e.raw(`,"go":`)
	e.str(runtime.Version())
	e.raw(`,"mode":`)
	e.str(mode)
}

// errorList writes the members of one JSON array of error objects
// {"file","pos","msg","source","soft"}; the caller writes the brackets.
type errorList struct {
	e *enc
	n int
}

// list adds the errors of a go/scanner or go/parser error (an ErrorList, or any other error
// without a position).
func (l *errorList) list(err error, source string) {
	if err == nil {
		return
	}
	list, ok := err.(scanner.ErrorList)
	if !ok {
		l.add("", nil, err.Error(), source, false)
		return
	}
	for _, x := range list {
		p := x.Pos
		l.add(p.Filename, &p, x.Msg, source, false)
	}
}

// add writes one error; p == nil writes "pos":null.
func (l *errorList) add(file string, p *token.Position, msg, source string, soft bool) {
	e := l.e
	if l.n > 0 {
		e.raw(",")
	}
	l.n++
	e.raw(`{"file":`)
	e.str(filepath.Base(file))
	e.raw(`,"pos":`)
	if p == nil {
		e.raw("null")
	} else {
		e.tuple(p.Offset, p.Line, p.Column)
	}
	e.raw(`,"msg":`)
	e.str(msg)
	e.raw(`,"source":`)
	e.str(source)
	e.raw(`,"soft":`)
	e.bool(soft)
	e.raw("}")
}
