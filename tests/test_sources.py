"""Every bundled number names its source inside the repository or at its publisher: parameters carry
the publisher's page (`primary_url`), and no source cites a document that is not in the repository."""
from __future__ import annotations

import re
from importlib import resources

import pytest

from fentflow.observed.publishers import publisher_of
from fentflow.observed.series import SERIES, load_series
from fentflow.sim.pars import PARAMETERS

# The reference notes the project was built from (public-figures.md T1b, world-us.md W5, DESIGN §1, ...)
# are not shipped: a source must say what they stood for.
OUTSIDE_DOCUMENT = re.compile(r"public-figures|world-mexico|world-us|article-claims|DESIGN|§|\bT\d[a-e]\b|\bW\d[a-b]?\b")


def bundled_text(*parts: str) -> str:
    return resources.files("fentflow").joinpath(*parts).read_text(encoding="utf-8")


@pytest.mark.parametrize("par", PARAMETERS, ids=lambda par: par.name)
def test_a_parameter_source_cites_nothing_outside_the_repository(par):
    assert not OUTSIDE_DOCUMENT.search(par.source), par.source


@pytest.mark.parametrize("par", [par for par in PARAMETERS if not par.source.startswith("assumption")
                                 or "calibrated" in par.source or "series " in par.source],
                         ids=lambda par: par.name)
def test_a_parameter_read_from_public_figures_names_its_publishers_page(par):
    if "no publisher's page known" in par.source:
        assert par.primary_url == ""
        return
    assert par.primary_url and publisher_of(par.primary_url), (par.name, par.primary_url)


def test_every_primary_url_of_a_parameter_is_at_a_publisher():
    assert all(publisher_of(par.primary_url) for par in PARAMETERS if par.primary_url)


@pytest.mark.parametrize("path", [("world", "data", "default", "sources.csv"), ("world", "data", "default", "world.toml"),
                                  ("observed", "data", "conversion_assumptions.toml")], ids=lambda path: path[-1])
def test_bundled_source_files_cite_nothing_outside_the_repository(path):
    assert not OUTSIDE_DOCUMENT.search(bundled_text(*path))


@pytest.mark.parametrize("spec", SERIES, ids=lambda spec: spec.name)
def test_series_notes_cite_nothing_outside_the_repository(spec):
    notes = load_series(spec.name)["note"]
    assert not notes.str.contains(OUTSIDE_DOCUMENT).any(), notes[notes.str.contains(OUTSIDE_DOCUMENT)].tolist()
