"""Which section of the handbook describes which page: a view's name (`namespace:name`) to a
chapter and heading id, `"chapter/#id"`. The ids are written into both languages' chapters
(`## Svara på remissen {#svara}`), so one entry serves both. A page not named here links to the
handbook's start page. `tests/help/test_handbook.py` checks that every view exists and every
section is in both built handbooks.
"""

# The consultee: answering a remiss (remissinstans.md).
CONSULTEE = {}

# The consultation officer: sending a remiss, dispositions, the compilation (remisshandlaggare.md).
CONSULTATION_OFFICER = {}

# The strategist: setting up a strategy, drafts, adoption, the yearly cycle (strateg.md).
STRATEGIST = {}

# The contributor: initiatives and their progress (genomforare.md).
CONTRIBUTOR = {}

# The analyst: importing statistics (statistik.md).
STATISTICS = {}

# Reading the follow-up (uppfoljning.md).
FOLLOW_UP = {}

# The moderator (moderator.md).
MODERATOR = {}

# An organisation's administrator (organisation.md).
ORGANISATION = {}

# Getting started (kom-igang.md).
GETTING_STARTED = {}

# The API (api.md).
API = {
    "organisations:api_keys": "api/#nycklar",
}

HELP_SECTIONS: dict[str, str] = {
    **GETTING_STARTED,
    **CONSULTEE,
    **CONSULTATION_OFFICER,
    **STRATEGIST,
    **CONTRIBUTOR,
    **STATISTICS,
    **FOLLOW_UP,
    **MODERATOR,
    **ORGANISATION,
    **API,
}
