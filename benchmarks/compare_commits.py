"""A default run's time at two commits, measured in turns on one machine.

Benchmark row 1 measures one commit at one moment; a shared machine's load moves its figure
by more than many engine changes are worth. This measures two commits alternately, in fresh
processes: each commit's source is checked out beside the repository (`git worktree`), gets a
numba cache of its own (its kernels compile once, before the first round), and each round runs
one process per commit that measures a default run 2015-2030 as benchmark row 1 does.

    .venv/bin/python -m benchmarks.compare_commits 4089dcc HEAD
    .venv/bin/python -m benchmarks.compare_commits 4089dcc HEAD --rounds 5 --runs 20
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Row 1's own measurement (`bench_default.measure_time`), with this repository's benchmarks and the
# checkout's fentflow (PYTHONPATH comes before the installed package; the benchmarks use its public API).
TIMED_RUNS = ("import sys; from benchmarks.bench_default import measure_time; "
              "print(measure_time(int(sys.argv[1]))[0].figure)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="a commit (anything `git rev-parse` reads)")
    parser.add_argument("after", help="another commit")
    parser.add_argument("--rounds", type=int, default=3, help="turns of one process per commit (default 3)")
    parser.add_argument("--runs", type=int, default=15, help="timed default runs per process (default 15)")
    args = parser.parse_args(argv)
    revisions = (args.before, args.after)
    medians: list[list[float]] = [[], []]
    with tempfile.TemporaryDirectory(prefix="fentflow-compare-") as folder:
        checkouts = []
        try:
            for k, rev in enumerate(revisions):
                checkouts.append(_checkout(rev, Path(folder) / f"commit-{k}"))
                _median_ms(checkouts[-1], 1)                  # compiles its kernels into its own cache
            for round_number in range(1, args.rounds + 1):
                for k, checkout in enumerate(checkouts):
                    medians[k].append(_median_ms(checkout, args.runs))
                print(f"round {round_number}: "
                      + ", ".join(f"{rev} {ms[-1]:.1f} ms" for rev, ms in zip(revisions, medians)))
        finally:
            for checkout in checkouts:
                subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=REPO, check=False,
                               capture_output=True)
    before, after = (statistics.median(ms) for ms in medians)
    print(f"default run 2015-2030, median of the rounds' medians: {args.before} {before:.1f} ms, "
          f"{args.after} {after:.1f} ms ({after / before:.3f} x)")
    return 0


def _checkout(rev: str, folder: Path) -> Path:
    subprocess.run(["git", "worktree", "add", "--detach", "-f", str(folder), rev], cwd=REPO, check=True,
                   capture_output=True)
    return folder


def _median_ms(checkout: Path, runs: int) -> float:
    """One fresh process running `checkout`'s fentflow: the median of `runs` default runs, in ms."""
    env = {**os.environ, "PYTHONPATH": str(checkout / "src"), "NUMBA_CACHE_DIR": str(checkout / ".numba-cache")}
    done = subprocess.run([sys.executable, "-c", TIMED_RUNS, str(runs)], cwd=REPO, env=env, check=True,
                          capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
