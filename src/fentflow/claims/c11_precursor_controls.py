"""C11: China's 2019 crackdown on precursor exports did not stop supply ("as long as there is demand
there will be supply").

Checked with the policy comparison of `fentflow.ensemble.evidence` (paired runs, common random
numbers): a new precursor control like the 2019 one (bundled scenario `precursor_crackdown`,
blocking 30% of inflow at first) and a stronger one (`precursor_crackdown_strong`, 70%), each
against the baseline. One row per control. In the model the claim holds for a control when
(a) it never halves U.S. consumption of pure fentanyl in any year of the window, even at the
top of the 90% interval over runs, and (b) its effect erodes: the cut in the window's last
year is smaller than in its first, with the 90% interval of the difference above zero.
How fast it erodes is the parameter `substitution_weeks`, an assumption not yet calibrated,
so the row says so.
"""
from __future__ import annotations

import numpy as np

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import register
from fentflow.claims.row import ClaimRow
from fentflow.claims.rules import verdict
from fentflow.ensemble.evidence import levers, paired_sums, policy_comparison
from fentflow.ensemble.paired import quantiles
from fentflow.sim.pars import PAR_BY_NAME

CLAIM = ("China's 2019 crackdown on precursor exports did not stop supply: "
         "'as long as there is demand there will be supply'.")
CONTROL_ARMS = {"precursor_crackdown": "2019-like precursor control",
                "precursor_crackdown_strong": "stronger precursor control"}
STOPPED_SHARE = 0.5        # "stopping supply": U.S. consumption cut by half or more in a year
RECORD_YEARS = (2019, 2022)  # CDC synthetic-opioid deaths before the controls and three years on
# The State Council of China's own announcement (gov.cn), so it is its own primary source.
CONTROL_URL = "http://english.www.gov.cn/state_council/ministries/2019/04/01/content_281476589630548.htm"


@register("C11", "precursor controls vs adaptation")
def check(context: ClaimContext) -> list[ClaimRow]:
    comparison = policy_comparison(context)
    cdc = context.observed("cdc_deaths").set_index("year")["synthetic"]
    public = (f"China's class-wide control of fentanyl-related substances took effect 1 May 2019; CDC "
              f"synthetic-opioid (T40.4) deaths were {fmt.count(cdc[RECORD_YEARS[0]])} in {RECORD_YEARS[0]} and "
              f"{fmt.count(cdc[RECORD_YEARS[1]])} in {RECORD_YEARS[1]}")
    return [_control_row(comparison, arm, label, public) for arm, label in CONTROL_ARMS.items()]


def _control_row(comparison, arm: str, label: str, public: str) -> ClaimRow:
    first, last = comparison.window
    cut = {year: _cut(comparison, arm, year) for year in range(first, last + 1)}
    tops = {year: quantiles(values)[2] for year, values in cut.items()}
    peak_year = max(tops, key=tops.get)
    erosion = quantiles(cut[first] - cut[last])
    not_stopped, erodes = tops[peak_year] < STOPPED_SHARE, erosion[0] > 0
    base, other = paired_sums(comparison, "deaths", arm, range(first, last + 1))
    averted = quantiles(base - other)
    strength = levers(comparison, arm)[0]["strength"]
    return ClaimRow(
        id="C11", check=label, claim=CLAIM, public_figure=public, source_url=CONTROL_URL, primary_url=CONTROL_URL,
        fentflow=(f"{label} from {first} (blocks {strength:.0%} of precursor inflow at first), vs baseline over "
                  f"{len(base)} paired runs: U.S. pure kg consumed {_pct_band(cut[first])} in {first}, "
                  f"{_pct_band(cut[last])} in {last}; deaths averted {first}-{last}: {_band(averted)} "
                  f"of {fmt.count(np.median(base))}"),
        verdict=verdict(not_stopped and erodes),
        rule=(f"consistent if (a) in no year of {first}-{last} does the control cut U.S. consumption of pure "
              f"fentanyl by {STOPPED_SHARE:.0%} or more, even at the 95th percentile of paired runs, and (b) its "
              f"cut erodes: the 90% interval of ({first} cut - {last} cut) lies above zero"),
        reason=_reason(tops[peak_year], peak_year, erosion, not_stopped, erodes),
        numbers={"cut_first_year_p50": float(np.median(cut[first])), "cut_last_year_p50": float(np.median(cut[last])),
                 "largest_cut_p95": tops[peak_year], "erosion_p05": erosion[0], "erosion_p50": erosion[1],
                 "erosion_p95": erosion[2], "deaths_averted_p05": averted[0], "deaths_averted_p50": averted[1],
                 "deaths_averted_p95": averted[2], "runs": len(base)},
    )


def _cut(comparison, arm: str, year: int) -> np.ndarray:
    """Per run: the share of the baseline's U.S. consumption that the arm removes in `year`."""
    base, other = paired_sums(comparison, "consumed_pure_kg", arm, [year])
    return (base - other) / np.where(base > 0, base, np.nan)


def _reason(top: float, peak_year: int, erosion, not_stopped: bool, erodes: bool) -> str:
    substitution = PAR_BY_NAME["substitution_weeks"]
    stopped = "does not stop supply" if not_stopped else "can stop supply"
    fades = "fades as supply substitutes" if erodes else "does not fade within the window"
    return (f"The control {stopped} (largest yearly cut {fmt.pct(top)} at the 95th percentile, in {peak_year}) "
            f"and its effect {fades} (first-year minus last-year cut {fmt.pct(erosion[1])}, 90%: "
            f"{fmt.pct(erosion[0])} to {fmt.pct(erosion[2])}). How fast it fades is the model's "
            f"substitution_weeks ({substitution.default:g} weeks by default, prior {substitution.prior[1]:g}-"
            f"{substitution.prior[2]:g}), an assumption not yet calibrated: the verdict restates that "
            f"assumption more than it tests it, while the size of the cut is the model's own result.")


def _pct_band(values: np.ndarray) -> str:
    low, mid, high = quantiles(-100 * values)
    return f"{mid:+.1f}% (90%: {low:+.1f} to {high:+.1f}%)"


def _band(q) -> str:
    return f"{fmt.count(q[1])} (90%: {fmt.count(q[0])} to {fmt.count(q[2])})"
