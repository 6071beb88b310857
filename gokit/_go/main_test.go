package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

const helloSrc = `package main

import "fmt"

// add adds.
func add(a, b int) int {
	return a + b
}

func main() {
	fmt.Println(add(1, 2))
}
`

// runJSON runs the helper in-process and decodes its answer; it fails the test unless the
// answer is one JSON object followed by a newline.
func runJSON(t *testing.T, stdin string, args ...string) map[string]any {
	t.Helper()
	out := runRaw(t, stdin, args...)
	if !bytes.HasSuffix(out, []byte("}\n")) {
		t.Fatalf("%v: answer does not end in }\\n: ...%q", args, tail(out))
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("%v: not JSON: %v\n%s", args, err, tail(out))
	}
	if m["schema"] != float64(schema) || m["go"] != runtime.Version() || m["mode"] != args[0] {
		t.Fatalf("%v: bad header: schema=%v go=%v mode=%v", args, m["schema"], m["go"], m["mode"])
	}
	return m
}

func runRaw(t *testing.T, stdin string, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(args, strings.NewReader(stdin), &out, &errb); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, errb.String())
	}
	return out.Bytes()
}

func tail(b []byte) []byte {
	if len(b) > 300 {
		return b[len(b)-300:]
	}
	return b
}

// keys are the keys of the JSON object in data, in the order they are written.
func keys(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %v %v", tok, err)
	}
	var out []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func list(t *testing.T, v any) []any {
	t.Helper()
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("not a list: %T %v", v, v)
	}
	return l
}

func obj(t *testing.T, v any) map[string]any {
	t.Helper()
	o, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not an object: %T %v", v, v)
	}
	return o
}

func writeFile(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestModesKeys: every mode answers one JSON object with its keys in the order gokit reads.
func TestModesKeys(t *testing.T) {
	dir := t.TempDir()
	hello := writeFile(t, dir, "hello.go", helloSrc)
	head := []string{"schema", "go", "mode"}
	for _, c := range []struct {
		args       []string
		stdin      string
		keys       []string // after the header
		listKey    string   // a list of objects whose first member has itemKeys
		itemKeys   []string
		wantListed int
	}{
		{[]string{"version"}, "", nil, "", nil, 0},
		{[]string{"tokens", "-stdin", "hello.go"}, helloSrc, []string{"files"},
			"files", []string{"name", "size", "tokens", "errors"}, 1},
		{[]string{"ast", hello}, "", []string{"files"},
			"files", []string{"name", "size", "kinds", "roles", "nodes", "fields", "posnames", "positions", "errors"}, 1},
		{[]string{"imports", "-stdin", "hello.go"}, helloSrc, []string{"imports"}, "", nil, 0},
		{[]string{"types", "-stdin", "x.go"}, "package x\n\nvar V = 1 + 2\n",
			[]string{"files", "package", "path", "check_ns", "expressions", "objects", "selections", "errors"},
			"expressions", []string{"file", "pos", "end", "kind", "expr", "type", "mode", "value", "exact", "value_kind"}, 3},
		{[]string{"facts", "-stdin", "hello.go"}, helloSrc, []string{"goos", "goarch", "files"},
			"files", []string{"name", "package", "imports", "constraint", "match", "decls", "errors"}, 1},
		{[]string{"bench-parse", "-n", "1", hello}, "", []string{"files"},
			"files", []string{"path", "size", "nodes", "ns"}, 1},
	} {
		t.Run(c.args[0], func(t *testing.T) {
			out := runRaw(t, c.stdin, c.args...)
			m := runJSON(t, c.stdin, c.args...)
			if got, want := keys(t, out), append(head, c.keys...); !reflect.DeepEqual(got, want) {
				t.Errorf("keys %v, want %v", got, want)
			}
			if c.listKey == "" {
				return
			}
			l := list(t, m[c.listKey])
			if len(l) != c.wantListed {
				t.Fatalf("%d %s, want %d", len(l), c.listKey, c.wantListed)
			}
			first, _ := json.Marshal(l[0])
			// json.Marshal sorts keys: compare as sets here, order is checked on the raw answer
			got := map[string]bool{}
			for k := range obj(t, l[0]) {
				got[k] = true
			}
			for _, k := range c.itemKeys {
				if !got[k] {
					t.Errorf("%s[0] has no %q: %s", c.listKey, k, first)
				}
			}
			if len(got) != len(c.itemKeys) {
				t.Errorf("%s[0] keys %s, want %v", c.listKey, first, c.itemKeys)
			}
		})
	}
	t.Run("imports-paths", func(t *testing.T) {
		m := runJSON(t, helloSrc, "imports", "-stdin", "hello.go")
		if got := list(t, m["imports"]); len(got) != 1 || got[0] != "fmt" {
			t.Errorf("imports %v", got)
		}
	})
	t.Run("bench-parse-n3", func(t *testing.T) {
		f := obj(t, list(t, runJSON(t, "", "bench-parse", "-n", "3", hello)["files"])[0])
		if len(list(t, f["ns"])) != 3 || f["nodes"].(float64) < 20 || f["size"] != float64(len(helloSrc)) {
			t.Errorf("bench-parse: %v", f)
		}
	})
	t.Run("bench-types", func(t *testing.T) { testBenchTypes(t, dir) })
}

// testBenchTypes type-checks a small package importing fmt, with fmt's export data from
// `go list -export` (skipped when no go command is at hand).
func testBenchTypes(t *testing.T, dir string) {
	goCmd := goCommand()
	if goCmd == "" {
		t.Skip("no go command found under $GOROOT or runtime.GOROOT()")
	}
	cmd := exec.Command(goCmd, "list", "-export", "-deps",
		"-f", "{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", "fmt")
	cmd.Dir = dir
	cfg, err := cmd.Output()
	if err != nil {
		t.Skipf("go list -export fmt: %v", err)
	}
	cfgFile := writeFile(t, dir, "importcfg", string(cfg))
	pkgs, _ := json.Marshal([]benchPkg{{Path: "example.com/hello", Dir: dir, Files: []string{"hello.go"}}})
	args := []string{"bench-types", "-n", "1", "-importcfg", cfgFile}
	out := runRaw(t, string(pkgs), args...)
	if got, want := keys(t, out), []string{"schema", "go", "mode", "packages"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	p := obj(t, list(t, runJSON(t, string(pkgs), args...)["packages"])[0])
	if p["path"] != "example.com/hello" || p["files"] != float64(1) || p["errors"] != float64(0) ||
		p["first_error"] != "" || len(list(t, p["ns"])) != 1 {
		t.Errorf("bench-types: %v", p)
	}
}

// goCommand is the go command of the toolchain running the test, or "".
func goCommand() string {
	exe := "go"
	if runtime.GOOS == "windows" {
		exe = "go.exe"
	}
	for _, root := range []string{os.Getenv("GOROOT"), runtime.GOROOT()} {
		if root == "" {
			continue
		}
		p := filepath.Join(root, "bin", exe)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

func TestRunErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "usage"},
		{[]string{"nonsense"}, `unknown mode "nonsense"`},
		{[]string{"tokens"}, "no Go files given"},
		{[]string{"ast", filepath.Join(t.TempDir(), "missing.go")}, "missing.go"},
		{[]string{"types", "-lang", "banana", "-stdin", "x.go"}, `-lang "banana" is not a Go version`},
		{[]string{"types", "-nosuchflag"}, "bad flags"},
		{[]string{"bench-types"}, "bench-types wants a JSON list"},
	} {
		var out, errb bytes.Buffer
		err := run(c.args, strings.NewReader("package x\n"), &out, &errb)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
		if out.Len() != 0 {
			t.Errorf("%v: wrote %q to stdout on error", c.args, out.String())
		}
	}
}

// TestTokensSemicolons: go/scanner's automatic semicolons come out as SEMICOLON with literal "\n".
func TestTokensSemicolons(t *testing.T) {
	src := "package main\n\nfunc f() int {\n\treturn 1 // one\n}\n"
	f := obj(t, list(t, runJSON(t, src, "tokens", "-stdin", "x.go")["files"])[0])
	var inserted []float64
	for _, tok := range list(t, f["tokens"]) {
		row := list(t, tok)
		if len(row) != 6 {
			t.Fatalf("token row %v, want [offset,line,col,NAME,literal,text]", row)
		}
		if row[3] == "SEMICOLON" && row[4] == "\n" {
			inserted = append(inserted, row[1].(float64))
		}
	}
	// after `main` (line 1), after `1` (line 4: at the comment, which ends the line), after `}` (5)
	if !reflect.DeepEqual(inserted, []float64{1, 4, 5}) {
		t.Errorf("automatic semicolons on lines %v, want [1 4 5]", inserted)
	}
	first := list(t, list(t, f["tokens"])[0])
	if !reflect.DeepEqual(first, []any{0.0, 1.0, 1.0, "PACKAGE", "package", "package"}) {
		t.Errorf("first token %v", first)
	}
}

// TestASTRows: the flat node table has nodeWidth ints per node, parents before children.
func TestASTRows(t *testing.T) {
	if nodeWidth != 10 || rowEnd != 7 {
		t.Fatalf("nodeWidth %d: gokit/frontend.py reads 10 ints per node, End at 7", nodeWidth)
	}
	f := obj(t, list(t, runJSON(t, helloSrc, "ast", "-stdin", "hello.go")["files"])[0])
	nodes := list(t, f["nodes"])
	kinds := list(t, f["kinds"])
	if len(nodes)%nodeWidth != 0 || len(nodes) == 0 {
		t.Fatalf("%d ints is not a whole number of %d-int rows", len(nodes), nodeWidth)
	}
	for i := 0; i < len(nodes)/nodeWidth; i++ {
		row := nodes[i*nodeWidth : (i+1)*nodeWidth]
		parent := int(row[rowParent].(float64))
		if (i == 0) != (parent == -1) || parent >= i {
			t.Fatalf("node %d has parent %d", i, parent)
		}
		off := int(row[rowPos].(float64))
		end := int(row[rowEnd].(float64))
		if off < 0 || end < off || end > len(helloSrc) {
			t.Fatalf("node %d (%v) spans [%d,%d)", i, kinds[int(row[rowKind].(float64))], off, end)
		}
	}
	if kinds[0] != "File" {
		t.Errorf("first kind %v", kinds[0])
	}
}
