"""A run is its own unit: replicate k gives the same numbers, bit for bit, alone or in any batch,
and scenario arms stay paired seizure by seizure even when a lever changes what crosses."""
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from fentflow.cli import app
from fentflow.policy.interventions import Intervention
from fentflow.sim.engine import Sim
from fentflow.sim.output import write_outputs

SPAN = {"start": "2019-01-01", "end": "2020-06-30", "seed": 11}
LEVERS = (Intervention("port_inspection", "2019-03-01", "2019-12-31", 2.0, ("San Diego Field Office",)),
          Intervention("raids", "2019-06-01", "2020-03-31", 3.0),
          Intervention("treatment", "2019-06-01", "2020-06-30", 1.0))
# One parameter value per global replicate, so a replicate carries its own values into any batch.
SUPPLY = {0: 150.0, 1: 420.0, 2: 190.0, 3: 260.0, 4: 330.0}


def _run(replicates, tmp_path, name):
    sim = Sim(None, {"supply_kg_week_2023": [SUPPLY[r] for r in replicates],
                     "staging_weeks_mean": [1.0 + r for r in replicates]},
              interventions=LEVERS, replicate_ids=replicates, **SPAN)
    sim.run()
    out = tmp_path / name
    write_outputs(sim, out)
    return sim, out


def _tables(out):
    return {path.relative_to(out).as_posix(): pq.read_table(path).to_pandas() for path in sorted(out.rglob("*.parquet"))}


def _of_replicate(table: pd.DataFrame, position: int) -> pd.DataFrame:
    mine = table[table["replicate"] == position].drop(columns="replicate")
    return mine.reset_index(drop=True)


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("replicates")
    return {ids: _tables(_run(ids, tmp, "-".join(map(str, ids)))[1]) for ids in [(3,), (0, 1, 2, 3), (4, 3)]}


def test_every_output_table_of_a_replicate_is_the_same_alone_and_in_any_batch(batches):
    alone = batches[(3,)]
    assert len(alone) >= 10
    for ids, tables in batches.items():
        assert tables.keys() == alone.keys()
        for name, table in tables.items():
            pd.testing.assert_frame_equal(_of_replicate(table, ids.index(3)), _of_replicate(alone[name], 0),
                                          check_exact=True, obj=f"{name} in batch {ids}")


def test_replicates_of_a_batch_differ(batches):
    deaths = batches[(0, 1, 2, 3)]["observables/national_annual.parquet"]
    assert deaths.groupby("replicate")["deaths"].sum().nunique() == 4


def test_the_cli_gives_replicate_0_of_a_batch_as_the_run_alone(tmp_path):
    """`fentflow run --replicates 4` and `--replicates 1`: replicate 0's tables are the same, bit for bit."""
    runs = {}
    for n in (4, 1):
        out = tmp_path / f"r{n}"
        result = CliRunner().invoke(app, ["run", "--parameters", "defaults", "--seed", "11", "--replicates", str(n),
                                          "--start", "2019-01-01", "--end", "2019-12-31", "--quiet", "--out", str(out)])
        assert result.exit_code == 0, result.output
        runs[n] = _tables(out)
    for name, table in runs[1].items():
        pd.testing.assert_frame_equal(_of_replicate(runs[4][name], 0), _of_replicate(table, 0), check_exact=True,
                                      obj=name)


def _seizures(seed, interventions=()):
    sim = Sim(None, {"raids_per_year": 40.0}, interventions=interventions, **{**SPAN, "seed": seed})
    sim.run()
    return sim.results["seizure_events"][:, 0, :], sim.results["attempts"][:, 0, :]


def test_arms_stay_paired_seizure_by_seizure_when_a_lever_changes_the_flows():
    """Raids change what reaches each crossing; each crossing's week of seizures keeps its own dice (its count,
    then each seized load's), so the arms' seizures differ far less than two seeds' do, and not before the lever."""
    raids = Intervention("raids", "2019-04-01", "2019-12-31", 4.0)
    (base, base_attempts), (raided, raided_attempts) = _seizures(11), _seizures(11, (raids,))
    other, _ = _seizures(12)
    assert not np.allclose(base_attempts, raided_attempts)            # the lever moved the flows
    before = slice(0, 13)                                             # weeks before the lever's start
    np.testing.assert_array_equal(base[before], raided[before])
    paired, unpaired = np.abs(raided - base).sum(), np.abs(other - base).sum()
    assert paired < 0.3 * unpaired, (paired, unpaired)
