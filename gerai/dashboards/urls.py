from django.urls import path

from gerai.dashboards import opendata, views

app_name = "dashboards"
urlpatterns = [
    path("transparansi/", views.transparency, name="transparency"),
    path("kantor/dasbor/", views.leaders, name="leaders"),
    path("kantor/ikm/", views.ikm_report, name="ikm_report"),
    path("data/", opendata.catalogue, name="opendata"),
    path("data/dcat.jsonld", opendata.dcat, name="dcat"),
    path("data/<slug:dataset>.csv", opendata.download, name="dataset"),
]
