"""The portal's URLs plus the ceiling: a constant response through the full middleware stack.

Used only by collab.settings.bench (`make bench`)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
def ceiling(request: HttpRequest) -> HttpResponse:
    """The framework's ceiling: no query, no template, the same middleware as every page."""
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench_ceiling"),
    path("", include("collab.urls")),
]
