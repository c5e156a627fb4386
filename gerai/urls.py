from django.urls import include, path

from gerai.api.api import api
from gerai.core import views as core_views
from gerai.notifications import views as notification_views
from gerai.regions import views as region_views

handler404 = "gerai.core.views.error_404"
handler500 = "gerai.core.views.error_500"

urlpatterns = [
    path("", region_views.platform_home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("bahasa/", region_views.set_language, name="set_language"),
    path("akun/", include("gerai.accounts.urls")),
    path("api/v1/", api.urls),
    path("notifikasi/status/<str:provider>/", notification_views.delivery_status, name="delivery_status"),
    path("<slug:region_slug>/", include("gerai.documents.urls")),
    path("<slug:region_slug>/", include("gerai.catalog.urls")),
    path("<slug:region_slug>/", include("gerai.applications.urls")),
]
