"""`Idempotency-Key`: a write sent twice (a phone's retry after its answer was lost) happens once.

A signed-in user's POST/PUT/PATCH with the header runs inside one transaction together with a row
(`core.models.IdempotencyKey`, unique per user and key) naming the request. Consequences:

- the row and the view's writes commit together, so a request that crashed leaves neither and can be sent again;
- a repeat after the first committed finds the row and answers the stored response again, marked
  `Idempotent-Replayed: true`, without running the view;
- a duplicate arriving while the first is still running waits on the row's unique index (PostgreSQL blocks the second
  insert until the first transaction ends; SQLite serialises writers) for at most `IDEMPOTENCY_WAIT_SECONDS`, then
  answers 409 so the client tries later;
- only answers below 400 are kept: a refused record (a rule, a conflict) leaves no row, so the officer can correct it
  and send it under the same key;
- the same key on another path or method, or with other contents, is the client's mistake: 422;
- a record the browser queued names its officer (`X-Capture-User`): sent under another user's session it is refused
  (409) and waits in that browser for its officer.

The API's token users are not known to a middleware (DRF authenticates in the view): the header is honoured for the
browser's session, which is what the offline capture (static/js/offline.js) uses.
"""

import hashlib
import json
import re

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import HttpResponse, JsonResponse

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
METHODS = {"POST", "PUT", "PATCH"}
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,100}")
#: the response headers worth replaying (never a cookie)
KEPT_HEADERS = ("Content-Type", "Location")

BAD_KEY = "请求头 Idempotency-Key 无效：应为 8–100 位字母、数字、连字符或下划线。"
IN_FLIGHT = "同一条记录的上一次提交仍在处理中，请稍后重试。"
MISMATCH = "该 Idempotency-Key 已用于另一项提交，不能用于本次请求；请为新记录生成新的键。"
#: the officer who made a record queued in the browser (offline.js sends it): on a shared phone the session may by
#: now be another user's, and the record must not land in that user's mine under that user's name
CAPTURE_USER_HEADER = "X-Capture-User"
OTHER_USER = "这条记录是本机另一位用户离线登记的，请以该用户登录后再上传。"


def fingerprint(request):
    """What was sent, as a hash: the form's fields (without the CSRF token, which changes per page) and its files'
    names and sizes, or the raw body of any other content type."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    content_type = request.content_type or ""
    # Django parses form bodies of POST only; a PUT or PATCH is hashed as sent.
    if request.method == "POST" and content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        fields = sorted((k, v) for k in request.POST for v in request.POST.getlist(k) if k != "csrfmiddlewaretoken")
        files = sorted((k, f.name, f.size) for k in request.FILES for f in request.FILES.getlist(k))
        digest.update(json.dumps([fields, files], ensure_ascii=False).encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _stored_response(row):
    response = HttpResponse(bytes(row.response_body), status=row.response_status)
    for name, value in row.response_headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def _refusal(message, status, code):
    return JsonResponse({"detail": message, "code": code}, status=status, json_dumps_params={"ensure_ascii": False})


def _limit_lock_wait():
    """How long the insert of the key may wait for a duplicate in flight. PostgreSQL only: SQLite's writers already
    wait for each other up to the connection's timeout."""
    if connection.vendor == "postgresql":
        wait_ms = int(settings.IDEMPOTENCY_WAIT_SECONDS * 1000)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{wait_ms}ms"])


def _restore_lock_wait():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")


class IdempotencyMiddleware:
    """Placed after the session, CSRF and authentication middlewares (it needs `request.user`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method not in METHODS:
            return self.get_response(request)
        if not KEY_PATTERN.fullmatch(key):
            return _refusal(BAD_KEY, 400, "idempotency_key_invalid")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)  # the view answers a signed-out request (401 or the login page)
        made_by = request.headers.get(CAPTURE_USER_HEADER)
        if made_by is not None and made_by != str(user.pk):
            return _refusal(OTHER_USER, 409, "capture_user_mismatch")
        return self._once(request, user, key)

    def _once(self, request, user, key):
        from .models import IdempotencyKey

        sent = fingerprint(request)
        with transaction.atomic():
            _limit_lock_wait()
            try:
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(
                        user=user, key=key, method=request.method, path=request.path[:400], fingerprint=sent
                    )
            except IntegrityError:
                row = None
            except DatabaseError:
                # lock_timeout: the first request with this key is still running
                return _refusal(IN_FLIGHT, 409, "idempotency_in_flight")
            _restore_lock_wait()
            if row is None:
                first = IdempotencyKey.objects.filter(user=user, key=key).first()
                if first is None:  # it was removed meanwhile (pruned): nothing to replay, nothing to refuse
                    return _refusal(IN_FLIGHT, 409, "idempotency_in_flight")
                if (first.method, first.path, first.fingerprint) != (request.method, request.path[:400], sent):
                    return _refusal(MISMATCH, 422, "idempotency_key_reused")
                return _stored_response(first)

            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)  # a crash leaves neither the key nor half a write
            elif response.status_code >= 400 or response.streaming:
                row.delete()  # refused (or not replayable): the same key may be sent again, corrected
            else:
                row.response_status = response.status_code
                row.response_body = response.content
                row.response_headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
                row.save(update_fields=["response_status", "response_body", "response_headers"])
        return response
