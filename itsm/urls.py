from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.http import HttpResponseRedirect
from django.views.decorators.http import require_safe
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core import views as core_views

# Swagger UI and ReDoc (third-party pages with no user content) need inline styles and script,
# and ReDoc a blob: worker; the rest of the site keeps the strict policy (settings).
api_docs_csp = csp_update({"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"],
                           "worker-src": ["'self'", "blob:"]})

# The admin says whose it is (Django's defaults read "Django administration").
admin.site.site_header = _("Service desk administration")
admin.site.site_title = _("Service desk admin")
admin.site.index_title = _("Records and settings")



@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that link none (the admin). Its static address is
    looked up per request: in production it is the hashed name from collectstatic's manifest."""
    return HttpResponseRedirect(static_url("favicon.ico"))


api_v1 = [
    # First: the busiest prefix is tried first (the resolver tries each include in turn).
    path("incidents/", include("incidents.api.urls")),
    path("", include("accounts.api.urls")),
    path("cmdb/", include("cmdb.api.urls")),
    path("problems/", include("problems.api.urls")),
    path("changes/", include("changes.api.urls")),
    path("releases/", include("releases.api.urls")),
    path("sla/", include("sla.api.urls")),
    path("catalog/", include("catalog.api.urls")),
    path("", include("fulfilment.api.urls")),  # requests/ and tasks/
    path("kb/", include("knowledge.api.urls")),
    path("", include("monitoring.api.urls")),  # events/, events/alertmanager/, alerts/
    path("surveys/", include("surveys.api.urls")),
    path("", include("voc.api.urls")),  # voc/
    path("", include("improvements.api.urls")),  # improvements/
    path("", include("webhooks.api.urls")),  # webhooks/
    path("", include("reports.api.urls")),  # reports/
    path("", include("documents.api.urls")),  # documents/
    path("", include("portfolio.api.urls")),  # portfolio/
    path("", include("suppliers.api.urls")),  # suppliers/, contracts/
    path("availability/", include("availability.api.urls")),  # availability/outages/, availability/report/
    path("capacity/", include("capacity.api.urls")),
    path("continuity/", include("continuity.api.urls")),
    path("public-sla/", include("publicsla.api.urls")),  # public-sla/contracts/
    path("iso/", include("assurance.api.urls")),  # iso/audits/, iso/reviews/, iso/certification/
    path("iso/", include("iso.api.urls")),  # iso/clauses/, iso/evidence-packs/
]

# The API first: URLs are tried in order, and an API request used to be tried against every desk
# prefix first (41 patterns per create, issue 12). No other prefix starts with "api/".
urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("incidents/", include("incidents.urls")),  # early, as above: the desk's busiest pages
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("core/", include("core.urls")),
    path("approvals/", core_views.ApprovalInboxView.as_view(), name="approvals"),
    path("portal/kb/", include("knowledge.portal_urls")),  # the knowledge base in the portal
    path("portal/", include("fulfilment.portal_urls")),  # the catalog, the cart, my requests
    path("portal/surveys/", include("surveys.portal_urls")),
    path("portal/voc/", include("voc.portal_urls")),
    path("portal/", include("incidents.portal_urls")),
    path("problems/", include("problems.urls")),
    path("changes/", include("changes.urls")),
    path("releases/", include("releases.urls")),
    path("cmdb/", include("cmdb.urls")),
    path("sla/", include("sla.urls")),
    path("catalog/", include("catalog.urls")),  # catalog management in the desk
    path("requests/", include("fulfilment.urls")),  # requests and tasks in the desk
    path("request-approvals/", include("fulfilment.approval_urls")),  # decisions by e-mail link
    path("kb/", include("knowledge.urls")),  # the knowledge base in the desk
    path("alerts/", include("monitoring.urls")),  # monitoring events and alerts
    path("surveys/", include("surveys.urls")),
    path("voc/", include("voc.urls")),
    path("improvements/", include("improvements.urls")),
    path("mail/", include("mailin.urls")),  # mailboxes and the mail received
    path("webhooks/", include("webhooks.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("reports/", include("reports.urls")),
    path("documents/", include("documents.urls")),
    path("portfolio/", include("portfolio.urls")),
    path("suppliers/", include("suppliers.urls")),
    path("availability/", include("availability.urls")),
    path("capacity/", include("capacity.urls")),
    path("continuity/", include("continuity.urls")),
    path("public-sla/", include("publicsla.urls")),
    path("iso/audits/", include("assurance.urls")),
    path("iso/", include("iso.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs_csp(SpectacularSwaggerView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", api_docs_csp(SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html")), name="api-redoc"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
