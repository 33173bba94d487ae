"""The installable, offline-capable app: its manifest, its service worker served from the root scope, and the page
listing the records waiting in this browser (the queue itself lives in the browser's IndexedDB, static/js/offline.js;
the server never sees it until a record is sent)."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

APP_NAME = "百日安全生产专项整治管理系统"
SHORT_NAME = "百日专项整治"


@login_not_required
@require_GET
def manifest(request):
    """The web app manifest: a phone offers to install the app from it (Chinese name, the icons drawn by
    scripts/draw_app_icons.py, opened on the home page, standalone)."""
    icons = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for size in (192, 512)
    ] + [
        {
            "src": static(f"icons/icon-maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in (192, 512)
    ]
    body = {
        "name": APP_NAME,
        "short_name": SHORT_NAME,
        "description": "煤矿事故隐患和“三违”现场登记，无信号时先存本机、来网后自动上传。",
        "lang": "zh-CN",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f8f9fa",
        "theme_color": "#0d6efd",
        "icons": icons,
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_not_required
@require_GET
def service_worker(request):
    """static/js/sw.js served from the root, so its scope is the whole site (a worker under /static/ could only
    control /static/). Never cached by HTTP: the browser compares it byte for byte to find a new version."""
    path = settings.BASE_DIR / "static" / "js" / "sw.js"
    # the session's length: the worker shows no offline copy older than a session could live
    script = path.read_bytes().replace(b"__SESSION_SECONDS__", str(settings.SESSION_COOKIE_AGE).encode())
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_queue(request):
    """待上传: the records saved in this browser while offline, drawn by static/js/offline.js from IndexedDB (each with
    the server's message when it refused one, and a link to correct or delete it)."""
    return render(request, "offline.html")
