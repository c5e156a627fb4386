"""Who may see and do what with reports: the one place that decides, for the pages, the JSON API, Open311,
the exports and the templates alike (as gerai/applications/policy.py does for applications).

- **Which reports the public may see** (`public_q` for a queryset, `is_public` for one row, the same rule):
  verified by the coordinator, still in the published part of the workflow (with the agency, answered,
  settled, closed) and not confidential. A report waiting for verification, or archived, declined as not the
  region's authority or merged before it was ever verified, is never public.
- **Which fields of one report a viewer may see** (`report_view` → `ReportView`): the reporter sees their
  own report as filed; coordinators see everything, the reporter's identity included; the agency sees
  everything but an anonymous reporter's identity; the public sees a published report as redacted (the public
  text, no hidden photo, no address or coordinates once redacted) and never anyone's identity; anybody else
  who holds the code of an unpublished report sees its status only.
- **Who may act, and from which state** (`ACTIONS`, `report_actions`): coordinators (and region admins) verify
  and route every report of the region; agency staff answer the reports sent to their agency; the reporter
  answers and reopens. The services compare-and-set on the same states, and the pages offer exactly these.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from django.db.models import Q

from gerai.accounts.models import StaffRole
from gerai.accounts.selectors import is_region_admin, staff_agency_ids
from gerai.complaints.models import OPEN_STATUSES, PUBLISHED_STATUSES, Report, ReportUpdate, Status

COORDINATOR = "coordinator"


# --- staff --------------------------------------------------------------------------------------------


def is_coordinator(user, region) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        is_region_admin(user, region) or StaffRole.objects.filter(user=user, region=region, role=COORDINATOR).exists()
    )


def staff_reports_q(user, region) -> Q | None:
    """None: every report of the region (coordinators); else those sent to the user's agencies."""
    if is_coordinator(user, region):
        return None
    return Q(agency_id__in=staff_agency_ids(user, region))


def is_agency_staff(user, report) -> bool:
    return report.agency_id is not None and report.agency_id in staff_agency_ids(user, report.region)


def may_manage_integrations(user, region) -> bool:
    """Open311 keys: the complaints coordinator looks after the integrators of complaints (region admins too)."""
    return is_coordinator(user, region)


# --- actions ------------------------------------------------------------------------------------------------


class Action(NamedTuple):
    who: str  # coordinator | agency | staff (either) | reporter
    states: tuple[str, ...]  # the report's states it starts from


ANY_STATE = tuple(Status.values)
ACTIONS = {
    "verify": Action("coordinator", (Status.RECEIVED,)),
    "request_info": Action("coordinator", (Status.RECEIVED,)),
    "not_authority": Action("coordinator", (Status.RECEIVED, Status.INFO_REQUESTED)),
    "archive": Action("coordinator", (Status.RECEIVED, Status.INFO_REQUESTED)),
    "merge": Action("coordinator", OPEN_STATUSES),
    "redact": Action("coordinator", PUBLISHED_STATUSES),  # and only a public report: see report_actions
    "hide_update": Action("coordinator", ANY_STATE),
    "respond": Action("agency", (Status.FORWARDED, Status.RESPONDED)),
    "settle": Action("agency", (Status.FORWARDED, Status.RESPONDED)),
    "note": Action("staff", ANY_STATE),
    "reply": Action("reporter", (Status.INFO_REQUESTED, Status.RESPONDED)),
    "reopen": Action("reporter", (Status.RESOLVED, Status.CLOSED)),
}


def report_actions(user, report: Report) -> frozenset[str]:
    """What `user` may do with `report` now (the pages offer these; the services refuse the rest)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    roles = set()
    if report.reporter_id == user.pk:
        roles.add("reporter")
    if is_coordinator(user, report.region):
        roles |= {"coordinator", "staff"}
    if is_agency_staff(user, report):
        roles |= {"agency", "staff"}
    return frozenset(
        name
        for name, action in ACTIONS.items()
        if action.who in roles and report.status in action.states and (name != "redact" or is_public(report))
    )


# --- the public -----------------------------------------------------------------------------------------


def public_q() -> Q:
    """The reports anyone may browse, as a filter (the list, the map, similar reports, Open311, the API)."""
    return Q(confidential=False, verified_at__isnull=False, status__in=PUBLISHED_STATUSES)


def is_public(report: Report) -> bool:
    """`public_q` for one report."""
    return not report.confidential and report.verified_at is not None and report.status in PUBLISHED_STATUSES


def in_open311(report: Report) -> bool:
    """Open311 clients are third-party apps that republish what they read: a confidential report does not
    exist for them, not even its status (its reporter follows it on the web or through the JSON API)."""
    return not report.confidential


def may_follow(user, report: Report) -> bool:
    """Following brings the report's updates: its reporter, or anyone signed in once it is public."""
    if user is None or not user.is_authenticated:
        return False
    return report.reporter_id == user.pk or is_public(report)


# --- what one viewer sees of one report -------------------------------------------------------------------


class Viewer(StrEnum):
    REPORTER = "reporter"  # their own report, as filed
    COORDINATOR = "coordinator"  # everything, an anonymous reporter's identity included
    AGENCY = "agency"  # everything but an anonymous reporter's identity
    PUBLIC = "public"  # a public report, as redacted
    TRACKING = "tracking"  # the code of an unpublished report: its status only


REPORTER_KINDS = frozenset({ReportUpdate.Kind.RECEIVED, ReportUpdate.Kind.REPORTER_REPLY, ReportUpdate.Kind.REOPENED})


def viewer_of(user, report: Report) -> Viewer:
    """Who `user` (None or anonymous: the public) is to this report."""
    if user is not None and user.is_authenticated:
        if report.reporter_id == user.pk:
            return Viewer.REPORTER
        if is_coordinator(user, report.region):
            return Viewer.COORDINATOR
        if is_agency_staff(user, report):
            return Viewer.AGENCY
    return Viewer.PUBLIC if is_public(report) else Viewer.TRACKING


def report_view(user, report: Report) -> "ReportView":
    return ReportView(report, viewer_of(user, report))


def staff_report_view(user, report: Report) -> "ReportView":
    """A report on the office pages (reached through reports_for_staff): as its coordinator or its agency."""
    return ReportView(report, Viewer.COORDINATOR if is_coordinator(user, report.region) else Viewer.AGENCY)


def public_view(report: Report) -> "ReportView":
    """How the public sees a report (a row of a public list, or one that is not public: its status only)."""
    return ReportView(report, Viewer.PUBLIC if is_public(report) else Viewer.TRACKING)


@dataclass(frozen=True)
class ReportView:
    """The fields of one report that one viewer may see. Pages, the API and Open311 read a report through
    this, never its raw fields; it asks the database nothing."""

    report: Report
    viewer: Viewer

    @property
    def staff(self) -> bool:
        return self.viewer in (Viewer.COORDINATOR, Viewer.AGENCY)

    @property
    def content(self) -> bool:
        """The report's text, place, photos and public timeline (else only its status)."""
        return self.viewer is not Viewer.TRACKING

    @property
    def public(self) -> bool:
        """Whether the report itself is public, whoever looks."""
        return is_public(self.report)

    @property
    def redacted(self) -> bool:
        """This viewer sees the redacted version (what staff chose to publish)."""
        return self.viewer is Viewer.PUBLIC and self.report.redacted

    @property
    def title(self) -> str:
        return self.report.category.name if not self.content or self.redacted else self.report.title

    @property
    def description(self) -> str:
        if not self.content:
            return ""
        return self.report.public_description if self.redacted else self.report.description

    @property
    def desa(self):
        return self.report.desa if self.content else None

    @property
    def address(self) -> str:
        """The free-text address or landmark: never before publication, and hidden with a redaction."""
        return self.report.address if self.content and not self.redacted else ""

    @property
    def location(self) -> tuple[float, float] | None:
        if not self.content or self.redacted or self.report.lat is None or self.report.long is None:
            return None
        return float(self.report.lat), float(self.report.long)

    @property
    def media_url(self) -> str:
        """The link an Open311 client gave to its own photo."""
        return self.report.media_url if self.content and not self.redacted else ""

    @property
    def status_notes(self) -> str:
        """The latest answer, question or reason."""
        return self.report.status_notes if self.content else ""

    @property
    def hidden_media(self) -> bool:
        """Photos and documents a coordinator hid from the public (staff only)."""
        return self.staff

    @property
    def media(self) -> bool:
        return self.content

    @property
    def identity(self) -> bool:
        """The reporter's name and contacts."""
        if self.viewer in (Viewer.REPORTER, Viewer.COORDINATOR):
            return True
        return self.viewer is Viewer.AGENCY and not self.report.anonymous

    def actor_shown(self, update: ReportUpdate) -> bool:
        """An entry the reporter wrote names them: shown only where their identity is."""
        return update.actor_id is not None and (self.identity or update.kind not in REPORTER_KINDS)
