from django.urls import path

from gerai.regions import views

app_name = "regions"
urlpatterns = [
    path("kantor/hari-libur/", views.holidays_admin, name="holidays"),
]
