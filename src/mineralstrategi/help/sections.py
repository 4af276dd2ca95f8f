"""Which section of the handbook describes which page: a view's name (`namespace:name`) to a
chapter and heading id, `"chapter/#id"`. The ids are written into both languages' chapters
(`## Svara på remissen {#svara}`), so one entry serves both. A page not named here links to its
app's chapter (`CHAPTERS`). `tests/help/test_handbook.py` checks that every view exists, every
section is in both built handbooks and every page has a chapter.
"""

# The consultee: answering a remiss (remissinstans.md).
CONSULTEE = {
    "consultation:list": "remissinstans/#hitta-remissen",
    "consultation:detail": "remissinstans/#hitta-remissen",
    "consultation:answer": "remissinstans/#svara",
    "consultation:answer_review": "remissinstans/#lamna-in",
    "consultation:answers": "remissinstans/#efterat",
}

# The consultation officer: sending a remiss, dispositions, the compilation (remissansvarig.md).
CONSULTATION_OFFICER = {
    "consultation:create": "remissansvarig/#skapa",
    "consultation:progress": "remissansvarig/#folja-svaren",
    "consultation:handling": "remissansvarig/#besluta",
    "consultation:apply": "remissansvarig/#fora-in",
    "consultation:compilation": "remissansvarig/#sammanstalla",
    "consultation:meeting_create": "remissansvarig/#samrad",
    "consultation:meeting_edit": "remissansvarig/#samrad",
    "consultation:meeting_minutes": "remissansvarig/#samrad",
}

# The strategist: setting up a strategy, drafts, adoption, the yearly cycle (strateg.md).
STRATEGIST = {
    "strategy:setup": "strateg/#lagga-upp",
    "strategy:draft": "strateg/#arbetsutkastet",
    "strategy:section_edit": "strateg/#avsnitt",
    "strategy:section_history": "strateg/#avsnitt",
    "strategy:version_adopt": "strateg/#anta",
    "strategy:traceability": "strateg/#ramverk",
    "strategy:framework_list": "strateg/#ramverk",
    "strategy:framework_create": "strateg/#ramverk",
    "strategy:framework_edit": "strateg/#ramverk",
    "indicators:links": "strateg/#indikatorer",
    "cycle:wheel": "strateg/#arshjulet",
    "cycle:entry_create": "strateg/#arshjulet",
    "cycle:entry_edit": "strateg/#arshjulet",
    "cycle:overview": "strateg/#vem-har-rapporterat",
    "cycle:lights": "strateg/#trafikljus",
    "reports:adopt": "strateg/#arsrapporten",
}

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
    "indicators:commodity_list": "uppfoljning/#metallpriser",
    "indicators:commodity": "uppfoljning/#metallpriser",
    "reports:report": "uppfoljning/#arsrapporten",
    "reports:adopted": "uppfoljning/#arsrapporten",
    "reports:status": "uppfoljning/#arsrapporten",
}

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

# The chapter of the pages that no section above names, by their app (URL namespace; "" for
# Django's own login and password pages).
CHAPTERS: dict[str, str] = {
    "": "kom-igang/",
    "accounts": "kom-igang/",
    "portal": "kom-igang/",
    "notifications": "kom-igang/",
    "cluster": "kom-igang/",
    "organisations": "organisation/",
    "audit": "organisation/",
    "strategy": "strateg/",
    "consultation": "remissinstans/",
    "implementation": "genomforare/",
    "cycle": "genomforare/",
    "indicators": "uppfoljning/",
    "reports": "uppfoljning/",
    "help": "",
}


def help_section(view_name: str) -> str:
    """The handbook's page (and heading) about the page `view_name`, relative to its start."""
    if view_name in HELP_SECTIONS:
        return HELP_SECTIONS[view_name]
    return CHAPTERS.get(view_name.rpartition(":")[0], "")
