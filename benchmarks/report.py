"""Printing the benchmark table, the notes on misses, and the profile of a default run."""
from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from benchmarks.measure import Measurement

WIDTH = 130


def console() -> Console:
    return Console(width=WIDTH, highlight=False)


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _target(row: Measurement) -> str:
    return f"{'>=' if row.higher_is_better else '<='} {_number(row.target)}"


def results_table(rows: Sequence[Measurement], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for name, justify in (("#", "right"), ("Benchmark", "left"), ("Measured", "right"), ("Target", "right"),
                          ("Unit", "left"), ("Verdict", "left")):
        table.add_column(name, justify=justify, no_wrap=True)
    for i, row in enumerate(rows, 1):
        style = "green" if row.passed else "red"
        table.add_row(str(i), row.name, _number(row.figure), _target(row), row.unit,
                      f"[{style}]{row.verdict()}[/{style}]")
    return table


def details_lines(rows: Sequence[Measurement]) -> list[str]:
    return [f"  {i}. {row.detail}" for i, row in enumerate(rows, 1)]


def profile_table(step_seconds: dict[str, float]) -> Table:
    total = sum(step_seconds.values())
    table = Table(title="Default run profile (sim.timings)", title_justify="left")
    for name, justify in (("Step", "left"), ("ms", "right"), ("Share", "right"), ("", "left")):
        table.add_column(name, justify=justify, no_wrap=True)
    for step, spent in step_seconds.items():
        share = spent / total if total else 0.0
        table.add_row(step, f"{spent * 1e3:.0f}", f"{share:.0%}", "#" * round(share * 40))
    table.add_row("total", f"{total * 1e3:.0f}", "100%", "")
    return table


def miss_notes(rows: Sequence[Measurement], step_seconds: dict[str, float], scaling: Measurement | None) -> list[str]:
    """Plain-language notes on each missed target, from what the profile and the scaling fit show."""
    notes = [f"  - {row.name}: missed by x{row.factor:.3g} ({_number(row.figure)} {row.unit} vs {_target(row)})."
             for row in rows if not row.passed]
    if notes and scaling is not None and "fixed_s_per_week" in scaling.data:
        notes.append("  Profile: " + _profile_note(step_seconds, scaling.data))
    return notes


def _profile_note(step_seconds: dict[str, float], fit: dict) -> str:
    total = sum(step_seconds.values()) or 1.0
    steps = sorted(((s, v) for s, v in step_seconds.items() if s != "outside the steps"), key=lambda x: -x[1])
    heaviest = ", ".join(f"{s} {v / total:.0%}" for s, v in steps[:3])
    fixed, per_load = max(fit["fixed_s_per_week"], 0.0), fit["s_per_load"]   # a fit may put the intercept below 0
    loads = fit["loads_per_week"][1]                        # the default supply's loads per week
    fixed_share = fixed / (fixed + loads * per_load)
    bound = ("per-step overhead (many small array operations every week), not the loads: batching replicates "
             "shares that overhead, and fewer, fused operations per step cut it" if fixed_share > 0.5 else
             "the work per load: fewer draws or cheaper work per load (or fewer, larger loads) is what helps")
    fixed_text = f"{fixed * 1e3:.2f} ms of fixed cost per week" if fixed > 0 else "no measurable fixed cost per week"
    return (f"the heaviest steps are {heaviest}. The scaling fit gives {fixed_text} "
            f"and {per_load * 1e6:.2f} us per load; at the default {loads:,.0f} loads/week the fixed part is "
            f"{fixed_share:.0%} of a week's cost, so a run is bound by {bound}.")
