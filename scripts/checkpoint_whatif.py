"""Would Border Patrol checkpoints behind the ports explain CBP's split by sector? A what-if.

CBP's FY2023 Border Patrol (USBP) seizures include 981 of 2,800 lb seized at highway
checkpoints (`fentflow data show cbp_nationwide`), on loads that had passed a port of entry.
Read that way, the sector a port lies in seizes a share of what passed the port. The model has
no such step: its sector seizures are all loads caught between the ports.

This script asks whether adding one would help, without changing the model: for draws of the
shipped posterior it moves a share of each replicate's FY2023 USBP pounds to checkpoints (every
year's between-ports pounds scaled by 1 - share, the checkpoint rate set so that FY2023's
checkpoint pounds are that share), spreads the checkpoint pounds over sectors in proportion to
the pounds that passed each sector's ports, and scores the field-office and sector split with
`fentflow fit-check`'s own alignment and errors (MALE of the replicates' median against CBP's).

    PYTHONPATH=src .venv/bin/python scripts/checkpoint_whatif.py --replicates 40 --seed 0
"""
from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

SERIES = "cbp_sw_unit_lb"     # the fit check's series of CBP lb by field office and sector
SHARES = (0.2, 0.35, 0.5)    # of FY2023's USBP pounds seized at checkpoints; CBP's: 981 / 2,800 = 0.35
LAST_FY = 2023
# The Border Patrol sector each port of entry lies in, whose highway checkpoints its northbound
# traffic meets (the port's county and CBP's sector boundaries; San Luis, AZ is in the Yuma sector).
PORT_SECTOR = {
    "San Ysidro": "San Diego", "Otay Mesa": "San Diego", "Tecate": "San Diego", "Cross Border Xpress": "San Diego",
    "Calexico": "El Centro", "Calexico East": "El Centro", "Andrade": "Yuma", "San Luis": "Yuma",
    "Nogales": "Tucson", "Douglas": "Tucson", "Naco": "Tucson", "Lukeville": "Tucson", "Sasabe": "Tucson",
    "El Paso": "El Paso", "Ysleta": "El Paso", "Tornillo": "El Paso", "Santa Teresa": "El Paso",
    "Columbus": "El Paso", "Presidio": "Big Bend", "Boquillas": "Big Bend", "Del Rio": "Del Rio",
    "Eagle Pass": "Del Rio", "Laredo": "Laredo", "Roma": "Rio Grande Valley", "Rio Grande City": "Rio Grande Valley",
    "Hidalgo": "Rio Grande Valley", "Progreso": "Rio Grande Valley", "Brownsville": "Rio Grande Valley",
}


def passed_by_sector(sim) -> pd.DataFrame:
    """Pounds that passed the ports, summed by the sector they lie in: replicate, fy, unit, passed_lb."""
    from fentflow.sim.observables import aggregate
    from fentflow.units import KG_PER_LB

    names = dict(zip(sim.world.crossings["id"].astype(str), sim.world.crossings["name"]))
    keys = ["replicate", "fy", "crossing"]
    table = aggregate(sim.results, "attempted_gross_kg", "fiscal_year").merge(
        aggregate(sim.results, "seized_gross_kg", "fiscal_year"), on=keys)
    table["unit"] = table["crossing"].astype(str).map(names).map(PORT_SECTOR) + " Sector"
    table["passed_lb"] = (table["attempted_gross_kg"] - table["seized_gross_kg"]) / KG_PER_LB
    ports = table[table["unit"].notna()]
    return ports.groupby(["replicate", "fy", "unit"], as_index=False)["passed_lb"].sum()


def with_checkpoints(units: pd.DataFrame, passed: pd.DataFrame, share: float) -> pd.DataFrame:
    """`units` (fentflow's `cbp_sw_unit`) with `share` of FY2023's USBP pounds seized at checkpoints instead."""
    between = units["component"] == "between"
    usbp = units[between & (units["fy"] == LAST_FY)].groupby("replicate")["lb"].sum()
    passed_last = passed[passed["fy"] == LAST_FY].groupby("replicate")["passed_lb"].sum()
    rate = share * usbp / passed_last
    checkpoints = passed.assign(checkpoint_lb=passed["passed_lb"] * passed["replicate"].map(rate))
    out = units.assign(lb=np.where(between, units["lb"] * (1.0 - share), units["lb"]))
    out = out.merge(checkpoints[["replicate", "fy", "unit", "checkpoint_lb"]], how="left")
    return out.assign(lb=out["lb"] + out["checkpoint_lb"].fillna(0.0)).drop(columns="checkpoint_lb")


def male(units: pd.DataFrame, calendar, sectors_only: bool = False) -> float:
    """The field-office and sector MALE of `units` (a `cbp_sw_unit` table), as `fentflow fit-check` scores
    it: its alignment and error table, on the sectors' points only with `sectors_only`."""
    from fentflow.calibrate.fitcheck import TARGET_BY_NAME, align, error_table

    aligned = align({"cbp_sw_unit": units}, calendar, (TARGET_BY_NAME[SERIES],))
    if sectors_only:
        aligned = aligned[aligned["place"].str.endswith("Sector")]
    return float(error_table(aligned).set_index("series").at[SERIES, "male"])


def main(argv: list[str] | None = None) -> pd.DataFrame:
    import fentflow as ff
    from fentflow.sim.observables import cbp_sw_unit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sim = ff.Sim(replicates=args.replicates, start="2015-01-01", end="2023-12-31", seed=args.seed)
    sim.run()
    units, passed = cbp_sw_unit(sim.results, sim.net), passed_by_sector(sim)
    rows = []
    for share in (0.0, *SHARES):
        moved = with_checkpoints(units, passed, share) if share else units
        rows.append({"checkpoint share": share, "MALE": male(moved, sim.calendar),
                     "MALE sectors": male(moved, sim.calendar, sectors_only=True)})
    table = pd.DataFrame(rows)
    print(f"{args.replicates} draws of the shipped posterior, seed {args.seed}: field-office and sector MALE "
          "as fentflow fit-check scores it")
    print(table.round(3).to_string(index=False))
    return table


if __name__ == "__main__":
    main()
