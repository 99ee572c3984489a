"""How long the command line takes to start: `claimledger --help`, `show`, `export` and `check`.

Each command runs as a new process (the installed `claimledger` beside this
Python), as a user types it, on a small ledger of the bundled example
corpus; the median and the slowest of `--repeats` runs are reported. A bare
`python -c pass` is timed in the same run as the baseline: the machine's own
cost of starting Python, which the commands cannot go below.

The last line is `help_median_ms=... show_median_ms=... export_median_ms=...
check_median_ms=... python_median_ms=...`; the target is `--help` (and `show`,
`export`, `check`) under 500 ms.

    python benchmarks/cli_start.py [--repeats 15]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path


def claimledger_command() -> list[str]:
    beside = Path(sys.executable).with_name("claimledger")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("claimledger")
    if found:
        return [found]
    return [sys.executable, "-m", "claimledger.cli"]


def timed(command: list[str], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)}: exit {done.returncode}: {done.stderr.decode()[-500:]}")
    return sorted(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    cli = claimledger_command()
    with tempfile.TemporaryDirectory(prefix="claimledger-cli-start-") as tmp:
        db = Path(tmp) / "ledger.db"
        corpus = Path(tmp) / "corpus"
        with resources.as_file(resources.files("claimledger").joinpath("examples", "corpus")) as source:
            shutil.copytree(source, corpus)
        subprocess.run(cli + ["ingest", str(corpus), "--db", str(db), "--engine", "serial", "--quiet"],
                       check=True, stdout=subprocess.DEVNULL)
        commands = {
            "python": [sys.executable, "-c", "pass"],
            "help": cli + ["--help"],
            "show": cli + ["show", "--db", str(db)],
            "export": cli + ["export", "--db", str(db), "--what", "claims", "--format", "csv",
                             "-o", str(Path(tmp) / "claims.csv")],
            "check": cli + ["check", "--db", str(db)],
        }
        results = {name: timed(command, args.repeats) for name, command in commands.items()}
    for name, times in results.items():
        print(f"{name:>7}: median {statistics.median(times):6.0f} ms, slowest {times[-1]:6.0f} ms")
    order = ("help", "show", "export", "check", "python")
    print(" ".join(f"{name}_median_ms={statistics.median(results[name]):.0f}" for name in order))
    return 0


if __name__ == "__main__":
    sys.exit(main())
