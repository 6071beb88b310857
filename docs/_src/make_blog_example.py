"""Write docs/blog-example.html: a blog post about one Go loop with two live explorers, made with the commands of
docs/blog.md (`gokit ssa FILE FUNC --embed -`, `gokit asm FILE --function F --embed -`) and nothing else.

    python docs/_src/make_blog_example.py [--out PATH]

The post has its own stylesheet (a serif blog theme) to show that the explorers keep their look and leave the
post's alone. tests/test_blog_example.py checks that the committed page is what this script makes today and that
its explorers work offline in Chromium.
"""
from __future__ import annotations

import argparse
import html
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "blog-example.html"

SNIPPET = """package main

import "fmt"

// sum adds up a slice: the loop the compiler turns into a handful of instructions.
func sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

func main() {
	fmt.Println(sum([]int{1, 2, 3, 4}))
}
"""
# the commands the post shows, run here exactly as written (FILE is the snippet saved as sum.go)
COMMANDS = {
    "ssa": ["gokit", "ssa", "sum.go", "sum", "--embed", "-"],
    "asm": ["gokit", "asm", "sum.go", "--function", "sum", "--embed", "-"],
}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>What the Go compiler does to a loop</title>
<style>
/* the blog's own theme: the explorers below keep their look, and this page keeps its own */
body {{ font: 18px/1.6 Georgia, "Times New Roman", serif; color: #222; max-width: 46em; margin: 2em auto;
  padding: 0 1em; background: #fffdf8; }}
h1, h2 {{ font-weight: normal; }}
pre, code {{ font-family: "Courier New", monospace; font-size: 15px; }}
pre {{ background: #f3efe4; padding: .8em 1em; overflow-x: auto; }}
div, table, select {{ border-radius: 0; }}
.wide {{ margin: 1.5em -8em; }}
@media (max-width: 62em) {{ .wide {{ margin: 1.5em 0; }} }}
</style>
</head>
<body>
<h1>What the Go compiler does to a loop</h1>
<p>Here is a loop that adds up a slice. We will watch the Go compiler rewrite it, pass by pass, and then read the
instructions it ends up as. Everything below is live: click, choose, compare. There is no server behind this page
and it needs no network.</p>
<pre><code>{snippet}</code></pre>
<h2>Pass by pass</h2>
<p>The explorer shows <code>sum</code> after each pass of the compiler's SSA back end. Move the slider (or use the
arrow keys) to step through the passes, pick a value to light it up in every pass and on its source line, and
choose another pass under <em>compare with</em> to see what changed between the two.</p>
<pre><code>{ssa_cmd}</code></pre>
<div class="wide">
{ssa}
</div>
<h2>The instructions</h2>
<p>Each source line and the instructions made from it share a colour. Switch GOARCH to compare amd64 with arm64
and riscv64; the red boxes are relocations, holes the linker fills in.</p>
<pre><code>{asm_cmd}</code></pre>
<div class="wide">
{asm}
</div>
<p>Made with <a href="https://github.com/gokit/gokit">gokit</a>: <code>pip install gokit-lessons</code>, then the two
commands above on your own snippet (see the project's docs/blog.md).</p>
</body>
</html>
"""


def fragment(cmd: list[str], cwd: Path) -> str:
    argv = [sys.executable, "-m", "gokit.cli", *cmd[1:]]
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return done.stdout


def make() -> str:
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "sum.go").write_text(SNIPPET)
        parts = {k: fragment(cmd, Path(d)) for k, cmd in COMMANDS.items()}
    return PAGE.format(snippet=html.escape(SNIPPET), ssa=parts["ssa"].strip(), asm=parts["asm"].strip(),
                       ssa_cmd=html.escape(" ".join(COMMANDS["ssa"][:-2] + ["--embed", "ssa.html"])),
                       asm_cmd=html.escape(" ".join(COMMANDS["asm"][:-2] + ["--embed", "asm.html"])))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=OUT)
    out = ap.parse_args().out
    page = make()
    out.write_text(page, encoding="utf-8")
    print(f"{out}  ({len(page.encode()) / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
