from django.urls import path

from gerai.onboarding import views

app_name = "platform"

urlpatterns = [
    path("", views.platform_home, name="home"),
    path("wilayah/<slug:slug>/", views.platform_region, name="region"),
]
