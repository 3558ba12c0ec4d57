"""The claims check: each claim of the January 2023 news report (Border Report, quoting a Global
Guardian analyst; the 13 claims are listed in docs/claims.md) set beside the public figure and
fentflow's computed counterpart, with a verdict from an explicit rule. Every row cites the page the
figure was read from (`source_url`) and the publisher's own page (`primary_url`, or "none found").

    from fentflow.claims import claims_table, ClaimContext
    claims_table(seed=0)                       # DataFrame: id, check, claim, public_figure, ...
    claims_table(ClaimContext(replicates=20))  # model figures with 5-95% bands (20: the default)

Verdicts are `consistent`, `inconsistent` or `not checkable`, each computed by a rule of
`fentflow.claims.rules` that the row states in its `rule` column.

Adding a check is adding one module, `cNN_<topic>.py`, in this package:

    from fentflow.claims.context import ClaimContext
    from fentflow.claims.registry import register
    from fentflow.claims.row import ClaimRow
    from fentflow.claims.rules import verdict, inside

    @register("C8", "seizure share")
    def check(context: ClaimContext) -> list[ClaimRow]:
        share = context.observables["seizure_share"]       # the baseline run, made on first use
        ...
        return [ClaimRow(id="C8", check="fentflow model", ..., verdict=verdict(inside(...)))]

Modules named `cNN_*` are imported automatically; rows come out in claim order. A check needing
a scenario run can build its own `Sim` with `context.world` and `context.seed` (scenario arms
share seeds with the baseline) and should cache it on the context if other checks reuse it.
"""
from __future__ import annotations

from fentflow.claims.context import ClaimContext
from fentflow.claims.registry import claim_rows, claims_table, register, registered
from fentflow.claims.row import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, VERDICTS, ClaimRow

__all__ = ["CONSISTENT", "INCONSISTENT", "NOT_CHECKABLE", "VERDICTS", "ClaimContext", "ClaimRow",
           "claim_rows", "claims_table", "register", "registered"]
