package main

import (
	"encoding/json"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// fileFacts is one member of the facts answer's "files".
type fileFacts struct {
	Name       string      `json:"name"`
	Package    string      `json:"package"`
	Imports    []string    `json:"imports"`
	Constraint string      `json:"constraint"`
	Match      bool        `json:"match"`
	Decls      []declFacts `json:"decls"`
	Errors     []struct {
		File   string `json:"file"`
		Pos    []int  `json:"pos"`
		Msg    string `json:"msg"`
		Source string `json:"source"`
	} `json:"errors"`
}

type declFacts struct {
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Recv    string `json:"recv"`
	Func    string `json:"func"`
	Generic bool   `json:"generic"`
	Line    int    `json:"line"`
	End     int    `json:"end"`
}

// facts runs the facts mode on one file given on stdin.
func facts(t *testing.T, name, src string, flags ...string) fileFacts {
	t.Helper()
	args := append(append([]string{"facts"}, flags...), "-stdin", name)
	runJSON(t, src, args...) // header and JSON checks
	var answer struct {
		GOOS   string      `json:"goos"`
		GOARCH string      `json:"goarch"`
		Files  []fileFacts `json:"files"`
	}
	if err := json.Unmarshal(runRaw(t, src, args...), &answer); err != nil {
		t.Fatal(err)
	}
	if len(answer.Files) != 1 || answer.GOOS == "" || answer.GOARCH == "" {
		t.Fatalf("facts %v: %+v", args, answer)
	}
	return answer.Files[0]
}

const methodsSrc = `package main

import (
	"fmt"
	"os"
)

func add(a, b int) int {
	return a + b
}

// Counter counts.
type Counter struct{ n int }

func (c *Counter) Inc() {
	c.n++
}

func (c Counter) Get() int { return c.n }

type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(x T) { s.items = append(s.items, x) }

func (s Stack[T]) Len() int { return len(s.items) }

type Pair[K comparable, V any] struct {
	k K
	v V
}

func (p *Pair[K, V]) Key() K { return p.k }

func Map[T, U any](xs []T, f func(T) U) []U { return nil }

var x, y = 1, 2

const (
	A = iota
	B
)

var (
	z int
)

func main() {
	fmt.Println(add(x, y), os.Args)
}
`

func TestFactsDecls(t *testing.T) {
	f := facts(t, "main.go", methodsSrc)
	if f.Name != "main.go" || f.Package != "main" || !f.Match || f.Constraint != "" || len(f.Errors) != 0 {
		t.Errorf("file facts %+v", f)
	}
	if !reflect.DeepEqual(f.Imports, []string{"fmt", "os"}) {
		t.Errorf("imports %v", f.Imports)
	}
	want := []declFacts{
		{"func", "add", "", "add", false, 8, 10},
		{"type", "Counter", "", "", false, 13, 13},
		{"func", "Inc", "*Counter", "(*Counter).Inc", false, 15, 17},
		{"func", "Get", "Counter", "Counter.Get", false, 19, 19},
		{"type", "Stack", "", "", true, 21, 21},
		{"func", "Push", "*Stack", "(*Stack).Push", true, 23, 23},
		{"func", "Len", "Stack", "Stack.Len", true, 25, 25},
		{"type", "Pair", "", "", true, 27, 30},
		{"func", "Key", "*Pair", "(*Pair).Key", true, 32, 32},
		{"func", "Map", "", "Map", true, 34, 34},
		{"var", "x", "", "", false, 36, 36},
		{"var", "y", "", "", false, 36, 36},
		{"const", "A", "", "", false, 39, 39},
		{"const", "B", "", "", false, 40, 40},
		{"var", "z", "", "", false, 44, 44},
		{"func", "main", "", "main", false, 47, 49},
	}
	if !reflect.DeepEqual(f.Decls, want) {
		t.Errorf("decls:\n got %+v\nwant %+v", f.Decls, want)
	}
}

func TestFactsMatch(t *testing.T) {
	const plain = "package main\n\nfunc main() {}\n"
	other := "windows"
	if runtime.GOOS == "windows" {
		other = "linux"
	}
	for _, c := range []struct {
		name, src  string
		flags      []string
		match      bool
		constraint string
	}{
		{"main.go", plain, nil, true, ""},
		{"w.go", "//go:build windows\n\npackage main\n", []string{"-goos", "linux"}, false, "windows"},
		{"w.go", "//go:build windows\n\npackage main\n", []string{"-goos", "windows"}, true, "windows"},
		{"o.go", "//go:build " + other + "\n\npackage main\n", nil, false, other},
		{"l.go", "//go:build linux && (amd64 || arm64)\n\npackage main\n", []string{"-goos", "linux", "-goarch", "arm64"}, true, "linux && (amd64 || arm64)"},
		{"l.go", "//go:build linux && (amd64 || arm64)\n\npackage main\n", []string{"-goos", "linux", "-goarch", "386"}, false, "linux && (amd64 || arm64)"},
		{"x_arm64.go", plain, []string{"-goarch", "amd64"}, false, ""},
		{"x_arm64.go", plain, []string{"-goarch", "arm64"}, true, ""},
		{"x_linux_arm64.go", plain, []string{"-goos", "linux", "-goarch", "arm64"}, true, ""},
		{"x_linux_arm64.go", plain, []string{"-goos", "darwin", "-goarch", "arm64"}, false, ""},
		{"x_unix.go", plain, []string{"-goos", "linux"}, true, ""}, // _unix is not a GOOS suffix
		{"u.go", "//go:build unix\n\npackage main\n", []string{"-goos", "linux"}, true, "unix"},
		{"u.go", "//go:build unix\n\npackage main\n", []string{"-goos", "windows"}, false, "unix"},
		{"main_test.go", plain, nil, false, ""},
		{"_main.go", plain, nil, false, ""},
		{".main.go", plain, nil, false, ""},
		{"i.go", "//go:build ignore\n\npackage main\n", nil, false, "ignore"},
		{"c.go", "//go:build cgo\n\npackage main\n", nil, false, "cgo"},
		{"c.go", "package main\n\n// int one() { return 1; }\nimport \"C\"\n", nil, false, ""},
		{"r.go", "//go:build go1.1\n\npackage main\n", nil, true, "go1.1"},
		{"p.go", "// +build linux,amd64 darwin\n// +build !ignore\n\npackage main\n",
			[]string{"-goos", "darwin"}, true, "((linux && amd64) || darwin) && !ignore"},
		{"p.go", "// +build linux,amd64 darwin\n\npackage main\n", []string{"-goos", "windows"}, false, "(linux && amd64) || darwin"},
		// a // +build line in the package's doc comment (no blank line after it) is ignored
		{"p.go", "// +build windows\npackage main\n", []string{"-goos", "linux"}, true, ""},
		// //go:build counts anywhere in the leading comments, after a /* */ comment too
		{"g.go", "/* hi */\n// text\n//go:build windows\npackage main\n", []string{"-goos", "linux"}, false, "windows"},
	} {
		f := facts(t, c.name, c.src, c.flags...)
		if f.Match != c.match || f.Constraint != c.constraint {
			t.Errorf("%s %v %q: match %v constraint %q, want %v %q", c.name, c.flags, c.src, f.Match, f.Constraint,
				c.match, c.constraint)
		}
	}
}

// TestFactsBadConstraint: a //go:build line go build cannot read is an error go build would
// stop on, so the file is not skipped.
func TestFactsBadConstraint(t *testing.T) {
	f := facts(t, "b.go", "//go:build linux &&\n\npackage main\n")
	if !f.Match || f.Constraint != "linux &&" || len(f.Errors) != 1 || f.Errors[0].Source != "build" ||
		f.Errors[0].File != "b.go" || f.Errors[0].Pos != nil || !strings.Contains(f.Errors[0].Msg, "//go:build") {
		t.Errorf("%+v", f)
	}
}

// TestFactsSyntaxError: partial declarations and go/parser's errors.
func TestFactsSyntaxError(t *testing.T) {
	src := "package main\n\nimport \"fmt\"\n\nfunc ok() {}\n\nfunc broken( {\n\tfmt.Println(\n}\n\ntype T struct{}\n"
	f := facts(t, "main.go", src)
	if f.Package != "main" || !f.Match || len(f.Errors) == 0 || f.Errors[0].Source != "parser" ||
		len(f.Errors[0].Pos) != posWidth {
		t.Errorf("%+v", f)
	}
	if len(f.Decls) == 0 || f.Decls[0] != (declFacts{"func", "ok", "", "ok", false, 5, 5}) {
		t.Errorf("decls %+v", f.Decls)
	}
	for _, src := range []string{"", "not go at all", "package", "package main\nfunc (", "package main\nfunc (x) M() {"} {
		facts(t, "x.go", src) // no crash, valid JSON
	}
}

// TestFactsManyFiles: files on the command line, two with the same base name, each judged alone.
func TestFactsManyFiles(t *testing.T) {
	d1, d2 := t.TempDir(), t.TempDir()
	a := writeFile(t, d1, "a.go", "//go:build ignore\n\npackage main\n")
	b := writeFile(t, d2, "a.go", "package main\n\nfunc main() {}\n")
	c := writeFile(t, d2, "c_arm64.go", "package main\n")
	var answer struct {
		GOARCH string      `json:"goarch"`
		Files  []fileFacts `json:"files"`
	}
	args := []string{"facts", "-goarch", "amd64", a, b, c}
	runJSON(t, "", args...)
	if err := json.Unmarshal(runRaw(t, "", args...), &answer); err != nil {
		t.Fatal(err)
	}
	var got []bool
	for _, f := range answer.Files {
		got = append(got, f.Match)
	}
	if answer.GOARCH != "amd64" || !reflect.DeepEqual(got, []bool{false, true, false}) {
		t.Errorf("goarch %s, matches %v, want [false true false]", answer.GOARCH, got)
	}
}

func TestRecvType(t *testing.T) {
	for src, want := range map[string]string{
		"func (T) M()":           "T.M",
		"func (t *T) M()":        "(*T).M",
		"func (t (*T)) M()":      "(*T).M",
		"func (t *(T)) M()":      "(*T).M",
		"func (s *S[T]) M()":     "(*S).M",
		"func (p P[K, V]) M()":   "P.M",
		"func (p *P[K, V,]) M()": "(*P).M",
		"func F[T any]()":        "F",
	} {
		f := facts(t, "x.go", "package x\n\n"+src+" {}\n")
		if len(f.Decls) != 1 || f.Decls[0].Func != want {
			t.Errorf("%s: %+v, want %s", src, f.Decls, want)
		}
	}
}
