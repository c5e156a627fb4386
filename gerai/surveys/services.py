"""Survey writes: invitations when an application completes, the citizen's answers, staff entry of
walk-in and paper forms, and file imports with a row-by-row report. Each takes an explicit actor and
records an audit entry in its transaction."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerai.audit.services import audit_record
from gerai.catalog.models import Service
from gerai.core import events
from gerai.core.actors import Actor
from gerai.core.errors import DomainError
from gerai.surveys.models import SurveyInvitation, SurveyResponse
from gerai.surveys.questions import KEYS

INVITATION_DAYS = 30


class SurveyError(DomainError):
    """A refused survey answer or import."""


def survey_invite(application) -> SurveyInvitation:
    """Inside the completing transaction: one invitation per application (PermenPANRB 14/2017: the citizen
    is asked how it went). Called through the event registry when an application completes."""
    invitation, _created = SurveyInvitation.objects.get_or_create(
        application=application, defaults={"expires_at": timezone.now() + dt.timedelta(days=INVITATION_DAYS)}
    )
    return invitation


def survey_invite_on_completion(*, action: str, obj, region, changes: dict) -> None:
    if changes.get("status") == "completed":
        survey_invite(obj)


def _clean_scores(scores: dict) -> dict:
    cleaned: dict[str, int | None] = {}
    for key in KEYS:
        value = scores.get(key)
        if value in (None, ""):
            cleaned[key] = None
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise SurveyError("bad_score", _("Answers run from 1 to 4.")) from None
        if number not in (1, 2, 3, 4):
            raise SurveyError("bad_score", _("Answers run from 1 to 4."))
        cleaned[key] = number
    if all(v is None for v in cleaned.values()):
        raise SurveyError("empty", _("Answer at least one question."))
    return cleaned


def survey_submit(*, actor: Actor, invitation: SurveyInvitation, scores: dict, comment: str = "") -> SurveyResponse:
    """The citizen's answers through their invitation: once, before it expires."""
    if invitation.used_at is not None:
        raise SurveyError("used", _("This survey has already been answered. Thank you!"))
    if invitation.expires_at < timezone.now():
        raise SurveyError("expired", _("This survey link has expired."))
    cleaned = _clean_scores(scores)
    application = invitation.application
    try:
        with transaction.atomic():
            if not SurveyInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            ):
                raise SurveyError("used", _("This survey has already been answered. Thank you!"))
            response = SurveyResponse.objects.create(
                region=application.region,
                service=application.service,
                agency=application.service.owner_agency,
                application=application,
                source=SurveyResponse.Source.WEB,
                comment=comment.strip()[:2000],
                answered_on=timezone.localdate(timezone=application.region.zone),
                **cleaned,
            )
            events.changed("survey_response", response, None)
            audit_record(actor=actor, action="survey.answer", obj=response, region=application.region)
    except IntegrityError:
        raise SurveyError("used", _("This survey has already been answered. Thank you!")) from None
    return response


def survey_enter(*, actor: Actor, region, service, scores: dict, comment: str, source: str, answered_on: dt.date):
    """A walk-in or paper form typed in by staff."""
    if service.region_id != region.pk:
        raise SurveyError("unknown_service", _("Choose a service of this region."))
    cleaned = _clean_scores(scores)
    with transaction.atomic():
        response = SurveyResponse.objects.create(
            region=region,
            service=service,
            agency=service.owner_agency,
            source=source,
            comment=comment.strip()[:2000],
            entered_by=actor.user,
            answered_on=answered_on,
            **cleaned,
        )
        events.changed("survey_response", response, None)
        audit_record(actor=actor, action="survey.enter", obj=response, region=region, changes={"source": source})
    return response


@dataclass
class ImportReport:
    valid: list = field(default_factory=list)  # (line, service, scores, comment, date)
    refused: list = field(default_factory=list)  # (line, reason)
    imported: int = 0


COLUMNS = ("layanan", "tanggal", *KEYS, "saran")


XLSX_MAGIC = b"PK\x03\x04"


def _csv_rows(raw: bytes) -> tuple[list[str], list[dict]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    return list(reader.fieldnames or []), list(reader)


def _xlsx_rows(raw: bytes) -> tuple[list[str], list[dict]]:
    """The first sheet of an Excel file: the first row names the columns; dates and numbers become text."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    if not values:
        return [], []

    def text(cell) -> str:
        if cell is None:
            return ""
        if isinstance(cell, dt.datetime):
            return cell.date().isoformat()
        if isinstance(cell, dt.date):
            return cell.isoformat()
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell)

    header = [text(h) for h in values[0]]
    return header, [dict(zip(header, (text(c) for c in row), strict=False)) for row in values[1:] if any(row)]


def survey_import_check(region, raw: bytes) -> ImportReport:
    """Read a CSV (UTF-8 or Windows-1252; comma or semicolon) or an XLSX file and say row by row what is
    refused and why."""
    report = ImportReport()
    try:
        fieldnames, rows = _xlsx_rows(raw) if raw.startswith(XLSX_MAGIC) else _csv_rows(raw)
    except Exception:  # a damaged workbook or a file that only claims to be one
        report.refused.append((1, _("The file cannot be read. Upload a CSV or XLSX file.")))
        return report
    header = [h.strip().lower() for h in fieldnames]
    missing = [c for c in COLUMNS if c != "saran" and c not in header]
    if missing:
        report.refused.append(
            (
                1,
                _("Missing columns: %(cols)s. Expected: %(all)s.")
                % {"cols": ", ".join(missing), "all": ", ".join(COLUMNS)},
            )
        )
        return report
    services = {s.slug: s for s in Service.objects.filter(region=region)}
    seen = set()
    for line, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        service = services.get(row.get("layanan", ""))
        if service is None:
            report.refused.append((line, _("Unknown service “%(s)s”.") % {"s": row.get("layanan", "")[:40]}))
            continue
        try:
            day = dt.date.fromisoformat(row.get("tanggal", ""))
        except ValueError:
            report.refused.append((line, _("The date must look like 2026-11-28.")))
            continue
        try:
            scores = _clean_scores({k: row.get(k) for k in KEYS})
        except SurveyError as exc:
            report.refused.append((line, exc.message))
            continue
        fingerprint = (service.pk, day, tuple(scores.values()), row.get("saran", ""))
        if fingerprint in seen:
            report.refused.append((line, _("The same answers as an earlier row of this file.")))
            continue
        seen.add(fingerprint)
        report.valid.append((line, service, scores, row.get("saran", "")[:2000], day))
    return report


def survey_import(*, actor: Actor, region, raw: bytes, confirm_partial: bool) -> ImportReport:
    """Import a checked file in one transaction: all rows, or — when the user confirms — the valid ones."""
    report = survey_import_check(region, raw)
    if report.refused and not confirm_partial:
        return report
    with transaction.atomic():
        created = SurveyResponse.objects.bulk_create(
            SurveyResponse(
                region=region,
                service=service,
                agency=service.owner_agency,
                source=SurveyResponse.Source.IMPORT,
                comment=comment,
                entered_by=actor.user,
                answered_on=day,
                **scores,
            )
            for _line, service, scores, comment, day in report.valid
        )
        with events.batched():
            for response in created:
                events.changed("survey_response", response, None)
        audit_record(
            actor=actor,
            action="survey.import",
            region=region,
            changes={"rows": len(report.valid), "refused": len(report.refused)},
        )
    report.imported = len(report.valid)
    return report
