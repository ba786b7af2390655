import pytest

from bench.prodsite import prepare_site


@pytest.fixture(scope="package")
def site(tmp_path_factory):
    """A production-mode copy of the site (bench/prodsite.py): migrated, with
    the seed article and collected static files. Prepared once for the
    production tests of this package, which start their own servers on it."""
    return prepare_site(tmp_path_factory.mktemp("production-site"))
