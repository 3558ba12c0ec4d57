"""C12: reducing U.S. demand would be the most effective long-term solution; seizures alone cannot stop
the flow.

Checked with the policy comparison of `fentflow.ensemble.evidence` (paired runs, common random
numbers): demand reduction (bundled scenario `treatment`, MOUD entry x 3) against the
enforcement levers (`port_surge`, `precursor_crackdown`, `raids_tripled`), on deaths, flows and
violence, over the last `LONG_TERM_YEARS` years of the window ("long-term"). Two rows:

- "demand vs enforcement": the 90% interval of (deaths averted by treatment - deaths averted by
  an enforcement arm), paired run by run, judged by `rules.margin_verdict` for every arm and
  joined by `rules.combined_verdict`. A margin straddling zero is "not checkable" when its sign
  is set by an unsourced assumption: the arm's `UNSOURCED_DRIVER` is tagged `assumption` in
  sim/pars.py and the margin's median changes sign when the arm is run again with that driver
  at its neutral value (`evidence.sensitivity_comparison`); the row then names the evidence
  that would settle it.
  A margin that stays unsettled is split by the baseline market's state over those years
  (`_market_split`): short of supply (its retail price above the reference price) or with
  supply to spare. Where the two disagree, the row says so, with each part's interval, and
  names the evidence that would tell them apart (a national retail price series running past
  the data; the public price points in the observed series `prices`).
- "seizures alone": consistent if no enforcement arm cuts U.S. consumption of pure fentanyl by
  `STOPPED_SHARE` or more over the long term, even at the 95th percentile of paired runs.

Both compare the bundled scenarios at their bundled strengths; a verdict is about these levers
at these sizes, not about every possible policy, and the rows say so.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import register
from fentflow.claims.row import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, ClaimRow, cited
from fentflow.claims.rules import combined_verdict, margin_verdict, verdict
from fentflow.ensemble.evidence import paired_sums, policy_comparison, sensitivity_comparison
from fentflow.ensemble.paired import annual_values, quantiles
from fentflow.observed.prices import dated_moves, national_changes, retail_pill_prices
from fentflow.sim.pars import PAR_BY_NAME

CLAIM = ("Reducing U.S. demand would be the most effective long-term solution; seizures alone cannot stop "
         "the flow.")
DEMAND_ARM = "treatment"
ENFORCEMENT_ARMS = ("port_surge", "precursor_crackdown", "raids_tripled")
LONG_TERM_YEARS = 3          # the last years of the window
STOPPED_SHARE = 0.5          # "stopping the flow": U.S. consumption cut by half or more
# The assumption carrying most of an arm's effect, with the value that switches it off, and the public
# figure that would replace it. Only raids have one: SEDENA's record gives raid counts (raids_per_year)
# and kg seized per lab (raid_stock_destroyed), nothing on the production capacity a raid takes away.
UNSOURCED_DRIVER = {   # arm: (parameter, neutral value, the evidence missing)
    "raids_tripled": ("raid_capacity_loss", 0.0,
                      "public evidence of how much of a state's production capacity one lab raid takes away "
                      f"and how fast it comes back (`raid_capacity_loss` {PAR_BY_NAME['raid_capacity_loss'].default:g} "
                      f"and `capacity_recovery_weeks` {PAR_BY_NAME['capacity_recovery_weeks'].default:g} are "
                      "assumptions; SEDENA's record counts labs and kg seized, not capacity)"),
}


@register("C12", "demand reduction vs enforcement")
def check(context: ClaimContext) -> list[ClaimRow]:
    comparison = policy_comparison(context)
    first, last = comparison.window
    years = range(max(first, last - LONG_TERM_YEARS + 1), last + 1)
    public, sources = _moud_figure(context)
    return [_demand_row(context, comparison, years, public, sources), _seizures_row(comparison, years, public, sources)]


def _demand_row(context: ClaimContext, comparison, years: range, public: str, sources: dict[str, str]
                ) -> ClaimRow:
    averted = {arm: _averted(comparison, arm, years) for arm in (DEMAND_ARM, *ENFORCEMENT_ARMS)}
    margins = {arm: quantiles(averted[DEMAND_ARM] - averted[arm]) for arm in ENFORCEMENT_ARMS}
    tests = {arm: _driver_test(context, arm, years, margins[arm])
             for arm in ENFORCEMENT_ARMS if arm in UNSOURCED_DRIVER and margins[arm][0] <= 0 <= margins[arm][2]}
    verdicts = {arm: margin_verdict(m[0], m[2], sign_set_by_assumption=tests.get(arm, {}).get("flips", False))
                for arm, m in margins.items()}
    prices = _baseline_prices(comparison)
    short = _short_of_supply(context, prices, years, len(averted[DEMAND_ARM]))
    rose = _price_rose(prices)
    splits = {arm: _market_split(averted[DEMAND_ARM] - averted[arm], short)
              for arm, v in verdicts.items() if v == INCONSISTENT and margins[arm][0] <= 0 <= margins[arm][2]}
    return ClaimRow(
        id="C12", check="demand vs enforcement", claim=CLAIM, public_figure=public, **sources,
        fentflow=(f"deaths averted {_years(years)} vs baseline over {len(averted[DEMAND_ARM])} paired runs: "
                  + "; ".join(f"{arm} {_band(quantiles(values))}" for arm, values in averted.items())
                  + ". Treatment minus each: "
                  + "; ".join(f"{arm} {_band(margin)}" for arm, margin in margins.items())
                  + "".join(f". {_driver_text(arm, test)}" for arm, test in tests.items())
                  + _split_text(splits, short, rose)
                  + f". {_flows_and_violence(comparison, years)}"),
        verdict=combined_verdict(verdicts.values()),
        rule=(f"for each enforcement arm ({', '.join(ENFORCEMENT_ARMS)}), the 90% interval of deaths averted by "
              f"{DEMAND_ARM} minus deaths averted by that arm over {_years(years)}, paired run by run: above zero "
              f"consistent, below zero inconsistent; straddling zero, not checkable if the margin's sign is set by "
              f"an unsourced assumption (the arm's driver, {_drivers()}, is tagged `assumption` and the margin's "
              f"median changes sign with the arm run again at the driver's neutral value), else inconsistent. "
              f"Joined: inconsistent if any arm is, else not checkable if any is, else consistent. An "
              f"inconsistent margin straddling zero is shown split by the baseline market over {_years(years)}: "
              f"short of supply (mean retail price above the reference price, `price_per_pill_ref`) or not"),
        reason=_demand_reason(verdicts, tests, splits),
        numbers={**{f"averted_{arm}_p50": float(np.median(v)) for arm, v in averted.items()},
                 **{f"margin_vs_{arm}_p05": m[0] for arm, m in margins.items()},
                 **{f"margin_vs_{arm}_p50": m[1] for arm, m in margins.items()},
                 **{f"margin_vs_{arm}_p95": m[2] for arm, m in margins.items()},
                 **{f"margin_vs_{arm}_without_driver_p50": t["margin"][1] for arm, t in tests.items() if t["margin"]},
                 **{f"averted_{arm}_without_driver_p50": t["averted"] for arm, t in tests.items() if t["margin"]},
                 **{f"margin_vs_{arm}_{part}_p50": split[part][1] for arm, split in splits.items()
                    for part in ("spare", "short")},
                 "runs_short_of_supply": float(short.sum()),
                 **({"runs_short_price_rose": float((rose & short).sum())} if rose is not None else {})},
    )


def _baseline_prices(comparison) -> pd.DataFrame | None:
    """The baseline's retail price per pill, one row per paired run (as `_averted` pairs them) and a column
    per year; None for a comparison that recorded no prices (read from an older folder)."""
    prices = annual_values(comparison.runs, "price_usd_per_pill")
    if prices.empty:
        return None
    base, treated = prices.xs(comparison.reference, level="arm"), prices.xs(DEMAND_ARM, level="arm")
    return base.loc[base.index.intersection(treated.index).sort_values()]


def _short_of_supply(context: ClaimContext, prices: pd.DataFrame | None, years: range, n_runs: int) -> np.ndarray:
    """Per paired run: is the baseline market short of supply over `years`? Its mean retail price
    (`_baseline_prices`) is then above the reference price (the price at the reference weeks of supply
    on hand, `market.py`), the run's own where its parameters set it. No run is, without prices."""
    if prices is None or not set(years) <= set(prices.columns):
        return np.zeros(n_runs, bool)
    runs = list(prices.index)
    reference = context.parameters.values(runs, context.seed).get(
        "price_per_pill_ref", [PAR_BY_NAME["price_per_pill_ref"].default] * len(runs))
    return prices[list(years)].mean(axis=1).to_numpy(float) > np.asarray(reference, float)


def _price_rose(prices: pd.DataFrame | None) -> np.ndarray | None:
    """Per paired run: did the baseline's retail price (`_baseline_prices`) rise over the span of the
    public retail prices with two dates? None when the runs do not cover that span."""
    first, last, _ = _public_price_span()
    if prices is None or not {first, last} <= set(prices.columns):
        return None
    return (prices[last] > prices[first]).to_numpy()


def _market_split(margin: np.ndarray, short: np.ndarray) -> dict[str, tuple[float, float, float]]:
    """The margin's interval over the runs with supply to spare and over those short of it (NaN for a
    part with no run)."""
    return {"spare": quantiles(margin[~short]), "short": quantiles(margin[short])}


def _split_reason(splits: dict[str, dict]) -> str:
    """Why margins straddle zero when the two markets disagree, and what public evidence would settle it."""
    split = [arm for arm, parts in splits.items() if parts["spare"][0] > 0 and not parts["short"][0] > 0]
    if not split:
        return ""
    return (f"against {' and '.join(split)} the margin straddles zero because the posterior holds two markets: with "
            f"supply to spare, treatment clearly averts more; short of supply, the users treatment takes out of the "
            f"market leave their share to the others, and a cut in supply is what saves lives (the margins by "
            f"market are in the fentflow row). The calibration's series (seizures, deaths, pill potency, "
            f"homicides, the direction of the retail price through 2023) do not tell the two markets apart in "
            f"the window's years, and those years also rest on an assumption, the "
            f"growth of supply after the data (`supply_growth_after_2023`, {_after_the_data()} by default). A "
            f"national retail price series running past 2023 would tell them apart. {_price_evidence()}")


def _after_the_data() -> str:
    growth = PAR_BY_NAME["supply_growth_after_2023"].default
    return "0: held at its 2023 level" if growth == 0 else f"{growth:g} a year"


def _public_price_span() -> tuple[int, int, bool]:
    """The years spanned by the public retail prices with two dates, and whether every one of them fell."""
    moves = dated_moves()
    return (min(move.first_year for move in moves), max(move.last_year for move in moves),
            all(move.fell for move in moves))


def _price_evidence() -> str:
    """The public retail-price points (observed series `prices`), as a sentence."""
    places = retail_pill_prices()
    moves = [f"{place} ${group['value'].iloc[0]:g} to ${group['value'].iloc[-1]:g}"
             for place, group in places if len(group) > 1]
    levels = [f"{place} ${group['value'].iloc[0]:g} ({group['period'].iloc[0]})" for place, group in places
              if len(group) == 1]
    trends = [f"nationally, the purity-adjusted price {'fell' if row.value < 0 else 'rose'} by more than "
              f"{abs(row.value):g}% ({row.period})" for row in national_changes().itertuples()]
    parts = ["two dates each: " + ", ".join(moves)] if moves else []
    parts += ["one date: " + ", ".join(levels)] if levels else []
    return ("Public retail prices, " + "; ".join(parts + trends)
            + ". They are local or end in 2021 and speak of the years before 2024, not of the window's; the "
              "calibration fits the national fall and the prices with two dates as bounds on the direction of the "
              "U.S. retail price (observed series `prices`, `calibrate/price_trends.py`)")


def _split_text(splits: dict[str, dict], short: np.ndarray, rose: np.ndarray | None) -> str:
    if not splits:
        return ""
    parts = "; ".join(f"{arm}: {_band(split['spare'])} with supply to spare, {_band(split['short'])} short of it"
                      for arm, split in splits.items())
    first, last, all_fell = _public_price_span()
    public = ("every public retail price with two dates fell" if all_fell else
              "the public retail prices with two dates did not all fall")
    rising = ("" if rose is None or not short.any() else
              f"; of the {short.sum()} short of supply, {(rose & short).sum()} saw the retail price rise from {first} "
              f"to {last}, when {public} (of the {(~short).sum()} with supply to spare, {(rose & ~short).sum()})")
    return (f". Treatment minus each, by the baseline market ({(~short).sum()} runs with supply to spare, "
            f"{short.sum()} short of supply): {parts}{rising}")


def _driver_test(context: ClaimContext, arm: str, years: range, margin) -> dict:
    """The arm and treatment run again with the arm's unsourced driver at its neutral value: does the
    margin's median change sign? (No sensitivity when the comparison is read from a folder.)"""
    name, neutral, _ = UNSOURCED_DRIVER[arm]
    unsourced = PAR_BY_NAME[name].source.startswith("assumption")
    again = sensitivity_comparison(context, (DEMAND_ARM, arm), ((name, neutral),))
    if again is None:
        return {"unsourced": unsourced, "flips": False, "margin": None, "averted": None}
    other = _averted(again, arm, years)
    without = quantiles(_averted(again, DEMAND_ARM, years) - other)
    flips = unsourced and np.sign(without[1]) != np.sign(margin[1])
    return {"unsourced": unsourced, "flips": bool(flips), "margin": without, "averted": float(np.median(other))}


def _driver_text(arm: str, test: dict) -> str:
    name, neutral, _ = UNSOURCED_DRIVER[arm]
    if test["margin"] is None:
        return (f"{arm} at {name} = {neutral:g}: not run (the comparison was read from "
                f"$FENTFLOW_CLAIMS_COMPARISON)")
    return (f"{arm} at {name} = {neutral:g} (stock destruction and raid rate unchanged): averts "
            f"{fmt.count(test['averted'])}; treatment minus it {_band(test['margin'])}")


def _demand_reason(verdicts: dict[str, str], tests: dict[str, dict], splits: dict[str, dict]) -> str:
    clear = [arm for arm, v in verdicts.items() if v == CONSISTENT]
    lost = [arm for arm, v in verdicts.items() if v == INCONSISTENT]
    open_ = [arm for arm, v in verdicts.items() if v == NOT_CHECKABLE]
    parts = []
    if clear:
        parts.append(f"Treatment expansion averts more deaths than {', '.join(clear)}")
    if lost:
        parts.append(f"it does not clearly avert more deaths than {', '.join(lost)}")
    for arm in open_:
        name, neutral, missing = UNSOURCED_DRIVER[arm]
        test = tests[arm]
        parts.append(f"against {arm} the margin straddles zero and its sign is set by `{name}`, an assumption: "
                     f"{arm} averts {fmt.count(test['averted'])} deaths at {name} = {neutral:g}, and the median "
                     f"margin is then {fmt.count(test['margin'][1])}. Not checkable until there is {missing}")
    split = _split_reason(splits)
    return ("; ".join([*parts, *([split] if split else [])])
            + ". This compares the bundled scenarios at their bundled strengths (MOUD entry x 3; San Diego "
              "port detection x 2; a 2019-like precursor control; raids x 3): it ranks these levers at these "
              "sizes, not every possible policy (docs/scenarios.md).")


def _drivers() -> str:
    return ", ".join(f"{arm}: {name} -> {neutral:g}" for arm, (name, neutral, _) in UNSOURCED_DRIVER.items())


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
