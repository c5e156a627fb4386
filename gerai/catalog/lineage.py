"""Reading a service as data: its snapshot (what a version stores), the three-way comparison of an adopted
service with its source, the text an adoption must review, and which local agency fits a source agency.
Pure functions over snapshots and rows already read: no writes."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerai.catalog.models import STANDARD_COMPONENTS, Service

SCALARS = ["name", "summary", "category", "fee_rupiah", "sla_working_days", "output_document"] + [
    name for name, _label in STANDARD_COMPONENTS
]
SCALAR_LABELS = {
    "name": gettext_lazy("Name"),
    "summary": gettext_lazy("Summary"),
    "category": gettext_lazy("Category"),
    "fee_rupiah": gettext_lazy("Fee (rupiah)"),
    "sla_working_days": gettext_lazy("Time to complete (working days)"),
    "output_document": gettext_lazy("Document issued"),
} | dict(STANDARD_COMPONENTS)
FIELD_KEYS = [
    "page",
    "page_title",
    "order",
    "label",
    "kind",
    "required",
    "help_text",
    "choices",
    "min_value",
    "max_value",
]
DOCUMENT_KEYS = ["order", "label", "help_text", "allowed_types", "max_size_kb", "required"]


def _agency(agency) -> dict | None:
    if agency is None:
        return None
    # the pk lets an application filed under the version find its office (gerai/catalog/workflow.py); the
    # comparison of an adopted service with its source leaves agencies out
    return {
        "id": agency.pk,
        "slug": agency.slug,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
    }


def snapshot(service: Service) -> dict:
    """Everything a citizen and an officer meet of the service, as plain JSON."""
    return {
        "scalars": {name: getattr(service, name) for name in SCALARS},
        "owner": _agency(service.owner_agency),
        "form": {f.key: {k: getattr(f, k) for k in FIELD_KEYS} for f in service.fields.all()},
        "documents": {d.key: {k: getattr(d, k) for k in DOCUMENT_KEYS} for d in service.documents.all()},
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "routing": s.routing,
                "role": s.role,
                "action": s.action,
                "agency": _agency(s.agency),
            }
            for s in service.steps.select_related("agency").order_by("order")
        ],
    }


def _items(snap: dict | None) -> dict[str, object]:
    """A snapshot as comparable items: each scalar, each question and document by key, and the workflow's shape
    (agencies left out: they are each region's own, mapped at adoption)."""
    if not snap:
        return {}
    items: dict[str, object] = {f"scalar:{k}": v for k, v in snap["scalars"].items()}
    items |= {f"form:{k}": v for k, v in snap["form"].items()}
    items |= {f"document:{k}": v for k, v in snap["documents"].items()}
    items["steps"] = [{k: v for k, v in s.items() if k != "agency"} for s in snap["steps"]]
    return items


@dataclass(frozen=True)
class Change:
    key: str  # "scalar:sla_working_days", "form:nama-bayi", "document:ktp", "steps"
    label: str
    base: object  # in the source version this region adopted (None: absent)
    theirs: object  # in the source's newest version
    mine: object  # in this region's service now
    conflict: bool  # both sides changed it, differently

    @property
    def base_text(self) -> str:
        return show(self.base)

    @property
    def theirs_text(self) -> str:
        return show(self.theirs)

    @property
    def mine_text(self) -> str:
        return show(self.mine)

    @property
    def removes(self) -> bool:
        return self.theirs is None and self.base is not None


def show(value) -> str:
    """A compared item as a person reads it."""
    if value is None:
        return "–"
    if isinstance(value, list):  # the workflow's steps
        return " · ".join(f"{s['order']}. {s['name']} ({s['routing']}, {s['action']})" for s in value)
    if isinstance(value, dict):  # a question or a document
        required = _("required") if value.get("required") else _("optional")
        kind = value.get("kind") or ", ".join(value.get("allowed_types", []))
        return f"{value.get('label', '')} ({kind}, {required})"
    return str(value)


def item_label(key: str, value: dict | None = None, other: dict | None = None) -> str:
    kind, _sep, name = key.partition(":")
    if kind == "scalar":
        return str(SCALAR_LABELS.get(name, name))
    if kind == "form":
        label = (value or other or {}).get("label", name)
        return _("Question “%(label)s”") % {"label": label}
    if kind == "document":
        label = (value or other or {}).get("label", name)
        return _("Document “%(label)s”") % {"label": label}
    return _("Workflow steps")


def three_way(base: dict | None, theirs: dict, mine: dict) -> tuple[list[Change], list[str]]:
    """What the source changed since `base` (each a Change, marked when this region changed it too, differently),
    and the labels of what only this region changed."""
    b, t, m = _items(base), _items(theirs), _items(mine)
    changes, local = [], []
    for key in sorted(set(b) | set(t) | set(m)):
        bv, tv, mv = b.get(key), t.get(key), m.get(key)
        if tv != bv:
            if mv == tv:
                continue  # this region already made the same change
            changes.append(
                Change(
                    key=key,
                    label=item_label(key, tv if isinstance(tv, dict) else None, bv if isinstance(bv, dict) else None),
                    base=bv,
                    theirs=tv,
                    mine=mv,
                    conflict=mv != bv,
                )
            )
        elif mv != bv:
            local.append(item_label(key, mv if isinstance(mv, dict) else None, bv if isinstance(bv, dict) else None))
    return changes, local


# --- text an adopter must review --------------------------------------------------------------------------------

PHONE = re.compile(r"(?:\+62|\b0)\d[\d\s.-]{6,}\d|\b(?:call center|hotline|telepon|telp\.?|wa)\s*:?\s*\d{3,}", re.I)
ADDRESS = re.compile(r"\b(?:jl\.|jalan)\s+\w+", re.I)
LOCAL_LAW = re.compile(r"\b(?:perda|perbup|perwali|peraturan (?:daerah|bupati|wali ?kota))\b[^\n.;]*", re.I)


def _short_name(region_name: str) -> str:
    return region_name.removeprefix("Kabupaten ").removeprefix("Kota ").strip()


#: More text of a service that an adoption must review, kept by the apps above catalog: functions service ->
#: [(where, text)]. The documents app registers its letter template in its AppConfig.ready (catalog never imports
#: it).
REVIEW_TEXTS: list[Callable[[Service], list[tuple[str, str]]]] = []


def review_flags(service: Service, source_region_name: str) -> list[dict]:
    """Text of an adopted service that still speaks for its source region: its name, phone numbers, street
    addresses and its own local regulations, in its standard, questions, documents and whatever the apps above
    registered in REVIEW_TEXTS (the letter template). Each flag: where, what was found, why."""
    name = _short_name(source_region_name)
    texts: list[tuple[str, str]] = [(str(SCALAR_LABELS[k]), str(getattr(service, k) or "")) for k in SCALARS]
    texts += [
        (item_label(f"form:{f.key}", {"label": f.label}), f"{f.label}\n{f.help_text}") for f in service.fields.all()
    ]
    texts += [
        (item_label(f"document:{d.key}", {"label": d.label}), f"{d.label}\n{d.help_text}")
        for d in service.documents.all()
    ]
    for more in REVIEW_TEXTS:
        texts += more(service)
    flags = []
    for where, text in texts:
        found: list[tuple[str, str]] = []
        if name and re.search(rf"\b{re.escape(name)}\b", text, re.I):
            found.append((name, _("names %(region)s") % {"region": source_region_name}))
        found += [(m.group(0).strip(), _("a phone number")) for m in PHONE.finditer(text)]
        found += [(m.group(0).strip(), _("a street address")) for m in ADDRESS.finditer(text)]
        found += [
            (m.group(0).strip()[:80], _("a local regulation of the source region")) for m in LOCAL_LAW.finditer(text)
        ]
        seen = set()
        for excerpt, why in found:
            if (excerpt, why) not in seen:
                seen.add((excerpt, why))
                flags.append({"where": where, "text": excerpt, "why": why})
    return flags


# --- which local agency fits ------------------------------------------------------------------------------------

_STOP = {"dinas", "badan", "kantor", "dan", "kabupaten", "kota", "sekretariat", "daerah", "urusan", "bagian", "unit"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2}


def suggest_agency(source: dict, local_agencies, *, source_region_name: str = "", local_region_name: str = ""):
    """The local agency most like a source agency (a snapshot's agency dict): the same kind, then the same
    short name or slug (Dispendukcapil to Dispendukcapil), then the most words of the name in common. None when
    nothing of that kind shares a word."""
    same_kind = [a for a in local_agencies if a.kind == source.get("kind")]
    short = (source.get("short_name") or "").lower()
    for agency in same_kind:
        if agency.slug == source.get("slug") or (short and (agency.short_name or "").lower() == short):
            return agency
    drop = _words(source_region_name) | _words(local_region_name)
    wanted = _words(source.get("name", "")) - drop
    scored = [(len(wanted & (_words(a.name) - drop)), a) for a in same_kind]
    scored = [(score, a) for score, a in scored if score]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None
