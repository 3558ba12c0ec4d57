"""A complete risk assessment for one year: index, levels, drivers, sensitivity, hotspots, scenario change.

    from fentflow.risk import assess
    a = assess(year=2023)                         # runs the model 2015-2023 (seconds)
    a = assess(scenario="raids_tripled")          # baseline and scenario arms, same seed (2026)
    a.table()                                     # one row per state, everything

`assess_frames` does the same from results already computed (e.g. a `fentflow run` directory).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fentflow.errors import InputError
from fentflow.observed.series import LAST_DATA_YEAR
from fentflow.policy.scenarios import Scenario, check_scenario, load_scenario
from fentflow.risk.geometry import adjacency, state_shapes
from fentflow.risk.hotspots import GiStarHotspots, LocalMoranClusters
from fentflow.risk.index import RiskIndex
from fentflow.risk.inputs import ActivityFrames, annual_activity, raw_indicators
from fentflow.risk.method import METHOD, IndexMethod
from fentflow.risk.sensitivity import LevelSensitivity
from fentflow.sim.calendar import DEFAULT_END, DEFAULT_START, Calendar

log = logging.getLogger(__name__)

FIRST_YEAR, LAST_YEAR = pd.Timestamp(DEFAULT_START).year, pd.Timestamp(DEFAULT_END).year
BASELINE_YEAR = LAST_DATA_YEAR   # the default map year: the last the calibration fits (SESNSP also counts 2024)


@dataclass(frozen=True)
class ScenarioArm:
    scenario: Scenario
    index: RiskIndex      # the index under the scenario
    change: pd.Series     # scenario score - baseline score, per state


@dataclass(frozen=True)
class RiskAssessment:
    """Everything the map and the report show for one year; `index` is the one drawn (the
    scenario's when there is one), `baseline` the index without interventions."""

    year: int
    world: object
    shapes: object                 # GeoDataFrame in world state order
    baseline: RiskIndex
    sensitivity: LevelSensitivity
    hotspots: GiStarHotspots
    clusters: LocalMoranClusters
    run: dict = field(default_factory=dict)
    arm: ScenarioArm | None = None

    @property
    def index(self) -> RiskIndex:
        return self.arm.index if self.arm else self.baseline

    def table(self) -> pd.DataFrame:
        """One row per state: names and codes, level, score, drivers, indicators, sensitivity, hotspots."""
        info = self.shapes[["abbr", "code", "name"]].set_index("abbr")
        parts = [info, self.index.table(), self.sensitivity.table().drop(columns="level"),
                 self.hotspots.z, self.hotspots.p_sim, self.hotspots.label, self.clusters.label]
        if self.arm:
            parts.append(pd.DataFrame({"baseline_level": self.baseline.level, "baseline_score": self.baseline.score,
                                       "score_change": self.arm.change,
                                       "level_change": self.arm.index.level_number - self.baseline.level_number}))
        table = pd.concat(parts, axis=1)
        table.insert(3, "year", self.year)
        table.insert(len(table.columns), "homicide_rate_from", self.run.get("homicide_rate_from", ""))
        return table.rename_axis("abbr").reset_index()


def check_year(year: int, last_simulated: int = LAST_YEAR) -> int:
    if not FIRST_YEAR <= year <= last_simulated:
        raise InputError(f"year {year} is outside the simulated span {FIRST_YEAR}-{last_simulated}", field="year")
    return year


SCORING = "scoring the states (hotspots, sensitivity)"
StageProgress = Callable[[str, float], None]    # (stage, fraction of that stage done)


def default_year(scenario: Scenario | None) -> int:
    """`BASELINE_YEAR`; under a scenario, the year after its first intervention starts (effects have had a year)."""
    first = scenario.first_start() if scenario else None
    return BASELINE_YEAR if first is None else min(max(BASELINE_YEAR, first.year + 1), LAST_YEAR)


def assess(world=None, year: int | None = None, scenario: str | Scenario | None = None, seed: int = 0,
           replicates: int | None = None, method: IndexMethod = METHOD, parameters=None,
           progress: StageProgress | None = None) -> RiskAssessment:
    """Run the model (and the scenario arm, same seed) through `year` and assess the risk of that year.

    `scenario` is a bundled scenario name or a scenario file (`fentflow.policy.scenarios`).
    `year` defaults to `default_year(scenario)`. `parameters` is "calibrated" (the default),
    "defaults", a posterior path or a `fentflow.sim.sources` source; `replicates`
    defaults to `DEFAULT_REPLICATES`. `progress(stage, fraction)` hears of each stage
    ("simulating ...", then "scoring the states") as it advances.
    """
    from fentflow.sim.anchor import common_year
    from fentflow.sim.engine import Sim
    from fentflow.world import World

    world = world if world is not None and not isinstance(world, (str, Path)) else World.load(world)
    chosen = load_scenario(scenario) if isinstance(scenario, str) else scenario
    year = check_year(year if year is not None else default_year(chosen))
    end = f"{year}-12-31"
    report = progress or (lambda stage, fraction: None)

    anchor_year = common_year([chosen] if chosen else [], Calendar.between(DEFAULT_START, end))   # both arms alike

    def run(arm: Scenario | None) -> tuple[ActivityFrames, Sim]:
        sim = Sim(world, parameters=parameters, replicates=replicates, start=DEFAULT_START, end=end, seed=seed,
                  interventions=arm.interventions if arm else (), anchor_year=anchor_year)
        if arm:
            check_scenario(arm, sim.net, DEFAULT_START, end)
        stage = f"simulating {arm.name if arm else 'the baseline'}"
        log.info("risk: simulating %s to %s (%s)", DEFAULT_START, end, arm.name if arm else "baseline")
        results = sim.run(progress=lambda week: report(stage, (week + 1) / sim.calendar.n_weeks))
        return ActivityFrames.from_results(results), sim

    scenario_frames = run(chosen)[0] if chosen else None   # first: a bad scenario fails before any long run
    frames, sim = run(None)
    info = {"seed": seed, "replicates": sim.n_reps, "start": DEFAULT_START, "end": end,
            "world": world.name, "parameters": sim.parameter_source, "violence": sim.anchor_note}
    report(SCORING, 0.0)
    assessment = assess_frames(frames, world, year, scenario_frames, chosen, method=method, run=info)
    report(SCORING, 1.0)
    return assessment


def assess_frames(frames: ActivityFrames, world, year: int, scenario_frames: ActivityFrames | None = None,
                  scenario: Scenario | None = None, method: IndexMethod = METHOD, run: dict | None = None,
                  sensitivity_seed: int | None = None) -> RiskAssessment:
    """The assessment of `year` from per-period results already computed."""
    if year not in frames.years():
        raise InputError(f"year {year} is not in the results (they cover {frames.years()[0]}-{frames.years()[-1]})",
                         field="year")
    shapes = state_shapes(world)
    raw = raw_indicators(annual_activity(frames, world, year), world, year)
    baseline = RiskIndex(raw, method)
    arm = None
    if scenario_frames is not None:
        scenario_index = RiskIndex(raw_indicators(annual_activity(scenario_frames, world, year), world, year), method)
        arm = ScenarioArm(scenario, scenario_index, (scenario_index.score - baseline.score).rename("score_change"))
    shown = arm.index if arm else baseline
    weights = adjacency(shapes)
    sensitivity = (LevelSensitivity(shown) if sensitivity_seed is None
                   else LevelSensitivity(shown, seed=sensitivity_seed))
    info = dict(run or {}) | {"scenario": scenario.name if scenario else None,
                              "homicide_rate_from": str(raw["homicide_source"].iloc[0])}
    return RiskAssessment(year, world, shapes, baseline, sensitivity, GiStarHotspots(shown.score, weights),
                          LocalMoranClusters(shown.score, weights), info, arm)

