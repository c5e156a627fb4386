from django.urls import path

from gerai.innovation import views

app_name = "innovation"

urlpatterns = [
    path("inovasi/", views.library, name="library"),
    path("inovasi/<str:code>/", views.detail, name="detail"),
    path("kantor/inovasi/", views.office_list, name="office_list"),
    path("kantor/inovasi/baru/", views.office_new, name="office_new"),
    path("kantor/inovasi/adopsi/", views.adopt, name="adopt"),
    path("kantor/inovasi/skor/", views.score, name="score"),
    path("kantor/inovasi/bukti/<str:code>/", views.evidence_file, name="evidence_file"),
    path("kantor/inovasi/rencana/", views.planner, name="planner"),
    path("kantor/inovasi/rencana/banding/", views.plan_compare, name="compare"),
    path("kantor/inovasi/rencana/<str:code>/", views.plan, name="plan"),
    path("kantor/inovasi/rencana/<str:code>/unduh.<str:fmt>", views.plan_export, name="plan_export"),
    path("kantor/inovasi/<str:code>/", views.office_edit, name="office_edit"),
]
