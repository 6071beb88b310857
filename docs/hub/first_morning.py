"""The first morning of a class, measured on a real JupyterHub: N learners start a lesson at the same moment.

    sudo python docs/hub/classroom.py setup /srv/gokit-hub                 # once: environment, lessons, warm cache
    sudo python docs/hub/first_morning.py /srv/gokit-hub --learners 8 --lessons 00 04
    python docs/hub/first_morning.py --table                             # redo the guide's table from the JSON

For each lesson, twice (learners' homes empty, then with the Go build cache `gokit doctor` warmed copied in at
server start, as docs/instructors.md recommends): a fresh hub, N new learners; at one moment every learner's server
is requested through the hub's REST API; each then opens the lesson (a session, as JupyterLab does) and runs every
code cell in order over the kernel websocket, through the hub's proxy, stopping at the first error as "Run All"
does. Per learner: seconds from that moment to the server being ready, to the lesson's first output and to the end
of its last cell; the first failing cell; CPU seconds of everything the learner's processes ran (read from /proc
while their server still runs, after their kernel was shut down and reaped); disk their home grew to; peak memory.
Then a probe in every kernel (who am I, where are my caches, can I read or write another learner's home, the
shared toolchain or the environment; a program printing the learner's own mark, built and run with gokit), and
every output searched for other learners' names: a result mixed into another learner's is a failure.

Writes docs/hub/first-morning.json and the table between <!-- first-morning --> markers in docs/instructors.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import classroom  # noqa: E402

ROOT = HERE.parent.parent
JSON = HERE / "first-morning.json"
GUIDE = ROOT / "docs" / "instructors.md"
START, END = "<!-- first-morning -->", "<!-- /first-morning -->"
CLASS = 30  # the class the guide sizes a hub for


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_bytes": mem, "kernel": platform.release(),
            "python": platform.python_version()}


class Sampler(threading.Thread):
    """Every second: the load average and each learner's resident memory (peaks kept)."""

    def __init__(self, uids: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.uids, self.stop_ = uids, threading.Event()
        self.loads: list[float] = []
        self.peak_rss = {n: 0 for n in uids}
        self.peak_total_rss = 0

    def run(self) -> None:
        while not self.stop_.is_set():
            self.loads.append(os.getloadavg()[0])
            total = 0
            for name, uid in self.uids.items():
                rss = classroom.rss_bytes(uid)
                total += rss
                self.peak_rss[name] = max(self.peak_rss[name], rss)
            self.peak_total_rss = max(self.peak_total_rss, total)
            self.stop_.wait(1.0)


def hub_cpu(hub: classroom.Hub) -> float:
    """CPU seconds of the hub and its proxy (root's processes in the hub's session)."""
    assert hub.proc is not None
    total = 0
    for pid in classroom.uid_processes(0):
        f = classroom._proc_stat(pid)
        if f is not None and int(f[3]) == hub.proc.pid:  # field 6: session id (the hub leads its own)
            total += sum(int(x) for x in f[11:15])
    return total / classroom.TICKS


def run_learner(learner: classroom.Learner, notebook: str, clock: dict[str, float], go: threading.Event,
                other_home: Path, others: list[str], out: dict[str, Any]) -> None:
    out.update(learner=learner.name, failed="")
    go.wait()  # every learner asks for their server at this moment
    t0 = clock["t0"]
    try:
        learner.start_server(timeout=900)
        out["server_s"] = round(time.monotonic() - t0, 1)
        kernel = learner.kernel(notebook)
        try:
            nb = learner.notebook(notebook)
            texts = []
            first = None
            for n, code in enumerate(classroom.code_cells(nb), 1):
                cell = kernel.execute(code, timeout=1800)
                texts.extend(cell.outputs)
                if first is None and cell.first_output is not None:
                    first = cell.first_output
                if cell.error:
                    out["failed"] = f"cell {n}: {cell.error.splitlines()[0][:160]}"
                    break
            out["cells"] = n
            out["first_output_s"] = round(first - t0, 1) if first is not None else None
            out["last_cell_s"] = round(time.monotonic() - t0, 1)
            mark = f"{learner.name} {os.urandom(4).hex()}"
            seen = classroom.probe(kernel, other_home, mark)
            problems = classroom.isolation_problems(learner, seen, mark)
            mentions = sorted({o for o in others if any(o in t for t in texts)})
            problems += [f"the lesson's outputs name {o}" for o in mentions]
            out["isolation"] = seen
            out["mixed"] = problems
        finally:
            kernel.close()
        time.sleep(2)  # the server reaps the kernel: its CPU time moves into the server's
        out["cpu_s"] = round(classroom.cpu_seconds(learner.uid), 1)
        home = learner.home
        out["disk_bytes"] = classroom.disk_bytes(home)
        out["gocache_bytes"] = classroom.disk_bytes(home / ".cache" / "go-build")
        out["gokit_cache_bytes"] = classroom.disk_bytes(home / ".cache" / "gokit")
    except Exception as e:  # a failure is a result: keep going with the others
        out["failed"] = out.get("failed") or f"{type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}"


def scenario(room: classroom.Room, lesson: str, learners: int, warm: bool) -> dict[str, Any]:
    notebook = f"notebooks/{next((room.shared / 'notebooks').glob(f'{lesson}-*.ipynb')).name}"
    classroom.log(f"lesson {lesson}, {learners} learners, {'warm' if warm else 'empty'} Go build cache")
    load_before = os.getloadavg()
    with classroom.Hub(room, warm_gocache=warm) as hub:
        people = [hub.add_learner(i) for i in range(1, learners + 1)]
        names = [p.name for p in people]
        sampler = Sampler({p.name: p.uid for p in people})
        go = threading.Event()
        clock: dict[str, float] = {}
        results: list[dict[str, Any]] = [{} for _ in people]
        threads = [threading.Thread(target=run_learner, args=(
            p, notebook, clock, go, people[(i + 1) % len(people)].home, [n for n in names if n != p.name],
            results[i])) for i, p in enumerate(people)]
        for t in threads:
            t.start()
        sampler.start()
        t0 = clock["t0"] = time.monotonic()
        go.set()
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
        sampler.stop_.set()
        sampler.join()
        overhead = hub_cpu(hub)
        for r in results:
            r["peak_rss_bytes"] = sampler.peak_rss.get(r.get("learner", ""), 0)
    return {"lesson": lesson, "notebook": notebook, "learners": learners, "warm_gocache": warm,
            "wall_s": round(wall, 1), "hub_and_proxy_cpu_s": round(overhead, 1),
            "load_before": [round(x, 2) for x in load_before],
            "load_mean": round(statistics.mean(sampler.loads), 2) if sampler.loads else None,
            "load_max": round(max(sampler.loads), 2) if sampler.loads else None,
            "peak_total_rss_bytes": sampler.peak_total_rss, "results": results}


# ------------------------------------------------------------------ the table

def _mb(b: float) -> str:
    return f"{b / 1e6:,.0f} MB"


def _range(xs: list[float], unit: str = " s") -> str:
    if not xs:
        return "–"
    return f"{statistics.median(xs):.0f}{unit} ({min(xs):.0f}–{max(xs):.0f})"


def table(data: dict[str, Any]) -> str:
    m = data["machine"]
    lines = [
        f"Measured {data['date']} with `python docs/hub/first_morning.py` on {m['cpu']} ({m['cpus']} CPUs, "
        f"{m['memory_bytes'] / 2**30:.0f} GiB, Linux {m['kernel']}), JupyterHub {data['jupyterhub']}, "
        f"Python {data['learner_python']}, Go {data['go']}; {data['learners']} learners per run, each a Unix user "
        "with their own server, every request through the hub's proxy. The machine was shared with other work: the "
        "load average (2.0 = both CPUs busy) was already high before each run, and during it counts the learners "
        "too; wall times are therefore on the slow side, CPU seconds are the steadier figure. Raw numbers: "
        "`docs/hub/first-morning.json`.",
        "",
        "| lesson, Go build cache | server ready | first output | last cell done | failed | mixed | "
        "CPU per learner | disk per learner | memory per learner (peak) | hub + proxy CPU | "
        "load avg before; during (mean, max) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in data["scenarios"]:
        rs = s["results"]
        ok = [r for r in rs if not r.get("failed")]
        cell = lambda k: [r[k] for r in rs if r.get(k) is not None]  # noqa: E731
        lines.append(
            f"| {s['lesson']}, {'warm copy' if s['warm_gocache'] else 'empty'} | {_range(cell('server_s'))} | "
            f"{_range(cell('first_output_s'))} | {_range(cell('last_cell_s'))} | {len(rs) - len(ok)} of {len(rs)} | "
            f"{sum(1 for r in rs if r.get('mixed'))} | {_range(cell('cpu_s'))} | "
            f"{_mb(statistics.median(cell('disk_bytes'))) if cell('disk_bytes') else '–'} | "
            f"{_mb(statistics.median(cell('peak_rss_bytes'))) if cell('peak_rss_bytes') else '–'} | "
            f"{s['hub_and_proxy_cpu_s']:.0f} s | {s['load_before'][0]:.1f}; {s['load_mean']:.1f}, {s['load_max']:.1f} |")
    lines.append("")
    lines.append("Times are seconds from the moment every learner asked for their server (median, then min–max over "
                 "learners); CPU is user + system time of everything a learner's processes ran; disk is the "
                 "learner's whole home (lessons, Go build cache, gokit's cache) after the lesson.")
    lines += ["", f"The same, scaled to a class of {CLASS} starting together (work that queues at once; the minutes "
              "assume the CPUs do nothing else and learners' work spreads evenly over them, as it did here; memory "
              "if every learner peaks at the same moment, an upper bound):", "",
              f"| {CLASS} learners: lesson, Go build cache | CPU work queued | minutes on 4 / 8 / 16 vCPUs | "
              "memory at the peak | disk after the lesson |", "|---|---:|---:|---:|---:|"]
    for s in data["scenarios"]:
        rs = [r for r in s["results"] if r.get("cpu_s") is not None]
        if not rs:
            continue
        cpu = statistics.median(r["cpu_s"] for r in rs) * CLASS
        mem = statistics.median(r["peak_rss_bytes"] for r in rs) * CLASS
        disk = statistics.median(r["disk_bytes"] for r in rs) * CLASS
        drain = " / ".join(f"{cpu / n / 60:.0f}" for n in (4, 8, 16))
        lines.append(f"| {s['lesson']}, {'warm copy' if s['warm_gocache'] else 'empty'} | {cpu / 60:.0f} CPU-minutes | "
                     f"{drain} | {mem / 1e9:.0f} GB | {disk / 1e9:.1f} GB |")
    failures = [f"{s['lesson']}/{'warm' if s['warm_gocache'] else 'empty'} {r.get('learner')}: {r['failed']}"
                for s in data["scenarios"] for r in s["results"] if r.get("failed")]
    if failures:
        lines.append("")
        lines.append("Failures: " + "; ".join(failures) + ".")
    return "\n".join(lines)


def write_table(data: dict[str, Any]) -> None:
    text = GUIDE.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{GUIDE} has no {START} ... {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    GUIDE.write_text(f"{head}{START}\n{table(data)}\n{END}{tail}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("room", type=Path, nargs="?", help="a folder `classroom.py setup` prepared")
    ap.add_argument("--learners", type=int, default=8)
    ap.add_argument("--lessons", nargs="+", default=["00", "04"])
    ap.add_argument("--table", action="store_true", help="only rewrite the guide's table from the saved JSON")
    ap.add_argument("--json", type=Path, default=JSON, help="where to save the raw numbers (a trial: elsewhere)")
    ap.add_argument("--no-table", action="store_true", help="do not touch docs/instructors.md (a trial run)")
    a = ap.parse_args()
    if a.table:
        write_table(json.loads(a.json.read_text()))
        return 0
    if a.room is None:
        ap.error("the room folder is required (or --table)")
    room = classroom.Room(a.room.resolve())
    if not (room.shared / "go-build").is_dir():
        raise SystemExit(f"{room.shared}/go-build is missing: run `classroom.py setup {a.room}` (with gokit doctor)")
    import subprocess

    info = json.loads(subprocess.run([str(room.python), "-c", (
        "import json, platform, jupyterhub, gokit; print(json.dumps({'python': platform.python_version(), "
        "'jupyterhub': jupyterhub.__version__, 'go': gokit.toolchain().version}))")],
        capture_output=True, text=True, check=True).stdout)
    data: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "learners": a.learners,
                            "learner_python": info["python"], "jupyterhub": info["jupyterhub"], "go": info["go"],
                            "scenarios": []}
    for lesson in a.lessons:
        for warm in (False, True):
            data["scenarios"].append(scenario(room, lesson, a.learners, warm))
            # the room's folder as $ROOM: the numbers say nothing about where this machine keeps it
            a.json.write_text(json.dumps(data, indent=1).replace(str(room.base), "$ROOM") + "\n")
            s = data["scenarios"][-1]
            classroom.log(f"  done in {s['wall_s']:.0f} s, load mean {s['load_mean']}, failures "
                          f"{sum(1 for r in s['results'] if r.get('failed'))}")
    if not a.no_table:
        write_table(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
