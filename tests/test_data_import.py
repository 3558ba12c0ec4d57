"""`fentflow data import`: CBP's own files rebuild the bundled CBP series exactly; CDC VSRR and
SESNSP files extend their series; imported rows are read with --data; bad files exit 2 naming
the file, row and column."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from fentflow.errors import InputError
from fentflow.observed.cli import data_app
from fentflow.observed.imports import cbp, import_files
from fentflow.observed.series import (
    bundled_series,
    last_data_year,
    load_series,
    read_series_file,
    series_spec,
    use_data_folder,
)

DATA = Path(__file__).parent / "data"
CBP_FILES = sorted((DATA / "cbp").glob("nationwide-drugs-*.csv.gz"))
VSRR = DATA / "import" / "vsrr_us_excerpt.csv"
SESNSP = DATA / "import" / "IDVFC_NM_dic24_excerpt.csv.gz"     # SESNSP's own rows, see import/README.md
SESNSP_TEXT = gzip.decompress(SESNSP.read_bytes()).decode("cp1252")
SESNSP_STATES = ("BC", "GTO", "SIN", "SON")
CBP_SHA256 = {"nationwide-drugs-fy19-fy22.csv.gz": "daa0806c41367e478d12ed742ac4a55487361b52894f46316396667b9ed3847c",
              "nationwide-drugs-fy20-fy23.csv.gz": "5c93d66cf3498ac977064f384e029588f7ad1f410e71db328f7168b40db999db"}

app = typer.Typer()
app.add_typer(data_app, name="data")
runner = CliRunner(env={"COLUMNS": "200"})


pytestmark = pytest.mark.usefixtures("bundled_only")     # conftest.py


@pytest.fixture(scope="module")
def cbp_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cbp")
    import_files(CBP_FILES, folder)
    return folder


def values(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    spec = series_spec(name)
    return frame[list(spec.columns)].sort_values(list(spec.key)).reset_index(drop=True)


# --- CBP: the bundled series are this importer's output ---------------------------------------

@pytest.mark.parametrize("name", cbp.SOUTHWEST_SERIES)
def test_cbp_files_rebuild_the_bundled_series_exactly(cbp_folder, name):
    spec = series_spec(name)
    rebuilt = read_series_file(spec, cbp_folder / spec.filename)
    pd.testing.assert_frame_equal(values(name, rebuilt), values(name, bundled_series(name)), check_exact=True)


def test_nationwide_totals_match_the_figures_cbp_published(cbp_folder):
    nationwide = read_series_file(series_spec("cbp_nationwide"), cbp_folder / "cbp_nationwide.csv")
    lb = nationwide.set_index(["fy", "component"])["lb"]
    assert lb[(2022, "total")] == 14699.9            # CBP's operational update: 14,699.88 lb
    assert abs(lb[(2023, "total")] - 27022.85) < 0.06  # press: 27,023 lb (27,022.3 in another copy)
    assert lb[(2023, "total")] == pytest.approx(lb[(2023, "port")] + lb[(2023, "between")], abs=0.11)
    assert set(nationwide["fy"]) == {2019, 2020, 2021, 2022, 2023}


def test_provenance_names_each_file_its_sha256_and_rows_read(cbp_folder):
    record = json.loads((cbp_folder / "provenance.json").read_text())
    files = {entry["file"]: entry for entry in record["cbp_sw_unit"]["files"]}
    assert {name: entry["sha256"] for name, entry in files.items()} == CBP_SHA256
    assert files["nationwide-drugs-fy20-fy23.csv.gz"]["rows_read"] == 9924
    assert record["cbp_sw_unit"]["rows"] == 65 and record["cbp_sw_unit"]["imported_at"]


def test_files_imported_one_by_one_in_any_order_give_the_same_series(tmp_path, cbp_folder):
    for path in reversed(CBP_FILES):
        import_files([path], tmp_path)
    for name in cbp.SERIES:
        spec = series_spec(name)
        pd.testing.assert_frame_equal(values(name, read_series_file(spec, tmp_path / spec.filename)),
                                      values(name, read_series_file(spec, cbp_folder / spec.filename)))


def cbp_file(tmp_path: Path, *rows: str, name: str = "cbp.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([",".join(cbp.COLUMNS), *rows]) + "\n", encoding="utf-8")
    return path


SW = "Office of Field Operations,Southwest Border,Land Only,SAN DIEGO FIELD OFFICE,Fentanyl"


def test_a_year_in_progress_extends_the_monthly_series_only(tmp_path):
    path = cbp_file(tmp_path, f"2024 (FYTD),OCT,{SW},10,1000.04", f"2024 (FYTD),NOV,{SW},5,499.6",
                    f"2024 (FYTD),DEC,U.S. Border Patrol,Southwest Border,Other,YUMA SECTOR,Fentanyl,2,12.5")
    import_files([path], tmp_path / "out")
    use_data_folder(tmp_path / "out")
    monthly = load_series("cbp_sw_monthly").set_index(["fy", "month"])
    assert monthly.loc[(2024, 10), "lb"] == 1000 and monthly.loc[(2024, 10), "year"] == 2023
    assert monthly.loc[(2024, 12), "lb"] == 12 and len(monthly) == 63
    assert load_series("cbp_sw_total")["fy"].max() == 2023        # FY2024 is not complete
    assert last_data_year() == 2023


# --- CDC VSRR and SESNSP ------------------------------------------------------------------------

def test_vsrr_adds_provisional_years_and_keeps_final_counts(tmp_path):
    import_files([VSRR], tmp_path)
    use_data_folder(tmp_path)
    deaths = load_series("cdc_deaths").set_index("year")
    assert deaths.loc[2024, ["total", "synthetic", "status"]].tolist() == [81711, 49241, "provisional"]
    assert deaths.loc[2024, "vsrr_synthetic_reported"] == 48661
    assert deaths.loc[2023, ["total", "synthetic", "status"]].tolist() == [105007, 72776, "final"]
    assert 2025 not in deaths.index                       # no December count yet
    assert deaths.loc[2024, "primary_url"] == "https://www.cdc.gov/nchs/nvss/vsrr/drug-overdose-data.htm"
    assert last_data_year() == 2024


def test_sesnsps_own_file_reproduces_the_bundled_homicides(tmp_path):
    import_files([SESNSP], tmp_path)
    use_data_folder(tmp_path)
    columns = ["victims", "population", "rate_per_100k"]
    homicides = load_series("sesnsp_homicides").set_index(["abbr", "year"])
    bundled = bundled_series("sesnsp_homicides").set_index(["abbr", "year"])
    covered = [(abbr, year) for abbr in SESNSP_STATES for year in (2022, 2023)]
    assert homicides.loc[covered, columns].equals(bundled.loc[covered, columns])
    assert homicides.loc[("CHIH", 2023), "victims"] == bundled.loc[("CHIH", 2023), "victims"]   # untouched


def test_sesnsps_own_file_replaces_2024_with_that_year_population(tmp_path):
    import_files([SESNSP], tmp_path)
    use_data_folder(tmp_path)
    homicides = load_series("sesnsp_homicides").set_index(["abbr", "year"])
    # Homicidio doloso only (not culposo, not feminicidio), every modalidad, sex and age, Jan-Dec 2024.
    assert [homicides.loc[(abbr, 2024), "victims"] for abbr in SESNSP_STATES] == [2368, 3151, 994, 1417]
    bundled = bundled_series("sesnsp_homicides").set_index(["abbr", "year"])
    assert bundled.loc[("BC", 2024), "victims"] == 2369   # the bundled copy's vintage; the publisher's file wins
    assert homicides.loc[("SIN", 2024), "population"] == bundled.loc[("SIN", 2024), "population"]
    assert "no 2024 figure bundled" not in homicides.loc[("SIN", 2024), "note"]


def test_a_year_with_months_not_yet_reported_is_left_out(tmp_path):
    """SESNSP leaves the months not yet reported blank; a year is imported only once complete."""
    lines = SESNSP_TEXT.splitlines()
    partial = [line.rsplit(",", 1)[0] + "," if line.startswith("2024,") else line for line in lines]
    path = write(tmp_path, "\r\n".join(partial).encode("cp1252"), "IDVFC_NM_nov24.csv")
    import_files([path], tmp_path / "out")
    imported = read_series_file(series_spec("sesnsp_homicides"), tmp_path / "out" / "sesnsp_homicides.csv")
    assert sorted(set(imported["year"])) == [2022, 2023]


def test_a_utf8_sesnsp_file_reads_like_sesnsps_windows_1252(tmp_path):
    utf8 = tmp_path / "victimas.csv"
    utf8.write_text(SESNSP_TEXT, encoding="utf-8")
    import_files([utf8], tmp_path / "out")
    from_utf8 = read_series_file(series_spec("sesnsp_homicides"), tmp_path / "out" / "sesnsp_homicides.csv")
    import_files([SESNSP], tmp_path / "cp1252")
    original = read_series_file(series_spec("sesnsp_homicides"), tmp_path / "cp1252" / "sesnsp_homicides.csv")
    assert from_utf8["victims"].tolist() == original["victims"].tolist()
    assert from_utf8["victims"].sum() == 2726 + 2417 + 2368 + 3260 + 3104 + 3151 + 478 + 531 + 994 + 1741 + 1403 + 1417


def test_one_import_reads_every_kind_of_file(tmp_path):
    imported = import_files([VSRR, SESNSP, CBP_FILES[1]], tmp_path)
    assert {item.series for item in imported} == {"cdc_deaths", "sesnsp_homicides", *cbp.SERIES}


def test_the_default_folder_is_the_users_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    import_files([VSRR])
    assert (tmp_path / "fentflow" / "series" / "cdc_deaths.csv").is_file()


# --- the command line ---------------------------------------------------------------------------

def test_data_import_then_show_with_data_prints_the_new_years_and_both_urls(tmp_path):
    result = runner.invoke(app, ["data", "import", str(VSRR), "--into", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "cdc_deaths" in result.output and "provenance.json" in result.output
    shown = runner.invoke(app, ["data", "show", "cdc_deaths", "--data", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert "81711" in shown.output and "provisional" in shown.output
    assert "read from: https://cdc.gov/nchs/products/databriefs/db522.htm" in shown.output
    assert "vsrr_us_excerpt.csv (sha256 " in shown.output and "12 rows read" in shown.output
    bundled = runner.invoke(app, ["data", "show", "cdc_deaths"])
    assert "81711" not in bundled.output                  # without --data: the bundled rows only


def test_data_list_with_data_names_the_imported_files(tmp_path):
    import_files([VSRR], tmp_path)
    result = runner.invoke(app, ["data", "list", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "cdc_deaths.csv" in result.output.replace("\n", "").replace("│", "").replace(" ", "")


def test_data_on_a_missing_folder_exits_2(tmp_path):
    result = runner.invoke(app, ["data", "list", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "--data" in result.output and "Traceback" not in result.output


# --- malformed files: exit 2 naming the file, the row and the column ------------------------------

HEADER = ",".join(cbp.COLUMNS)
GOOD = f"2023,JAN,{SW},3,10.5"
VSRR_HEADER = VSRR.read_text().splitlines()[0]
VSRR_ROW = VSRR.read_text().splitlines()[6]        # U.S., December 2024, all drugs
SES_HEADER = SESNSP_TEXT.splitlines()[0]
SES_ROW = next(line for line in SESNSP_TEXT.splitlines()       # Sinaloa, 2024, men killed with a firearm
               if line.startswith("2024,25,Sinaloa,") and ",Homicidio doloso,Con arma de fuego,Hombre,Adultos" in line)
SES_NOT_A_NUMBER = ",".join([*SES_ROW.split(",")[:9], "cuarenta", *SES_ROW.split(",")[10:]])    # Enero

MALFORMED = {   # id: (file content, row named, column named or None, words in the message)
    "empty": ("", None, None, "empty"),
    "header only": (HEADER + "\n", 1, None, "no data rows"),
    "unknown header": ("a,b,c\n1,2,3\n", 1, None, "not recognised"),
    "cbp missing column": (HEADER.replace(",Sum Qty (lbs)", "") + "\n" + GOOD.rsplit(",", 1)[0] + "\n", 1,
                           "Sum Qty (lbs)", "missing column"),
    "cbp short row": (f"{HEADER}\n{GOOD}\n2023,FEB,Office of Field Operations\n", 3, None, "values where"),
    "cbp long row": (f"{HEADER}\n{GOOD},extra\n", 2, None, "values where"),
    "cbp quantity not a number": (f"{HEADER}\n{GOOD}\n{GOOD.replace('JAN', 'FEB')[:-4]}abc\n", 3,
                                  "Sum Qty (lbs)", "not a number"),
    "cbp negative quantity": (f"{HEADER}\n{GOOD[:-4]}-10.5\n", 2, "Sum Qty (lbs)", "negative"),
    "cbp empty quantity": (f"{HEADER}\n{GOOD[:-4]}\n", 2, "Sum Qty (lbs)", "empty value"),
    "cbp fractional events": (f"{HEADER}\n{GOOD.replace(',3,', ',1.5,')}\n", 2, "Count of Event", "whole"),
    "cbp bad fiscal year": (f"{HEADER}\n{GOOD.replace('2023', 'FY23', 1)}\n", 2, "FY", "fiscal year"),
    "cbp bad month": (f"{HEADER}\n{GOOD.replace('JAN', 'JANUARY')}\n", 2, "Month (abbv)", "month"),
    "cbp unknown component": (f"{HEADER}\n{GOOD.replace('Office of Field Operations', 'Coast Guard')}\n", 2,
                              "Component", "component"),
    "cbp component and area disagree": (f"{HEADER}\n{GOOD.replace('Office of Field Operations', 'U.S. Border Patrol')}\n",
                                        2, "Component", "does not match"),
    "cbp unknown area": (f"{HEADER}\n{GOOD.replace('SAN DIEGO FIELD OFFICE', 'SAN DIEGO')}\n", 2,
                         "Area of Responsibility", "neither"),
    "cbp duplicate row": (f"{HEADER}\n{GOOD}\n{GOOD}\n", 3, "Area of Responsibility", "duplicate"),
    "cbp no southwest fentanyl": (f"{HEADER}\n{GOOD.replace('Fentanyl', 'Cocaine')}\n", None, "Region", "no rows"),
    "vsrr missing column": (VSRR_HEADER.replace(",Predicted Value", "") + "\n" + VSRR_ROW[:VSRR_ROW.rindex(',"81,711"')] + "\n",
                            1, "Predicted Value", "missing column"),
    "vsrr value not a number": (f"{VSRR_HEADER}\n{VSRR_ROW.replace('80,856', 'n/a')}\n", 2, "Data Value",
                                "not a number"),
    "vsrr bad year": (f"{VSRR_HEADER}\n{VSRR_ROW.replace('2024', '24', 1)}\n", 2, "Year", "not a year"),
    "vsrr bad month": (f"{VSRR_HEADER}\n{VSRR_ROW.replace('December', 'Dec')}\n", 2, "Month", "month name"),
    "vsrr no national synthetic count": (f"{VSRR_HEADER}\n{VSRR_ROW}\n", None, "Indicator", "T40.4"),
    "sesnsp month not a number": (f"{SES_HEADER}\n{SES_NOT_A_NUMBER}\n", 2, "Enero",
                                  "not a number"),
    "sesnsp unknown state": (f"{SES_HEADER}\n{SES_ROW.replace(',25,Sinaloa', ',40,Sinaloa')}\n", 2, "Clave_Ent",
                             "state code"),
    "sesnsp missing month": (SES_HEADER.replace(",Diciembre", "") + "\n" + SES_ROW.rsplit(",", 1)[0] + "\n", 1,
                             "Diciembre", "missing column"),
    "sesnsp no homicides": (f"{SES_HEADER}\n{SES_ROW.replace('Homicidio doloso', 'Homicidio culposo')}\n", None,
                            "Subtipo de delito", "no complete year"),
}


def write(tmp_path: Path, content: str | bytes, name: str = "bad.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_file_is_an_input_error_naming_file_row_and_column(tmp_path, case):
    content, row, column, words = MALFORMED[case]
    path = write(tmp_path, content)
    with pytest.raises(InputError) as caught:
        import_files([path], tmp_path / "out")
    error = caught.value
    assert (error.file, error.row, error.field) == (str(path), row, column)
    assert words in error.problem
    assert not (tmp_path / "out" / "provenance.json").exists()      # nothing written


@pytest.mark.parametrize("content, words", [
    (b"FY,Month\x00\x01\x02binary", "binary"),
    (gzip.compress(b"x", mtime=0)[:-6], "damaged gzip"),      # mtime fixed: the same test id in every process
    (b"\xff\xfe\x00", "binary"),
], ids=["control bytes", "damaged gzip", "utf-16 mark"])
def test_a_file_that_is_not_text_is_an_input_error(tmp_path, content, words):
    path = write(tmp_path, content)
    with pytest.raises(InputError, match=words):
        import_files([path], tmp_path / "out")


def test_a_missing_file_and_a_folder_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        import_files([tmp_path / "absent.csv"], tmp_path / "out")
    with pytest.raises(InputError, match="a folder"):
        import_files([tmp_path], tmp_path / "out")


def test_the_command_exits_2_with_one_line_naming_file_row_and_column(tmp_path):
    path = write(tmp_path, MALFORMED["cbp negative quantity"][0])
    result = runner.invoke(app, ["data", "import", str(path), "--into", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "error:" in result.output and "bad.csv, row 2, field 'Sum Qty (lbs)'" in result.output


@pytest.mark.parametrize("command", [["data", "list"], ["data", "show", "cdc_deaths"], ["fit-check"], ["claims"],
                                     ["calibrate", "--workers", "0"], ["validate", "recovery", "--workers", "0"],
                                     ["validate", "out-of-sample", "--workers", "0"], ["report"]],
                         ids=lambda command: " ".join(command[:2]))
def test_every_command_that_reads_the_series_takes_data(tmp_path, monkeypatch, command):
    from fentflow.cli import app as fentflow_app
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(fentflow_app, [*command, "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2, result.output
    assert "nowhere" in result.output and "--data" in result.output and "Traceback" not in result.output


def test_into_a_file_instead_of_a_folder_exits_2(tmp_path):
    target = write(tmp_path, "not a folder", "taken.txt")
    result = runner.invoke(app, ["data", "import", str(VSRR), "--into", str(target)])
    assert result.exit_code == 2, result.output
    assert "taken.txt" in result.output and "--into" in result.output and "Traceback" not in result.output
