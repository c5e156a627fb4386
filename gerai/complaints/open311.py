"""Open311 GeoReport v2 at /open311/v2/: one endpoint for every region, chosen by `jurisdiction_id`
(the region's slug or its own host name). XML and JSON for every call, errors exactly as the spec says
(`errors[]` of code and description; 404 unknown resource or jurisdiction, 403 missing or bad api_key,
400 anything else), datetimes with the region's offset, `expected_datetime` from the SLA, and the
`page`/`page_size` extension. Report categories are the services."""

import datetime as dt
import hashlib
import json
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from gerai.complaints import selectors, services
from gerai.complaints.models import OPEN_STATUSES, Category, Open311Key, Report
from gerai.complaints.policy import ReportView, in_open311, public_view
from gerai.core import pagecache
from gerai.core.actors import Actor, client_ip
from gerai.core.pagetopics import COMPLAINTS
from gerai.core.throttle import throttle_allow
from gerai.regions.selectors import region_find, region_get_by_host, village_get

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
MAX_WINDOW = dt.timedelta(days=90)
MAX_PAGE_SIZE = 1000
#: the query parameters a GET of service requests reads: the kept answer's key (any other changes nothing)
LISTING_PARAMS = ("service_request_id", "service_code", "status", "start_date", "end_date", "page", "page_size")


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


# --- rendering -----------------------------------------------------------------------------------


def _xml_value(parent, key, value):
    element = ET.SubElement(parent, key)
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def _xml(root: str, item: str, rows: list[dict]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        _fill(ET.SubElement(top, item), row)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")


def _fill(node, row: dict) -> None:
    for key, value in row.items():
        if key == "attributes":
            attributes = ET.SubElement(node, "attributes")
            for attribute in value:
                a = ET.SubElement(attributes, "attribute")
                for k, v in attribute.items():
                    if k == "values":
                        values = ET.SubElement(a, "values")
                        for pair in v:
                            entry = ET.SubElement(values, "value")
                            _xml_value(entry, "key", pair["key"])
                            _xml_value(entry, "name", pair["name"])
                    else:
                        _xml_value(a, k, v)
        elif key == "endpoints":
            endpoints = ET.SubElement(node, "endpoints")
            for endpoint in value:
                e = ET.SubElement(endpoints, "endpoint")
                for k, v in endpoint.items():
                    if k == "formats":
                        formats = ET.SubElement(e, "formats")
                        for f in v:
                            _xml_value(formats, "format", f)
                    else:
                        _xml_value(e, k, v)
        else:
            _xml_value(node, key, value)


def _respond(fmt: str, data, *, xml_root: str, xml_item: str, status: int = 200, single_object: bool = False):
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False).encode()
    elif single_object:  # discovery and service definitions are one object, not a list
        body = _xml_flat(xml_root, data)
    else:
        body = _xml(xml_root, xml_item, data)
    response = HttpResponse(body, status=status, content_type=FORMATS[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _xml_flat(root: str, data: dict) -> bytes:
    """One object as <root>…</root> (its lists rendered like _xml's)."""
    top = ET.Element(root)
    _fill(top, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")


def _errors(fmt: str, status: int, description: str):
    data = [{"code": status, "description": description}]
    if fmt not in FORMATS:
        fmt = "xml"
    return _respond(fmt, data, xml_root="errors", xml_item="error", status=status)


def _language(request) -> str:
    accept = request.headers.get("Accept-Language", "").lower()
    return "en" if accept.startswith("en") else "id"


def _nul_fields(request) -> list[str]:
    """The query and form fields whose name or value holds a NUL character (Django's
    ProhibitNullCharactersValidator, on every field of the request)."""
    validator = ProhibitNullCharactersValidator()
    bad = []
    for data in (request.GET, request.POST):
        for name, values in data.lists():
            try:
                for text in (name, *values):
                    validator(text)
            except ValidationError:
                bad.append(name.replace("\x00", "") or "?")
    return list(dict.fromkeys(bad))


def endpoint(view):
    """Format check, language, and every refusal as an Open311 error document, never a 500 page."""

    @csrf_exempt
    def wrapper(request, fmt, *args, **kwargs):
        with translation.override(_language(request)):
            if fmt not in FORMATS:
                return _errors("xml", 404, _("Unknown format; use .xml or .json."))
            if any("\x00" in str(value) for value in (*args, *kwargs.values())):
                return _errors(fmt, 404, _("Not found."))
            nul = _nul_fields(request)
            if nul:  # PostgreSQL can neither store nor compare text holding one: refused before any lookup
                return _errors(fmt, 400, _("%(fields)s may not contain a NUL character.") % {"fields": ", ".join(nul)})
            try:
                return view(request, fmt, *args, **kwargs)
            except Open311Error as exc:
                return _errors(fmt, exc.status, exc.description)

    return wrapper


# --- jurisdiction and values -----------------------------------------------------------------------


def _region(request):
    source = request.POST if request.method == "POST" else request.GET
    raw = (source.get("jurisdiction_id") or "").strip().lower()[:200]
    if not raw:
        raise Open311Error(400, _("jurisdiction_id is required: the region's slug or its own host name."))
    region = region_find(raw) or region_get_by_host(raw)  # the slug look-up is memoised per process
    if region is None or not region.has_module("pengaduan"):
        raise Open311Error(404, _("Unknown jurisdiction_id."))
    return region


def _stamp(value, region) -> str | None:
    return timezone.localtime(value, region.zone).isoformat(timespec="seconds") if value else None


def _parse_w3c(raw: str, name: str) -> dt.datetime:
    text = raw.strip().replace("Z", "+00:00").replace(" ", "+")
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(
            400, _("%(name)s must be a W3C date-time, e.g. 2026-11-01T00:00:00+07:00.") % {"name": name}
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _positive_int(raw, name, default, maximum) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Open311Error(400, _("%(name)s must be a whole number.") % {"name": name}) from None
    if not 1 <= value <= maximum:
        raise Open311Error(400, _("%(name)s must be between 1 and %(max)s.") % {"name": name, "max": maximum})
    return value


# --- discovery and services -------------------------------------------------------------------------


@endpoint
def discovery(request, fmt):
    base = settings.SITE_URL + "/open311/v2/"
    data = {
        "changeset": "2026-11-28T00:00:00+07:00",
        "contact": _("The platform operator; each region's contact is on its home page."),
        "key_service": _("Each region's complaints coordinator issues api_keys at /<region>/kantor/pengaduan/kunci/."),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-11-28T00:00:00+07:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return _respond(fmt, data, xml_root="discovery", xml_item="", single_object=True)


def _service(category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


@endpoint
def service_list(request, fmt):
    region = _region(request)
    rows = [_service(c) for c in selectors.categories_active(region)]
    return _respond(fmt, rows, xml_root="services", xml_item="service")


@endpoint
def service_definition(request, fmt, code):
    region = _region(request)
    category = selectors.category_get(region, code)
    if category is None or category.code != code:
        raise Open311Error(404, _("Unknown service_code."))
    attributes = [
        {
            "variable": True,
            "code": a["code"],
            "datatype": a.get("datatype", "string"),
            "required": bool(a.get("required")),
            "datatype_description": a.get("datatype_description", ""),
            "order": i + 1,
            "description": a.get("description", ""),
            **({"values": a.get("values", [])} if a.get("datatype") in ("singlevaluelist", "multivaluelist") else {}),
        }
        for i, a in enumerate(category.attributes)
    ]
    data = {"service_code": category.code, "attributes": attributes}
    return _respond(fmt, data, xml_root="service_definition", xml_item="", single_object=True)


# --- requests --------------------------------------------------------------------------------------


def request_row(view: ReportView, region, settle_days: int) -> dict:
    """One service request as `view` (the public's, or a holder of the code's) may see it."""
    report = view.report
    media = view.media_url or None
    if media is None and view.media:
        first = next((m for m in report.media.all() if not m.hidden and m.content_type.startswith("image/")), None)
        if first is not None:
            media = settings.SITE_URL + reverse("complaints:media", args=[region.slug, report.tracking_code, first.pk])
    expected = report.settle_by or (report.created_at + dt.timedelta(days=settle_days))
    location = view.location
    return {
        "service_request_id": report.tracking_code,
        "status": report.open311_status,
        "status_notes": view.status_notes,  # the agency's latest answer
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": view.description,
        "agency_responsible": (report.agency or report.category.agency).name,
        "service_notice": report.get_status_display(),
        "requested_datetime": _stamp(report.created_at, region),
        "updated_datetime": _stamp(report.updated_at, region),
        "expected_datetime": _stamp(expected, region) if report.is_open else None,
        "address": view.address or (view.desa.name.title() if view.desa else ""),
        "address_id": view.desa.pk if view.desa else "",
        "zipcode": "",
        "lat": location[0] if location else None,
        "long": location[1] if location else None,
        "media_url": media,
    }


def _kept(region, name: str, variant: tuple, build) -> HttpResponse:
    """A GET's answer kept in the shared cache like a public page, stale when the region's complaints change
    (gerai.core.pagecache, topic complaints). The answer is the same for every client (neither an api_key nor
    a signed-in user changes a GET), so the key is what does change it: the format, the language and the
    parameters read (`variant`). An error is raised, never kept."""

    def parts() -> tuple[bytes, str]:
        response = build()
        return response.content, response["Content-Type"]

    body, content_type = pagecache.cached(
        region.pk, name, (translation.get_language(), *variant), parts, topics=(COMPLAINTS,)
    )
    response = HttpResponse(body, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _listing(request, fmt, region):
    """The public's list, kept until the region's complaints change: keyed by the format and the parameters
    that change the answer, by name (a parameter nobody reads, or an empty one, is left out)."""
    q = request.GET
    params = tuple((name, q[name]) for name in LISTING_PARAMS if q.get(name))
    return _kept(region, "open311-requests", (fmt, params), lambda: _list(request, fmt, region))


def _list(request, fmt, region):
    """The public's list: exactly the reports the public list shows (complaints/policy.py's public_q)."""
    q = request.GET
    queryset = selectors.reports_public(region).select_related("category__agency").prefetch_related("media")
    if q.get("service_request_id"):
        ids = [i.strip().upper() for i in q["service_request_id"].split(",") if i.strip()][:100]
        queryset = queryset.filter(tracking_code__in=ids).order_by("-created_at", "-id")
        settle_days = services.policy_of(region).settle_days
        rows = [request_row(public_view(r), region, settle_days) for r in queryset]
        return _respond(fmt, rows, xml_root="service_requests", xml_item="request")
    if q.get("service_code"):
        queryset = queryset.filter(category__code__in=[c.strip() for c in q["service_code"].split(",")][:50])
    if q.get("status"):
        wanted = {s.strip().lower() for s in q["status"].split(",")}
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, _("status must be open or closed."))
        if wanted == {"open"}:
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        elif wanted == {"closed"}:
            queryset = queryset.exclude(status__in=OPEN_STATUSES)
    now = timezone.now()
    start = _parse_w3c(q["start_date"], "start_date") if q.get("start_date") else None
    end = _parse_w3c(q["end_date"], "end_date") if q.get("end_date") else None
    if start and end and end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end is None:
        end = now if start is None else min(now, start + MAX_WINDOW)
    if start is None:
        start = end - MAX_WINDOW
    if end - start > MAX_WINDOW:
        raise Open311Error(400, _("The date window may span at most 90 days."))
    page = _positive_int(q.get("page"), "page", 1, 10**6)
    size = _positive_int(q.get("page_size"), "page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    queryset = queryset.filter(created_at__gte=start, created_at__lte=end).order_by("-created_at", "-id")
    settle_days = services.policy_of(region).settle_days
    rows = [request_row(public_view(r), region, settle_days) for r in queryset[(page - 1) * size : page * size]]
    return _respond(fmt, rows, xml_root="service_requests", xml_item="request")


@endpoint
def requests_view(request, fmt):
    region = _region(request)
    if request.method == "GET":
        return _listing(request, fmt, region)
    if request.method != "POST":
        raise Open311Error(400, _("Use GET or POST."))
    return _create(request, fmt, region)


def _decimal(raw: str, name: str):
    try:
        return Decimal(raw.strip()).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise Open311Error(400, _("%(name)s must be a number.") % {"name": name}) from None


def _attributes(post, category) -> dict:
    answers = {}
    for attribute in category.attributes:
        code = attribute["code"]
        many = attribute.get("datatype") == "multivaluelist"
        values = post.getlist(f"attribute[{code}][]") if many else [post.get(f"attribute[{code}]", "")]
        values = [v.strip()[:500] for v in values if v.strip()]
        if attribute.get("required") and not values:
            raise Open311Error(400, _("attribute[%(code)s] is required.") % {"code": code})
        keys = {str(v["key"]) for v in attribute.get("values", [])}
        if keys and any(v not in keys for v in values):
            raise Open311Error(400, _("attribute[%(code)s] has a value that is not in the list.") % {"code": code})
        if values:
            answers[code] = values if many else values[0]
    return answers


def _api_key(region, post) -> Open311Key:
    """The integrator's valid key, within its rate."""
    key = selectors.open311_key_valid(region, post.get("api_key", "").strip())
    if key is None:
        raise Open311Error(403, _("A valid api_key is required to create service requests."))
    if not throttle_allow("open311_post", f"{key.pk}"):
        raise Open311Error(429, _("Too many requests with this api_key. Wait a minute and try again."))
    return key


def _service_category(region, code: str) -> Category:
    """The category that service_code names, exactly."""
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = selectors.category_get(region, code)
    if category is None or category.code != code:
        raise Open311Error(400, _("service_code %(code)s is not a service of this jurisdiction.") % {"code": code[:40]})
    return category


def _retry_key(request, parts: list[str]) -> str:
    """The client's Idempotency-Key; the spec has none, so without it a retried identical POST within
    10 minutes is the same request."""
    retry_key = request.headers.get("Idempotency-Key", "").strip()
    if retry_key:
        return retry_key
    bucket = int(timezone.now().timestamp() // 600)
    return "auto:" + hashlib.sha256("|".join([*parts, str(bucket)]).encode()).hexdigest()[:40]


def _create(request, fmt, region):
    post = request.POST
    key = _api_key(region, post)
    code = post.get("service_code", "").strip()
    category = _service_category(region, code)
    lat_raw, long_raw = post.get("lat", "").strip(), post.get("long", "").strip()
    address_string, address_id = post.get("address_string", "").strip(), post.get("address_id", "").strip()
    if not ((lat_raw and long_raw) or address_string or address_id):
        raise Open311Error(400, _("A location is required: lat and long, address_string or address_id."))
    desa = None
    if address_id:
        desa = village_get(region, address_id)
        if desa is None:
            raise Open311Error(
                400, _("address_id must be the Kemendagri code of a desa/kelurahan of this jurisdiction.")
            )
    description = post.get("description", "")
    if len(description) > 4000:
        raise Open311Error(400, _("description may have at most 4,000 characters."))
    email = post.get("email", "").strip()[:254]
    if email and ("@" not in email or len(email) < 5):
        raise Open311Error(400, _("email is not an email address."))
    media_url = post.get("media_url", "").strip()
    if media_url and not media_url.startswith(("https://", "http://")):
        raise Open311Error(400, _("media_url must be an http(s) address."))
    retry_key = _retry_key(
        request, [str(key.pk), code, description, lat_raw, long_raw, address_string, address_id, email]
    )
    name = " ".join(p for p in (post.get("first_name", "").strip(), post.get("last_name", "").strip()) if p)
    try:
        report = services.report_file(
            actor=Actor(user=None, ip=client_ip(request), via="open311"),
            region=region,
            category=category,
            description=description or category.name,
            desa=desa,
            address=address_string,
            lat=_decimal(lat_raw, "lat") if lat_raw and long_raw else None,
            long=_decimal(long_raw, "long") if lat_raw and long_raw else None,
            attributes=_attributes(post, category),
            media_url=media_url,
            reporter_name=name,
            reporter_email=email,
            reporter_phone=post.get("phone", "").strip()[:20],
            channel=Report.Channel.OPEN311,
            client_key=f"o311:{key.pk}:{retry_key}"[:100],
        )
    except services.ComplaintError as exc:
        raise Open311Error(404 if exc.status == 404 else 400, str(exc.message)) from None
    services.open311_key_used(key)
    days = services.policy_of(region).verify_days
    data = [
        {
            "service_request_id": report.tracking_code,
            "token": report.open311_token,
            "service_notice": ngettext(
                "Received; the region verifies it within %(n)s working day.",
                "Received; the region verifies it within %(n)s working days.",
                days,
            )
            % {"n": days},
            "account_id": None,
        }
    ]
    return _respond(fmt, data, xml_root="service_requests", xml_item="request")


@endpoint
def request_one(request, fmt, request_id):
    region = _region(request)
    return _kept(region, "open311-request", (fmt, request_id), lambda: _one(request_id, fmt, region))


def _one(request_id, fmt, region):
    report = selectors.report_by_code(region, request_id)
    if report is None or not in_open311(report):
        raise Open311Error(404, _("Unknown service_request_id."))
    # the code's holder (often the client that posted it) follows its status; the content once it is public
    row = request_row(public_view(report), region, services.policy_of(region).settle_days)
    return _respond(fmt, [row], xml_root="service_requests", xml_item="request")


@endpoint
def token(request, fmt, token_id):
    region = _region(request)
    report = selectors.report_by_token(region, token_id)
    if report is None:
        raise Open311Error(404, _("Unknown token."))
    data = [{"service_request_id": report.tracking_code, "token": token_id}]
    return _respond(fmt, data, xml_root="service_requests", xml_item="request")
