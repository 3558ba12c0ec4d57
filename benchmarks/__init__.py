"""fentflow benchmark suite: `python -m benchmarks.run_all` (see README.md)."""
