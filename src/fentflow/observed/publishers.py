"""The publishers whose own web sites a series row may name as its `primary_url`.

A row's `primary_url` is the figure at the agency or institution that published it; its
`source_url` is the copy the figure was read from when that is different (a news story, a
GitHub copy of a data file). One table here, read by the series validator and the tests.
"""
from __future__ import annotations

from urllib.parse import urlparse

PUBLISHERS: dict[str, str] = {
    "cbp.gov": "U.S. Customs and Border Protection (Drug Seizure Statistics)",
    "cdc.gov": "CDC / NCHS (data briefs, VSRR provisional counts, CDC WONDER)",
    "dea.gov": "Drug Enforcement Administration (releases, alerts, NDTA)",
    "justice.gov": "U.S. Department of Justice (U.S. Attorneys' offices)",
    "gob.mx": "Government of Mexico (SESNSP, SEDENA/Defensa, CONAPO, Gabinete de Seguridad)",
    "plataformadetransparencia.org.mx": "Mexico's national transparency platform (replies of SEDENA and others)",
    "inegi.org.mx": "INEGI (Mexico's statistics institute)",
    "census.gov": "U.S. Census Bureau",
    "bts.gov": "Bureau of Transportation Statistics",
    "samhsa.gov": "SAMHSA (NSDUH)",
    "rand.org": "RAND Corporation",
    "brookings.edu": "Brookings Institution",
    "whitehouse.gov": "The White House (ONDCP)",
    "congress.gov": "U.S. Congress (CRS reports)",
    "unodc.org": "UNODC",
    "nih.gov": "U.S. National Institutes of Health (NIDA, PubMed)",
    "doi.org": "the journal's publisher, through the article's DOI",
}


def publisher_of(url: str) -> str | None:
    """The publisher whose site `url` is on, or None when it is on no publisher's site."""
    host = (urlparse(url).hostname or "").lower()
    for domain, name in PUBLISHERS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None
