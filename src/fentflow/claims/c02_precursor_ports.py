"""C2: precursor chemicals come from Asia (China), entering through Pacific ports such as those of
Colima (Manzanillo).

No public figure measures precursors by port. Two checks with what is public. The port record:
container traffic (precursors from Asia arrive in containers) by port, and the US Treasury's
naming of Manzanillo as a precursor gateway. The model: fentflow's share of precursor inflow
through Manzanillo and through Lázaro Cárdenas beside each port's share of Mexico's containers.
"""
from __future__ import annotations

from fentflow.claims import fmt
from fentflow.claims.context import ClaimContext
from fentflow.claims.figures import figure
from fentflow.claims.registry import register
from fentflow.claims.row import NOT_CHECKABLE, ClaimRow, cited
from fentflow.claims.rules import Band, band_contains, verdict
from fentflow.sim.observables import aggregate

CLAIM = ("Precursor chemicals come from Asia (China), entering through Pacific ports such as those of Colima "
         "(Manzanillo).")
# Entry point (world entry_points.csv) -> its container-traffic figure (claims/data/claim_figures.csv)
PORTS = {"MANZANILLO": "teu_manzanillo_2017", "LAZARO-CARDENAS": "teu_lazaro_cardenas_2017"}
PACIFIC = ("teu_manzanillo_2017", "teu_lazaro_cardenas_2017", "teu_ensenada_2017", "teu_mazatlan_2017",
           "teu_puerto_chiapas_2017", "teu_guaymas_2017")
OTHER_LISTED = ("teu_veracruz_2017",)
NATIONAL = "teu_mexico_2017"
PACIFIC_STATES = ("BC", "BCS", "SON", "SIN", "NAY", "JAL", "COL", "MICH", "GRO", "OAX", "CHIS")   # the coast
MODEL_YEAR = 2022
# Containers are a proxy (precursors are a tiny, unrecorded part of them): a port's share of
# precursors within 10 points of its share of containers counts as agreeing.
PROXY_TOLERANCE = 0.10


@register("C2", "precursors through Pacific ports")
def check(context: ClaimContext) -> list[ClaimRow]:
    return [_against_port_record(), _against_model(context)]


def container_share(key: str) -> float:
    return figure(key).value / figure(NATIONAL).value


def _against_port_record() -> ClaimRow:
    listed = {key: container_share(key) for key in (*PACIFIC, *OTHER_LISTED)}
    largest = max(listed, key=listed.get)
    pacific = sum(listed[key] for key in PACIFIC)
    ofac = figure("ofac_manzanillo_2021")
    teu = figure(NATIONAL)
    return ClaimRow(
        id="C2", check="port record", claim=CLAIM,
        public_figure=(f"Mexico's container traffic {teu.period} (SCT): Manzanillo "
                       f"{fmt.pct(listed['teu_manzanillo_2017'])}, Lázaro Cárdenas "
                       f"{fmt.pct(listed['teu_lazaro_cardenas_2017'])}, "
                       f"Veracruz {fmt.pct(listed['teu_veracruz_2017'])} "
                       f"of {fmt.count(teu.value)} TEU; {ofac.what} ({ofac.period})"),
        **cited(teu),
        fentflow=(f"largest container port: {figure(largest).what.split(', ', 1)[1]}; Pacific ports together "
                  f"{fmt.pct(pacific)} of Mexico's containers (Manzanillo, Lázaro Cárdenas, Ensenada, Mazatlán, "
                  f"Puerto Chiapas, Guaymas)"),
        verdict=verdict(largest == "teu_manzanillo_2017" and pacific > 0.5),
        rule=("consistent if Manzanillo handles the largest share of Mexico's container traffic and the Pacific "
              f"ports together handle more than half ({teu.period}, SCT figures)"),
        reason=(f"Container traffic from Asia lands mostly on the Pacific coast, and the US Treasury named Manzanillo "
                f"a gateway for precursors from Asia ({ofac.primary_url or ofac.source_url}). Precursor seizures at Manzanillo began only "
                f"in 2022, so no count by port exists."),
        numbers={"manzanillo_share": listed["teu_manzanillo_2017"],
                 "lazaro_cardenas_share": listed["teu_lazaro_cardenas_2017"], "pacific_share": pacific},
    )


def _against_model(context: ClaimContext) -> ClaimRow:
    sim = context.baseline
    inflow = aggregate(sim.results, "precursor_inflow_kg", "year")
    inflow = inflow[inflow["year"] == MODEL_YEAR].pivot(index="replicate", columns="entry",
                                                        values="precursor_inflow_kg")
    missing = [entry for entry in PORTS if entry not in inflow.columns]
    if missing:
        return _not_checkable(f"the world has no entry point {', '.join(missing)}")
    shares = inflow.div(inflow.sum(axis=1), axis=0)
    bands = {entry: Band.of(shares[entry]) for entry in PORTS}
    proxies = {entry: container_share(key) for entry, key in PORTS.items()}
    names = sim.world.entry_points.set_index("id")
    assumed = all(names.loc[entry, "confidence"] == "assumption" for entry in PORTS)
    return ClaimRow(
        id="C2", check="fentflow model", claim=CLAIM,
        public_figure="share of Mexico's container traffic (2017): " + ", ".join(
            f"{names.loc[e, 'name']} {fmt.pct(share)}" for e, share in proxies.items()),
        **cited(figure(NATIONAL)),
        fentflow=f"share of precursor inflow {MODEL_YEAR}: " + ", ".join(
            f"{names.loc[e, 'name']} {fmt.band(band, as_pct=True)}" for e, band in bands.items()),
        verdict=verdict(all(band_contains(bands[e], proxies[e], plus_minus=PROXY_TOLERANCE) for e in PORTS)),
        rule=(f"consistent if each port's share of container traffic lies inside the model's 5-95% band of its "
              f"share of precursor inflow widened by +/-{PROXY_TOLERANCE:g} (containers are a proxy)"),
        reason=(("The model's shares are the world's entry-point shares, marked `assumption` (world "
                 "entry_points.csv), so this checks that assumption against the container proxy, not the model's "
                 "dynamics. " if assumed else "")
                + f"Pacific ports carry {fmt.pct(_pacific_share(shares, names))} of the model's precursor inflow."),
        numbers={**{f"model_{e}": bands[e].median for e in PORTS}, **{f"containers_{e}": proxies[e] for e in PORTS}},
    )


def _not_checkable(why: str) -> ClaimRow:
    return ClaimRow(id="C2", check="fentflow model", claim=CLAIM, public_figure="share of Mexico's container traffic",
                    **cited(figure(NATIONAL)), fentflow=why, verdict=NOT_CHECKABLE,
                    rule="checkable when the world has the entry points " + ", ".join(PORTS), reason=why)


def _pacific_share(shares, entries) -> float:
    """Median share of precursor inflow at entry points in Pacific-coast states."""
    pacific = [entry for entry in shares.columns if entries.loc[entry, "state"] in PACIFIC_STATES]
    return float(shares[pacific].sum(axis=1).median())
