"""benchmarks/compare_commits.py: two commits checked out, measured in turns, the checkouts removed.

The timing itself (a process per commit and round running default runs) is replaced here;
`python -m benchmarks.compare_commits A B` runs it for real (benchmarks/README.md)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from benchmarks import compare_commits

REPO = Path(__file__).resolve().parents[1]


def _worktrees() -> str:
    return subprocess.run(["git", "worktree", "list"], cwd=REPO, capture_output=True, text=True, check=True).stdout


def test_two_commits_are_measured_in_turns_and_their_checkouts_removed(monkeypatch, capsys):
    measured = []

    def median_ms(checkout: Path, runs: int) -> float:
        assert (checkout / "src" / "fentflow" / "sim" / "engine.py").is_file()
        measured.append((checkout.name, runs))
        return 40.0 if checkout.name == "commit-0" else 30.0

    before = _worktrees()
    monkeypatch.setattr(compare_commits, "_median_ms", median_ms)
    assert compare_commits.main(["HEAD", "HEAD", "--rounds", "2", "--runs", "4"]) == 0
    assert measured == [("commit-0", 1), ("commit-1", 1),                        # each compiles first
                        ("commit-0", 4), ("commit-1", 4), ("commit-0", 4), ("commit-1", 4)]
    assert "HEAD 40.0 ms, HEAD 30.0 ms (0.750 x)" in capsys.readouterr().out
    assert _worktrees() == before
