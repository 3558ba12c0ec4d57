"""The parts of an ensemble: runs are pure and small, the store catches damage, parameters come from a source."""
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fentflow.ensemble.run import make_task, run_block, run_one
from fentflow.ensemble.spec import ComparisonSpec, parse_years
from fentflow.ensemble.store import RunStore, Status
from fentflow.errors import InputError
from fentflow.policy.scenarios import load_scenario
from fentflow.sim.sources import DefaultParameters, PosteriorDraws

SPAN = {"start": "2024-07-01", "end": "2025-12-31"}


def spec(**changes) -> ComparisonSpec:
    arms = (load_scenario("baseline"), load_scenario("port_surge"))
    return ComparisonSpec(arms, **{"runs": 4, "block_size": 2, "parameters": DefaultParameters(), **SPAN, **changes})


@pytest.fixture(scope="module")
def block():
    """Block 1 (runs 2 and 3) of the port surge arm."""
    s = spec()
    return run_block(make_task(s, s.arms[1], 1, (2, 3)))


# Runs ----------------------------------------------------------------------------------------
def test_a_run_is_small_and_annual(block):
    one_run = block[block["run"] == 2]
    assert len(one_run) < 2_000                                   # annual tables, not weekly arrays
    assert set(one_run["table"]) == {"national", "component", "cbp_unit", "mx_state"}
    assert set(one_run["year"]) == {2024, 2025}
    assert set(block["run"]) == {2, 3} and set(block["arm"]) == {"port_surge"} and set(block["draw"]) == {-1}


def test_run_one_is_its_row_of_the_block_and_pure(block):
    again = run_one(spec(), load_scenario("port_surge"), 3)
    pd.testing.assert_frame_equal(again, block[block["run"] == 3].reset_index(drop=True))


def test_blocks_do_not_depend_on_how_many_runs_are_asked_for():
    few, many = spec(runs=3), spec(runs=40)
    assert few.fingerprint(few.arms[0]) == many.fingerprint(many.arms[0])
    assert list(few.runs_of_block(1)) == [2] and list(many.runs_of_block(1)) == [2, 3]


def test_a_run_gives_the_same_table_in_any_block_of_any_size(block):
    """Run 3 alone, in its block of 2 and in a block of 3 with other runs: the same numbers, bit for bit."""
    s = spec(block_size=3)
    other = run_block(make_task(s, s.arms[1], 1, (3, 4, 5)))
    mine = other[other["run"] == 3].drop(columns="block").reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, block[block["run"] == 3].drop(columns="block").reset_index(drop=True),
                                  check_exact=True)


def test_shares_and_sums_agree_with_the_simulator(block):
    national = block[(block["table"] == "national") & (block["run"] == 2)].set_index(["year", "metric"])["value"]
    units = block[(block["table"] == "cbp_unit") & (block["run"] == 2)]
    components = block[(block["table"] == "component") & (block["run"] == 2)]
    for year in (2024, 2025):
        attempts = units[(units["year"] == year) & (units["metric"] == "attempts")]["value"].sum()
        assert attempts == pytest.approx(national[(year, "attempted_crossings")])
        assert components[(components["year"] == year) & (components["metric"] == "attempts")]["value"].sum() == \
            pytest.approx(attempts)


def test_spec_rejects_bad_input():
    baseline = load_scenario("baseline")
    with pytest.raises(InputError, match="at least two scenarios"):
        ComparisonSpec((baseline,))
    with pytest.raises(InputError, match="given twice"):
        ComparisonSpec((baseline, baseline))
    with pytest.raises(InputError, match="runs must be at least 1"):
        spec(runs=0)
    with pytest.raises(InputError, match="report years"):
        spec(years=(2020, 2025))
    assert parse_years("2025-2030") == (2025, 2030) and parse_years("2027") == (2027, 2027)
    with pytest.raises(InputError):
        parse_years("next year")
    assert spec().window == (2025, 2025)          # from the first lever's year to the end


# The store -----------------------------------------------------------------------------------
@pytest.fixture
def stored(tmp_path, block):
    store = RunStore(tmp_path / "store")
    rows = block[block["run"] == 2].reset_index(drop=True)
    store.write("port_surge", 2, rows, "fp1")
    return store, rows


def test_a_written_run_reads_back_whole(stored):
    store, rows = stored
    check = store.check("port_surge", 2, "fp1")
    assert check.status is Status.OK
    pd.testing.assert_frame_equal(check.frame, rows)
    assert store.check("port_surge", 3, "fp1").status is Status.MISSING
    assert store.check("port_surge", 2, "other inputs").status is Status.STALE


def test_a_truncated_file_is_corrupt(stored):
    store, _ = stored
    path = store.path("port_surge", 2)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert store.check("port_surge", 2, "fp1").status is Status.CORRUPT


def test_changed_content_under_an_intact_footer_is_corrupt(stored):
    store, rows = stored
    path = store.path("port_surge", 2)
    metadata = pq.read_schema(path).metadata
    table = pq.read_table(path).to_pandas()
    table.loc[0, "value"] += 1.0
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False).replace_schema_metadata(metadata), path)
    check = store.check("port_surge", 2, "fp1")
    assert check.status is Status.CORRUPT and "checksum" in check.reason


def test_missing_rows_and_stray_temporary_files(stored):
    store, rows = stored
    path = store.path("port_surge", 2)
    metadata = pq.read_schema(path).metadata
    pq.write_table(pa.Table.from_pandas(rows.iloc[:-5], preserve_index=False).replace_schema_metadata(metadata), path)
    assert "rows" in store.check("port_surge", 2, "fp1").reason
    stray = path.with_name(".run=00007.parquet.123.tmp")
    stray.write_bytes(b"half a file")
    assert stray not in store.files() and store.clean_temporary() == 1 and not stray.exists()


# Parameter sources ---------------------------------------------------------------------------
def posterior(tmp_path, frame: pd.DataFrame):
    path = tmp_path / "posterior.parquet"
    frame.to_parquet(path)
    return path


def test_default_parameters_give_no_values():
    assert DefaultParameters().values([0, 1], seed=0) == {} and DefaultParameters().draw_of(5, 0) == -1


def test_unweighted_posterior_runs_cycle_through_rows(tmp_path):
    path = posterior(tmp_path, pd.DataFrame({"poe_detection_2023": [0.05, 0.1, 0.3], "draw": [7, 8, 9]}))
    source = PosteriorDraws.load(path)
    assert [source.draw_of(run, 0) for run in range(5)] == [0, 1, 2, 0, 1]
    assert source.values([1, 2], 0) == {"poe_detection_2023": [0.1, 0.3]}


def test_weighted_posterior_draws_follow_weights_and_not_the_number_of_runs(tmp_path):
    path = posterior(tmp_path, pd.DataFrame({"route_adaptation": [1.0, 15.0], "weight": [0.0, 2.0]}))
    source = PosteriorDraws.load(path)
    assert {source.draw_of(run, seed=3) for run in range(20)} == {1}   # zero weight is never drawn
    path2 = posterior(tmp_path, pd.DataFrame({"route_adaptation": [1.0, 15.0], "weight": [1.0, 1.0]}))
    even = PosteriorDraws.load(path2)
    draws = [even.draw_of(run, seed=3) for run in range(200)]
    assert 60 < sum(draws) < 140 and draws[:10] == [even.draw_of(run, seed=3) for run in range(10)]


@pytest.mark.parametrize("frame, words", [
    (pd.DataFrame({"nonsense": [1.0]}), "unknown parameter column 'nonsense'"),
    (pd.DataFrame({"poe_detection_2023": [5.0]}), "outside its bounds"),
    (pd.DataFrame({"poe_detection_2023": [0.1], "weight": [-1.0]}), "weights"),
])
def test_bad_posteriors_are_input_errors(tmp_path, frame, words):
    with pytest.raises(InputError, match=words) as caught:
        PosteriorDraws.load(posterior(tmp_path, frame))
    assert caught.value.file.endswith("posterior.parquet")


def test_posterior_draws_reach_the_simulation(tmp_path):
    path = posterior(tmp_path, pd.DataFrame({"poe_detection_2023": [0.01, 0.3]}))
    s = spec(parameters=PosteriorDraws.load(path), runs=2)
    table = run_block(make_task(s, s.arms[0], 0, (0, 1)))
    seized = table[(table["metric"] == "border_seized_pure_kg") & (table["year"] == 2025)].set_index("run")
    assert list(seized["draw"]) == [0, 1]
    assert seized.loc[1, "value"] > 3 * seized.loc[0, "value"]      # detection x 30 seizes far more
    assert s.fingerprint(s.arms[0]) != spec(runs=2).fingerprint(s.arms[0])
