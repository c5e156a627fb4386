"""What an application is processed under: the workflow, questions and documents of the service version it was
filed under (its snapshot), never the service as it is today. A service changed and published again leaves the
applications filed before to finish the way they started; new ones follow the new version. Applications filed
before versions existed (no version recorded) and drafts (not filed yet) read the service's live rows.

Every reader of an application's steps (the applications app as it advances one, the documents app as it signs)
goes through `filed_under(application)`. The application is taken as any object with `service`, `service_id`,
`service_version_id` and `region_id` (catalog never imports the applications app)."""

from dataclasses import dataclass

from gerai.catalog.models import DocumentRequirement, FormField, ServiceVersion, WorkflowStep
from gerai.catalog.selectors import service_definition
from gerai.core.memo import ttl_memo
from gerai.regions.models import Agency


@dataclass(frozen=True)
class Step:
    """One step of the workflow an application was filed under (the shape of a WorkflowStep row)."""

    order: int
    name: str
    routing: str
    role: str
    action: str
    agency_id: int | None

    @classmethod
    def of_row(cls, row: WorkflowStep) -> "Step":
        return cls(row.order, row.name, row.routing, row.role, row.action, row.agency_id)


@dataclass(frozen=True)
class Filed:
    """A service as one application was filed under it."""

    version_id: int | None
    steps: list[Step]
    owner_agency_id: int
    sla_working_days: int
    pages: list[list[FormField]]
    documents: list[DocumentRequirement]

    def step(self, order: int | None) -> Step | None:
        return next((s for s in self.steps if s.order == order), None) if order is not None else None

    def first_step(self) -> Step | None:
        return self.steps[0] if self.steps else None

    def next_step(self, order: int) -> Step | None:
        return next((s for s in self.steps if s.order > order), None)

    def signs_after(self, order: int) -> bool:
        return any(s.order > order and s.action == WorkflowStep.Action.SIGN for s in self.steps)


def _agency_ids(snapshot: dict, region_id: int) -> dict[str, int]:
    """slug -> pk of the agencies the snapshot names (a snapshot records each agency's pk since it was written
    with one; older ones are matched by slug in the service's region, one query)."""
    named = [snapshot.get("owner")] + [s.get("agency") for s in snapshot.get("steps", [])]
    found = {a["slug"]: a["id"] for a in named if a and a.get("id")}
    missing = {a["slug"] for a in named if a and not a.get("id")}
    if missing:
        found |= dict(Agency.objects.filter(region_id=region_id, slug__in=missing).values_list("slug", "pk"))
    return found


def _from_version(version: ServiceVersion, region_id: int, live_owner_id: int) -> Filed:
    snap = version.snapshot
    agencies = _agency_ids(snap, region_id)

    def agency_id(agency: dict | None) -> int | None:
        return agencies.get(agency["slug"]) if agency else None

    steps = [
        Step(s["order"], s["name"], s["routing"], s["role"], s["action"], agency_id(s.get("agency")))
        for s in sorted(snap["steps"], key=lambda s: s["order"])
    ]
    fields = sorted(
        (FormField(service_id=version.service_id, key=key, **values) for key, values in snap["form"].items()),
        key=lambda f: (f.page, f.order),
    )
    pages: dict[int, list[FormField]] = {}
    for field in fields:
        pages.setdefault(field.page, []).append(field)
    documents = sorted(
        (
            DocumentRequirement(service_id=version.service_id, key=key, **values)
            for key, values in snap["documents"].items()
        ),
        key=lambda d: d.order,
    )
    return Filed(
        version_id=version.pk,
        steps=steps,
        owner_agency_id=agency_id(snap.get("owner")) or live_owner_id,
        sla_working_days=snap["scalars"]["sla_working_days"],
        pages=[pages[n] for n in sorted(pages)],
        documents=documents,
    )


@ttl_memo
def _filed_of_version(version_id: int, region_id: int, live_owner_id: int) -> Filed:
    """A version's snapshot as a Filed. Versions are immutable; the memo's period bounds only how long an agency
    that a snapshot names by slug alone (written before snapshots recorded pks) takes to be found once created."""
    return _from_version(ServiceVersion.objects.get(pk=version_id), region_id, live_owner_id)


def filed_under(application, version: ServiceVersion | None = None) -> Filed:
    """The workflow, questions and documents `application` is processed under: its filed version's snapshot, or
    (filed before versions, or not filed yet) the service's live rows. Kept on the application object, so one
    request reads it once. `version`: the version about to be recorded (at submission)."""
    version_id = version.pk if version is not None else application.service_version_id
    cached = getattr(application, "_filed_under", None)
    if cached is not None and cached.version_id == version_id:
        return cached
    service = application.service
    if version_id is not None:
        if version is None and "service_version" in application._state.fields_cache:
            version = application.service_version  # already read with the application
        if version is not None:
            filed = _from_version(version, application.region_id, service.owner_agency_id)
        else:  # a version never changes: read and parsed once per process (a new submission asks)
            filed = _filed_of_version(version_id, application.region_id, service.owner_agency_id)
    else:
        live = service_definition(service.pk)
        filed = Filed(
            version_id=None,
            steps=[Step.of_row(row) for row in live.steps],
            owner_agency_id=service.owner_agency_id,
            sla_working_days=service.sla_working_days,
            pages=live.pages,
            documents=live.documents,
        )
    application._filed_under = filed
    return filed


def filed_steps(application) -> list[Step]:
    return filed_under(application).steps
