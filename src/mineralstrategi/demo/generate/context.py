"""What the generation steps share: the scale, the seed's random streams, progress and counts."""

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from .scales import Scale

EXAMPLE_NOTE = (
    "Exempeldata: genererad för demonstration och prestandatester, inte verkliga uppgifter."
)


@dataclass
class Context:
    scale: Scale
    seed: int
    out: Callable[[str], None] = print
    started: float = field(default_factory=time.monotonic)
    counts: dict[str, int] = field(default_factory=dict)
    # Filled in by the steps, read by the later ones.
    municipalities: list = field(default_factory=list)  # Municipality, in scope, by code
    municipal_organisations: list = field(default_factory=list)  # their Organisation, same order
    organisations: list = field(default_factory=list)  # the generated Organisations
    member_of: dict = field(default_factory=dict)  # organisation id -> a user acting for it
    editors: list = field(default_factory=list)  # one strategy editor per strategy
    moderator: object = None
    strategies: list = field(default_factory=list)

    def rng(self, part: str) -> random.Random:
        """An independent random stream per part, so that one part's changes leave others be."""
        return random.Random(f"mineralstrategi-generate-{self.seed}-{part}")

    def key(self, rng: random.Random) -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def done(self, what: str, number: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + number
        self.out(f"[{self.elapsed():7.1f} s] {what}: {thousands(number)}")

    def elapsed(self) -> float:
        return time.monotonic() - self.started


def thousands(number: int) -> str:
    """12 345 as Swedish writes it (with a plain space)."""
    return f"{number:,}".replace(",", " ")
