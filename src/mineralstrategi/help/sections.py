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
CONTRIBUTOR = {
    "implementation:initiative_list": "genomforare/#anmala",
    "implementation:initiative_create": "genomforare/#anmala",
    "implementation:initiative": "genomforare/#lagesrapport",
    "implementation:progress_update": "genomforare/#lagesrapport",
    "implementation:initiative_edit": "genomforare/#skicka-in-igen",
    "implementation:initiative_resubmit": "genomforare/#skicka-in-igen",
    "cycle:report": "genomforare/#rapporteringsperiod",
}

# The analyst: importing statistics (statistik.md).
STATISTICS = {
    "indicators:import": "statistik/#importera",
    "indicators:import_preview": "statistik/#kontrollera",
    "indicators:import_confirm": "statistik/#kontrollera",
    "indicators:import_detail": "statistik/#importloggen",
}

# Reading the follow-up (uppfoljning.md).
FOLLOW_UP = {
    "reports:dashboard": "uppfoljning/#oversikten",
    "indicators:list": "uppfoljning/#indikatorns-sida",
    "indicators:detail": "uppfoljning/#indikatorns-sida",
    "indicators:targets": "uppfoljning/#mal-och-utgangsvarden",
    "indicators:target_edit": "uppfoljning/#mal-och-utgangsvarden",
    "indicators:target_delete": "uppfoljning/#mal-och-utgangsvarden",
    "cycle:lights": "uppfoljning/#trafikljus",
    "indicators:commodity_list": "uppfoljning/#metallpriser",
    "indicators:commodity": "uppfoljning/#metallpriser",
    "reports:report": "uppfoljning/#arsrapporten",
    "reports:adopted": "uppfoljning/#arsrapporten",
    "reports:status": "uppfoljning/#arsrapporten",
}

# The moderator (moderator.md).
MODERATOR = {}

# An organisation's administrator (organisation.md).
ORGANISATION = {}

# Getting started (kom-igang.md).
GETTING_STARTED = {}

# The API (api.md).
API = {}

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
