"""The official counties and municipalities, loaded from the reference files in `data/`.

Codes and counties come from `municipality_county.csv`; every municipality's name comes from
`municipality_names.csv`, the list of official names (see `data/ATTRIBUTION.md`), because the
first file misspells some ("Kalmars kommun", "Faluns kommun", "Kalixs kommun").
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
OFFICIAL_NAMES_FILE = DATA_DIR / "municipality_names.csv"


@dataclass(frozen=True)
class CountyRecord:
    code: str
    name: str
    short_name: str


@dataclass(frozen=True)
class MunicipalityRecord:
    code: str
    name: str
    short_name: str
    county_code: str


@dataclass(frozen=True)
class OfficialName:
    name: str
    short_name: str


def read_counties(path: Path = DATA_DIR / "counties.csv") -> list[CountyRecord]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            CountyRecord(row["county_code"], row["county_name"], row["county_name_short"])
            for row in csv.DictReader(handle)
        ]


@cache
def official_municipality_names(path: Path = OFFICIAL_NAMES_FILE) -> dict[str, OfficialName]:
    """Municipality code -> its official name and short name."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["municipality_code"]: OfficialName(
                row["municipality_name"], row["municipality_name_short"]
            )
            for row in csv.DictReader(handle)
        }


def read_municipalities(
    path: Path = DATA_DIR / "municipality_county.csv",
) -> list[MunicipalityRecord]:
    names = official_municipality_names()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    missing = [row["municipality_code"] for row in rows if row["municipality_code"] not in names]
    if missing:
        raise ValueError(
            f"{OFFICIAL_NAMES_FILE.name} has no official name for municipality code(s) "
            f"{', '.join(missing)} listed in {path.name}."
        )
    return [
        MunicipalityRecord(
            code=row["municipality_code"],
            name=names[row["municipality_code"]].name,
            short_name=names[row["municipality_code"]].short_name,
            county_code=row["county_code"],
        )
        for row in rows
    ]


def official_municipality_name(code: str) -> str:
    """The official name of the municipality with this code, e.g. "Falu kommun"."""
    return official_municipality_names()[code].name


ORGANISATION_NUMBERS_FILE = DATA_DIR / "organisation_numbers.csv"


@dataclass(frozen=True)
class OrganisationNumberRecord:
    """An organisation's number from a named public source (data/ATTRIBUTION.md): a
    municipality's organisation by its code, any other by its registered name."""

    name: str
    municipality_code: str
    organisation_number: str
    source: str


def read_organisation_numbers(
    path: Path = ORGANISATION_NUMBERS_FILE,
) -> list[OrganisationNumberRecord]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            OrganisationNumberRecord(
                row["name"].strip(),
                row["municipality_code"].strip(),
                row["organisation_number"].strip(),
                row["source"].strip(),
            )
            for row in csv.DictReader(handle)
        ]
