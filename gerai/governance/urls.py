from django.urls import path

from gerai.governance import views

app_name = "governance"

urlpatterns = [
    path("kinerja/", views.public_page, name="public"),
    path("kantor/kinerja/", views.office, name="office"),
    path("kantor/kinerja/iku/", views.iku, name="iku"),
    path("kantor/kinerja/bukti/<str:code>/", views.evidence, name="evidence"),
    path("kantor/kinerja/<str:code>/", views.assessment_page, name="assessment"),
]
