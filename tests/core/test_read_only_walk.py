"""The read-only users (a city's regulator above the county, the county's leadership group) change nothing in the
pages: every page write they could send to what they see answers 403 with a Chinese page — never a redirect with a
message, never a 500 — and the form pages that lead only to a write are 403 as well (issue 22).

The URL patterns come from the resolver and their classification from tests/core/test_isolation_walk.py (SPECS), so
a new page is walked here as soon as it is classified there. The objects are real ones of the users' own county
(tenant A of build_world, the county's campaign); after each write the database's fingerprint (state()) is compared."""

import re

import pytest
from django.urls import reverse

from tests.core.test_isolation_walk import (
    BUREAU,
    OBJ,
    OWN_WRITES,
    PUBLIC,
    READ_ONLY_BELOW,
    REGULATOR_WRITES,
    SPECS,
    all_url_names,
    build_world,
    send,
    state,
)

pytestmark = pytest.mark.django_db

#: the read-only users walked: the city's regulator (as the demo's `city`) and the county's leadership group
READ_ONLY = ("city", "leader")
#: the methods that write
WRITES = ("POST", "PUT", "PATCH", "DELETE")
#: pages that are forms leading only to a write (登记、修改、导入、上传、申请、决定、下达、开始填报): their GET is
#: refused too, and they take a POST even when the walk's table lists only their GET
FORM_SUFFIXES = ("_create", "_edit", "_import", "_upload", "_apply", "_decide", "_order", "_open", "_load")
#: list pages that also take a POST adding a row (班组、科队 on their list)
LIST_WRITES = {"work_unit_list"}
#: what a read-only user writes of its own: its session, password, notices, preferences (OWN_WRITES), and the form
#: pages whose GET is a reading page with a form below it (a tip-off's detail, a campaign's thresholds)
OWN_PAGES = OWN_WRITES | {"password_change", "password_change_done", "profile"}
READ_WITH_FORM = {"tipoff_detail", "campaign_thresholds"}
CJK = re.compile(r"[\u4e00-\u9fff]{4,}")


def _is_api(name):
    return name.startswith("api") or "-" in name


def _kwargs(spec, tenants, campaigns):
    if spec.kind == OBJ:
        return spec.kwargs(tenants["A"])
    if spec.kind == BUREAU:
        return spec.kwargs(campaigns["county"])
    return {}


def write_pages():
    """(name, spec, write methods, whether its GET is a form) of every page (not the API) that writes."""
    for name, spec in SPECS.items():
        if _is_api(name) or spec.kind == PUBLIC or name in OWN_PAGES:
            continue
        form = name.endswith(FORM_SUFFIXES) and name not in READ_WITH_FORM
        writes = [m for m in spec.methods if m in WRITES]
        if not writes and (form or name in LIST_WRITES):
            writes = ["POST"]
        if writes:
            yield name, spec, writes, form


def test_the_walk_covers_every_page_that_writes():
    names = set(all_url_names())
    pages = {name for name, *_ in write_pages()}
    assert pages <= names
    assert len(pages) > 100, len(pages)


@pytest.mark.slow  # ~1 min: build_world, then about 150 refused writes and 60 refused forms per user
@pytest.mark.parametrize("username", READ_ONLY)
def test_read_only_users_are_refused_every_page_write(client, county, username):
    from django.core.cache import cache

    tenants, campaigns, users = build_world(county)
    user, _visible = users[username]
    client.force_login(user)
    problems, refused, forms = [], 0, 0
    for name, spec, writes, form in write_pages():
        url = reverse(name, kwargs=_kwargs(spec, tenants, campaigns))
        for method in writes:
            before = state()
            response = send(client, method, url, spec.body, api=False)
            if username in READ_ONLY_BELOW and name in REGULATOR_WRITES:
                pass  # its own (a campaign of its own, its counties' reports): only "nothing changed" below holds
            elif response.status_code not in (403, 404, 405):
                problems.append(f"{method} {name} {url} → {response.status_code}")
            elif response.status_code == 403:
                body = response.content.decode()
                if "403 Forbidden" in body or not CJK.search(body):
                    problems.append(f"{method} {name} {url} → 403 without a Chinese page")
                refused += 1
            if state() != before:
                problems.append(f"{method} {name} {url} changed data")
        if form and "GET" in spec.methods and not (username in READ_ONLY_BELOW and name in REGULATOR_WRITES):
            response = client.get(url)
            if response.status_code not in (403, 404):
                problems.append(f"GET {name} {url} (a form) → {response.status_code}")
            forms += 1
        cache.clear()  # rate limits must not mask an answer
    assert not problems, "\n".join(problems)
    assert refused > 100 and forms > 30, (refused, forms)
