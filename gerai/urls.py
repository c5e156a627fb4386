from django.urls import include, path, re_path

from gerai.api.api import api
from gerai.complaints import open311
from gerai.core import views as core_views
from gerai.dashboards import views as dashboard_views
from gerai.governance import views as governance_views
from gerai.innovation import views as innovation_views
from gerai.news import views as news_views
from gerai.notifications import views as notification_views
from gerai.regions import views as region_views

handler400 = "gerai.core.views.error_400"
handler403 = "gerai.core.views.error_403"
handler404 = "gerai.core.views.error_404"
handler500 = "gerai.core.views.error_500"

urlpatterns = [
    path("", region_views.platform_home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sitemap.xml", news_views.sitemap_index, name="sitemap"),
    path("readyz", core_views.readyz, name="readyz"),
    path("bahasa/", region_views.set_language, name="set_language"),
    path("akun/", include("gerai.accounts.urls")),
    path("api/v1/", api.urls),
    path("platform/", include("gerai.onboarding.platform_urls")),
    path("bandingkan/", dashboard_views.compare, name="compare"),
    re_path(r"^open311/v2/discovery\.(?P<fmt>[a-z]+)$", open311.discovery, name="open311_discovery"),
    re_path(r"^open311/v2/services\.(?P<fmt>[a-z]+)$", open311.service_list, name="open311_services"),
    re_path(
        r"^open311/v2/services/(?P<code>[^/]+)\.(?P<fmt>[a-z]+)$", open311.service_definition, name="open311_service"
    ),
    re_path(r"^open311/v2/requests\.(?P<fmt>[a-z]+)$", open311.requests_view, name="open311_requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[^/]+)\.(?P<fmt>[a-z]+)$", open311.request_one, name="open311_request"
    ),
    re_path(r"^open311/v2/tokens/(?P<token_id>[^/]+)\.(?P<fmt>[a-z]+)$", open311.token, name="open311_token"),
    path("kinerja/", governance_views.comparison, name="kinerja"),
    path("inovasi/", innovation_views.library_all, name="innovation_all"),
    path("notifikasi/status/<str:provider>/", notification_views.delivery_status, name="delivery_status"),
    path("<slug:region_slug>/", include("gerai.documents.urls")),
    path("<slug:region_slug>/", include("gerai.complaints.urls")),
    path("<slug:region_slug>/", include("gerai.surveys.urls")),
    path("<slug:region_slug>/", include("gerai.dashboards.urls")),
    path("<slug:region_slug>/", include("gerai.catalog.urls")),
    path("<slug:region_slug>/", include("gerai.applications.urls")),
    path("<slug:region_slug>/", include("gerai.regions.urls")),
    path("<slug:region_slug>/", include("gerai.audit.urls")),
    path("<slug:region_slug>/", include("gerai.webhooks.urls")),
    path("<slug:region_slug>/", include("gerai.onboarding.urls")),
    path("<slug:region_slug>/", include("gerai.innovation.urls")),
    path("<slug:region_slug>/", include("gerai.governance.urls")),
    path("<slug:region_slug>/", include("gerai.tourism.urls")),
    path("<slug:region_slug>/", include("gerai.news.urls")),
    path("<slug:region_slug>/", include("gerai.prices.urls")),
]
