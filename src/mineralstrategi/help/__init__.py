"""The handbook: built from `docs/` by MkDocs, served at /hjalp/ and /en/hjalp/, and linked from
every page of the platform to the section that describes it (`sections.HELP_SECTIONS`)."""
