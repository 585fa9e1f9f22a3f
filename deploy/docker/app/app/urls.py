"""Routes of the example app: a page and the liveness probe's endpoint."""
from django.http import HttpResponse
from django.urls import path


def index(request):
    return HttpResponse("hello from behind logchain\n", content_type="text/plain")


def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [
    path("", index),
    path("healthz", healthz),
]
