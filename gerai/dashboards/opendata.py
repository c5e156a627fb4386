"""Open data pages: a region's catalogue of aggregated, anonymised datasets as a page and as DCAT in
JSON-LD (https://www.w3.org/TR/vocab-dcat-3/), each dataset a CSV file. What they hold is built in
gerai.dashboards.exports."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from gerai.core import pagecache
from gerai.dashboards import exports
from gerai.dashboards.views import public_region
from gerai.lib.tables import csv_response


@public_region
@pagecache.public_page("opendata", topics=exports.TOPICS)
def catalogue(request):
    entries, _modified = exports.catalogue_of(request.region, lang=request.LANGUAGE_CODE)
    datasets = [(entry, exports.description(entry.slug)) for entry in entries]
    return render(
        request,
        "dashboards/opendata.html",
        {"datasets": datasets, "licence": exports.LICENCE, "min_cell": settings.GERAI_MIN_PUBLIC_CELL},
    )


@public_region
def download(request, dataset: str):
    build = exports.builders().get(dataset)
    table = build(request.region) if build else None
    if table is None:
        raise Http404
    return csv_response(table, f"{request.region.slug}-{dataset}")


@public_region
@pagecache.public_page("dcat", topics=exports.TOPICS)
def dcat(request):
    region = request.region
    document = exports.dcat_catalogue(
        region,
        lang=request.LANGUAGE_CODE,
        home=request.build_absolute_uri(reverse("dashboards:opendata", args=[region.slug])),
        dataset_url=lambda slug: request.build_absolute_uri(reverse("dashboards:dataset", args=[region.slug, slug])),
    )
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/ld+json; charset=utf-8"
    )
