from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    return {"service_name": settings.PORTAL_SERVICE_NAME}
