from django.urls import path

from gerai.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("kantor/pengaturan/", views.settings_home, name="settings"),
    path("kantor/pengaturan/instansi/", views.agencies, name="agencies"),
    path("kantor/pengaturan/instansi/<int:pk>/", views.agency_edit, name="agency_edit"),
    path("kantor/pengaturan/pegawai/", views.staff, name="staff"),
    path("kantor/pengaturan/modul/", views.modules, name="modules"),
    path("kantor/pengaturan/tampilan/", views.branding, name="branding"),
    path("kantor/pengaturan/retensi/", views.retention, name="retention"),
]
