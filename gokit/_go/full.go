//go:build !gokit_lite

package main

// fullMode answers the modes that need go/types (types, bench-*): the full helper has them; the
// small one gokit builds first (lite.go) does not.
func fullMode(mode string, e *enc, files func() ([]srcFile, error), f modeFlags) (bool, error) {
	switch mode {
	case "types":
		fl, err := files()
		if err != nil {
			return true, err
		}
		exports, err := readImportcfg(f.importcfg)
		if err != nil {
			return true, err
		}
		goVersion, err := langVersion(f.lang)
		if err != nil {
			return true, err
		}
		typesOf(e, fl, exports, f.pkgPath, goVersion)
	case "bench-parse":
		fl, err := readFiles(f.args, f.stdin, "")
		if err != nil {
			return true, err
		}
		benchParse(e, fl, f.n)
	case "bench-scan":
		fl, err := readFiles(f.args, f.stdin, "")
		if err != nil {
			return true, err
		}
		benchScan(e, fl, f.n)
	case "bench-types":
		exports, err := readImportcfg(f.importcfg)
		if err != nil {
			return true, err
		}
		if err := benchTypes(e, f.stdin, exports, f.n); err != nil {
			return true, err
		}
	default:
		return false, nil
	}
	return true, nil
}
