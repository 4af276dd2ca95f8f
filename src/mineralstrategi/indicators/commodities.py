"""The metals the World Bank's monthly price data (the Pink Sheet) carries, with their names."""

from django.utils.translation import gettext_lazy as _

WORLD_BANK_SOURCE = "World Bank, Commodity Price Data (The Pink Sheet), CC BY 4.0"

IRON_ORE_NOTE = _(
    "Method changes in the source: annual contract prices (flat within each year) before 2006, "
    "spot 63.5 % Fe from 2006 to November 2008, spot 62 % Fe fines CFR China from December 2008."
)

# code -> (name shown, months where the series changes method, note)
KNOWN_COMMODITIES = {
    "iron_ore": (_("Iron ore"), ["2006-01", "2008-12"], IRON_ORE_NOTE),
    "copper": (_("Copper"), [], ""),
    "gold": (_("Gold"), [], ""),
    "zinc": (_("Zinc"), [], ""),
    "lead": (_("Lead"), [], ""),
    "silver": (_("Silver"), [], ""),
    "nickel": (_("Nickel"), [], ""),
    "aluminum": (_("Aluminium"), [], ""),
    "tin": (_("Tin"), [], ""),
    "platinum": (_("Platinum"), [], ""),
}


def commodity_defaults(code: str, unit: str, currency: str | None) -> dict:
    """The fields of a new Commodity for a code first met in a file."""
    name, breaks, note = KNOWN_COMMODITIES.get(code, (code.replace("_", " ").capitalize(), [], ""))
    return {
        "name": str(name),
        "unit": f"{currency or 'USD'}/{unit}" if unit else (currency or "USD"),
        "currency": currency or "USD",
        "break_months": breaks,
        "notes": str(note),
        "source": WORLD_BANK_SOURCE if code in KNOWN_COMMODITIES else "",
    }
