"""C12: reducing U.S. demand would be the most effective long-term solution; seizures alone cannot stop
the flow.

Checked with the policy comparison of `fentflow.ensemble.evidence` (paired runs, common random
numbers): demand reduction (bundled scenario `treatment`, MOUD entry x 3) against the
enforcement levers (`port_surge`, `precursor_crackdown`, `raids_tripled`), on deaths, flows and
violence, over the last `LONG_TERM_YEARS` years of the window ("long-term"). Two rows:

- "demand vs enforcement": consistent if, against every enforcement arm, the 90% interval of
  (deaths averted by treatment - deaths averted by that arm), paired run by run, lies above zero.
- "seizures alone": consistent if no enforcement arm cuts U.S. consumption of pure fentanyl by
  `STOPPED_SHARE` or more over the long term, even at the 95th percentile of paired runs.

Both compare the bundled scenarios at their bundled strengths; a verdict is about these levers
at these sizes, not about every possible policy, and the rows say so.
"""
from __future__ import annotations

import numpy as np

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import register
from fentflow.claims.row import ClaimRow, cited
from fentflow.claims.rules import verdict
from fentflow.ensemble.evidence import paired_sums, policy_comparison
from fentflow.ensemble.paired import quantiles

CLAIM = ("Reducing U.S. demand would be the most effective long-term solution; seizures alone cannot stop "
         "the flow.")
DEMAND_ARM = "treatment"
ENFORCEMENT_ARMS = ("port_surge", "precursor_crackdown", "raids_tripled")
LONG_TERM_YEARS = 3          # the last years of the window
STOPPED_SHARE = 0.5          # "stopping the flow": U.S. consumption cut by half or more


@register("C12", "demand reduction vs enforcement")
def check(context: ClaimContext) -> list[ClaimRow]:
    comparison = policy_comparison(context)
    first, last = comparison.window
    years = range(max(first, last - LONG_TERM_YEARS + 1), last + 1)
    public, sources = _moud_figure(context)
    return [_demand_row(comparison, years, public, sources), _seizures_row(comparison, years, public, sources)]


def _demand_row(comparison, years: range, public: str, sources: dict[str, str]) -> ClaimRow:
    averted = {arm: _averted(comparison, arm, years) for arm in (DEMAND_ARM, *ENFORCEMENT_ARMS)}
    margins = {arm: quantiles(averted[DEMAND_ARM] - averted[arm]) for arm in ENFORCEMENT_ARMS}
    wins = {arm: margin[0] > 0 for arm, margin in margins.items()}
    losers = [arm for arm, won in wins.items() if not won]
    return ClaimRow(
        id="C12", check="demand vs enforcement", claim=CLAIM, public_figure=public, **sources,
        fentflow=(f"deaths averted {_years(years)} vs baseline over {len(averted[DEMAND_ARM])} paired runs: "
                  + "; ".join(f"{arm} {_band(quantiles(values))}" for arm, values in averted.items())
                  + ". Treatment minus each: "
                  + "; ".join(f"{arm} {_band(margin)}" for arm, margin in margins.items())
                  + f". {_flows_and_violence(comparison, years)}"),
        verdict=verdict(not losers),
        rule=(f"consistent if, for every enforcement arm ({', '.join(ENFORCEMENT_ARMS)}), the 90% interval of "
              f"deaths averted by {DEMAND_ARM} minus deaths averted by that arm over {_years(years)}, paired run by "
              f"run, lies above zero"),
        reason=(("Treatment expansion averts more deaths than every enforcement lever in the long term"
                 if not losers else
                 f"Treatment expansion does not clearly avert more deaths than {', '.join(losers)}")
                + ". This compares the bundled scenarios at their bundled strengths (MOUD entry x 3; San Diego "
                  "port detection x 2; a 2019-like precursor control; raids x 3): it ranks these levers at these "
                  "sizes, not every possible policy. A raid in the bundled world hits a state's whole production "
                  "of one organisation, so raids_tripled is an upper bound (docs/scenarios.md)."),
        numbers={**{f"averted_{arm}_p50": float(np.median(v)) for arm, v in averted.items()},
                 **{f"margin_vs_{arm}_p05": m[0] for arm, m in margins.items()},
                 **{f"margin_vs_{arm}_p50": m[1] for arm, m in margins.items()}},
    )


def _seizures_row(comparison, years: range, public: str, sources: dict[str, str]) -> ClaimRow:
    cuts = {arm: _cut(comparison, arm, years) for arm in ENFORCEMENT_ARMS}
    bands = {arm: quantiles(cut) for arm, cut in cuts.items()}
    stoppers = [arm for arm, band in bands.items() if band[2] >= STOPPED_SHARE]
    return ClaimRow(
        id="C12", check="seizures alone", claim=CLAIM, public_figure=public, **sources,
        fentflow=(f"cut in U.S. pure kg consumed {_years(years)} vs baseline: "
                  + "; ".join(f"{arm} {_pct_band(band)}" for arm, band in bands.items())),
        verdict=verdict(not stoppers),
        rule=(f"consistent if no enforcement arm ({', '.join(ENFORCEMENT_ARMS)}) cuts U.S. consumption of pure "
              f"fentanyl over {_years(years)} by {STOPPED_SHARE:.0%} or more, even at the 95th percentile of "
              f"paired runs"),
        reason=(("No enforcement lever stops the flow: the largest cut, at the top of its interval, is "
                 f"{fmt.pct(max(b[2] for b in bands.values()))}" if not stoppers else
                 f"{', '.join(stoppers)} can cut consumption by half or more")
                + "; supply adapts through routes (the balloon effect), production and price."),
        numbers={**{f"cut_{arm}_p50": b[1] for arm, b in bands.items()},
                 **{f"cut_{arm}_p95": b[2] for arm, b in bands.items()}},
    )


def _averted(comparison, arm: str, years: range) -> np.ndarray:
    base, other = paired_sums(comparison, "deaths", arm, years)
    return base - other


def _cut(comparison, arm: str, years: range) -> np.ndarray:
    base, other = paired_sums(comparison, "consumed_pure_kg", arm, years)
    return (base - other) / np.where(base > 0, base, np.nan)


def _flows_and_violence(comparison, years: range) -> str:
    parts = []
    for arm in (DEMAND_ARM, *ENFORCEMENT_ARMS):
        kg = quantiles(-100 * _cut(comparison, arm, years))
        base, other = paired_sums(comparison, "homicides_mx", arm, years)
        homicides = quantiles(other - base)
        parts.append(f"{arm}: kg consumed {kg[1]:+.1f}%, Mexican homicides {homicides[1]:+,.0f} "
                     f"(90%: {homicides[0]:+,.0f} to {homicides[2]:+,.0f})")
    return "Flows and violence, medians: " + "; ".join(parts)


def _moud_figure(context: ClaimContext) -> tuple[str, dict[str, str]]:
    from fentflow.world import World

    national = (context.world or World.load()).national
    oud, moud = national["people_with_oud"], national["moud_share_of_need"]
    url = moud["source"][moud["source"].index("http"):].split()[0]
    # CDC's MMWR is the publisher's own page, so it is its own primary source unless the world names another.
    sources = cited({"source_url": url, "primary_url": moud.get("primary_url") or url})
    return (f"{fmt.sig(oud['value'])} people in the U.S. had opioid use disorder in {oud['year']} (NSDUH); "
            f"{fmt.pct(moud['value'])} of adults needing OUD treatment received medication (MOUD)"), sources


def _years(years: range) -> str:
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])


def _pct_band(q) -> str:
    return f"{100 * q[1]:.1f}% (90%: {100 * q[0]:.1f} to {100 * q[2]:.1f}%)"


def _band(q) -> str:
    return f"{fmt.count(q[1])} (90%: {fmt.count(q[0])} to {fmt.count(q[2])})"
