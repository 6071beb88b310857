package main

import (
	"go/scanner"
	"go/token"
	"strings"
)

// tokensOf writes {"name","size","tokens","errors"} for one file. Each token is the JSON array
// [offset, line, col, NAME, literal, text]: the position (see posWidth), go/token's constant
// name (IDENT, ADD, SEMICOLON, ...), the literal go/scanner returned ("\n" for a semicolon it
// inserted, "" for operators) and the token's own text (tok.String()).
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
	errs.Sort()
	l := errorList{e: e}
	l.list(errs.Err(), "scanner")
	e.raw("]}")
}

// tokNames holds go/token's constant names (IDENT, ADD, LPAREN, ...) for the tokens whose
// String() is their text; keywords are spelled in upper case by tokName.
var tokNames = map[token.Token]string{
	token.ILLEGAL: "ILLEGAL", token.EOF: "EOF", token.COMMENT: "COMMENT",
	token.IDENT: "IDENT", token.INT: "INT", token.FLOAT: "FLOAT", token.IMAG: "IMAG",
	token.CHAR: "CHAR", token.STRING: "STRING",

	token.ADD: "ADD", token.SUB: "SUB", token.MUL: "MUL", token.QUO: "QUO", token.REM: "REM",
	token.AND: "AND", token.OR: "OR", token.XOR: "XOR", token.SHL: "SHL", token.SHR: "SHR",
	token.AND_NOT: "AND_NOT",

	token.ADD_ASSIGN: "ADD_ASSIGN", token.SUB_ASSIGN: "SUB_ASSIGN", token.MUL_ASSIGN: "MUL_ASSIGN",
	token.QUO_ASSIGN: "QUO_ASSIGN", token.REM_ASSIGN: "REM_ASSIGN", token.AND_ASSIGN: "AND_ASSIGN",
	token.OR_ASSIGN: "OR_ASSIGN", token.XOR_ASSIGN: "XOR_ASSIGN", token.SHL_ASSIGN: "SHL_ASSIGN",
	token.SHR_ASSIGN: "SHR_ASSIGN", token.AND_NOT_ASSIGN: "AND_NOT_ASSIGN",

	token.LAND: "LAND", token.LOR: "LOR", token.ARROW: "ARROW", token.INC: "INC", token.DEC: "DEC",
	token.EQL: "EQL", token.LSS: "LSS", token.GTR: "GTR", token.ASSIGN: "ASSIGN", token.NOT: "NOT",
	token.NEQ: "NEQ", token.LEQ: "LEQ", token.GEQ: "GEQ", token.DEFINE: "DEFINE",
	token.ELLIPSIS: "ELLIPSIS",

	token.LPAREN: "LPAREN", token.LBRACK: "LBRACK", token.LBRACE: "LBRACE", token.COMMA: "COMMA",
	token.PERIOD: "PERIOD", token.RPAREN: "RPAREN", token.RBRACK: "RBRACK", token.RBRACE: "RBRACE",
	token.SEMICOLON: "SEMICOLON", token.COLON: "COLON", token.TILDE: "TILDE",
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
