import ast
from pathlib import Path

import articles

FEATURE_APPS = {"specialists", "consultations", "messaging", "questions", "contact"}


def imported_apps(source):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def test_articles_imports_no_feature_app():
    # Content knows no profiles: the specialists under an article come from
    # specialists' own template tag.
    package = Path(articles.__file__).parent
    offenders = {
        f"{path.relative_to(package)}: {app}"
        for path in package.rglob("*.py")
        for app in imported_apps(path.read_text())
        if app in FEATURE_APPS
    }
    assert offenders == set()
