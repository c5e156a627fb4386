"""Live-server tests share one fixture: a transactional test leaves an empty database behind."""

import pytest


@pytest.fixture
def demo_loaded(db):
    """A transactional test leaves an empty database behind: load the demo again when it is gone."""
    from gerai.core.demo import load_demo
    from gerai.regions.models import Region

    if not Region.objects.filter(slug="banyuwangi").exists():
        load_demo()
