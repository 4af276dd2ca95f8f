from pathlib import Path

from whitenoise.middleware import WhiteNoiseMiddleware
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


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, quiet about a STATIC_ROOT that does not exist yet.

    The settings create no folder (an image may be read-only), so before the first
    `collectstatic` there is no STATIC_ROOT; the files are then served by the finders
    (`WHITENOISE_USE_FINDERS`), and WhiteNoise's warning about the missing folder says nothing.
    """

    def add_files(self, root, prefix=None):
        if root == self.static_root and not Path(root).is_dir():
            return
        super().add_files(root, prefix)
