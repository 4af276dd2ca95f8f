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
MODERATOR = {
    "portal:moderation": "moderator/#forsta-uppgiften",
    "portal:my_comments_request": "moderator/#kommentatorn",
    "portal:my_comments": "moderator/#kommentatorn",
    "consultation:moderation": "moderator/#synpunkter",
    "implementation:moderation": "moderator/#initiativ",
}

# An organisation's administrator (organisation.md).
ORGANISATION = {
    "organisations:members": "organisation/#forsta-uppgiften",
    "organisations:organisation": "organisation/#sidan",
    "accounts:requests": "organisation/#ansokningar",
    "audit:log": "organisation/#granskningslogg",
}

# Getting started (kom-igang.md).
GETTING_STARTED = {
    "login": "kom-igang/#logga-in",
    "password_reset": "kom-igang/#glomt-losenord",
    "password_reset_done": "kom-igang/#glomt-losenord",
    "password_reset_confirm": "kom-igang/#glomt-losenord",
    "password_reset_complete": "kom-igang/#glomt-losenord",
    "accounts:signup": "kom-igang/#skapa-konto",
    "accounts:signup_sent": "kom-igang/#skapa-konto",
    "accounts:verify": "kom-igang/#skapa-konto",
    "accounts:onboarding": "kom-igang/#organisation",
    "accounts:join_request": "kom-igang/#organisation",
    "accounts:application_create": "kom-igang/#organisation",
    "organisations:invitation": "kom-igang/#inbjudan",
    "accounts:otp_setup": "kom-igang/#stall-in",
    "accounts:otp_enrol": "kom-igang/#stall-in",
    "accounts:otp_verify": "kom-igang/#kod",
    "accounts:backup_codes": "kom-igang/#reservkoder",
    "organisations:my_organisations": "kom-igang/#mina-organisationer",
    "notifications:list": "kom-igang/#notiser",
    "notifications:settings": "kom-igang/#notiser",
    "portal:search": "kom-igang/#sok",
}

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
