"""Features import downward only (STYLE.md, wiring rule 2), and nothing imports app.py."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Lower layers first. A package may import its own layer or any layer before it.
LAYERS = [
    {"core"},
    {"accounts"},
    {"notices"},
    {"question_bank"},
    {"quiz"},
    {"study"},
    # the appraisal sums the reports' figures per person; the board, the bulletin and the
    # personal record show its inspections and rows
    {"reports", "appraisal"},
    {"home", "scheduler", "demo"},
]
PACKAGES = set().union(*LAYERS)


def layer_of(package):
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def imported_packages(path):
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0], node.lineno


def test_features_import_only_downward_and_never_app():
    problems = []
    for package in sorted(PACKAGES):
        for path in (ROOT / package).rglob("*.py"):
            for imported, line in imported_packages(path):
                where = f"{path.relative_to(ROOT)}:{line}"
                if imported == "app":
                    problems.append(f"{where} imports app.py")
                elif imported in PACKAGES and layer_of(imported) > layer_of(package):
                    problems.append(f"{where}: {package} imports {imported}, a higher layer")
    assert problems == []


def test_package_init_files_are_empty():
    for package in PACKAGES:
        init = ROOT / package / "__init__.py"
        assert init.exists() and init.read_text().strip() == "", f"{package}/__init__.py should be empty"
