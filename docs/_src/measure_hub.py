"""Measure what a learner's first lesson costs on a fresh JupyterHub user (docs/instructors.md).

    python docs/_src/measure_hub.py [LESSON] > hub.json

A fresh hub user is a new HOME (XDG_CACHE_HOME inside it: empty Go build cache, empty gokit cache) with the
image's Python environment. Three runs, each `gokit check LESSON` in such a HOME:
  image:  `gokit doctor` in a fresh HOME, as binder/postBuild runs it at image build (its GOCACHE is "the image's");
  cold:   the lesson in a fresh HOME with nothing cached;
  warm:   the lesson in a fresh HOME after copying the image's Go build cache into it (the copy is timed too).
Each reports wall seconds, CPU seconds of everything it started (user + sys) and the disk the HOME grew by.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def du(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file() and not f.is_symlink())


def timed(argv: list[str], home: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOCACHE", "GOKIT_CACHE", "XDG_"))}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), JUPYTER_DATA_DIR=str(home / ".jupyter-data"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{argv} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "disk_bytes": du(home)}


def main() -> None:
    lesson = sys.argv[1] if len(sys.argv) > 1 else "00"
    gokit = [sys.executable, "-m", "gokit.cli"]
    root = Path(tempfile.mkdtemp(prefix="hub-"))
    try:
        image = root / "image"
        out = {"lesson": lesson, "image (gokit doctor)": timed([*gokit, "doctor"], image)}
        out["image GOCACHE bytes"] = du(image / ".cache" / "go-build")
        out["cold"] = timed([*gokit, "check", lesson], root / "cold")
        warm = root / "warm"
        t = time.perf_counter()
        shutil.copytree(image / ".cache" / "go-build", warm / ".cache" / "go-build")
        out["copy image GOCACHE s"] = round(time.perf_counter() - t, 1)
        out["warm"] = timed([*gokit, "check", lesson], warm)
        out["cpus"] = os.cpu_count()
        print(json.dumps(out, indent=1))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
