"""What the platform adds to the price series a file brings: names and groups in the page's
language, the wording of known method breaks in Swedish and English, and fallbacks for files that
do not describe their series.

The World Bank's workbook describes every series itself (name, group, description, sources and
method breaks, read by `ingest.pink_sheet`); what it says is stored as it says it. The tidy CSV
(`month, copper_usd_per_mt, …`, the demo's prices) and a workbook without its Description sheet
say less: then the metals' groups and iron ore's breaks come from `FALLBACK_GROUPS` and
`FALLBACK_BREAKS` below.
"""

from django.utils.translation import gettext_lazy as _

from mineralstrategi.ingest import PriceSeries
from mineralstrategi.ingest.pink_sheet_descriptions import WORLD_BANK_SOURCE

__all__ = ["WORLD_BANK_SOURCE", "commodity_fields"]

#: The groups of the workbook's Description sheet, in its order.
GROUPS = {
    "energy": _("Energy"),
    "beverages": _("Beverages"),
    "oils_and_meals": _("Oils and meals"),
    "grains": _("Grains"),
    "other_food": _("Other food"),
    "timber": _("Timber"),
    "other_raw_materials": _("Other raw materials"),
    "fertilizers": _("Fertilizers"),
    "metals_and_minerals": _("Metals and minerals"),
    "precious_metals": _("Precious metals"),
}
#: The groups the metal-price pages show unless asked for every series.
METAL_GROUPS = ("metals_and_minerals", "precious_metals")

#: The series of the World Bank's workbook by key (its code in lower case), named in the
#: page's language.
SERIES_NAMES = {
    "crude_petro": _("Crude oil, average"),
    "crude_brent": _("Crude oil, Brent"),
    "crude_dubai": _("Crude oil, Dubai"),
    "crude_wti": _("Crude oil, WTI"),
    "coal_aus": _("Coal, Australia"),
    "coal_safrica": _("Coal, South Africa"),
    "ngas_us": _("Natural gas, US"),
    "ngas_eur": _("Natural gas, Europe"),
    "ngas_jp": _("Liquefied natural gas, Japan"),
    "inatgas": _("Natural gas index"),
    "cocoa": _("Cocoa"),
    "coffee_arabic": _("Coffee, Arabica"),
    "coffee_robus": _("Coffee, Robusta"),
    "tea_avg": _("Tea, average of three auctions"),
    "tea_colombo": _("Tea, Colombo"),
    "tea_kolkata": _("Tea, Kolkata"),
    "tea_mombasa": _("Tea, Mombasa"),
    "coconut_oil": _("Coconut oil"),
    "grnut": _("Groundnuts"),
    "fish_meal": _("Fish meal"),
    "grnut_oil": _("Groundnut oil"),
    "palm_oil": _("Palm oil"),
    "plmkrnl_oil": _("Palm kernel oil"),
    "soybeans": _("Soybeans"),
    "soybean_oil": _("Soybean oil"),
    "soybean_meal": _("Soybean meal"),
    "rapeseed_oil": _("Rapeseed oil"),
    "sunflower_oil": _("Sunflower oil"),
    "barley": _("Barley"),
    "maize": _("Maize"),
    "sorghum": _("Sorghum"),
    "rice_05": _("Rice, Thailand 5 %"),
    "rice_25": _("Rice, Thailand 25 %"),
    "rice_a1": _("Rice, Thailand A.1"),
    "rice_05_vnm": _("Rice, Vietnam 5 %"),
    "wheat_us_srw": _("Wheat, US soft red winter"),
    "wheat_us_hrw": _("Wheat, US hard red winter"),
    "banana_eu": _("Bananas, Europe"),
    "banana_us": _("Bananas, US"),
    "orange": _("Oranges"),
    "beef": _("Beef"),
    "chicken": _("Chicken"),
    "lamb": _("Lamb"),
    "shrimp_mex": _("Shrimps, Mexico"),
    "sugar_eu": _("Sugar, EU"),
    "sugar_us": _("Sugar, US"),
    "sugar_wld": _("Sugar, world"),
    "tobac_us": _("Tobacco, US import unit value"),
    "logs_cmr": _("Logs, Cameroon"),
    "logs_mys": _("Logs, Malaysia"),
    "sawnwd_cmr": _("Sawnwood, Cameroon"),
    "sawnwd_mys": _("Sawnwood, Malaysia"),
    "plywood": _("Plywood"),
    "cotton_a_indx": _("Cotton, A Index"),
    "rubber_tsr20": _("Rubber, TSR20"),
    "rubber1_mysg": _("Rubber, RSS3"),
    "phosrock": _("Phosphate rock"),
    "dap": _("DAP (diammonium phosphate)"),
    "tsp": _("TSP (triple superphosphate)"),
    "urea_ee_bulk": _("Urea"),
    "potash": _("Potassium chloride"),
    "aluminum": _("Aluminium"),
    "iron_ore": _("Iron ore"),
    "copper": _("Copper"),
    "lead": _("Lead"),
    "tin": _("Tin"),
    "nickel": _("Nickel"),
    "zinc": _("Zinc"),
    "gold": _("Gold"),
    "platinum": _("Platinum"),
    "silver": _("Silver"),
}

#: The words of units, in the page's language (symbols such as mt, kg and troy oz stay as they are).
UNIT_WORDS = {"US cents": _("US cents"), "sheet": _("sheet")}

#: The groups of the metals, for files that do not say.
FALLBACK_GROUPS = {
    **dict.fromkeys(
        ("iron_ore", "copper", "zinc", "lead", "nickel", "aluminum", "tin"), "metals_and_minerals"
    ),
    **dict.fromkeys(("gold", "silver", "platinum"), "precious_metals"),
}

#: The method breaks the workbook's Description states for the metals, in both languages.
BREAK_TEXTS = {
    ("iron_ore", "2006-01"): _(
        "Annual contract prices (flat within each year) until 2005; spot price, 63.5 % Fe, from "
        "January 2006."
    ),
    ("iron_ore", "2008-12"): _(
        "Spot price 63.5 % Fe until November 2008; spot price of fines, 62 % Fe, CFR China, from "
        "December 2008."
    ),
    ("aluminum", "2005-01"): _("LME cash price until 2004; settlement price from January 2005."),
    ("nickel", "2005-01"): _("LME cash price until 2004; settlement price from January 2005."),
    ("zinc", "1990-04"): _(
        "Special high grade (at least 99.995 %), cash price, until March 1990; high grade (at "
        "least 99.95 %), settlement price, from April 1990."
    ),
    ("gold", "2025-06"): _(
        "London afternoon fixing until May 2025; spot price, average of daily rates, from June "
        "2025."
    ),
    ("platinum", "2025-06"): _(
        "London afternoon fixing until May 2025; spot price, average of daily rates, from June "
        "2025."
    ),
    ("silver", "1962-01"): _("Unrefined silver until 1961; refined silver from 1962."),
    ("silver", "1976-07"): _(
        "Handy & Harman's price until June 1976; London afternoon fixing from July 1976."
    ),
}

#: Method breaks for series whose file does not describe them (the tidy CSV; a workbook without
#: its Description sheet). The workbook's own Description gives the same months for iron ore.
#: (As `analysis.prices.IRON_ORE_BREAKS`, not imported here: that would load pandas with the models.)
FALLBACK_BREAKS = {"iron_ore": ("2006-01", "2008-12")}


def commodity_fields(series: PriceSeries) -> dict:
    """The fields of a Commodity from what its file says of it, with the fallbacks above.

    A series the file names (the World Bank's workbook) is stored as the file describes it,
    its breaks included (none, if its description states none); a series the file only keys
    (a tidy CSV) gets the fallbacks.
    """
    code = series.code
    described_breaks = [{"month": b.month, "text": b.text} for b in series.breaks]
    fallback_breaks = [{"month": month, "text": ""} for month in FALLBACK_BREAKS.get(code, ())]
    return {
        "name": series.name or code.replace("_", " ").capitalize(),
        "unit": series.unit_label,
        "currency": series.currency or "",
        "group": series.group or FALLBACK_GROUPS.get(code, ""),
        "group_name": series.group_name,
        "description": series.description,
        "original_sources": series.original_sources,
        "source": series.source or (WORLD_BANK_SOURCE if code in SERIES_NAMES else ""),
        "method_breaks": described_breaks if series.description else fallback_breaks,
    }
