"""scripts/port_traffic_shares.py: field offices' shares of BTS's border traffic beside CBP's pounds
(docs/validation.md, "How much of a miss is chance"), read from files in BTS's own format."""
from __future__ import annotations

import pandas as pd
import pytest

from fentflow.errors import InputError
from fentflow.observed.imports.reading import read_source

# BTS's export header and rows as the publisher writes them (data.bts.gov, keg4-3bc2).
HEADER = "Port Name,State,Port Code,Border,Date,Measure,Value,Latitude,Longitude,Point\n"
PORTS = {"Nogales": "Arizona,2604,US-Mexico Border", "San Ysidro": "California,2504,US-Mexico Border",
          "Jackman": "Maine,0104,US-Canada Border"}


def bts_row(port: str, month: str, measure: str, value: int) -> str:
    return f"{port},{PORTS[port]},{month},{measure},{value},31.340,-110.938,POINT (-110.938 31.340)"


ROWS = [
    bts_row("Nogales", "Sep 2019", "Personal Vehicles", 100),
    bts_row("Nogales", "Oct 2019", "Personal Vehicles", 200),
    bts_row("Nogales", "Oct 2019", "Trucks", 50),
    bts_row("Nogales", "Oct 2019", "Pedestrians", 9999),
    bts_row("San Ysidro", "Jan 2019", "Personal Vehicles", 300),
    bts_row("San Ysidro", "Nov 2019", "Personal Vehicles", 750),
    bts_row("Jackman", "Jan 2019", "Trucks", 8888),
]


@pytest.fixture(scope="module")
def script(repo_script):
    return repo_script("port_traffic_shares")


def bts_file(tmp_path, rows=ROWS, header=HEADER):
    path = tmp_path / "Border_Crossing_Entry_Data.csv"
    path.write_text(header + "\n".join(rows) + "\n")
    return path


def test_traffic_sums_vehicles_and_trucks_by_port_and_fiscal_year(script, tmp_path):
    traffic = script.port_traffic(read_source(bts_file(tmp_path))).set_index(["port_code", "fy"])["vehicles"]
    # September belongs to its own year's FY, October to the next; pedestrians and Canada are left out.
    assert traffic.to_dict() == {("2504", 2019): 300.0, ("2504", 2020): 750.0, ("2604", 2019): 100.0,
                                 ("2604", 2020): 250.0}


def test_shares_set_each_field_office_beside_cbps_port_pounds(script, tmp_path, world):
    traffic = script.port_traffic(read_source(bts_file(tmp_path)))
    cbp = pd.DataFrame({"fy": [2019, 2019, 2019, 2020, 2020], "component": ["port", "port", "between", "port", "port"],
                        "unit": ["San Diego Field Office", "Tucson Field Office", "Tucson Sector",
                                 "San Diego Field Office", "Tucson Field Office"],
                        "lb": [30.0, 10.0, 500.0, 10.0, 30.0]})
    table = script.shares(traffic, world, cbp, 2019, 2020).set_index(["field_office", "fy"])
    assert table.at[("San Diego Field Office", 2019), "traffic_share"] == pytest.approx(75.0)
    assert table.at[("Tucson Field Office", 2020), "traffic_share"] == pytest.approx(25.0)
    assert table.at[("Tucson Field Office", 2020), "traffic_vs_first"] == pytest.approx(2.5)
    # Shares of the port pounds only: the sector's 500 lb are not the field offices'.
    assert table.at[("Tucson Field Office", 2019), "cbp_lb_share"] == pytest.approx(25.0)
    assert table.at[("Tucson Field Office", 2020), "cbp_lb_share"] == pytest.approx(75.0)


def test_main_prints_the_three_tables(script, tmp_path, capsys):
    table = script.main([str(bts_file(tmp_path)), "--first-fy", "2019", "--last-fy", "2020"])
    printed = capsys.readouterr().out
    assert "traffic_share by field office" in printed and "cbp_lb_share by field office" in printed
    assert set(table["field_office"]) == {"San Diego Field Office", "Tucson Field Office"}


def test_a_file_without_a_column_is_an_error_naming_file_and_column(script, tmp_path):
    path = bts_file(tmp_path, header=HEADER.replace("Measure", "Kind"))
    with pytest.raises(InputError, match=r"Border_Crossing_Entry_Data\.csv.*field 'Measure'"):
        script.port_traffic(read_source(path))


def test_a_date_that_is_not_a_month_names_its_row(script, tmp_path):
    rows = [ROWS[0].replace("Sep 2019", "2019-09")]
    with pytest.raises(InputError, match=r"row 2.*field 'Date'.*not a month"):
        script.port_traffic(read_source(bts_file(tmp_path, rows)))


def test_the_command_exits_with_the_error_and_no_traceback(script, tmp_path):
    path = bts_file(tmp_path, rows=[ROWS[-1]])     # Canada only: nothing on the Mexican border
    with pytest.raises(SystemExit, match="error: .*no Personal Vehicles or Trucks rows"):
        script.main([str(path)])
