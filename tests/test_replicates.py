"""A run is its own unit: replicate k gives the same numbers, bit for bit, alone or in any batch,
and scenario arms stay paired load by load even when a lever changes how many loads there are."""
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from fentflow.cli import app
from fentflow.policy.interventions import Intervention
from fentflow.sim.engine import STEP_ORDER, Sim
from fentflow.sim.modules.base import Module
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


class NewLoads(Module):
    """Keeps each week's new loads (identity, form, potency, purity): a plain-Python step that only reads."""
    name = "new_loads"

    def __init__(self, sim):
        super().__init__(sim)
        self.rows = []

    def step(self, week):
        loads = self.sim.handoff.new_loads
        content = np.divide(loads.pure_kg, loads.gross_kg)
        self.rows.append(pd.DataFrame({"ident": loads.ident, "form": loads.form, "mg": loads.mg_per_pill,
                                       "content": content}))


def _new_loads(interventions):
    sim = Sim(None, {"raids_per_year": 40.0}, steps=(*STEP_ORDER[:2], NewLoads, *STEP_ORDER[2:]),
              interventions=interventions, **SPAN)
    sim.run()
    return pd.concat(sim.modules["new_loads"].rows).set_index("ident")


def test_arms_stay_paired_load_by_load_when_a_lever_changes_load_counts():
    """Raids change how many loads each site ships; every load both arms make keeps its own dice."""
    base = _new_loads(())
    raids = _new_loads((Intervention("raids", "2019-04-01", "2019-12-31", 4.0),))
    assert len(base) != len(raids)
    both = base.index.intersection(raids.index)
    assert len(both) > 0.5 * len(base)
    assert (base.loc[both, "form"] == raids.loc[both, "form"]).all()
    np.testing.assert_array_equal(base.loc[both, "mg"], raids.loc[both, "mg"])
    np.testing.assert_allclose(base.loc[both, "content"], raids.loc[both, "content"], rtol=1e-12)
