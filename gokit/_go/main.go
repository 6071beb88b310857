// Command gokitfrontend is gokit's window into Go's own front end: it runs go/scanner,
// go/parser, go/build and go/types on Go files and prints what they saw as versioned JSON.
//
// It uses only the standard library and is built by gokit with the learner's own
// toolchain (once per toolchain version, then cached). Usage:
//
//	gokitfrontend version
//	gokitfrontend tokens  [-stdin NAME] FILE...
//	gokitfrontend ast     [-stdin NAME] FILE...
//	gokitfrontend imports [-stdin NAME] FILE...
//	gokitfrontend types   [-importcfg F] [-path P] [-lang go1.N] [-stdin NAME] FILE...
//	gokitfrontend facts   [-goos OS] [-goarch ARCH] [-stdin NAME] FILE...
//	gokitfrontend bench-parse -n N FILE...
//	gokitfrontend bench-scan -n N FILE...
//	gokitfrontend bench-types -n N -importcfg F < packages.json
//
// Every answer is one JSON object with "schema" (bumped on any incompatible change),
// "go" (runtime.Version of the toolchain that built this program) and "mode".
//
// The program is split by job: this file parses flags and dispatches; jsonw.go writes JSON;
// files.go reads inputs and asks go/build about them; tokens.go, ast.go, types.go, facts.go
// and bench.go are the modes.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"runtime/debug"
	"strconv"
)

// schema is the version of the JSON this program prints.
const schema = 1

const usage = "usage: gokitfrontend version|tokens|ast|imports|types|facts|bench-parse|bench-scan|bench-types [flags] FILE..."

// stdoutBuffer is the size of the buffer between the JSON writer and stdout.
const stdoutBuffer = 64 << 10

// The one-shot modes allocate one big tree, print it and exit: with the collector off and a
// memory limit as the only trigger, a run pays for no collection at all. The timing modes keep
// Go's default collector, so what they measure includes the collection a real program pays.
const (
	gcOff           = -1      // debug.SetGCPercent value that turns the collector off
	oneShotMemLimit = 1 << 30 // bytes; the collector runs only past this
)

// timedModes are the modes whose numbers are measurements.
var timedModes = map[string]bool{"bench-parse": true, "bench-scan": true, "bench-types": true}

func main() {
	if len(os.Args) < 2 {
		fail(usage)
	}
	if !timedModes[os.Args[1]] {
		debug.SetGCPercent(gcOff)
		debug.SetMemoryLimit(oneShotMemLimit)
	}
	err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "gokitfrontend: "+msg)
	os.Exit(2)
}

// modeFlags are what the modes of full.go read besides the files.
type modeFlags struct {
	stdin     io.Reader
	args      []string
	importcfg string
	pkgPath   string
	lang      string
	n         int
}

// errFlags is returned when the flag package has already said what was wrong.
var errFlags = errors.New("bad flags")

// run answers one command (args[0] is the mode). Nothing is written to stdout unless it
// succeeds (up to the size of the output buffer).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) < 1 {
		return errors.New(usage)
	}
	mode := args[0]
	fs := flag.NewFlagSet(mode, flag.ContinueOnError)
	fs.SetOutput(stderr)
	stdinName := fs.String("stdin", "", "read one file from standard input and call it NAME")
	importcfg := fs.String("importcfg", "", "file of `packagefile path=exportfile` lines (from go list -export)")
	pkgPath := fs.String("path", "", "import path of the package being type-checked")
	lang := fs.String("lang", "", "types: the Go language version to check against, as go.mod's go line sets it (go1.21)")
	goos := fs.String("goos", "", "facts: the GOOS go build would target (default: this program's)")
	goarch := fs.String("goarch", "", "facts: the GOARCH go build would target (default: this program's)")
	n := fs.Int("n", 5, "repetitions (bench modes)")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%s: %w", mode, errFlags)
	}
	files := func() ([]srcFile, error) { return readFiles(fs.Args(), stdin, *stdinName) }

	w := bufio.NewWriterSize(stdout, stdoutBuffer)
	e := &enc{w: w}
	e.header(mode)
	switch mode {
	case "version":
	case "tokens":
		fl, err := files()
		if err != nil {
			return err
		}
		e.raw(`,"files":[`)
		for i, f := range fl {
			if i > 0 {
				e.raw(",")
			}
			tokensOf(e, f)
		}
		e.raw("]")
	case "ast":
		fl, err := files()
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		e.raw(`,"files":[`)
		for i, f := range fl {
			if i > 0 {
				e.raw(",")
			}
			astOf(e, fset, f)
		}
		e.raw("]")
	case "imports":
		fl, err := files()
		if err != nil {
			return err
		}
		importsOf(e, fl)
	case "facts":
		fl, err := files()
		if err != nil {
			return err
		}
		m := newFileMatcher(targetContext(*goos, *goarch), fl)
		e.raw(`,"goos":`)
		e.str(m.ctx.GOOS)
		e.raw(`,"goarch":`)
		e.str(m.ctx.GOARCH)
		e.raw(`,"files":[`)
		for i, f := range fl {
			if i > 0 {
				e.raw(",")
			}
			factsOf(e, m, i, f)
		}
		e.raw("]")
	default:
		handled, err := fullMode(mode, e, files, modeFlags{stdin: stdin, args: fs.Args(), importcfg: *importcfg,
			pkgPath: *pkgPath, lang: *lang, n: *n})
		if err != nil {
			return err
		}
		if !handled {
			return errors.New("unknown mode " + strconv.Quote(mode))
		}
	}
	e.raw("}\n")
	return w.Flush()
}
