"""GET /api/v1/regions/<region>/indices?year=: a region's governance results per year, as its public
performance page shows them (gerai/governance/selectors.py: locked self-assessments and published results
only, IKM from the surveys, figures measured by Gerai marked `from_data`). Mounted at the end of api.py."""

from decimal import Decimal

from django.http import Http404
from ninja import Field, P, Router, Schema
from ninja.params import QueryEx

from gerai.api.api import answers
from gerai.governance import selectors as governance_selectors
from gerai.regions.selectors import region_get_by_slug

router = Router(tags=["governance"])


class IndexOut(Schema):
    kind: str  # spbe, pemdi, sakip, iid
    self_score: Decimal | None = Field(
        description="The locked self-assessment's index; null when there is none, or nothing was entered in it yet"
        " (self_status not_scored: never a grade D or 0)."
    )
    self_predicate: str = Field(description="Its predicate or grade; empty when self_score is null.")
    self_model: str
    self_status: str | None = Field(
        description="null: no locked self-assessment; not_scored: locked with no indicator entered (no score);"
        " partial: some indicators entered, the others count as 0 in self_score; complete: every indicator entered"
        " (and always for figures measured from data)."
    )
    self_indicators_answered: int | None = Field(description="Indicators entered in the self-assessment.")
    self_indicators_total: int | None = Field(description="Indicators of its index model.")
    published_score: Decimal | None
    published_predicate: str
    published_source: str
    published_source_url: str
    from_data: bool


class YearOut(Schema):
    year: int
    ikm: Decimal | None  # from the satisfaction surveys (always measured, never assessed)
    indices: list[IndexOut]


class IndicesOut(Schema):
    region: str
    years: list[YearOut]


@router.get(
    "/regions/{region}/indices",
    response=answers({200: IndicesOut}, 404, 422),
    summary="A region's governance indices (SPBE/Pemdi, SAKIP, IID) and IKM per year, self-assessed and published",
)
def region_indices(request, region: str, year: QueryEx[int | None, P(ge=2018, le=2100)] = None):
    region_obj = region_get_by_slug(region)
    if not region_obj.has_module(governance_selectors.MODULE):
        raise Http404
    years = governance_selectors.history(region_obj, year=year)
    return {
        "region": region_obj.slug,
        "years": [
            {
                "year": y.year,
                "ikm": y.ikm,
                "indices": [
                    {
                        "kind": kind,
                        "self_score": f.self_score,
                        "self_predicate": f.self_predicate,
                        "self_model": f.self_model,
                        "self_status": f.self_status or None,
                        "self_indicators_answered": f.self_answered,
                        "self_indicators_total": f.self_total,
                        "published_score": f.published_score,
                        "published_predicate": f.published_predicate,
                        "published_source": f.source,
                        "published_source_url": f.source_url,
                        "from_data": f.from_data,
                    }
                    for kind, f in sorted(y.figures.items())
                ],
            }
            for y in years
        ],
    }
