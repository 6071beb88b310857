"""Regenerate the process-start and build-cache goldens for Go 1.27 and Go 1.22 (lessons 05 and 06).

Run from the repo root:  python tests/golden/capture_runtimebuild.py   (GOKIT_GO122=... to use a local Go 1.22)

Writes into tests/golden/go1.NN/runtimebuild/:
  inittrace.txt                    stderr of a program with an init, run with GODEBUG=inittrace=1
  boot_<arch>_objdump.txt          `go tool objdump -s BOOT_PATTERN` of hello for linux/amd64 and linux/arm64
  boot_<arch>_image.json           every ELF fact the boot-chain finder read (entry, symbols, memory words)
  actiongraph_cold.json, trace_cold.json      a println program built in an empty GOCACHE
  actiongraph_edit.json, trace_edit.json      the same after an edit of main.go (same dir, same GOCACHE)
  gocachehash.txt, actiongraph_hash.json      GODEBUG=gocachehash=1 of one build, and its play actions
Absolute paths are replaced by $GOROOT and $MOD (parsers never need them).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import gokit  # noqa: E402
from gokit import _run  # noqa: E402
from gokit.parsers.binary import read_elf  # noqa: E402
from gokit.parsers.boot import BOOT_PATTERN, find_boot_chain  # noqa: E402
from gokit.parsers.objdump import parse_objdump  # noqa: E402
from gokit.source.toolchain import _make  # noqa: E402

INIT_SRC = """package main

import "fmt"

var squares = make(map[int]int)

func init() {
	for i := 0; i < 1000; i++ {
		squares[i] = i * i
	}
}

func main() { fmt.Println(len(squares)) }
"""
HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, boot") }\n'
SMALL = 'package main\n\nfunc main() { println("hello, cache") }\n'


class RecordingImage:
    """Wraps an ElfImage and remembers every fact the finder asked for, to replay in tests without Go."""

    def __init__(self, image):  # type: ignore[no-untyped-def]
        self.image = image
        self.entry = image.entry
        self.goarch = image.goarch
        self.symbols: dict[str, list[int]] = {}
        self.names: dict[str, str] = {}
        self.memory: dict[str, str] = {}

    def address_of(self, name: str) -> int | None:
        a = self.image.address_of(name)
        if a is not None:
            self.symbols[name] = [a, self.image.size_of(name)]
        return a

    def size_of(self, name: str) -> int:
        self.address_of(name)
        return self.image.size_of(name)

    def symbol_at(self, address: int) -> str | None:
        n = self.image.symbol_at(address)
        if n is not None:
            self.names[f"{address:#x}"] = n
        return n

    def read(self, address: int, n: int) -> bytes:
        data = self.image.read(address, n)
        self.memory[f"{address:#x}"] = data.hex()
        return data

    def to_json(self) -> str:
        return json.dumps({"entry": self.entry, "goarch": self.goarch, "symbols": self.symbols, "names": self.names,
                           "memory": self.memory}, indent=1, sort_keys=True)


def _clean(text: str, tc: gokit.Toolchain, mod: Path, tmp: Path | None = None) -> str:
    """Machine paths out: GOROOT, the module dir, the capture's temp dir and gokit's (Go's work dirs)."""
    from gokit import _tmp

    text = text.replace(str(tc.goroot), "$GOROOT").replace(str(mod), "$MOD")
    for d, name in ((tmp, "$TMP"), (_tmp.root(), "$TMP")):
        if d is not None:
            text = text.replace(str(d), name)
    return text


def capture(tc: gokit.Toolchain) -> None:
    out = HERE / f"go{tc.minor[0]}.{tc.minor[1]}" / "runtimebuild"
    out.mkdir(parents=True, exist_ok=True)
    # inittrace
    b = gokit.build(INIT_SRC, toolchain=tc)
    done = _run.run([str(b.binary)], env={"GODEBUG": "inittrace=1", "PATH": os.defpath}, timeout=30).check()
    (out / "inittrace.txt").write_text(done.err)
    # boot chain, amd64 and arm64
    for arch in ("amd64", "arm64"):
        hb = gokit.build(HELLO, goarch=arch, toolchain=tc, timeout=900)
        raw = _run.run([str(tc.tool("objdump")), "-s", BOOT_PATTERN, str(hb.binary)], env=tc.env(),
                       timeout=300).check().out
        moddir = gokit.package(gokit.Source(HELLO), toolchain=tc).moddir
        text = _clean(raw, tc, moddir)
        rec = RecordingImage(read_elf(hb.binary))
        find_boot_chain(parse_objdump(text), rec)
        (out / f"boot_{arch}_objdump.txt").write_text(text)
        (out / f"boot_{arch}_image.json").write_text(rec.to_json() + "\n")
    # the build cache: a cold build in an empty GOCACHE, then an edit in the same directory
    with tempfile.TemporaryDirectory(prefix="gokit-golden-") as tmp:
        t = Path(tmp)
        mod = t / "mod"
        mod.mkdir()
        (mod / "main.go").write_text(SMALL)
        (mod / "go.mod").write_text(f"module play\n\ngo {tc.minor[0]}.{tc.minor[1]}\n")
        env = {"GOCACHE": str(t / "gocache")}
        for name in ("cold", "edit"):
            if name == "edit":
                (mod / "main.go").write_text(SMALL.replace("cache", "cache, edited"))
            tc.go_cmd("build", f"-debug-actiongraph={t / 'ag.json'}", f"-debug-trace={t / 'tr.json'}", "-o",
                      str(t / "prog"), ".", cwd=mod, env=env, timeout=900)
            (out / f"actiongraph_{name}.json").write_text(_clean((t / "ag.json").read_text(), tc, mod, t))
            (out / f"trace_{name}.json").write_text(_clean((t / "tr.json").read_text(), tc, mod, t))
        (mod / "main.go").write_text(SMALL.replace("cache", "cache, hashed"))
        done = tc.go_cmd("build", f"-debug-actiongraph={t / 'ag.json'}", "-o", str(t / "prog"), ".", cwd=mod,
                         env={**env, "GODEBUG": "gocachehash=1"}, timeout=900)
        keep = ("HASH[build play]", "HASH[link play]", "HASH[build runtime]")
        lines = done.err.splitlines()
        kept = [ln for ln in lines if ln.startswith(keep)]
        kept += [ln for ln in lines if ln.startswith("HASH subkey")][:3]
        kept += [ln for ln in lines if ln.startswith("HASH /")][:3]
        (out / "gocachehash.txt").write_text(_clean("\n".join(kept) + "\n", tc, mod, t))
        graph = [a for a in json.loads((t / "ag.json").read_text()) if a.get("Package") == "play"]
        (out / "actiongraph_hash.json").write_text(_clean(json.dumps(graph, indent=1), tc, mod, t) + "\n")
        shutil.rmtree(t / "gocache", ignore_errors=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    capture(gokit.toolchain())
    go122 = os.environ.get("GOKIT_GO122")
    capture(_make(Path(go122), "GOKIT_GO122") if go122 else gokit.use_go("1.22.10"))
