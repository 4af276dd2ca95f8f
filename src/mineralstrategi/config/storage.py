from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files in production.

    Before `collectstatic` has run (tests, a development checkout) a file has no hashed name yet;
    it is then served under its plain name, found by the staticfiles finders, instead of
    breaking the page.
    """

    manifest_strict = False
    keep_only_hashed_files = True

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            return name
