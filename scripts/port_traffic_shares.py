"""Do the field offices' shares of border traffic move with their shares of CBP's fentanyl pounds?

CBP's port pounds move between field offices from year to year (Tucson's share 34, 34, 24, 39
and 50% in FY2019-FY2023), and the model's do not: its route appeal reads each port's traffic of
one year (`crossings.csv`, `vehicles`). Traffic could move the split in two ways. Loads hide in
traffic (the model's cover), and officers spread over fewer vehicles inspect each more closely;
the COVID travel restrictions (March 2020 to November 2021) cut traffic unevenly. This script
reads BTS's Border Crossing Entry Data in the publisher's own format (one row per port, month and
measure; https://data.bts.gov/Research-and-Statistics/Border-Crossing-Entry-Data/keg4-3bc2) and
sets each field office's share of inbound personal vehicles and trucks, fiscal year by fiscal
year, beside its share of CBP's port pounds (the bundled `cbp_sw_unit`) and its traffic
against the first year. docs/validation.md ("How much of a miss is chance") quotes its table.

    .venv/bin/python scripts/port_traffic_shares.py Border_Crossing_Entry_Data.csv
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from fentflow.errors import InputError
from fentflow.observed.imports.reading import SourceFile, read_source
from fentflow.sim.calendar import fiscal_year

MEASURES = ("Personal Vehicles", "Trucks")   # the bundled `vehicles` column sums the same two
BORDER = "US-Mexico Border"
COLUMNS = ("Port Code", "Border", "Date", "Measure", "Value")
FIRST_FY, LAST_FY = 2019, 2023               # CBP's bundled split by field office


def port_traffic(source: SourceFile) -> pd.DataFrame:
    """Inbound personal vehicles and trucks by port code and fiscal year (October to September) on the
    Mexican border: port_code, fy, vehicles."""
    source.require(COLUMNS)
    rows = []
    for row in source.rows:
        if row.cells["Border"] != BORDER or row.cells["Measure"] not in MEASURES:
            continue
        month = _month(source, row)
        rows.append((row.cells["Port Code"].strip(), fiscal_year(month.year, month.month),
                     source.number(row, "Value")))
    if not rows:
        raise source.error(f"no {' or '.join(MEASURES)} rows on the {BORDER}", column="Measure")
    frame = pd.DataFrame(rows, columns=["port_code", "fy", "vehicles"])
    return frame.groupby(["port_code", "fy"], as_index=False)["vehicles"].sum()


def _month(source: SourceFile, row) -> pd.Timestamp:
    try:
        return pd.to_datetime(row.cells["Date"], format="%b %Y")
    except ValueError:
        raise source.error(f"{row.cells['Date']!r} is not a month like 'Jan 2024'", row, "Date") from None


def shares(traffic: pd.DataFrame, world, cbp_units: pd.DataFrame, first: int = FIRST_FY,
           last: int = LAST_FY) -> pd.DataFrame:
    """Each field office's share of the traffic and of CBP's port pounds, and its traffic against `first`,
    by fiscal year: field_office, fy, vehicles, traffic_share, traffic_vs_first, cbp_lb_share (shares in %).

    Ports map to field offices through the world's crossings (`crossings.csv`: id = BTS port code); a port
    the world does not hold is left out (the bundled world holds all 28 of BTS's Mexican-border ports)."""
    crossings = world.crossings[world.crossings["kind"] == "port"]
    office = dict(zip(crossings["id"].astype(str), crossings["unit"]))
    years = traffic[traffic["fy"].between(first, last)].assign(field_office=traffic["port_code"].map(office))
    years = years.dropna(subset=["field_office"])
    table = years.groupby(["field_office", "fy"], as_index=False)["vehicles"].sum()
    table["traffic_share"] = 100 * table["vehicles"] / table.groupby("fy")["vehicles"].transform("sum")
    first_year = table[table["fy"] == first].set_index("field_office")["vehicles"]
    table["traffic_vs_first"] = table["vehicles"] / table["field_office"].map(first_year)
    ports = cbp_units[cbp_units["component"] == "port"]
    lb = ports.groupby(["unit", "fy"])["lb"].sum()
    lb_share = 100 * lb / lb.groupby(level="fy").transform("sum")
    table["cbp_lb_share"] = [lb_share.get((o, fy), float("nan")) for o, fy in zip(table["field_office"], table["fy"])]
    return table


def main(argv: list[str] | None = None) -> pd.DataFrame:
    from fentflow.observed.series import load_series
    from fentflow.world import World

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bts_csv", type=Path, help="BTS Border Crossing Entry Data, as the publisher exports it")
    parser.add_argument("--first-fy", type=int, default=FIRST_FY)
    parser.add_argument("--last-fy", type=int, default=LAST_FY)
    args = parser.parse_args(argv)
    try:
        traffic = port_traffic(read_source(args.bts_csv))
    except InputError as error:
        sys.exit(f"error: {error}")
    table = shares(traffic, World.load(), load_series("cbp_sw_unit"), args.first_fy, args.last_fy)
    with pd.option_context("display.width", 160):
        for column, digits in (("traffic_share", 1), ("cbp_lb_share", 1), ("traffic_vs_first", 2)):
            print(f"{column} by field office and fiscal year")
            print(table.pivot(index="field_office", columns="fy", values=column).round(digits), end="\n\n")
    return table


if __name__ == "__main__":
    main()
