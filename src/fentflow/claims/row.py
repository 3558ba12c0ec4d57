"""One row of the claims check: a claim, the public figure beside it, fentflow's counterpart, a verdict."""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

CONSISTENT = "consistent"
INCONSISTENT = "inconsistent"
NOT_CHECKABLE = "not checkable"
VERDICTS = (CONSISTENT, INCONSISTENT, NOT_CHECKABLE)

TEXT_COLUMNS = ("id", "check", "claim", "public_figure", "source_url", "primary_url", "fentflow", "verdict", "rule",
                "reason")
# `primary_url` when no page at the figure's publisher was located: said outright, never left blank.
PRIMARY_NOT_FOUND = "none found"


@dataclass(frozen=True)
class ClaimRow:
    """A claim of the news report checked one way; a claim checked several ways has several rows.

    `numbers` holds the figures the verdict was computed from (for JSON output and tests);
    `rule` states that computation in words, `reason` says what the numbers show.
    """

    id: str                 # the claim's number, C1-C13 (docs/claims.md), e.g. "C5"
    check: str              # what this row checks it against, e.g. "CDC record", "fentflow model"
    claim: str              # the claim, paraphrased
    public_figure: str      # the public figure(s) it is set beside
    source_url: str         # where the public figure was read (a copy, or the publisher's own page)
    primary_url: str        # the publisher's own page for it, or PRIMARY_NOT_FOUND (see `cited`)
    fentflow: str           # fentflow's computed counterpart
    verdict: str            # one of VERDICTS
    rule: str               # the explicit rule that turned the numbers into the verdict
    reason: str             # what the numbers say, in a sentence or two
    numbers: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, not {self.verdict!r}")
        if not self.source_url.startswith(("https://", "http://")):
            raise ValueError(f"{self.id} ({self.check}): source_url must be a web address, not {self.source_url!r}")
        if self.primary_url != PRIMARY_NOT_FOUND and not self.primary_url.startswith(("https://", "http://")):
            raise ValueError(f"{self.id} ({self.check}): primary_url must be a web address or "
                             f"{PRIMARY_NOT_FOUND!r}, not {self.primary_url!r}")
        object.__setattr__(self, "numbers", MappingProxyType(dict(self.numbers)))

    def as_dict(self) -> dict:
        return {**{column: getattr(self, column) for column in TEXT_COLUMNS}, "numbers": dict(self.numbers)}


def cited(record) -> dict[str, str]:
    """`source_url` and `primary_url` of a sourced record, as ClaimRow fields: `ClaimRow(..., **cited(r))`.

    `record` is a row of an observed series (a pandas Series), a claim figure, or a mapping; a
    record without a primary URL (blank, missing, NaN) is cited with PRIMARY_NOT_FOUND.
    """
    get = record.get if isinstance(record, (Mapping, pd.Series)) else functools.partial(getattr, record)
    primary = get("primary_url", "")
    return {"source_url": get("source_url"),
            "primary_url": primary if isinstance(primary, str) and primary else PRIMARY_NOT_FOUND}


def rows_frame(rows: Sequence[ClaimRow]) -> pd.DataFrame:
    """Rows as a table with the text columns (`numbers` stays with the rows and their JSON)."""
    return pd.DataFrame([[getattr(row, column) for column in TEXT_COLUMNS] for row in rows],
                        columns=list(TEXT_COLUMNS))
