"""The official counties and municipalities, loaded from the reference files in `data/`."""

import csv
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# The source spells two names wrongly; these are the official names.
NAME_CORRECTIONS = {
    "2514": "Kalix kommun",
    "2513": "Överkalix kommun",
}


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


def read_counties(path: Path = DATA_DIR / "counties.csv") -> list[CountyRecord]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            CountyRecord(row["county_code"], row["county_name"], row["county_name_short"])
            for row in csv.DictReader(handle)
        ]


def read_municipalities(
    path: Path = DATA_DIR / "municipality_county.csv",
) -> list[MunicipalityRecord]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            MunicipalityRecord(
                code=row["municipality_code"],
                name=NAME_CORRECTIONS.get(row["municipality_code"], row["municipality_name"]),
                short_name=row["municipality_name_short"],
                county_code=row["county_code"],
            )
            for row in csv.DictReader(handle)
        ]
