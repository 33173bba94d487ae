from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.urls import mine_urlpatterns
from core.health import healthz, readyz
from core.offline import manifest, offline_queue, service_worker
from core.views import favicon
from dashboards.views.guide import guide
from dashboards.views.home import home
from hazards.urls import inspection_urlpatterns, public_urlpatterns
from violations.urls import (
    bulletin_urlpatterns,
    red_line_urlpatterns,
    tipoff_admin_urlpatterns,
    tipoff_urlpatterns,
)

admin.site.site_header = "百日专项整治 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "数据维护"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("favicon.ico", favicon, name="favicon"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("sw.js", service_worker, name="service_worker"),
    path("offline/", offline_queue, name="offline_queue"),
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("mines/", include(mine_urlpatterns)),
    path("campaigns/", include("campaign.urls")),
    path("hazards/", include("hazards.urls")),
    path("inspections/", include(inspection_urlpatterns)),
    path("violations/", include("violations.urls")),
    path("bulletins/", include(bulletin_urlpatterns)),
    path("red-lines/", include(red_line_urlpatterns)),
    path("workforce/", include("workforce.urls")),
    path("enforcement/", include("enforcement.urls")),
    path("accountability/", include("accountability.urls")),
    path("accidents/", include("accidents.urls")),
    path("report/", include(tipoff_urlpatterns)),
    path("reports/", include(tipoff_admin_urlpatterns)),
    path("public/", include(public_urlpatterns)),
    path("submissions/", include("reporting.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("search/", include("search.urls")),
    path("guide/", guide, name="guide"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "core.views.error_400"
handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
