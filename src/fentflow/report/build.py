"""Build the self-contained HTML report of a run: one file, no network needed, no external scripts.

    from fentflow.report import build_report
    build_report("out")            # after `fentflow run --out out`; runs the baseline first if absent

Sections (each its own module in `sections/`, each opening with one sentence saying what it
shows): what was run; where the fentanyl went (the year's mass balance, a Sankey chart); the
baseline against the public series; calibration fit and seizure share; scenario comparisons;
the risk map; the claims table; assumptions and sources. The calibration section shows
`out/calibration/` when it holds results, else the calibration shipped with fentflow; the
scenario section shows `out/compare/`, else a small comparison bundled with fentflow. The map's
files (HTML, PNG, GeoJSON, CSV) are written to `out/map/` as well.
"""
from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path

from fentflow.errors import InputError
from fentflow.report.context import ReportContext, read_summary, whole_years
from fentflow.report.html import Section
from fentflow.report.sections import ORDER
from fentflow.report.style import STYLE
from fentflow.risk.assess import BASELINE_YEAR
from fentflow.risk.offline_html import plotly_head
from fentflow.sim.calendar import DEFAULT_END, DEFAULT_START
from fentflow.staging import staged_output

log = logging.getLogger(__name__)

REPORT_FILE = "report.html"
MAP_DIR = "map"
TITLE = "fentflow report: the illicit fentanyl supply chain feeding the U.S. market"


def build_report(out_dir: str | Path = "out", *, world=None, seed: int = 0, start: str = DEFAULT_START,
                 end: str = DEFAULT_END, risk_year: int | None = None, claims: bool = True,
                 calibration_dir: str | Path | None = None, compare_dir: str | Path | None = None,
                 write_map: bool = True, progress: Callable[[str, float], None] | None = None) -> Path:
    """Write `out_dir/report.html` and return its path.

    If `out_dir` holds no run (`summary.json`), the baseline is run first (`world`, `seed`,
    `start`, `end`) and its outputs written there, as `fentflow run --out out_dir` would.
    `risk_year` defaults to 2023, or to the run's last year if it ends earlier.
    `progress(stage, fraction)` hears of each stage (`STAGES`) as it advances.
    """
    from fentflow.world import World

    out = Path(out_dir)
    report = progress or (lambda stage, fraction: None)
    world = world if world is not None and not isinstance(world, (str, Path)) else World.load(world)
    if not (out / "summary.json").exists():
        _run_baseline(world, out, seed, start, end, report)
    year = _risk_year(read_summary(out), risk_year)
    context = ReportContext(out, world, year, claims, _path(calibration_dir), _path(compare_dir))
    sections = []
    for module in ORDER:
        report(f"section: {_section_name(module)}", 0.0)
        sections.append(module.build(context))
    if write_map:
        from fentflow.risk.writers import write_map_files
        report("writing the map files", 0.0)
        with staged_output(out / MAP_DIR) as stage:
            write_map_files(context.assessment, stage)
    path = out / REPORT_FILE
    with staged_output(out) as stage:   # report.html whole or not at all; the run beside it untouched
        (stage / REPORT_FILE).write_text(page(sections, context), encoding="utf-8")
    log.info("report written to %s", path)
    return path


def page(sections: list[Section], context: ReportContext) -> str:
    s = context.summary
    toc = "".join(f'<li><a href="#{section.id}">{html.escape(section.title)}</a></li>' for section in sections)
    body = "".join(f'<section id="{section.id}"><h2>{html.escape(section.title)}</h2>'
                   f'<p class="lead">{html.escape(section.lead)}</p>{section.body}</section>' for section in sections)
    # No build date: the same run gives the same report, byte for byte.
    subtitle = (f"World '{html.escape(str(s.get('world')))}', simulated {s.get('start')} to {s.get('end')}, "
                f"seed {s.get('seed')}; fentflow {html.escape(str(s.get('fentflow_version')))}")
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(TITLE)}</title>\n"
            f"<style>{STYLE}</style>\n{plotly_head()}\n</head>\n<body>\n<header><h1>{html.escape(TITLE)}</h1>"
            f"<p class=\"subtitle\">{subtitle}</p><nav><ol>{toc}</ol></nav></header>\n<main>{body}</main>\n"
            "<footer>fentflow models the trade at the level of public reporting, for those who allocate "
            "resources; it contains no chemistry and no operational guidance.</footer>\n</body>\n</html>\n")


def _run_baseline(world, out: Path, seed: int, start: str, end: str, report: Callable[[str, float], None]) -> None:
    """What `fentflow run --out OUT` does: the default (calibrated) parameters and replicates."""
    from fentflow.sim.sources import CALIBRATED
    from fentflow.sim.engine import Sim
    from fentflow.sim.output import write_outputs

    log.info("no run in %s: running the baseline %s to %s (seed %d)", out, start, end, seed)
    sim = Sim(world, parameters=CALIBRATED, start=start, end=end, seed=seed)
    with staged_output(out) as stage:
        sim.run(progress=lambda week: report("running the baseline", (week + 1) / sim.calendar.n_weeks))
        write_outputs(sim, stage)


def _section_name(module) -> str:
    return module.__name__.rsplit(".", 1)[-1]


# The stages `progress` hears, with their measured share of the time (seconds on a shared 2-core machine,
# 20 replicates, first report: the claims' policy comparison is cached afterwards), for the CLI's ETA.
# One stage per section of `ORDER`; a section not listed here counts as a short one.
SECTION_SECONDS = {"run": 0.1, "balance": 0.5, "baseline": 3.5, "calibration": 0.2, "scenarios": 0.2,
                   "risk": 40.0, "claims": 45.0, "sources": 0.1}
SHORT_SECTION = 0.5
STAGES = (("running the baseline", 6.0),
          *((f"section: {_section_name(module)}", SECTION_SECONDS.get(_section_name(module), SHORT_SECTION))
            for module in ORDER),
          ("writing the map files", 2.0))


def _risk_year(summary: dict, wanted: int | None) -> int:
    first, last = whole_years(summary)
    year = wanted if wanted is not None else min(BASELINE_YEAR, last)
    if not first <= year <= last:
        raise InputError(f"the run covers whole years {first}-{last}; no risk map for {year}", field="year")
    return year


def _path(value) -> Path | None:
    return Path(value) if value is not None else None
