"""One row of the claims check: a claim, the public figure beside it, fentflow's counterpart, a verdict."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

CONSISTENT = "consistent"
INCONSISTENT = "inconsistent"
NOT_CHECKABLE = "not checkable"
VERDICTS = (CONSISTENT, INCONSISTENT, NOT_CHECKABLE)

TEXT_COLUMNS = ("id", "check", "claim", "public_figure", "source_url", "fentflow", "verdict", "rule", "reason")


@dataclass(frozen=True)
class ClaimRow:
    """A claim of article-claims.md checked one way; a claim checked several ways has several rows.

    `numbers` holds the figures the verdict was computed from (for JSON output and tests);
    `rule` states that computation in words, `reason` says what the numbers show.
    """

    id: str                 # the claim's number in article-claims.md, e.g. "C5"
    check: str              # what this row checks it against, e.g. "CDC record", "fentflow model"
    claim: str              # the claim, paraphrased
    public_figure: str      # the public figure(s) it is set beside
    source_url: str         # where the public figure comes from
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
        object.__setattr__(self, "numbers", MappingProxyType(dict(self.numbers)))

    def as_dict(self) -> dict:
        return {**{column: getattr(self, column) for column in TEXT_COLUMNS}, "numbers": dict(self.numbers)}


def rows_frame(rows: Sequence[ClaimRow]) -> pd.DataFrame:
    """Rows as a table with the text columns (`numbers` stays with the rows and their JSON)."""
    return pd.DataFrame([[getattr(row, column) for column in TEXT_COLUMNS] for row in rows],
                        columns=list(TEXT_COLUMNS))
