"""SESNSP's state victim counts (fuero común) -> intentional-homicide victims by state (sesnsp_homicides).

SESNSP publishes, per state and month, the victims of each crime recorded in the states'
prosecutors' files (Incidencia delictiva del fuero común, víctimas:
https://www.gob.mx/sesnsp/acciones-y-programas/incidencia-delictiva-del-fuero-comun): columns
Año, Clave_Ent, Entidad, Bien jurídico afectado, Tipo de delito, Subtipo de delito, Modalidad,
(Sexo, Rango de edad in recent releases), then one column per month, Enero ... Diciembre; the
state-level file is IDVFC_NM_<cut>.csv, Windows-1252, Clave_Ent unpadded (tested on rows of
IDVFC_NM_dic24.csv: tests/data/import/README.md).

Victims of "Homicidio doloso" (every modalidad, sex and age) are summed by state and year, for
years whose twelve months are all reported. SESNSP gives no population: the rate per 100,000
uses the bundled CONAPO mid-year population of the same year, or of the latest bundled year
before it (said in the row's note).
"""
from __future__ import annotations

import pandas as pd

from fentflow.observed.imports.reading import Row, SourceFile

MONTHS = ("Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre", "Octubre",
          "Noviembre", "Diciembre")
COLUMNS = ("Año", "Clave_Ent", "Entidad", "Subtipo de delito", *MONTHS)
PUBLISHER_URL = "https://www.gob.mx/sesnsp/acciones-y-programas/incidencia-delictiva-del-fuero-comun"
SUBTYPE = "homicidio doloso"
SERIES = ("sesnsp_homicides",)


def build(sources: list[SourceFile], bundled: pd.DataFrame) -> dict[str, pd.DataFrame]:
    states = bundled.drop_duplicates("code").set_index("code")[["abbr", "state"]]
    victims: dict[tuple[int, str], int] = {}
    origin: dict[int, SourceFile] = {}
    for source in sources:
        source.require(COLUMNS)
        counts, years = _victims(source, set(states.index))
        victims = {key: value for key, value in victims.items() if key[0] not in years} | counts
        origin |= {year: source for year in years}
    if not victims:
        names = ", ".join(source.name for source in sources)
        raise sources[0].error(f"no complete year of 'Homicidio doloso' victims in {names}",
                               column="Subtipo de delito")
    rows = [_row(year, code, count, states, bundled, origin[year]) for (year, code), count in sorted(victims.items())]
    return {"sesnsp_homicides": pd.DataFrame(rows)}


def _victims(source: SourceFile, codes: set[str]) -> tuple[dict[tuple[int, str], int], set[int]]:
    counts: dict[tuple[int, str], int] = {}
    incomplete: set[int] = set()
    for row in source.rows:
        year = source.year(row, "Año")
        code = _state_code(source, row, codes)
        if row.cells["Subtipo de delito"].strip().lower() != SUBTYPE:
            continue
        months = [source.count(row, month, blank_ok=True) for month in MONTHS]
        if None in months:
            incomplete.add(year)
        counts[(year, code)] = counts.get((year, code), 0) + sum(value or 0 for value in months)
    complete = {key: value for key, value in counts.items() if key[0] not in incomplete}
    return complete, {year for year, _ in complete}


def _state_code(source: SourceFile, row: Row, codes: set[str]) -> str:
    text = row.cells["Clave_Ent"].strip()
    code = text.zfill(2) if text.isdigit() else text
    if code not in codes:
        raise source.error(f"{text!r} is not an INEGI state code (01-32)", row, "Clave_Ent")
    return code


def _row(year: int, code: str, count: int, states: pd.DataFrame, bundled: pd.DataFrame,
         source: SourceFile) -> dict[str, object]:
    abbr = states.loc[code, "abbr"]
    known = bundled[(bundled["abbr"] == abbr) & (bundled["year"] <= year)]
    base = (known if not known.empty else bundled[bundled["abbr"] == abbr]).sort_values("year").iloc[-1]
    population = int(base["population"])
    same_year = int(base["year"]) == year
    note = (f"victims: Homicidio doloso, all modalidades, {source.name} (sha256 {source.sha256[:12]}); "
            f"population: CONAPO mid-year {base['year']}" + ("" if same_year else f" (no {year} figure bundled)"))
    return {"abbr": abbr, "code": code, "state": states.loc[code, "state"], "year": year, "victims": count,
            "population": population, "rate_per_100k": round(count / population * 1e5, 1),
            "confidence": "computed", "primary_url": PUBLISHER_URL, "source_url": PUBLISHER_URL, "note": note}
