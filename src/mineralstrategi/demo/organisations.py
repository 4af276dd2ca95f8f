"""The organisations of the Norrbotten–Västerbotten demo, by their real names.

Contact persons are invented (names, reserved fictional phone numbers, `.example` addresses) and
flagged as example data, which the pages say.
"""

from mineralstrategi.organisations.geography import official_municipality_name as official_name
from mineralstrategi.organisations.models import HelixRole
from mineralstrategi.organisations.models import OrganisationKind as Kind

NORRBOTTEN, VASTERBOTTEN = "25", "24"

# (slug, name, kind, county code, helix role or None for the kind's default, website)
ORGANISATIONS = [
    ("lansstyrelsen-norrbotten", "Länsstyrelsen i Norrbottens län", Kind.COUNTY_BOARD, NORRBOTTEN, None, "https://www.lansstyrelsen.se/norrbotten"),
    ("lansstyrelsen-vasterbotten", "Länsstyrelsen i Västerbottens län", Kind.COUNTY_BOARD, VASTERBOTTEN, None, "https://www.lansstyrelsen.se/vasterbotten"),
    ("region-vasterbotten", "Region Västerbotten", Kind.REGION, VASTERBOTTEN, None, "https://www.regionvasterbotten.se"),
    ("norrbottens-lans-landsting", "Norrbottens läns landsting", Kind.COUNTY_COUNCIL, NORRBOTTEN, None, "https://www.norrbotten.se"),
    ("umea-universitet", "Umeå universitet", Kind.UNIVERSITY, VASTERBOTTEN, None, "https://www.umu.se"),
    ("lulea-tekniska-universitet", "Luleå tekniska universitet", Kind.UNIVERSITY, NORRBOTTEN, None, "https://www.ltu.se"),
    ("north-sweden-european-office", "North Sweden European Office", Kind.EU_OFFICE, None, None, "https://www.northsweden.eu"),
    ("georange", "Georange", Kind.INTEREST_ORGANISATION, VASTERBOTTEN, HelixRole.INDUSTRY, "https://www.georange.se"),
    ("ltu-business", "LTU Business AB", Kind.COMPANY, NORRBOTTEN, HelixRole.ACADEMIA, "https://www.ltubusiness.se"),
    ("lkab", "Luossavaara-Kiirunavaara AB (LKAB)", Kind.COMPANY, NORRBOTTEN, None, "https://www.lkab.com"),
    ("boliden-mineral", "Boliden Mineral AB", Kind.COMPANY, VASTERBOTTEN, None, "https://www.boliden.com"),
    ("northland-resources", "Northland Resources AB", Kind.COMPANY, NORRBOTTEN, None, ""),
    ("dragon-mining-sweden", "Dragon Mining Sweden AB", Kind.COMPANY, VASTERBOTTEN, None, ""),
    ("bjorkdalsgruvan", "Björkdalsgruvan AB", Kind.COMPANY, VASTERBOTTEN, None, ""),
    ("svemin", "Svemin", Kind.INTEREST_ORGANISATION, "01", HelixRole.INDUSTRY, "https://www.svemin.se"),
    ("sgu", "Sveriges geologiska undersökning (SGU)", Kind.AGENCY, "03", None, "https://www.sgu.se"),
    ("bergsstaten", "Bergsstaten", Kind.AGENCY, NORRBOTTEN, None, ""),
    ("gabna-sameby", "Gabna sameby", Kind.SAMI_VILLAGE, NORRBOTTEN, None, ""),
    ("laevas-sameby", "Laevas sameby", Kind.SAMI_VILLAGE, NORRBOTTEN, None, ""),
    ("girjas-sameby", "Girjas sameby", Kind.SAMI_VILLAGE, NORRBOTTEN, None, ""),
    ("baste-cearru", "Baste čearru sameby", Kind.SAMI_VILLAGE, NORRBOTTEN, None, ""),
    ("mala-sameby", "Malå sameby", Kind.SAMI_VILLAGE, VASTERBOTTEN, None, ""),
    ("vilhelmina-norra-sameby", "Vilhelmina norra sameby", Kind.SAMI_VILLAGE, VASTERBOTTEN, None, ""),
    ("svenska-samernas-riksforbund", "Svenska Samernas Riksförbund (SSR)", Kind.INTEREST_ORGANISATION, VASTERBOTTEN, HelixRole.CIVIL_SOCIETY, "https://www.sapmi.se"),
    ("naturskyddsforeningen-norrbotten", "Naturskyddsföreningen i Norrbotten", Kind.INTEREST_ORGANISATION, NORRBOTTEN, HelixRole.CIVIL_SOCIETY, ""),
]  # fmt: skip

# Invented contact persons. Phone numbers are from the range reserved for fiction (070-1740605–699).
# (organisation slug or municipality code, name, title, phone, email, press contact, public)
CONTACTS = [
    ("region-vasterbotten", "Anna Lindqvist", "Strateg för näringsliv och innovation", "070-174 06 05", "anna.lindqvist@regionvasterbotten.example", False, True),
    ("region-vasterbotten", "Erik Nordin", "Kommunikatör", "070-174 06 06", "erik.nordin@regionvasterbotten.example", True, True),
    ("region-vasterbotten", "Sara Holm", "Handläggare, regional utveckling", "070-174 06 07", "sara.holm@regionvasterbotten.example", False, False),
    ("lansstyrelsen-norrbotten", "Mikael Lantto", "Samordnare för mineralfrågor", "070-174 06 08", "mikael.lantto@lansstyrelsen-norrbotten.example", False, True),
    ("lansstyrelsen-norrbotten", "Karin Björk", "Presskontakt", "070-174 06 09", "karin.bjork@lansstyrelsen-norrbotten.example", True, True),
    ("lansstyrelsen-vasterbotten", "Johan Öberg", "Miljöhandläggare", "070-174 06 10", "johan.oberg@lansstyrelsen-vasterbotten.example", False, True),
    ("lulea-tekniska-universitet", "Maria Kero", "Forskningssamordnare, mineralteknik", "070-174 06 11", "maria.kero@ltu.example", False, True),
    ("umea-universitet", "Lars Sandberg", "Innovationsrådgivare", "070-174 06 12", "lars.sandberg@umu.example", False, True),
    ("2482", "Emma Lundström", f"Näringslivsstrateg, {official_name('2482')}", "070-174 06 13", "emma.lundstrom@skelleftea.example", False, True),
    ("2584", "Per Niva", f"Samhällsplanerare, {official_name('2584')}", "070-174 06 14", "per.niva@kiruna.example", False, True),
    ("2523", "Ingrid Pekkari", f"Utvecklingsstrateg, {official_name('2523')}", "070-174 06 15", "ingrid.pekkari@gallivare.example", False, True),
]  # fmt: skip

DEMO_PASSWORD = "mineral-demo-2014"

# (username, first name, last name, superuser, what the login may do,
#  [(organisation slug or municipality code, role)])
USERS = [
    ("admin", "Ada", "Administratör", True, "superuser, /admin/", []),
    ("strateg", "Anna", "Lindqvist", False, "Region Västerbotten: administrator, strategy editor", [("region-vasterbotten", "administrator"), ("region-vasterbotten", "strategy_editor")]),
    ("redaktor", "Mikael", "Lantto", False, "Länsstyrelsen i Norrbottens län: strategy editor", [("lansstyrelsen-norrbotten", "strategy_editor")]),
    ("skelleftea", "Emma", "Lundström", False, f"{official_name('2482')}: consultation officer", [("2482", "consultation_officer")]),
    ("kiruna", "Per", "Niva", False, f"{official_name('2584')}: consultation officer", [("2584", "consultation_officer")]),
    ("ltu", "Maria", "Kero", False, "Luleå tekniska universitet: contributor", [("lulea-tekniska-universitet", "contributor")]),
    ("lasare", "Lars", "Läsare", False, "Umeå universitet: viewer", [("umea-universitet", "viewer")]),
]  # fmt: skip
