"""The bad-input corpus: every command, given what a new user gets wrong, ends with one line
naming the problem and exit code 2 (never a traceback), before any long work.

Each case: an id, the arguments (`{name}` is a prepared file from tests/bad_inputs.py), the
words the message must hold, and optionally environment variables. Cases run in-process
with Typer's CliRunner; none simulates more than the first step of its command.
"""
from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bad_inputs import build
from fentflow.cli import app
from fentflow.ensemble.lock import LOCK_FILE


def case(id_: str, args: str | list[str], *expected: str, env: dict | None = None, code: int = 2):
    argv = args.split() if isinstance(args, str) else args
    return pytest.param(argv, expected, env or {}, code, id=id_)


RUN = "run --quiet --out {tmp}/run-out"
ARGUMENTS = [
    # run
    case("run-seed-negative", "run --seed -1", "--seed"),
    case("run-replicates-zero", "run --replicates 0", "--replicates"),
    case("run-replicates-huge", "run --replicates 200000", "GB of memory", "replicates"),
    case("run-replicates-text", "run --replicates many", "--replicates"),
    case("run-start-junk", "run --start yesterday", "'yesterday' is not a date"),
    case("run-end-junk", "run --end 2020-02-31", "is not a date"),
    case("run-end-before-start", "run --start 2020-01-01 --end 2019-01-01", "before start"),
    case("run-after-span", "run --start 2031-01-01 --end 2032-01-01", "outside the modelled years 2015-2030"),
    case("run-before-span", "run --start 2010 --end 2012", "outside the modelled years"),
    case("run-end-after-span", "run --end 2031-06-30", "outside the modelled years"),
    case("run-out-empty", ["run", "--out", ""], "empty value"),
    case("run-out-empty-equals", ["run", "--out="], "empty value"),
    case("run-out-is-file", "run --out {a_file}", "is a file, not a folder"),
    case("run-out-under-file", "run --out {a_file}/sub", "is a file, not a folder"),
    case("run-out-proc", "run --out /proc/fentflow-out", "cannot write here"),
    case("run-out-link-loop", "run --out {link_loop}", "cannot follow this path"),
    case("map-out-link-loop", "map --out {link_loop}", "cannot follow this path"),
    case("fit-check-out-link-loop", "fit-check --out {link_loop}", "cannot follow this path"),
    case("run-parameters-missing", "run --parameters {missing}", "posterior file not found"),
    case("run-parameters-word", "run --parameters calibratd", "posterior file not found"),
    case("run-unknown-option", "run --sead 3", "No such option"),
    # fit-check
    case("fit-check-seed-negative", "fit-check --seed -1", "--seed"),
    case("fit-check-replicates-zero", "fit-check --replicates 0", "--replicates"),
    case("fit-check-before-span", "fit-check --start 2010-01-01", "outside the modelled years"),
    case("fit-check-start-junk", "fit-check --start soon", "is not a date"),
    case("fit-check-out-proc", "fit-check --out /proc/fentflow-fit", "cannot write here"),
    case("fit-check-out-file", "fit-check --out {a_file}", "is a file, not a folder"),
    case("fit-check-replicates-huge", "fit-check --replicates 500000", "GB of memory"),
    # compare
    case("compare-unknown-scenario", "compare baseline atlantis --out {tmp}/c", "no scenario 'atlantis'"),
    case("compare-runs-zero", "compare baseline treatment --runs 0", "--runs"),
    case("compare-block-zero", "compare baseline treatment --block-size 0", "--block-size"),
    case("compare-workers-negative", "compare baseline treatment --workers -1", "--workers"),
    case("compare-seed-negative", "compare baseline treatment --seed -1", "--seed"),
    case("compare-scheduler-junk", "compare baseline treatment --scheduler notanaddress --out {tmp}/c",
         "not a scheduler address"),
    case("compare-scheduler-no-port", "compare baseline treatment --scheduler tcp://localhost --out {tmp}/c",
         "not a scheduler address"),
    case("compare-years-junk", "compare baseline treatment --years soon --out {tmp}/c", "not a year"),
    case("compare-years-outside", "compare baseline treatment --years 2040 --out {tmp}/c", "inside the simulated span"),
    case("compare-start-junk", "compare baseline treatment --start later --out {tmp}/c", "is not a date"),
    case("compare-after-span", "compare baseline treatment --start 2031-01-01 --end 2032-01-01 --out {tmp}/c",
         "outside the modelled years"),
    case("compare-out-file", "compare baseline treatment --out {a_file}", "is a file, not a folder"),
    case("compare-parameters-missing", "compare baseline treatment --parameters {missing} --out {tmp}/c",
         "posterior file not found"),
    case("compare-no-scenario", "compare", "Missing argument"),
    # calibrate and validate
    case("calibrate-budget-junk", "calibrate --budget huge --out {tmp}/cal", "unknown budget"),
    case("calibrate-seed-negative", "calibrate --seed -1", "--seed"),
    case("calibrate-scheduler-junk", "calibrate --scheduler notanaddress --out {tmp}/cal",
         "not a scheduler address"),
    case("calibrate-data-through-old", "calibrate --data-through 1999", "--data-through"),
    case("calibrate-data-through-future", "calibrate --data-through 2030", "--data-through"),
    case("calibrate-out-file", "calibrate --out {a_file}", "is a file, not a folder"),
    case("calibrate-workers-negative", "calibrate --workers -2", "--workers"),
    case("calibrate-damaged-history", "calibrate --workers 0 --quiet --budget tiny --out {calibration_damaged_history}",
         "history.db", "not a SQLite database", "--fresh"),
    case("recovery-budget-junk", "validate recovery --budget huge --out {tmp}/rec", "unknown budget"),
    case("recovery-trials-zero", "validate recovery --trials 0", "--trials"),
    case("recovery-scheduler-junk", "validate recovery --scheduler nowhere --out {tmp}/rec",
         "not a scheduler address"),
    case("recovery-seed-negative", "validate recovery --seed -1", "--seed"),
    case("oos-fit-through-last", "validate out-of-sample --fit-through 2023 --out {tmp}/oos", "no year to predict"),
    case("oos-fit-through-old", "validate out-of-sample --fit-through 2010 --out {tmp}/oos", "no year to predict"),
    case("oos-budget-junk", "validate out-of-sample --budget huge --out {tmp}/oos", "unknown budget"),
    case("oos-scheduler-junk", "validate out-of-sample --scheduler x:y --out {tmp}/oos", "not a scheduler address"),
    case("scale-factor-zero", "validate scale --factor 0 --out {tmp}/scale", "--factor"),
    case("scale-factor-negative", "validate scale --factor 1 --factor -2 --out {tmp}/scale", "positive"),
    case("scale-posterior-missing", "validate scale --posterior {missing} --out {tmp}/scale", "posterior file not found"),
    case("scale-draws-zero", "validate scale --draws 0", "--draws"),
    case("scale-out-proc", "validate scale --out /proc/fentflow-scale", "cannot write here"),
    case("scale-scheduler-junk", "validate scale --scheduler x:y --out {tmp}/scale", "not a scheduler address"),
    # map
    case("map-year-future", "map --year 2050 --out {tmp}/map", "2050"),
    case("map-year-past", "map --year 2010 --out {tmp}/map", "2010"),
    case("map-scenario-unknown", "map --scenario atlantis --out {tmp}/map", "no scenario 'atlantis'"),
    case("map-seed-negative", "map --seed -1", "--seed"),
    case("map-replicates-zero", "map --replicates 0", "--replicates"),
    case("map-out-proc", "map --out /proc/fentflow-map", "cannot write here"),
    case("map-out-file", "map --out {a_file}", "is a file, not a folder"),
    case("map-parameters-missing", "map --parameters {missing} --out {tmp}/map", "posterior file not found"),
    # claims
    case("claims-csv-and-json", "claims --csv --json", "--csv and --json"),
    case("claims-seed-negative", "claims --seed -1", "--seed"),
    case("claims-replicates-zero", "claims --replicates 0", "--replicates"),
    case("claims-parameters-missing", "claims --parameters {missing}", "posterior file not found"),
    # report
    case("report-seed-negative", "report --seed -1", "--seed"),
    case("report-out-file", "report --out {a_file}", "is a file"),
    # convert
    case("convert-junk", ["convert", "a lot of fentanyl"], "amount"),
    case("convert-empty", ["convert", ""], "empty expression"),
    case("convert-negative", ["convert", "-5 lb pills"], "-5"),
    case("convert-unit-unknown", ["convert", "5 furlongs pills"], "furlongs"),
    case("convert-draws-text", "convert --draws many 1kg", "--draws"),
    case("convert-draws-zero", ["convert", "--draws", "0", "1 kg pure"], "draws must be a whole number"),
    case("convert-seed-negative", ["convert", "--seed", "-1", "1 kg pure"], "seed must be a whole number >= 0"),
    case("convert-year-old", ["convert", "--year", "1900", "1 kg pure"], "year 1900 is outside"),
    case("convert-infinite", ["convert", "1e400 lb pills"], "finite number"),
    # data, world, scenarios, query (arguments)
    case("data-show-unknown", "data show nonsense", "nonsense"),
    case("world-show-unknown-table", "world show nonsense", "nonsense"),
    case("world-validate-missing", "world validate {missing}", "world directory not found"),
    case("world-validate-file", "world validate {a_file}", "not a directory"),
    case("scenarios-unknown", "scenarios atlantis", "no scenario 'atlantis'"),
    case("scenarios-missing-file", "scenarios {missing}.toml", "scenario file not found"),
    case("query-no-store", ["query", "SELECT 1", "--store", "{missing}"], "not a comparison folder"),
    case("unknown-command", "frobnicate", "No such command"),
]

SCENARIO_FILES = [  # (file, words the message holds), each through three commands
    ("scen_latin1", "not UTF-8"), ("scen_binary", "not UTF-8"), ("scen_bad_toml", "not valid TOML"),
    ("scen_name_int", "name must be text"), ("scen_name_caps", "lower-case"), ("scen_unknown_key", "colour"),
    ("scen_interventions_not_list", "interventions must be a list"), ("scen_empty_places", "places is empty"),
    ("scen_places_not_list", "places"), ("scen_unknown_kind", "unknown intervention 'teleport'"),
    ("scen_bad_date", "2025-13-01"), ("scen_end_before_start", "before it starts"),
    ("scen_strength_text", "strength must be a number"), ("scen_missing_kind", "missing 'kind'"),
    ("scen_unknown_lever_key", "speed"), ("scen_is_folder", "scenario file not found"),
]
SCENARIO_CASES = [
    case(f"{command}-{name}", template.replace("{file}", "{" + name + "}"), words)
    for name, words in SCENARIO_FILES
    for command, template in (("scenarios", "scenarios {file}"),
                              ("compare", "compare baseline {file} --out {tmp}/c --workers 0"),
                              ("map", "map --scenario {file} --out {tmp}/map"))
] + [
    case("scenarios-unknown-place", "scenarios {scen_unknown_place}", "Atlantis"),
    case("compare-unknown-place", "compare baseline {scen_unknown_place} --out {tmp}/c", "Atlantis"),
    case("compare-outside-span", "compare baseline {scen_outside_span} --start 2024-01-01 --end 2026-12-31 "
                                 "--out {tmp}/c", "outside the simulated span"),
]

PARAMETER_FILES = [
    ("par_text", "row 2, field 'supply_growth_to_2019': 'abc' is not a number"),
    ("par_unknown", "unknown parameter column 'nonsense'"), ("par_empty", "no draws"),
    ("par_weight_negative", "weights must be"), ("par_weight_text", "'heavy' is not a number"),
    ("par_out_of_bounds", "supply_growth_to_2019"), ("par_only_weight", "no parameter columns"),
    ("par_not_parquet", "cannot read as Parquet"),
]
PARAMETER_CASES = [
    case(f"{command}-{name}", template.replace("{file}", "{" + name + "}"), words)
    for name, words in PARAMETER_FILES
    for command, template in (("run", RUN + " --parameters {file}"),
                              ("compare", "compare baseline treatment --parameters {file} --out {tmp}/c"),
                              ("fit-check", "fit-check --parameters {file} --out {tmp}/fit"),
                              ("map", "map --parameters {file} --out {tmp}/map"))
]

WORLDS = [
    ("world_overflow", "states.csv, row 2, field 'population'"),
    ("world_zero_population", "markets.csv, row 2, field 'population': must be > 0"),
    ("world_text_population", "field 'population': expected a whole number"),
    ("world_negative_homicides", "field 'homicides_2023'"),
    ("world_float_count", "field 'population'"),
    ("world_nan_latitude", "field 'lat'"),
    ("world_inf_risk", "field 'base_risk'"),
    ("world_latin1", "states.csv"),
    ("world_folder_csv", "routes.csv: is a folder"),
    ("world_symlink_loop", "link loop"),
    ("world_missing_file", "crossings.csv: missing file"),
    ("world_binary_toml", "world.toml"),
]
WORLD_CASES = [
    case(f"{command}-{name}", template.replace("{world}", "{" + name + "}"), words)
    for name, words in WORLDS
    for command, template in (("validate", "world validate {world}"), ("show", "world show --world {world}"),
                              ("run", RUN + " --world {world}"), ("claims", "claims --world {world}"),
                              ("compare", "compare baseline treatment --world {world} --out {tmp}/c"),
                              ("map", "map --world {world} --out {tmp}/map"),
                              ("fit-check", "fit-check --world {world} --out {tmp}/fit"))
]

REPORT_CASES = [
    case("report-junk-summary", "report --out {run_junk_summary}", "summary.json", "not valid JSON"),
    case("report-binary-summary", "report --out {run_binary_summary}", "summary.json", "not valid JSON"),
    case("report-list-summary", "report --out {run_list_summary}", "summary.json", "expected a JSON dict"),
]

QUERY_SQL = [
    ("empty", "", "empty SQL"), ("blank", "   ", "empty SQL"),
    ("copy", "COPY (SELECT 1) TO '{tmp}/leak.csv'", "COPY is not allowed"),
    ("attach", "ATTACH '{tmp}/x.db'", "ATTACH is not allowed"),
    ("install", "INSTALL httpfs", "INSTALL is not allowed"), ("load", "LOAD httpfs", "LOAD is not allowed"),
    ("set", "SET enable_external_access = true", "SET is not allowed"),
    ("pragma", "PRAGMA database_list", "PRAGMA is not allowed"),
    ("create", "CREATE TABLE t AS SELECT 1", "CREATE is not allowed"),
    ("drop", "DROP VIEW runs", "DROP is not allowed"),
    ("export", "EXPORT DATABASE '{tmp}/dump'", "EXPORT is not allowed"),
    ("two-statements", "SELECT 1; SELECT 2", "one statement at a time"),
    ("read-text", "SELECT * FROM read_text('/etc/hostname')", "Permission Error"),
    ("read-csv", "SELECT * FROM read_csv('/etc/passwd')", "Permission Error"),
    ("read-other-parquet", "SELECT * FROM '{tmp}/par_text.parquet'", "Permission Error"),
    ("glob", "SELECT * FROM glob('/etc/*')", "Permission Error"),
    ("unknown-table", "SELECT * FROM nowhere", "SQL error"),
    ("syntax", "SELEC 1", "SQL error"),
]
QUERY_CASES = [case(f"query-{name}", ["query", sql, "--store", "{store}"], words) for name, sql, words in QUERY_SQL]

STORE_CASES = [  # damaged comparison folders; `{store}` is a fresh copy of a small comparison
    case("store-other-seed", "compare baseline treatment --runs 2 --block-size 2 --workers 0 --start 2024-06-01 "
                             "--end 2025-12-31 --seed 7 --out {store} --quiet --no-charts",
         "other settings", "seed", "--overwrite"),
    case("store-other-block", "compare baseline treatment --runs 2 --block-size 1 --workers 0 --start 2024-06-01 "
                              "--end 2025-12-31 --out {store} --quiet --no-charts", "block_size", "--overwrite"),
    case("store-other-parameters", "compare baseline treatment --runs 2 --block-size 2 --workers 0 --start 2024-06-01 "
                                   "--end 2025-12-31 --parameters defaults --out {store} --quiet --no-charts",
         "parameters", "--overwrite"),
    case("store-locked", "compare baseline treatment --runs 2 --block-size 2 --workers 0 --start 2024-06-01 "
                         "--end 2025-12-31 --out {store} --quiet --no-charts", "another fentflow process"),
    case("store-junk-manifest", ["query", "SELECT 1", "--store", "{store}"], "comparison.json", "cannot read"),
    case("store-list-manifest", ["query", "SELECT 1", "--store", "{store}"], "comparison.json", "not a comparison"),
    case("store-empty", ["query", "SELECT 1", "--store", "{store}"], "no intact run files"),
]
STORE_DAMAGE = {
    "store-junk-manifest": lambda out: (out / "comparison.json").write_text("{ junk"),
    "store-list-manifest": lambda out: (out / "comparison.json").write_text("[]"),
    "store-empty": lambda out: [path.write_bytes(b"PAR1 junk") for path in (out / "store").rglob("run=*.parquet")],
}

CASES = ARGUMENTS + SCENARIO_CASES + PARAMETER_CASES + WORLD_CASES + REPORT_CASES + QUERY_CASES + STORE_CASES


@pytest.fixture(scope="session")
def bad(tmp_path_factory) -> dict[str, str]:
    return build(tmp_path_factory.mktemp("bad-inputs"))


@pytest.fixture(scope="session")
def small_comparison(tmp_path_factory) -> Path:
    """A real comparison store (2 runs, 2024-2025), made once."""
    out = tmp_path_factory.mktemp("comparison") / "cmp"
    result = CliRunner().invoke(app, ["compare", "baseline", "treatment", "--runs", "2", "--block-size", "2", "--workers", "0",
                                      "--start", "2024-06-01", "--end", "2025-12-31", "--out", str(out), "--quiet",
                                      "--no-charts"])
    assert result.exit_code == 0, result.output
    return out


def test_corpus_is_large_enough():
    assert len(CASES) >= 150


@pytest.mark.parametrize(("argv", "expected", "env", "code"), CASES)
def test_bad_input_is_one_clean_line(argv, expected, env, code, bad, small_comparison, tmp_path, request):
    paths = dict(bad, tmp=str(tmp_path))
    if any("{store}" in arg for arg in argv):
        paths["store"] = str(_store_copy(small_comparison, tmp_path, request.node.callspec.id))
    args = [arg.format(**paths) for arg in argv]
    with _locked_if(request.node.callspec.id == "store-locked", paths.get("store")):
        result = CliRunner().invoke(app, args, env=env)
    output = result.output
    assert result.exit_code == code, output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    flat = " ".join(output.split())
    for words in expected:
        assert words in flat, output


def _store_copy(source: Path, tmp_path: Path, case_id: str) -> Path:
    out = tmp_path / "cmp"
    shutil.copytree(source, out)
    damage = STORE_DAMAGE.get(case_id)
    if damage:
        damage(out)
    return out


class _locked_if:
    """Hold the comparison's lock as another process would (flock conflicts between open files)."""

    def __init__(self, on: bool, store: str | None):
        self.on, self.store, self.handle = on, store, None

    def __enter__(self):
        if self.on:
            self.handle = open(Path(self.store) / LOCK_FILE, "a+")
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self.handle.write("4242")
            self.handle.flush()

    def __exit__(self, *exc):
        if self.handle:
            self.handle.close()


def test_compare_with_overwrite_replaces_other_settings(small_comparison, tmp_path):
    out = _store_copy(small_comparison, tmp_path, "")
    result = CliRunner().invoke(app, ["compare", "baseline", "treatment", "--runs", "2", "--block-size", "2", "--workers", "0",
                                      "--start", "2024-06-01", "--end", "2025-12-31", "--seed", "7", "--out",
                                      str(out), "--quiet", "--no-charts", "--overwrite"])
    assert result.exit_code == 0, result.output


def test_query_warns_about_damaged_runs(small_comparison, tmp_path):
    out = _store_copy(small_comparison, tmp_path, "")
    damaged = sorted((out / "store").rglob("run=*.parquet"))[0]
    damaged.write_bytes(damaged.read_bytes()[:200])
    result = CliRunner().invoke(app, ["query", "SELECT count(*) AS n FROM runs", "--store", str(out), "--csv"])
    assert result.exit_code == 0, result.output
    assert "warning: left out" in result.output and damaged.name in result.output


def test_query_cannot_write_outside_the_store(small_comparison, tmp_path):
    target = tmp_path / "leak.csv"
    CliRunner().invoke(app, ["query", f"COPY (SELECT 1) TO '{target}'", "--store", str(small_comparison)])
    CliRunner().invoke(app, ["query", f"SELECT * FROM read_text('{target}')", "--store", str(small_comparison)])
    assert not target.exists()


def test_claims_cache_falls_back_when_unwritable(tmp_path, monkeypatch):
    from fentflow.ensemble.evidence import cache_dir

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("FENTFLOW_CACHE", str(blocker))
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setenv("HOME", str(blocker))
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    assert os.access(folder, os.W_OK) and folder.is_dir()
