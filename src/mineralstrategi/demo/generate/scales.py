"""The sizes of a generated data set: `demo` (seconds, for tests), `regional` and `national`."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """How much of everything to generate.

    `counties` limits the municipalities that get observations, answers and initiatives (None:
    all 21 counties). The geography itself (21 counties, 290 municipalities and their municipal
    organisations) is always loaded whole, by the real geography loader. `organisations` counts
    the generated organisations besides the municipal ones.
    """

    name: str
    counties: tuple[str, ...] | None
    organisations: int
    strategies: int
    versions: int
    directions: int
    goals_per_direction: int
    actions_per_goal: int
    indicators: int
    years: int
    initiatives: int
    rounds: int
    news: int
    comments: int

    @property
    def first_year(self) -> int:
        return LAST_YEAR - self.years + 1

    @property
    def sections_per_version(self) -> int:
        """Background text, vision, directions, goals and actions."""
        goals = self.directions * self.goals_per_direction
        return 2 + self.directions + goals + goals * self.actions_per_goal


LAST_YEAR = 2024

SCALES = {
    "demo": Scale(
        name="demo",
        counties=("25",),
        organisations=10,
        strategies=1,
        versions=2,
        directions=2,
        goals_per_direction=2,
        actions_per_goal=2,
        indicators=5,
        years=5,
        initiatives=20,
        rounds=1,
        news=5,
        comments=50,
    ),
    "regional": Scale(
        name="regional",
        counties=("24", "25"),
        organisations=100,
        strategies=1,
        versions=3,
        directions=5,
        goals_per_direction=3,
        actions_per_goal=3,
        indicators=50,
        years=25,
        initiatives=500,
        rounds=3,
        news=50,
        comments=5_000,
    ),
    "national": Scale(
        name="national",
        counties=None,
        organisations=710,  # with the 290 municipal organisations: 1,000
        strategies=3,
        versions=5,
        directions=6,
        goals_per_direction=4,
        actions_per_goal=4,
        indicators=300,
        years=25,
        initiatives=5_000,
        rounds=20,
        news=500,
        comments=50_000,
    ),
}
