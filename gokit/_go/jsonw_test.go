package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"go/token"
	"testing"
	"unicode/utf8"
)

// encode runs write on a fresh enc and returns what it wrote.
func encode(write func(e *enc)) []byte {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	write(&enc{w: w})
	w.Flush()
	return buf.Bytes()
}

// FuzzStr: enc.str always writes one valid JSON string, in valid UTF-8, that decodes to s with
// each byte that is not part of valid UTF-8 replaced by U+FFFD (so to s itself when s is valid).
// The seeds run under plain `go test`; `go test -fuzz FuzzStr` explores further.
func FuzzStr(f *testing.F) {
	for _, s := range []string{
		"", "hello", `a"b\c`, "/", "</script>",
		"\x00", "a\x00b", "\x01\x1f", "\x7f", "\t\r\n\b\f\v",
		"\u2028", "\u2029", "x\u2028y\u2029z", "\u0085", "\ufeff",
		"日本語", "é", "e\u0301", "😀", "\U0010ffff",
		"\xff", "\xfe\xff", "a\x80b", "\xc3", "\xc3(", "\xe6\x97", "\xf0\x9f\x98",
		"\xed\xa0\x80",     // an encoded surrogate half: invalid UTF-8
		"\xef\xbf\xbd",     // U+FFFD itself, valid
		"\xf4\x90\x80\x80", // past U+10FFFF
		"\xc0\xaf",         // overlong
		"ok\xffok\x00ok\u2028",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := encode(func(e *enc) { e.str(s) })
		if !json.Valid(out) {
			t.Fatalf("str(%q) wrote invalid JSON: %q", s, out)
		}
		if !utf8.Valid(out) {
			t.Fatalf("str(%q) wrote invalid UTF-8: %q", s, out)
		}
		var got string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("str(%q) = %q does not decode as a string: %v", s, out, err)
		}
		want := string([]rune(s)) // each invalid byte becomes U+FFFD
		if utf8.ValidString(s) && want != s {
			t.Fatalf("[]rune round trip changed valid %q", s)
		}
		if got != want {
			t.Fatalf("str(%q) = %q decodes to %q, want %q", s, out, got, want)
		}
	})
}

func TestStrEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"a":              `"a"`,
		`"\`:             `"\"\\"`,
		"\n\t\r":         `"\n\t\r"`,
		"\x00\x1f\x7f":   `"\u0000\u001f\u007f"`,
		"\u2028\u2029":   "\"\u2028\u2029\"", // valid JSON as they are
		"a\xffb":         `"a\ufffdb"`,
		"\xed\xa0\x80":   `"\ufffd\ufffd\ufffd"`,
		"日本":             `"日本"`,
		"</script>&<>'=": `"</script>&<>'="`,
	} {
		if got := string(encode(func(e *enc) { e.str(in) })); got != want {
			t.Errorf("str(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestEncValues(t *testing.T) {
	fset := token.NewFileSet()
	tf := fset.AddFile("x.go", -1, 10)
	tf.SetLines([]int{0, 4})
	got := string(encode(func(e *enc) {
		e.raw("[")
		e.int(-12)
		e.raw(",")
		e.bool(true)
		e.raw(",")
		e.strs([]string{"a", "b"})
		e.raw(",")
		e.strs(nil)
		e.raw(",")
		e.ints([]int{1, 2})
		e.raw(",")
		e.ints(nil)
		e.raw(",")
		e.pos(fset, tf.Pos(6))
		e.raw(",")
		e.pos(fset, token.NoPos)
		e.raw("]")
	}))
	want := `[-12,true,["a","b"],[],[1,2],[],[6,2,3],null]`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestErrorList(t *testing.T) {
	got := string(encode(func(e *enc) {
		e.raw("[")
		l := errorList{e: e}
		l.list(nil, "parser")
		p := token.Position{Filename: "/tmp/dir/main.go", Offset: 5, Line: 2, Column: 3}
		l.add(p.Filename, &p, "boom", "types", true)
		l.add("main.go", nil, "no position", "build", false)
		e.raw("]")
	}))
	want := `[{"file":"main.go","pos":[5,2,3],"msg":"boom","source":"types","soft":true},` +
		`{"file":"main.go","pos":null,"msg":"no position","source":"build","soft":false}]`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}
