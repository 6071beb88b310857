//go:build !gokit_lite

package main

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func typeErrors(t *testing.T, src string, args ...string) []map[string]any {
	t.Helper()
	m := runJSON(t, src, append(append([]string{"types"}, args...), "-stdin", "x.go")...)
	var out []map[string]any
	for _, e := range list(t, m["errors"]) {
		out = append(out, obj(t, e))
	}
	return out
}

// TestTypeErrorPosition: a go/types error comes with its file, [offset,line,col] and message.
func TestTypeErrorPosition(t *testing.T) {
	src := "package x\n\nvar n int = \"seven\"\n"
	errs := typeErrors(t, src)
	if len(errs) != 1 {
		t.Fatalf("errors %v, want one", errs)
	}
	e := errs[0]
	off := strings.Index(src, `"seven"`)
	if e["file"] != "x.go" || !reflect.DeepEqual(e["pos"], []any{float64(off), 3.0, float64(off - 11 + 1)}) ||
		e["source"] != "types" || e["soft"] != false || !strings.Contains(e["msg"].(string), "cannot use") {
		t.Errorf("error %v", e)
	}
}

// TestLang: -lang sets the language version go/types checks against, as go.mod's go line does.
func TestLang(t *testing.T) {
	src := "package x\n\nfunc f() {\n\tfor i := range 10 {\n\t\t_ = i\n\t}\n}\n"
	if errs := typeErrors(t, src); len(errs) != 0 {
		t.Fatalf("range over int without -lang: %v", errs)
	}
	for _, lang := range []string{"go1.22", "1.22", "go1.22.0"} {
		if errs := typeErrors(t, src, "-lang", lang); len(errs) != 0 {
			t.Errorf("-lang %s: %v", lang, errs)
		}
	}
	for _, lang := range []string{"go1.21", "1.21", "1.21.0"} {
		errs := typeErrors(t, src, "-lang", lang)
		if len(errs) != 1 || !strings.Contains(errs[0]["msg"].(string), "requires go1.22 or later") {
			t.Fatalf("-lang %s: %v, want one error requiring go1.22", lang, errs)
		}
		if p := errs[0]["pos"].([]any); p[1] != 4.0 {
			t.Errorf("-lang %s: error at %v, want line 4", lang, p)
		}
	}
	// a version newer than this toolchain: reported, not silently ignored
	errs := typeErrors(t, src, "-lang", "go1.999")
	if len(errs) == 0 || !strings.Contains(errs[0]["msg"].(string), "requires newer Go version") {
		t.Errorf("-lang go1.999: %v", errs)
	}
}

// TestTypesOrder: expressions sharing a span come out in one order, source before implicit.
func TestTypesOrder(t *testing.T) {
	src := "package x\n\ntype C struct{ n int }\n\nfunc (c *C) Inc() { c.n++ }\n"
	var first string
	for i := 0; i < 5; i++ {
		out := string(runRaw(t, src, "types", "-stdin", "x.go"))
		out = out[strings.Index(out, `"expressions"`):]
		if i == 0 {
			first = out
		} else if out != first {
			t.Fatal("types answers differ between runs")
		}
	}
	m := runJSON(t, src, "types", "-stdin", "x.go")
	var at []string // kinds of the expressions starting at `c` in c.n++
	off := float64(strings.Index(src, "c.n++"))
	for _, x := range list(t, m["expressions"]) {
		x := obj(t, x)
		if list(t, x["pos"])[0] == off {
			at = append(at, x["kind"].(string))
		}
	}
	if want := []string{"SelectorExpr", "Ident", "implicit BasicLit"}; !reflect.DeepEqual(at, want) {
		t.Errorf("expressions at c.n++: %v, want %v", at, want)
	}
}

// TestTypesSyntaxError: a syntax error that makes go/parser place a node past the end of the
// file (Go 1.22's go/token panicked on it) gives errors, not a crash.
func TestTypesSyntaxError(t *testing.T) {
	src := "package main\n\nfunc p(...any) {}\n\nfunc main() {\n\tp(\"x\", 1 +)\n}\n"
	errs := typeErrors(t, src)
	if len(errs) == 0 || errs[0]["source"] != "parser" {
		t.Errorf("errors %v", errs)
	}
}

// TestTypesMatchFiles: of several files, types checks only those go build would compile here.
func TestTypesMatchFiles(t *testing.T) {
	dir := t.TempDir()
	args := []string{"types",
		writeFile(t, dir, "a.go", "package x\n\nvar A = B\n"),
		writeFile(t, dir, "b_windows.go", "package x\n\nconst B = \"windows\"\n"),
		writeFile(t, dir, "b_other.go", "//go:build !windows\n\npackage x\n\nconst B = 1\n"),
	}
	m := runJSON(t, "", args...)
	var names []string
	for _, f := range list(t, m["files"]) {
		names = append(names, obj(t, f)["name"].(string))
	}
	want := []string{"a.go", "b_other.go"}
	if runtime.GOOS == "windows" {
		want = []string{"a.go", "b_windows.go"}
	}
	if !reflect.DeepEqual(names, want) || len(list(t, m["errors"])) != 0 {
		t.Errorf("checked %v with errors %v, want %v and none", names, m["errors"], want)
	}
}

// TestModes: m[k] is a mapindex (also in v, ok := m[k], with a tuple type), x.(T) and <-ch are commaok, nil is
// a value of type untyped nil (go/types has no mode of its own for nil; types2 does).
func TestModes(t *testing.T) {
	src := "package x\n\nfunc f(m map[string]int, x any, ch chan int) {\n\t_ = m[\"a\"]\n" +
		"\tv, ok := m[\"b\"]\n\t_, _ = v, ok\n\t_ = x.(int)\n\t_ = <-ch\n\t_ = x == nil\n}\n"
	m := runJSON(t, src, "types", "-stdin", "x.go")
	modes := map[string]string{}
	types := map[string]string{}
	for _, x := range list(t, m["expressions"]) {
		x := obj(t, x)
		modes[x["expr"].(string)] = x["mode"].(string)
		types[x["expr"].(string)] = x["type"].(string)
	}
	for expr, want := range map[string]string{`m["a"]`: "mapindex", `m["b"]`: "mapindex", "x.(int)": "commaok",
		"<-ch": "commaok", "m": "variable", "nil": "value"} {
		if modes[expr] != want {
			t.Errorf("mode of %s = %q, want %q (all: %v)", expr, modes[expr], want, modes)
		}
	}
	if types[`m["b"]`] != "(int, bool)" || types[`m["a"]`] != "int" || types["nil"] != "untyped nil" {
		t.Errorf("types %v", types)
	}
}
