"""The analysis package imports nothing from Django nor from any other part of the project."""

import ast
import subprocess
import sys
from pathlib import Path

import mineralstrategi.analysis

PACKAGE = Path(mineralstrategi.analysis.__file__).parent
ALLOWED = {
    "__future__",
    "cachetools",
    "collections",
    "dataclasses",
    "enum",
    "functools",
    "math",
    "numpy",
    "pandas",
    "re",
    "scipy",
    "statsmodels",
    "threading",
    "typing",
}


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots.add(node.module)
    return roots


def test_imports_are_scientific_python_or_the_package_itself():
    for module in PACKAGE.glob("*.py"):
        for name in _imported_roots(module):
            if name.startswith("mineralstrategi."):
                assert name.startswith("mineralstrategi.analysis"), f"{module.name} imports {name}"
            else:
                assert name.split(".")[0] in ALLOWED, f"{module.name} imports {name}"


def test_importing_it_loads_no_django():
    code = "import sys, mineralstrategi.analysis; print(any(m.startswith('django') for m in sys.modules))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "False"
