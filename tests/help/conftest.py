import pytest

from mineralstrategi.help.build import handbook_build


@pytest.fixture(scope="session")
def built_handbook(tmp_path_factory):
    """The handbook of this checkout, built once (strictly: a warning fails the build)."""
    output = tmp_path_factory.mktemp("handbook")
    handbook_build(output)
    return output


@pytest.fixture
def handbook(settings, built_handbook):
    """The platform serving the handbook built from this checkout."""
    settings.HANDBOOK_DIR = built_handbook
    return built_handbook
