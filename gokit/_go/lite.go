//go:build gokit_lite

package main

import "errors"

// fullMode: the small helper (built with -tags gokit_lite) answers go/scanner's, go/parser's and
// go/build's questions (version, tokens, ast, imports, facts) without compiling go/types, so a
// new machine's first gokit call waits for the packages it needs and no more; gokit builds the
// full helper when a type question comes.
func fullMode(mode string, e *enc, files func() ([]srcFile, error), f modeFlags) (bool, error) {
	switch mode {
	case "types", "bench-parse", "bench-scan", "bench-types":
		return true, errors.New(mode + ": not in the small helper (built with -tags gokit_lite)")
	}
	return false, nil
}
