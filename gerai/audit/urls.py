from django.urls import path

from gerai.audit import views

app_name = "audit"
urlpatterns = [
    path("kantor/audit/", views.audit_log, name="log"),
]
