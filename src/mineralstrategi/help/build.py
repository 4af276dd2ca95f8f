"""Building the handbook: MkDocs makes static pages of `docs/` for each language, strictly (a
broken link, a missing picture or an unknown heading id fails the build).

The sources are in a checkout of the repository, beside `src/`; an installed package carries the
built pages instead (the Containerfile builds them before installing), so the demo and `serve`
build them only where the sources are.
"""

import logging
import os
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[3] / "docs"
CONFIGS = {"sv": "mkdocs-sv.yml", "en": "mkdocs-en.yml"}


class HandbookError(Exception):
    """The handbook cannot be built: its sources are missing, or MkDocs warned."""


def handbook_sources() -> Path | None:
    """The folder of the handbook's sources, or None in an installed package without them."""
    return SOURCES if all((SOURCES / name).is_file() for name in CONFIGS.values()) else None


def handbook_build(output: Path, sources: Path | None = None) -> None:
    """Build both languages into `output/sv` and `output/en`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    sources = sources or handbook_sources()
    if sources is None:
        raise HandbookError(f"the handbook's sources are not here ({SOURCES})")
    with _mkdocs_warnings() as warnings:
        for language, config_name in CONFIGS.items():
            try:
                config = load_config(
                    config_file=str(sources / config_name),
                    site_dir=str(Path(output) / language),
                    strict=True,
                )
                build(config)
            except MkDocsException as error:
                raise HandbookError(f"{config_name}: {error} {' '.join(warnings)}") from error


def handbook_is_current(output: Path, sources: Path | None = None) -> bool:
    """Whether both languages are built and newer than every source file."""
    sources = sources or handbook_sources()
    built = [Path(output) / language / "index.html" for language in CONFIGS]
    if not all(page.is_file() for page in built):
        return False
    if sources is None:
        return True
    oldest_build = min(page.stat().st_mtime for page in built)
    return all(mtime <= oldest_build for mtime in _source_mtimes(sources))


def _source_mtimes(sources: Path):
    for folder, _dirs, files in os.walk(sources, followlinks=True):
        for name in files:
            yield (Path(folder) / name).stat().st_mtime


class _mkdocs_warnings(logging.Handler):
    """MkDocs tells its progress at INFO: a build keeps quiet but for its warnings, which fail it
    and are collected here to say why."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.logger = logging.getLogger("mkdocs")

    def emit(self, record):
        self.messages.append(record.getMessage())

    def __enter__(self):
        self.level = self.logger.level
        self.logger.setLevel(logging.WARNING)
        self.logger.addHandler(self)
        return self.messages

    def __exit__(self, *exc):
        self.logger.removeHandler(self)
        self.logger.setLevel(self.level)
