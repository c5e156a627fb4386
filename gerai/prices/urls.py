from django.urls import path

from gerai.prices import views

app_name = "prices"

urlpatterns = [
    path("harga/", views.public, name="public"),
    path("harga/<slug:code>/", views.public_commodity, name="public_commodity"),
    path("kantor/harga/", views.office, name="office"),
    path("kantor/harga/isi/<slug:market>/", views.entry, name="entry"),
    path("kantor/harga/lembar/<slug:market>/<str:day>/", views.sheet, name="sheet"),
    path("kantor/harga/impor/", views.import_file, name="import"),
    path("kantor/harga/acuan/", views.references, name="references"),
    path("kantor/harga/pasar/", views.markets, name="markets"),
]
