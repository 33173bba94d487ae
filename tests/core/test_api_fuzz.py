"""No 500 from the API: schemathesis generates requests from our OpenAPI schema (a bounded number of examples
per operation, the same every run) and sends them, signed in as an inspector, to the app in this process."""

import contextlib

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from tests.factories import HazardFactory, ViolationFactory, running_campaign

EXAMPLES = 12

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def keep_connection():
    """Calls to the WSGI app would close the database connection at each request's end (and with it the test's
    transaction); Django's test client disconnects these signals in the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_operation_answers_a_server_error(county, keep_connection):
    from django.core.cache import cache

    running_campaign(bureau=county.bureau)
    HazardFactory(mine=county.mine1)
    ViolationFactory(mine=county.mine1)
    auth = {"Authorization": f"Token {Token.objects.create(user=county.inspector).key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 25
    failures = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            cache.clear()  # the anonymous-report rate limit would answer 429 after five tries
            response = case.call(headers=auth)
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except Exception as exc:  # collect them all, report them together
                failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:300]}")
                raise

        with contextlib.suppress(Exception):  # recorded above; keep fuzzing the other operations
            check()
    from tests.conftest import SUMMARY_LINES

    SUMMARY_LINES.append(f"API fuzz: {len(operations)} operations × up to {EXAMPLES} generated requests, no 5xx")
    assert not failures, "\n".join(failures)
