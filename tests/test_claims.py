"""The claims check: every row sourced and judged, verdicts from the numbers, the registry, the CLI."""
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fentflow import claims
from fentflow.claims import VERDICTS, ClaimContext, ClaimRow, claim_rows, claims_table, register, registered
from fentflow.claims import c11_precursor_controls as c11
from fentflow.claims.registry import _REGISTRY
from fentflow.claims.row import PRIMARY_NOT_FOUND, TEXT_COLUMNS
from fentflow.cli import app
from fentflow.errors import InputError
from fentflow.policy import scenarios

runner = CliRunner()
EXPECTED_CLAIMS = ["C5", "C6", "C7", "C10"]


@pytest.fixture(scope="module")
def context(world):
    return ClaimContext(world, seed=0)


@pytest.fixture(scope="module")
def rows(context):
    return claim_rows(context)


def test_the_registry_holds_the_claims_in_claim_order():
    ids = [entry.id for entry in registered()]
    assert set(EXPECTED_CLAIMS) <= set(ids)
    assert ids == sorted(ids, key=lambda claim_id: int(claim_id[1:]))   # C10 after C7


def test_every_row_has_a_source_url_a_verdict_a_rule_and_a_reason(rows):
    assert {row.id for row in rows} >= set(EXPECTED_CLAIMS)
    for row in rows:
        assert row.source_url.startswith(("https://", "http://")), row
        assert row.verdict in VERDICTS, row
        assert row.rule and row.reason and row.public_figure and row.fentflow, row


def test_every_row_names_the_publishers_page_or_says_none_was_found(rows):
    primary = [row.primary_url for row in rows]
    assert all(url == PRIMARY_NOT_FOUND or url.startswith(("https://", "http://")) for url in primary), primary
    # the publishers' pages that are known are cited: DEA's dose convention, CBP's statistics, China's control
    assert {"https://www.dea.gov/onepill", "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics",
            c11.CONTROL_URL} <= set(primary)


# Where a figure's source was a document outside the repository, the source itself is named.
OUTSIDE_REFERENCES = re.compile(r"world-mexico|world-us|public-figures|article-claims|DESIGN|reference/|§"
                                r"|\bT\d[a-z]\b|\[[A-Z]+\d{2}[a-z]?\]")
SOURCED_FILES = [*Path(claims.__file__).parent.rglob("*.py"), *Path(claims.__file__).parent.rglob("*.csv"),
                 *Path(scenarios.__file__).parent.joinpath("scenarios").glob("*.toml"),
                 Path(__file__).parents[1] / "docs" / "claims.md"]


@pytest.mark.parametrize("path", SOURCED_FILES, ids=lambda path: path.name)
def test_sources_are_named_not_documents_outside_the_repository(path):
    found = [line for line in path.read_text(encoding="utf-8").splitlines() if OUTSIDE_REFERENCES.search(line)]
    assert not found, found


def test_claims_table_has_one_row_per_check(context, rows):
    table = claims_table(context)
    assert list(table.columns) == list(TEXT_COLUMNS)
    assert len(table) == len(rows)
    assert not table.duplicated(["id", "check"]).any()


def by_check(rows, claim_id, check) -> ClaimRow:
    [row] = [row for row in rows if row.id == claim_id and row.check == check]
    return row


def test_c5_compares_the_model_with_cdc_synthetic_deaths(rows):
    record = by_check(rows, "C5", "CDC record")
    assert record.numbers["cdc_total"] == 106_699 and record.verdict == "consistent"
    model = by_check(rows, "C5", "fentflow model")
    assert model.numbers["cdc_synthetic_2021"] == 70_601
    ratio = model.numbers["model_2021"] / model.numbers["cdc_synthetic_2021"]
    assert model.verdict == ("consistent" if 1 / 1.5 <= ratio <= 1.5 else "inconsistent")


def test_c6_lethal_doses_follow_the_lower_bound_rule(rows):
    doses = by_check(rows, "C6", "lethal doses")
    numbers = doses.numbers
    assert numbers["dea_doses"] == 36e6
    assert numbers["doses_p05"] < numbers["doses_point"] < numbers["doses_p95"]
    assert numbers["doses_point"] == pytest.approx(numbers["pure_kg_point"] * 500_000)
    assert doses.verdict == ("consistent" if numbers["dea_doses"] <= numbers["doses_p95"] else "inconsistent")
    assert by_check(rows, "C6", "2 mg can be fatal").verdict == "not checkable"


def test_c7_matches_the_nationwide_port_figure_and_converts_13000_lb(rows):
    record = by_check(rows, "C7", "CBP record")
    assert record.numbers["best_match_lb"] == 12_017 and record.verdict == "consistent"
    # 13,000 lb at ~100 mg a pill and DEA 2022's 2.4 mg a pill: ~140 kg pure, ~70 million doses
    assert 100 < record.numbers["pure_kg_point"] < 200
    assert by_check(rows, "C7", "fentflow model").numbers["cbp_southwest_lb"] == 1930 + 2893 + 2409 + 1437


def test_c10_says_when_agreement_is_by_construction(rows):
    model = by_check(rows, "C10", "fentflow model")
    assert "by construction" in model.reason
    low, high = model.numbers["model_low"], model.numbers["model_high"]
    assert model.verdict == ("consistent" if low <= 0.15 and high >= 0.10 else "inconsistent")


def test_claims_can_be_chosen_by_id(context):
    assert set(claims_table(context, ["c6", "C10"])["id"]) == {"C6", "C10"}
    with pytest.raises(InputError, match="C99"):
        claim_rows(context, ["C99"])


def test_register_adds_a_claim_and_rejects_bad_ids_and_duplicates():
    @register("C99", "a test claim")
    def check(context):
        return [ClaimRow(id="C99", check="test", claim="c", public_figure="p", source_url="https://example.org",
                         primary_url=PRIMARY_NOT_FOUND, fentflow="f", verdict="not checkable", rule="r", reason="why")]
    try:
        assert [row.id for row in claim_rows(ClaimContext(), ["C99"])] == ["C99"]
        with pytest.raises(ValueError, match="twice"):
            register("C99", "again")(lambda context: [])
    finally:
        _REGISTRY.pop("C99")
    with pytest.raises(ValueError, match="look like"):
        register("claim 8", "bad id")


def test_replicates_must_be_positive():
    with pytest.raises(InputError, match="replicates"):
        ClaimContext(replicates=0)


# The command line ------------------------------------------------------------------------------

def invoke(*args):
    return runner.invoke(app, ["claims", *map(str, args)])


def test_cli_prints_the_table_with_sources():
    result = invoke("--seed", 0)
    assert result.exit_code == 0, result.output
    for text in ("C5", "C10", "consistent", "Rule", "[1] http"):
        assert text.lower() in result.output.lower()
    # each source: the publisher's page beside the copy it was read from, or a plain "none found"
    assert "https://www.dea.gov/onepill (read from https://www.nbcnews.com/" in result.output
    assert f"(the publisher's own page: {PRIMARY_NOT_FOUND})" in result.output


def test_cli_json_and_csv(context, monkeypatch):
    # The output formats, on the module's baseline run rather than a new one per invocation.
    monkeypatch.setattr("fentflow.claims.cli.ClaimContext", lambda *args, **kwargs: context)
    as_json = invoke("--claim", "C6", "--json")
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.output)
    assert {row["check"] for row in rows} == {"lethal doses", "pills >= 2 mg", "2 mg can be fatal"}
    assert rows[0]["numbers"]["dea_doses"] == 36e6
    assert {row["check"]: row["primary_url"] for row in rows}["2 mg can be fatal"] == "https://www.dea.gov/onepill"
    as_csv = invoke("--claim", "C7", "--csv")
    assert as_csv.exit_code == 0 and as_csv.output.startswith(",".join(TEXT_COLUMNS))
    assert "source_url,primary_url" in as_csv.output.splitlines()[0]


def test_cli_bad_input_exits_2_without_traceback(tmp_path):
    for args in (("--world", tmp_path / "nowhere"), ("--claim", "C99"), ("--replicates", 0)):
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
