"""The PNG charts read as a person reads them: units on the axes, ticks that do not overlap, a year on
every panel, place labels that do not pile up, and no span of flat zeros."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from fentflow.calibrate.fitcheck import TARGET_BY_NAME, _scatter_chart, _time_chart, align, summarize
from fentflow.observed.series import load_series


def renderer_of(figure):
    return FigureCanvasAgg(figure).get_renderer()


def overlapping(boxes) -> list:
    return [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]


def tick_boxes(ax, renderer):
    low, high = ax.get_xlim()
    return [label.get_window_extent(renderer) for tick, label in zip(ax.get_xticks(), ax.get_xticklabels())
            if low <= tick <= high and label.get_text()]


@pytest.fixture(scope="module")
def points():
    """The public series against themselves (three identical replicates), as the fit check summarises them."""
    observables = {}
    for target in TARGET_BY_NAME.values():
        observables.setdefault(target.source, load_series(target.source))
    observables = {name: pd.concat([table.assign(replicate=r) for r in range(3)], ignore_index=True)
                   for name, table in observables.items()}
    return summarize(align(observables))


def test_marginals_have_units_and_ticks_that_do_not_overlap():
    from fentflow.calibrate.plots import marginals_figure
    from fentflow.calibrate.posterior import load_default_posterior
    from fentflow.calibrate.priors import fitted_parameters

    figure = marginals_figure(load_default_posterior(), fitted_parameters())
    renderer = renderer_of(figure)
    figure.draw(renderer)
    shown = [ax for ax in figure.axes if ax.get_visible()]
    assert len(shown) == len(fitted_parameters())
    for ax in shown:
        assert ax.get_xlabel() and ax.get_xlabel() not in ("value", "log10 value"), ax.get_title()
        boxes = tick_boxes(ax, renderer)
        ticks = [label.get_text() for label in ax.get_xticklabels()]
        assert 2 <= len(boxes) and not overlapping(boxes), (ax.get_title(), ticks)


def test_every_panel_of_a_chart_by_place_shows_its_years(points):
    rows = points[points["series"] == "cbp_sw_unit_lb"]
    figure = _time_chart(rows, TARGET_BY_NAME["cbp_sw_unit_lb"])
    figure.draw(renderer_of(figure))
    panels = [ax for ax in figure.axes if ax.get_visible()]
    assert len(panels) == rows["place"].nunique() > 4
    for ax in panels:
        assert [label.get_text() for label in ax.get_xticklabels()][:2] == ["2019", "2020"], ax.get_title()


def test_state_labels_do_not_pile_up(points):
    rows = points[points["series"] == "sesnsp_homicides"]
    figure = _scatter_chart(rows, TARGET_BY_NAME["sesnsp_homicides"])
    renderer = renderer_of(figure)
    labels = [text for text in figure.axes[0].texts]
    assert len(labels) >= 16                                      # most of the 32 states keep a label
    assert not overlapping([text.get_window_extent(renderer) for text in labels])
    assert len({text.get_text() for text in labels}) == len(labels)   # one label per state


@pytest.fixture(scope="module")
def bundled():
    from fentflow.report.comparison_tables import bundled_folder, read_comparison

    return read_comparison(bundled_folder())


def test_deaths_by_year_starts_a_year_before_the_levers_and_names_its_axes(bundled):
    from fentflow.ensemble.charts import _deaths_by_year

    ax = _deaths_by_year(bundled).axes[0]
    first, last = bundled.window
    assert ax.get_xlabel() == "calendar year" and "deaths averted" in ax.get_ylabel()
    assert list(ax.get_xticks()) == list(range(first - 1, last + 1))


def test_the_comparison_charts_draw_from_its_tables(bundled, tmp_path):
    from fentflow.ensemble.charts import write_charts

    paths = write_charts(bundled, tmp_path)
    assert {p.stem for p in paths} == {"differences", "displacement", "states", "violence", "deaths_by_year"}
    assert all(p.stat().st_size > 10_000 for p in paths)
