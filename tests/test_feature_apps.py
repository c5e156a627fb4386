"""Each office feature is served by its own app, at the address it always had (issue 13)."""

from django.urls import resolve, reverse


def test_holidays_and_the_audit_log_are_served_by_regions_and_audit():
    assert reverse("regions:holidays", args=["banyuwangi"]) == "/banyuwangi/kantor/hari-libur/"
    assert reverse("audit:log", args=["banyuwangi"]) == "/banyuwangi/kantor/audit/"
    assert resolve("/banyuwangi/kantor/hari-libur/").func.__module__ == "gerai.regions.views"
    assert resolve("/banyuwangi/kantor/audit/").func.__module__ == "gerai.audit.views"


def test_the_admins_navigation_links_to_them(client_for):
    page = client_for("bwi_admin").get("/banyuwangi/kantor/").content.decode()
    assert 'href="/banyuwangi/kantor/hari-libur/"' in page and 'href="/banyuwangi/kantor/audit/"' in page
