from django.urls import path

from gerai.tourism import views

app_name = "tourism"

urlpatterns = [
    path("wisata/", views.destinations, name="destinations"),
    path("wisata/foto/<str:code>/<int:width>.jpg", views.photo, name="photo"),
    path("wisata/<slug:slug>/", views.destination_detail, name="destination"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/daftar/", views.agenda_list, name="agenda_list"),
    path("agenda/arsip/", views.agenda_archive, name="archive"),
    path("agenda.ics", views.agenda_ics, name="ics"),
    path("agenda/kategori/<slug:category>.ics", views.agenda_category_ics, name="ics_category"),
    path("agenda/<slug:slug>.ics", views.event_ics, name="event_ics"),
    path("agenda/<slug:slug>/", views.event_detail, name="event"),
    path("kantor/wisata/", views.office, name="office"),
    path("kantor/wisata/tujuan/baru/", views.destination_new, name="destination_new"),
    path("kantor/wisata/tujuan/<slug:slug>/", views.destination_edit, name="destination_edit"),
    path("kantor/wisata/agenda/baru/", views.event_new, name="event_new"),
    path("kantor/wisata/agenda/<slug:slug>/", views.event_edit, name="event_edit"),
]
