"""Destinations and the event calendar (docs/tourism.md): the iCalendar feed, JSON-LD, bad input, the photos'
handling, English with its fallback, and who may see and change what."""

import datetime as dt
import gzip
import io
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gerai.accounts.models import StaffRole
from gerai.audit.models import AuditEntry
from gerai.core.actors import Actor
from gerai.tourism import services
from gerai.tourism.models import Destination, Event
from tests.factories import make_citizen, make_region, make_staff
from tests.pictures import assert_no_metadata, photo_with_gps

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")


def _jpeg(width=800, height=500, exif=False) -> bytes:
    image = Image.new("RGB", (width, height), (10, 120, 200))
    buffer = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0131] = "Firmware 1.0"  # Software
        kwargs["exif"] = data.tobytes()
    image.save(buffer, "JPEG", **kwargs)
    return buffer.getvalue()


@pytest.fixture
def place(db):
    """A region in WITA with the tourism module, its editor, a destination and three events."""
    parts = make_region("63.01", "tanahlaut-wisata", "TWS")
    region = parts.region
    region.timezone = "Asia/Makassar"
    region.save()
    editor = make_staff(region, parts.dinas, StaffRole.Role.EDITOR)
    actor = Actor(user=editor)
    destination = services.destination_create(
        actor=actor,
        region=region,
        kind="pantai",
        name="Pantai Takisung",
        summary="Pantai berpasir di Laut Jawa.",
        description="Pantai berpasir di Laut Jawa.",
        area=parts.desa,
        latitude="-3.9",
        longitude="114.6",
        ticket_price=5000,
        is_published=True,
    )
    now = dt.datetime.now(WITA).replace(minute=0, second=0, microsecond=0)
    festival = services.event_create(
        actor=actor,
        region=region,
        category="festival",
        title="Festival Pantai",
        title_en="Beach Festival",
        summary="Pesta pantai tahunan.",
        summary_en="The yearly beach party.",
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=10, hours=5),
        recurrence="yearly",
        destination=destination,
        organiser="Dinas Pariwisata",
        price=0,
        is_published=True,
    )
    race = services.event_create(
        actor=actor,
        region=region,
        category="olahraga",
        title="Lomba Perahu",
        summary="Lomba perahu tradisional.",
        starts_at=now - dt.timedelta(days=40),
        ends_at=now - dt.timedelta(days=40, hours=-3),
        venue_name="Muara Takisung",
        venue_address="Desa Takisung",
        organiser="Karang Taruna",
        is_published=True,
    )
    draft = services.event_create(
        actor=actor,
        region=region,
        category="musik",
        title="Konser Rahasia",
        summary="Belum diumumkan.",
        starts_at=now + dt.timedelta(days=5),
        ends_at=now + dt.timedelta(days=5, hours=2),
        venue_name="Lapangan",
        organiser="Panitia",
    )
    return {
        "parts": parts,
        "region": region,
        "editor": editor,
        "actor": actor,
        "destination": destination,
        "festival": festival,
        "race": race,
        "draft": draft,
    }


def _url(name, region, *args):
    return reverse(f"tourism:{name}", args=[region.slug, *args])


# --- the iCalendar feed ---------------------------------------------------------------------------


def test_ics_parses_with_a_vtimezone_the_zone_offsets_stable_uids_and_yearly_rrule(client, place):
    region = place["region"]
    response = client.get(_url("ics", region))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert b"\r\n" in body  # RFC 5545 line endings
    cal = icalendar.Calendar.from_ical(body)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Asia/Makassar"]
    standard = zones[0].walk("STANDARD")[0]
    assert standard["TZOFFSETTO"].td == dt.timedelta(hours=8) and str(standard["TZNAME"]) == "WITA"
    # the zone is described from 1970, so an archived event years back still falls within it
    assert standard["DTSTART"].dt.year <= 1970
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Festival Pantai", "Lomba Perahu"}  # not the draft
    festival = events["Festival Pantai"]
    start = festival["DTSTART"]
    assert start.params["TZID"] == "Asia/Makassar"
    assert start.dt.utcoffset() == dt.timedelta(hours=8)
    assert start.dt == place["festival"].starts_at
    assert festival["RRULE"]["FREQ"] == ["YEARLY"]
    assert "RRULE" not in events["Lomba Perahu"]
    assert str(festival["UID"]) == f"{place['festival'].uid}@{region.slug}.gerai"
    assert "GEO" in festival and "Pantai Takisung" in str(festival["LOCATION"])
    for event in cal.walk("VEVENT"):  # the properties RFC 5545 requires of every VEVENT in a PUBLISH calendar
        assert {"UID", "DTSTAMP", "DTSTART"} <= set(event)
    # a change keeps the UID and raises the SEQUENCE
    services.event_update(actor=place["actor"], event=place["festival"], summary="Pesta pantai, edisi baru.")
    again = {
        str(e["SUMMARY"]): e
        for e in icalendar.Calendar.from_ical(client.get(_url("ics", region)).content).walk("VEVENT")
    }
    assert str(again["Festival Pantai"]["UID"]) == str(festival["UID"])
    assert int(again["Festival Pantai"]["SEQUENCE"]) == int(festival["SEQUENCE"]) + 1


def test_one_event_file_has_the_feeds_uid(client, place):
    festival = place["festival"]
    cal = icalendar.Calendar.from_ical(client.get(_url("event_ics", place["region"], festival.slug)).content)
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"{festival.uid}@{place['region'].slug}.gerai" and cal.walk("VTIMEZONE")
    assert client.get(_url("event_ics", place["region"], place["draft"].slug)).status_code == 404


def test_category_feed_holds_its_category_only_and_an_unknown_one_is_404(client, place):
    region = place["region"]
    cal = icalendar.Calendar.from_ical(client.get(_url("ics_category", region, "olahraga")).content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Lomba Perahu"]
    assert cal.walk("VTIMEZONE")
    assert client.get(_url("ics_category", region, "bukan-kategori")).status_code == 404


def test_wib_region_feed_says_wib_and_plus_seven(client):
    parts = make_region("35.09", "jember-wisata", "TJW")
    editor = make_staff(parts.region, parts.dinas, StaffRole.Role.EDITOR)
    start = dt.datetime(2031, 7, 1, 19, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    services.event_create(
        actor=Actor(user=editor),
        region=parts.region,
        category="musik",
        title="Jember Jazz",
        summary="Malam jazz.",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        venue_name="Alun-alun",
        organiser="Panitia",
        is_published=True,
    )
    body = client.get(_url("ics", parts.region)).content.decode()
    assert "TZID:Asia/Jakarta" in body and "TZNAME:WIB" in body and "TZOFFSETTO:+0700" in body
    assert "DTSTART;TZID=Asia/Jakarta:20310701T190000" in body


# --- JSON-LD --------------------------------------------------------------------------------------


def _jsonld(response) -> dict:
    found = re.findall(
        r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(found) == 1
    return json.loads(found[0])


def test_event_page_has_event_jsonld_with_offsets(client, place):
    region, festival = place["region"], place["festival"]
    response = client.get(_url("event", region, festival.slug))
    assert response.status_code == 200
    data = _jsonld(response)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Festival Pantai"
    for key in ("startDate", "endDate"):
        moment = dt.datetime.fromisoformat(data[key])
        assert data[key].endswith("+08:00") and moment.utcoffset() == dt.timedelta(hours=8)
    assert dt.datetime.fromisoformat(data["startDate"]) == festival.starts_at
    assert dt.datetime.fromisoformat(data["endDate"]) > dt.datetime.fromisoformat(data["startDate"])
    assert data["location"]["@type"] == "TouristAttraction" and data["location"]["geo"]["latitude"] == -3.9
    assert data["organizer"] == {"@type": "Organization", "name": "Dinas Pariwisata"}
    assert data["offers"]["priceCurrency"] == "IDR" and data["offers"]["price"] == "0"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    race = _jsonld(client.get(_url("event", region, place["race"].slug)))
    assert race["location"]["@type"] == "Place" and race["location"]["name"] == "Muara Takisung"


def test_jsonld_cannot_be_broken_out_of(client, place):
    services.event_update(actor=place["actor"], event=place["race"], summary="</script><script>alert(1)</script>")
    body = client.get(_url("event", place["region"], place["race"].slug)).content.decode()
    assert "</script><script>alert(1)" not in body
    assert "\\u003C/script\\u003E" in body


def test_destination_page_has_tourist_attraction_jsonld(client, place):
    data = _jsonld(client.get(_url("destination", place["region"], place["destination"].slug)))
    assert data["@type"] == "TouristAttraction" and data["name"] == "Pantai Takisung"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": -3.9, "longitude": 114.6}
    assert data["address"]["addressCountry"] == "ID"


# --- the public pages -----------------------------------------------------------------------------


def test_agenda_month_list_and_archive(client, place):
    region = place["region"]
    festival_month = place["festival"].starts_at.astimezone(WITA).strftime("%Y-%m")
    month = client.get(_url("agenda", region), {"bulan": festival_month}).content.decode()
    assert "Festival Pantai" in month and "Konser Rahasia" not in month
    listing = client.get(_url("agenda_list", region)).content.decode()
    assert "Festival Pantai" in listing and "Lomba Perahu" not in listing and "Konser Rahasia" not in listing
    assert "WITA" in listing
    archive = client.get(_url("archive", region)).content.decode()
    assert "Lomba Perahu" in archive and "Festival Pantai" not in archive
    # the yearly festival comes back next year
    next_year = (place["festival"].starts_at.astimezone(WITA) + dt.timedelta(days=366)).strftime("%Y-%m")
    assert "Festival Pantai" in client.get(_url("agenda", region), {"bulan": next_year}).content.decode()
    # filters and nonsense
    only_sport = client.get(_url("agenda_list", region), {"kategori": "olahraga"}).content.decode()
    assert "Festival Pantai" not in only_sport
    assert client.get(_url("agenda", region), {"bulan": "2026-13"}).status_code == 200
    for nonsense in ("<script>", "0001-01", "9999-12", "2026", "-"):
        assert client.get(_url("agenda", region), {"bulan": nonsense}).status_code == 200


def test_an_empty_month_points_to_the_next_events_and_the_month_they_are_in(client, place):
    """A tourist who opens the agenda in a month with nothing on sees what comes next, not an empty page."""
    region = place["region"]
    Event.objects.filter(pk=place["festival"].pk).update(
        recurrence="",
        starts_at=dt.datetime(2031, 5, 17, 19, tzinfo=WITA),
        ends_at=dt.datetime(2031, 5, 17, 22, tzinfo=WITA),
    )
    Event.objects.filter(pk=place["race"].pk).update(
        starts_at=dt.datetime(2031, 3, 2, 8, tzinfo=WITA), ends_at=dt.datetime(2031, 3, 2, 11, tzinfo=WITA)
    )
    with time_machine.travel(dt.datetime(2031, 3, 20, 9, tzinfo=WITA), tick=False):
        page = client.get(_url("agenda", region)).content.decode()
        # March has the race: it opens on March, as before
        assert "Maret 2031" in page and "Lomba Perahu" in page and "Festival Pantai" not in page
        Event.objects.filter(pk=place["race"].pk).update(is_published=False)
        page = client.get(_url("agenda", region)).content.decode()
        assert "Maret 2031" in page  # still this month, its navigation intact
        assert "Tidak ada acara pada Maret 2031" in page
        assert "Festival Pantai" in page and "17 Mei 2031" in page
        assert f'href="{_url("agenda", region)}?bulan=2031-05"' in page
        assert 'href="?bulan=2031-02"' in page and 'href="?bulan=2031-04"' in page  # months without JavaScript
        # an empty month of another category points to that category's next event, or says nothing is planned
        sport = client.get(_url("agenda", region), {"kategori": "olahraga"}).content.decode()
        assert "Festival Pantai" not in sport and "Belum ada acara berikutnya yang dijadwalkan" in sport
        # a month asked for that is empty points onward from it too
        april = client.get(_url("agenda", region), {"bulan": "2031-04"}).content.decode()
        assert "Tidak ada acara pada April 2031" in april and "?bulan=2031-05" in april
        client.cookies["gerai_lang"] = "en"
        english = client.get(_url("agenda", region), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Nothing on in March 2031" in english and "Beach Festival" in english


def test_draft_is_404_to_the_public_and_shown_to_its_editor(client, place):
    region, draft = place["region"], place["draft"]
    assert client.get(_url("event", region, draft.slug)).status_code == 404
    client.force_login(place["editor"])
    assert client.get(_url("event_edit", region, draft.slug)).status_code == 200


def test_destinations_filters(client, place):
    region = place["region"]
    page = client.get(_url("destinations", region)).content.decode()
    assert "Pantai Takisung" in page
    assert "Pantai Takisung" not in client.get(_url("destinations", region), {"kind": "kuliner"}).content.decode()
    assert (
        "Pantai Takisung"
        in client.get(_url("destinations", region), {"kecamatan": place["parts"].kecamatan.code}).content.decode()
    )
    assert "Pantai Takisung" not in client.get(_url("destinations", region), {"free": "on"}).content.decode()
    assert client.get(_url("destinations", region), {"kind": "nonsense"}).status_code == 200


def test_english_page_falls_back_to_indonesian_with_a_note(client, place):
    region = place["region"]
    client.cookies["gerai_lang"] = "en"
    translated = client.get(_url("event", region, place["festival"].slug), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Beach Festival" in translated and "not been translated" not in translated
    fallback = client.get(_url("event", region, place["race"].slug), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Lomba Perahu" in fallback and "not been translated into English" in fallback
    assert '<h1 lang="id">Lomba Perahu</h1>' in fallback


def test_module_switched_off_hides_every_page(client, place):
    region = place["region"]
    region.modules = [m for m in region.modules if m != "wisata"]
    region.save()
    for name, args in (("destinations", []), ("agenda", []), ("ics", []), ("event", [place["festival"].slug])):
        assert client.get(_url(name, region, *args)).status_code == 404


# --- bad input ------------------------------------------------------------------------------------


def test_event_that_ends_before_it_starts_is_refused_on_the_form_and_nothing_typed_is_lost(client, place):
    region = place["region"]
    client.force_login(place["editor"])
    response = client.post(
        _url("event_new", region),
        {
            "title": "Festival Terbalik",
            "category": "festival",
            "summary": "Waktu salah.",
            "starts_at": "2031-08-17T10:00",
            "ends_at": "2031-08-17T08:00",
            "venue_name": "Alun-alun",
            "organiser": "Panitia",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ends before it starts" in page or "berakhir sebelum" in page
    assert 'value="Festival Terbalik"' in page and 'value="2031-08-17T08:00"' in page
    assert not Event.objects.filter(title="Festival Terbalik").exists()


def test_event_times_are_typed_in_the_regions_zone(client, place):
    region = place["region"]
    client.force_login(place["editor"])
    response = client.post(
        _url("event_new", region),
        {
            "title": "Malam Budaya",
            "category": "budaya",
            "summary": "Pentas.",
            "starts_at": "2031-08-17T19:00",
            "ends_at": "2031-08-17T22:00",
            "destination": str(place["destination"].pk),
            "organiser": "Panitia",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Malam Budaya")
    assert event.starts_at == dt.datetime(2031, 8, 17, 11, 0, tzinfo=dt.UTC)  # 19.00 WITA
    assert event.destination == place["destination"] and event.slug == "malam-budaya"
    entry = AuditEntry.objects.filter(action="tourism.event_create", object_id=str(event.pk)).get()
    assert entry.actor == place["editor"] and entry.region == region


def test_slug_taken_in_the_region_gets_a_clear_error_but_another_region_may_use_it(client, place):
    region = place["region"]
    client.force_login(place["editor"])
    data = {
        "name": "Pantai Lain",
        "slug": place["destination"].slug,
        "kind": "pantai",
        "summary": "S",
        "description": "D",
    }
    response = client.post(_url("destination_new", region), data)
    assert response.status_code == 200
    assert "already used" in response.content.decode() or "sudah dipakai" in response.content.decode()
    assert 'value="Pantai Lain"' in response.content.decode()
    with pytest.raises(services.TourismError) as refused:
        services.event_create(
            actor=place["actor"],
            region=region,
            slug="arsip",
            category="festival",
            title="x",
            summary="y",
            starts_at=place["festival"].starts_at,
            ends_at=place["festival"].ends_at,
            venue_name="v",
            organiser="o",
        )
    assert refused.value.code == "slug_reserved"
    other = make_region("35.09", "jember-slug", "TJS").region
    services.destination_create(
        actor=Actor.system(),
        region=other,
        slug=place["destination"].slug,
        kind="alam",
        name="N",
        summary="S",
        description="D",
    )


def test_venue_of_another_region_is_refused(place):
    other = make_region("35.09", "jember-venue", "TJV").region
    foreign = services.destination_create(
        actor=Actor.system(), region=other, kind="alam", name="Gunung", summary="S", description="D"
    )
    with pytest.raises(services.TourismError) as refused:
        services.event_update(actor=place["actor"], event=place["race"], destination=foreign)
    assert refused.value.field == "destination"


# --- photos ---------------------------------------------------------------------------------------


def test_photo_is_resized_to_several_widths_without_exif(client, place):
    photo = services.photo_add(
        actor=place["actor"], destination=place["destination"], data=_jpeg(1600, 1000, exif=True), alt="Pasir putih"
    )
    assert photo.widths == [320, 640, 1024]
    for width in photo.widths:
        response = client.get(_url("photo", place["region"], photo.code, width))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        data = b"".join(response.streaming_content)
        with Image.open(io.BytesIO(data)) as image:
            assert image.width == width
            assert not image.getexif() and "exif" not in image.info
        assert b"SecretCam" not in data
    assert client.get(_url("photo", place["region"], photo.code, 999)).status_code == 404
    page = client.get(_url("destination", place["region"], place["destination"].slug)).content.decode()
    assert 'alt="Pasir putih"' in page and "srcset=" in page and "320w" in page


def test_bad_photos_are_refused_with_a_reason(client, place):
    destination = place["destination"]
    for data, code in (
        (b"%PDF-1.4 not a photo", "image_not_image"),
        (_jpeg(100, 100), "image_too_small"),
        (_jpeg()[:200], "image_not_image"),
    ):
        with pytest.raises(services.TourismError) as refused:
            services.photo_add(actor=place["actor"], destination=destination, data=data, alt="x")
        assert refused.value.code == code
    with pytest.raises(services.TourismError) as refused:
        services.photo_add(actor=place["actor"], destination=destination, data=_jpeg(), alt="  ")
    assert refused.value.field == "alt"


def test_decompression_bomb_is_refused_before_it_is_decoded(place):
    # a PNG that says 20000 x 20000 pixels (400 megapixels) in a few hundred bytes
    image = Image.new("1", (20000, 20000))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    assert len(buffer.getvalue()) < 200_000
    with pytest.raises(services.TourismError) as refused:
        services.photo_add(actor=place["actor"], destination=place["destination"], data=buffer.getvalue(), alt="x")
    assert refused.value.code == "image_too_many_pixels" and refused.value.field == "photo"


def test_an_uploaded_photo_loses_its_gps_position(client, place):
    """A phone's photo says where it was taken (EXIF GPS, XMP): none of it reaches the public renditions."""
    client.force_login(place["editor"])
    url = _url("destination_edit", place["region"], place["destination"].slug)
    upload = SimpleUploadedFile("pantai.jpg", photo_with_gps(), content_type="image/jpeg")
    assert client.post(url, {"what": "photo", "alt": "Pantai", "photo": upload}).status_code == 302
    photo = place["destination"].photos.get()
    assert photo.widths == [320, 640, 1000]  # stood upright (it was stored on its side): 1000 wide
    client.logout()
    for width in photo.widths:
        response = client.get(_url("photo", place["region"], photo.code, width))
        assert_no_metadata(b"".join(response.streaming_content))


def test_photo_upload_on_the_page_keeps_the_alt_text_when_refused(client, place):
    client.force_login(place["editor"])
    url = _url("destination_edit", place["region"], place["destination"].slug)
    response = client.post(
        url, {"what": "photo", "alt": "Senja di pantai", "photo": SimpleUploadedFile("a.jpg", b"not an image")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Senja di pantai"' in page and ("JPEG, PNG or WebP" in page or "JPEG, PNG, atau WebP" in page)
    response = client.post(url, {"what": "photo", "alt": "Senja", "photo": SimpleUploadedFile("a.jpg", _jpeg())})
    assert response.status_code == 302 and place["destination"].photos.count() == 1


def test_draft_destination_photo_is_hidden_from_the_public(client, place):
    draft = services.destination_create(
        actor=place["actor"], region=place["region"], kind="alam", name="Rahasia", summary="S", description="D"
    )
    photo = services.photo_add(actor=place["actor"], destination=draft, data=_jpeg(), alt="x")
    assert client.get(_url("photo", place["region"], photo.code, 320)).status_code == 404
    assert client.get(_url("destination", place["region"], draft.slug)).status_code == 404
    client.force_login(place["editor"])
    assert client.get(_url("photo", place["region"], photo.code, 320)).status_code == 200


# --- who may do what ------------------------------------------------------------------------------


def test_office_pages_are_404_to_citizens_other_staff_and_other_regions_editors(client, place):
    region = place["region"]
    parts = place["parts"]
    pages = [
        _url("office", region),
        _url("destination_new", region),
        _url("destination_edit", region, place["destination"].slug),
        _url("event_new", region),
        _url("event_edit", region, place["festival"].slug),
    ]
    other_parts = make_region("35.09", "jember-luar", "TJL")
    other = other_parts.region
    outsiders = [
        make_citizen(parts.desa),
        make_staff(region, parts.desa_office),  # an officer of the region, not an editor
        make_staff(other, other_parts.dinas, StaffRole.Role.EDITOR),
        make_staff(other, None, StaffRole.Role.ADMIN),
    ]
    for user in outsiders:
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(_url("event_edit", region, place["festival"].slug), {"title": "Diretas"}).status_code == 404
    assert Event.objects.get(pk=place["festival"].pk).title == "Festival Pantai"
    for user in (place["editor"], make_staff(region, None, StaffRole.Role.ADMIN)):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 200, (user, url)
    client.logout()
    assert client.get(pages[0]).status_code == 302  # signed out: to the sign-in page


def test_other_regions_rows_are_404_at_this_regions_addresses(client, place):
    other = make_region("35.09", "jember-lain", "TJX").region
    other.modules = ["wisata"]
    other.save()
    assert client.get(_url("event", other, place["festival"].slug)).status_code == 404
    assert client.get(_url("destination", other, place["destination"].slug)).status_code == 404


def test_region_home_shows_whats_on(client, place):
    region = place["region"]
    services.destination_update(actor=place["actor"], destination=place["destination"], is_featured=True)
    page = client.get(reverse("catalog:region_home", args=[region.slug])).content.decode()
    assert "Festival Pantai" in page and "Pantai Takisung" in page and "Konser Rahasia" not in page


def test_demo_has_banyuwangi_festival(client):
    region_events = set(Event.objects.filter(region__slug="banyuwangi").values_list("slug", flat=True))
    assert {"banyuwangi-ethno-carnival", "festival-gandrung-sewu", "kebo-keboan-alasmalang"} <= region_events
    assert Destination.objects.filter(region__slug="banyuwangi", slug="kawah-ijen", is_published=True).exists()
    cal = icalendar.Calendar.from_ical(client.get(reverse("tourism:ics", args=["banyuwangi"])).content)
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    assert len(cal.walk("VEVENT")) == len(region_events)


def test_region_home_stays_within_the_page_weight_budget(client):
    """First visit to a region home page with the what's-on block: the compressed page and the assets it loads
    before any lazy image stay within 150 KB, and the block's images are sized and lazy."""
    response = client.get(reverse("catalog:region_home", args=["banyuwangi"]), HTTP_ACCEPT_ENCODING="gzip")
    body = response.content
    html = gzip.decompress(body).decode() if response.get("Content-Encoding") == "gzip" else body.decode()
    assert "whats-on" in html and "Festival Ngopi Sepuluh Ewu" in html
    total = len(gzip.compress(html.encode()))
    static = Path(settings.BASE_DIR) / "gerai" / "static"
    for asset in ("css/gerai.css", "js/gerai.js", "vendor/htmx-2.0.11.min.js"):
        total += len(gzip.compress((static / asset).read_bytes()))
    assert total < 150 * 1024, total
    block = html[html.index('class="whats-on"') :]
    block = block[: block.index("</section>")]
    for img in re.findall(r"<img [^>]*>", block):
        assert 'loading="lazy"' in img and "width=" in img and "height=" in img


def test_agenda_is_an_open_dataset(client, place):
    region = place["region"]
    csv = client.get(f"/{region.slug}/data/agenda-wisata.csv")
    assert csv.status_code == 200
    text = csv.content.decode()
    assert "Festival Pantai" in text and "Lomba Perahu" in text and "Konser Rahasia" not in text
    assert "+08:00" in text


def test_english_destination_and_alt_text(client, place):
    region, destination = place["region"], place["destination"]
    services.photo_add(actor=place["actor"], destination=destination, data=_jpeg(), alt="Pasir", alt_en="Sand")
    client.cookies["gerai_lang"] = "en"
    url = _url("destination", region, destination.slug)
    page = client.get(url).content.decode()
    assert "not been translated into English" in page and 'alt="Sand"' in page
    services.destination_update(
        actor=place["actor"],
        destination=destination,
        name_en="Takisung Beach",
        summary_en="A sandy beach on the Java Sea.",
        description_en="A sandy beach on the Java Sea.",
    )
    page = client.get(url).content.decode()
    assert "Takisung Beach" in page and "not been translated" not in page


def test_region_home_without_the_module_has_no_whats_on(client, place):
    region = place["region"]
    region.modules = [m for m in region.modules if m != "wisata"]
    region.save()
    page = client.get(reverse("catalog:region_home", args=[region.slug])).content.decode()
    assert "whats-on" not in page and "Festival Pantai" not in page


# --- the review's findings ------------------------------------------------------------------------------


def test_a_photo_is_cached_a_day_not_a_year_as_unpublishing_keeps_its_address(client, place):
    photo = services.photo_add(actor=place["actor"], destination=place["destination"], data=_jpeg(), alt="Pasir")
    cache = client.get(_url("photo", place["region"], photo.code, 320))["Cache-Control"]
    assert cache == "public, max-age=86400" and "immutable" not in cache
    place["destination"].is_published = False
    place["destination"].save(update_fields=["is_published"])
    client.force_login(place["editor"])
    assert client.get(_url("photo", place["region"], photo.code, 320))["Cache-Control"] == "private, no-store"


def test_an_address_taken_between_the_check_and_the_write_is_a_field_error_not_a_500(place, monkeypatch):
    """Two editors sending the same new address at one moment: both pass the exists() check, the unique
    constraint refuses the second write, which is answered at the address field."""
    region, taken = place["region"], place["destination"].slug
    monkeypatch.setattr(services, "_slug", lambda model, region, slug, fallback, exclude_pk=None: slug)
    with pytest.raises(services.TourismError) as refused:
        services.destination_create(
            actor=place["actor"], region=region, slug=taken, kind="alam", name="N", summary="S", description="D"
        )
    assert refused.value.code == "slug_taken" and refused.value.field == "slug"
    with pytest.raises(services.TourismError) as refused:
        services.event_update(actor=place["actor"], event=place["festival"], slug=place["race"].slug)
    assert refused.value.code == "slug_taken" and refused.value.field == "slug"
