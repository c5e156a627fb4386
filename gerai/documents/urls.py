from django.urls import path

from gerai.documents import views

app_name = "documents"
urlpatterns = [
    path("verifikasi/", views.verify_upload, name="verify"),
    path("verifikasi/<str:code>", views.verify_code, name="verify_code"),
    path("kantor/surat/", views.signing_admin, name="signing_admin"),
    path("kantor/layanan/<slug:service_slug>/surat/", views.template_edit, name="template"),
    path("kantor/layanan/<slug:service_slug>/surat/pratinjau/", views.template_preview, name="template_preview"),
]
