#!/usr/bin/env python3
"""End-to-end benchmark of `screenscore score` against the baseline program.

Builds the release binaries, writes a seeded intake file (bench/src/bin/generate.rs: the
screening trio PHQ-9, GAD-7 and AUDIT-C, 20 one-byte answers per row, 2% of cells empty),
then times, each run writing its output to a file:

- the baseline (bench/src/bin/baseline.rs): the csv crate reads every record, sums the 20
  answers, writes the totals: what reading the file costs;
- `screenscore score -i phq9` (full validation, statuses, bands, flags) on one thread and on
  every core;
- the trio (`-i phq9 -i gad7 -i auditc`) on one thread and on every core;
- R's read.csv with psych::scoreItems on the PHQ-9 items, when Rscript and psych are there.

Each run is repeated; the median wall time gives rows/s and the ratio to the baseline, and
peak resident memory is the largest of the runs (VmHWM, read while each runs). Memory is also
measured on a second, larger file to show it does not grow with the input.

    python3 bench/run.py                       # 1,000,000 rows (and 10,000,000 for memory)
    python3 bench/run.py --write BENCHMARKS.md # and write the report
    python3 bench/run.py --rows 100000 --memory-rows 0 --repeat 1   # the CI smoke run

Nothing here asserts a speed: the figures are for people to read.
"""

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cargo_target() -> Path:
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return Path(re.search(r'"target_directory":"([^"]+)"', meta).group(1))


def build() -> Path:
    subprocess.run(
        ["cargo", "build", "--release", "--locked", "-p", "screenscore-cli",
         "-p", "screenscore-bench"],
        cwd=ROOT, check=True,
    )
    return cargo_target() / "release"


def generate(release: Path, rows: int, path: Path) -> None:
    with open(path, "wb") as out:
        subprocess.run([str(release / "generate"), str(rows)], stdout=out, check=True)


def high_water(pid: int) -> int:
    """The process's peak resident set so far (VmHWM, KiB); 0 once it has exited."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_once(command, output: Path):
    """Wall seconds and peak resident KiB of one run, its output to `output`.

    The peak is VmHWM read from /proc every 2 ms until the process has exited (and before it
    is reaped): wait4's ru_maxrss would count this Python process's own memory, which a
    child spawned from it inherits as its starting high-water mark.
    """
    with open(output, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE)
        peak = 0
        while True:
            peak = max(peak, high_water(process.pid))
            exited = os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            if exited is not None:
                break
            time.sleep(0.002)
        wall = time.perf_counter() - start
        stderr = process.communicate()[1].decode(errors="replace")
    if process.returncode not in (0, 1):  # 1: some rows invalid, still a complete run
        sys.exit(f"{command[0]} failed ({process.returncode}): {stderr}")
    return wall, peak


def measure(command, output: Path, repeat: int):
    runs = [run_once(command, output) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), max(m for _, m in runs)


def psych_command(path: Path):
    if shutil.which("Rscript") is None:
        return None
    check = subprocess.run(
        ["Rscript", "-e", "quit(status = !requireNamespace('psych', quietly = TRUE))"],
        capture_output=True,
    )
    if check.returncode != 0:
        return None
    return ["Rscript", str(ROOT / "bench" / "psych.R"), str(path)]


def criterion():
    """(bench, median estimate) from criterion's report lines `name  time: [low mid high]`."""
    output = subprocess.run(
        ["cargo", "bench", "--locked", "-p", "screenscore", "--bench", "score"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    found, name = [], None
    for line in output.splitlines():
        match = re.search(r"time:\s+\[\S+ \S+ (\S+ \S+) \S+ \S+\]", line)
        head = line.split("time:")[0].strip()
        if head:
            name = head
        if match and name:
            found.append((name, match.group(1)))
            print(f"{name}: {match.group(1)}", flush=True)
    return found


def machine() -> str:
    model = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{model or platform.processor()}, {os.cpu_count()} cores, {memory} memory; "
            f"{platform.system()} {platform.release()}; {rustc}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--memory-rows", type=int, default=10_000_000,
                        help="a second file for peak memory only (0: none)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--criterion", action="store_true",
                        help="also run the criterion benches of one administration")
    parser.add_argument("--write", type=Path, help="write the report (Markdown) here")
    args = parser.parse_args()

    release = build()
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="screenscore-bench-"))
    try:
        intake = work / "intake.csv"
        generate(release, args.rows, intake)
        size = intake.stat().st_size
        screenscore = str(release / "screenscore")
        trio = ["-i", "phq9", "-i", "gad7", "-i", "auditc"]
        thread_counts = sorted({1, cores})
        plural = lambda n: f"{n} thread" + ("s" if n > 1 else "")
        cases = [("baseline (csv read + sum + write)", [str(release / "baseline"), str(intake)])]
        for ids, label in ((["-i", "phq9"], "-i phq9"), (trio, "the trio")):
            for threads in thread_counts:
                cases.append((f"screenscore score {label}, {plural(threads)}",
                              [screenscore, "score", *ids, "--threads", str(threads),
                               str(intake)]))
        psych = psych_command(intake)
        if psych:
            cases.append(("R read.csv + psych::scoreItems (PHQ-9)", psych))
        results = []
        for name, command in cases:
            repeat = 1 if command is psych else args.repeat
            wall, rss = measure(command, work / "out.csv", repeat)
            results.append((name, wall, rss))
            print(f"{name}: {wall:.3f} s, {args.rows / wall / 1e6:.2f} M rows/s, "
                  f"peak {rss / 1024:.1f} MiB", flush=True)
        base = results[0][1]

        memory = []
        if args.memory_rows:
            big = work / "big.csv"
            intake.unlink()
            generate(release, args.memory_rows, big)
            for threads in thread_counts:
                name = f"screenscore score -i phq9, {plural(threads)}"
                small = next(rss for n, _, rss in results if n == name)
                command = [screenscore, "score", "-i", "phq9", "--threads", str(threads), str(big)]
                wall, rss = measure(command, work / "out.csv", 1)
                memory.append((threads, small, rss, wall))
                print(f"peak memory, {plural(threads)}: {args.rows:,} rows {small / 1024:.1f} "
                      f"MiB, {args.memory_rows:,} rows {rss / 1024:.1f} MiB ({wall:.2f} s)",
                      flush=True)

        per_administration = criterion() if args.criterion else []
    finally:
        shutil.rmtree(work)

    lines = [
        "# Benchmarks",
        "",
        f"Regenerated by `python3 bench/run.py --write BENCHMARKS.md` on "
        f"{datetime.date.today().isoformat()}; the figures are from that run.",
        "",
        "## Method",
        "",
        f"- Input: {args.rows:,} rows ({size / 1e6:.1f} MB) from `bench/src/bin/generate.rs` "
        "(seed 20261121): `client_id,date,sex,age`, then PHQ-9 (10 items), GAD-7 and "
        "AUDIT-C, 20 one-byte answers drawn around one severity per row, each cell empty "
        "with probability 2%.",
        "- Baseline: `bench/src/bin/baseline.rs`, the minimal loop with the csv crate: read "
        "each record into one reused buffer, sum the 20 answers, write the totals. It is what "
        "reading the file costs; the ratio is screenscore's rows/s over the baseline's.",
        "- `screenscore score` does full validation (every cell matched to an answer, bad "
        "cells reported), statuses, missing-data rules, bands and flags, and copies the "
        "pass-through columns (with the spreadsheet-formula guard).",
        f"- Every run writes its output to a file in the same temporary directory; wall time "
        f"is the median of {args.repeat} runs (R: 1 run), peak memory the largest resident "
        "set of the runs (VmHWM from /proc, read every 2 ms while each runs).",
        f"- Machine: {machine()}.",
        "",
        "## End to end",
        "",
        "| run | wall (s) | rows/s | ratio to baseline | peak memory (MiB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, wall, rss in results:
        lines.append(f"| {name} | {wall:.3f} | {args.rows / wall / 1e6:.2f} M | "
                     f"{base / wall:.2f} | {rss / 1024:.1f} |")
    if memory:
        lines += [
            "",
            "## Memory as the input grows",
            "",
            f"| threads | peak at {args.rows:,} rows (MiB) | peak at {args.memory_rows:,} "
            "rows (MiB) | wall at the larger (s) |",
            "|---:|---:|---:|---:|",
        ]
        for threads, small, rss, wall in memory:
            lines.append(f"| {threads} | {small / 1024:.1f} | {rss / 1024:.1f} | {wall:.2f} |")
    if per_administration:
        lines += [
            "",
            "## One administration (criterion, `cargo bench -p screenscore --bench score`)",
            "",
            "| bench | time per administration (median estimate) |",
            "|---|---:|",
        ]
        lines += [f"| {name} | {time} |" for name, time in per_administration]
    report = "\n".join(lines) + "\n"
    if args.write:
        args.write.write_text(report + open(ROOT / "bench" / "NOTES.md").read())
        print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
