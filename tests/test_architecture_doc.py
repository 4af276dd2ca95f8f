"""docs/architecture.md stays true to the code.

- Every repository path it names in inline code (`tests/...`, `organisations/visibility.py`: a
  "/" in it, or a name ending in .py, .html, .md or .toml) exists, relative to the repository's
  root or to src/mineralstrategi/. URLs (`/api/docs`), placeholders (`<app>/models.py`) and
  fenced code blocks are not paths.
- Every package of the import-linter layers (pyproject.toml) is named in inline code.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "mineralstrategi"
DOC = ROOT / "docs" / "architecture.md"

RELATIVE_PATH = re.compile(r"[\w.-]+(/[\w.-]+)*/?")
FILE_SUFFIXES = (".py", ".html", ".md", ".toml")


def inline_code(text: str) -> list[str]:
    """The text of every `inline code` span outside fenced code blocks."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.findall(r"`([^`\n]+)`", prose)


def named_paths(text: str) -> set[str]:
    return {
        code
        for code in inline_code(text)
        if RELATIVE_PATH.fullmatch(code) and ("/" in code or code.endswith(FILE_SUFFIXES))
    }


def exists(path: str) -> bool:
    return (ROOT / path).exists() or (PACKAGE / path).exists()


def layered_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return {
        name.strip()
        for contract in contracts
        if contract["type"] == "layers"
        for layer in contract["layers"]
        for name in layer.split("|")
    }


def test_every_named_path_exists():
    paths = named_paths(DOC.read_text(encoding="utf-8"))
    assert len(paths) > 50, "the checker finds too few paths: is the pattern still right?"
    missing = sorted(path for path in paths if not exists(path))
    assert not missing, f"docs/architecture.md names paths that do not exist: {missing}"


def test_every_layered_package_is_named():
    named = {
        word
        for code in inline_code(DOC.read_text(encoding="utf-8"))
        for word in re.findall(r"\w+", code)
    }
    packages = layered_packages()
    assert len(packages) > 20, "no layers found in pyproject.toml"
    missing = sorted(packages - named)
    assert not missing, f"docs/architecture.md does not name these layered packages: {missing}"
