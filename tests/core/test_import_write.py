"""How an import checks and writes its rows in bulk (core.ledger_import): the bounds judged a column at a time give
each row exactly the errors a row-by-row check would, the arrays sent to PostgreSQL come back whole, a column of
any kind of value goes through COPY as it would one value at a time, and the audit trail's tables index only what
they are read by."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from core.errors import DomainError
from core.excel import RowError
from core.ledger_import import _as_array, _copy_column, _copy_value, bound_errors_by_row, ids_in, insert_rows
from hazards.models import Hazard
from hazards.models.hazard import hazard_fingerprint

HEADERS = {"funds": "整改资金（元）", "location": "隐患地点", "found_on": "排查日期"}


def _one_at_a_time(rows):
    """The verdicts a row at a time, each value judged by the field's validators without any memory: what the
    column-wise check must agree with."""
    from django.core.exceptions import ValidationError

    expected = {}
    for number, values in rows:
        for name, value in values.items():
            if value is None or value == "":
                continue
            try:
                Hazard._meta.get_field(name).run_validators(value)
            except ValidationError as exc:
                expected.setdefault(number, []).append(RowError(number, HEADERS[name], exc.messages[0]))
    return expected


def test_equal_numbers_that_their_field_tells_apart_are_judged_each_on_its_own():
    # Decimal("100.000") == Decimal("100"), but only the first breaks the field's two decimal places: a verdict
    # remembered by equality would refuse the second (or pass the first), depending on which came first.
    for order in ((Decimal("100.000"), Decimal("100")), (Decimal("100"), Decimal("100.000"))):
        rows = [(n, {"funds": value}) for n, value in enumerate(order, start=2)]
        by_row = bound_errors_by_row(Hazard, rows, HEADERS)
        assert by_row == _one_at_a_time(rows)
        assert len(by_row) == 1 and [e.column for e in next(iter(by_row.values()))] == ["整改资金（元）"]


def test_a_column_judged_at_once_reports_exactly_the_rows_a_row_by_row_check_reports():
    too_long = "巷" * 201
    rows = [
        (2, {"location": "1号工作面", "found_on": dt.date(2024, 11, 3), "funds": Decimal("100")}),
        (3, {"location": too_long, "found_on": dt.date(1999, 1, 1), "funds": Decimal("-5")}),
        (4, {"location": "1号工作面", "found_on": dt.date(2024, 11, 3), "funds": None}),
        (5, {"location": too_long, "found_on": None, "funds": Decimal("1E+12")}),
        (6, {"location": "", "found_on": dt.date(1999, 1, 1), "funds": Decimal("0.5")}),
    ]
    by_row = bound_errors_by_row(Hazard, rows, HEADERS)
    assert by_row == _one_at_a_time(rows)
    # Within a row the errors follow the columns; rows without a broken bound are absent.
    assert [e.column for e in by_row[3]] == ["隐患地点", "排查日期", "整改资金（元）"]
    assert set(by_row) == {3, 5, 6}


def test_a_value_not_of_its_fields_kind_is_left_to_the_rules_that_know_it():
    # A time of day waiting for its date, a choice not yet read: judged once the row is built, not as a cell.
    rows = [(2, {"location": ["不是文字"], "funds": "一百"}), (3, {"location": "巷" * 201, "funds": Decimal("-1")})]
    by_row = bound_errors_by_row(Hazard, rows, HEADERS)
    assert list(by_row) == [3] and len(by_row[3]) == 2


def test_arrays_go_as_one_string_unless_a_value_holds_a_comma():
    assert _as_array([3, 1, 2], "bigint") == ("string_to_array(%s, ',')::bigint[]", "3,1,2")
    assert _as_array(["a,b", "c"], "text") == ("%s::text[]", ["a,b", "c"])
    assert _as_array([], "text") == ("%s::text[]", [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array form is PostgreSQL's")
@pytest.mark.django_db
def test_an_array_sent_as_one_string_comes_back_whole():
    with connection.cursor() as cursor:
        for values, sql_type in (([5, 10_000_000_000, 7], "bigint"), (["ab12", "x,y", ""], "text"), (["f00d"], "text")):
            array, param = _as_array(values, sql_type)
            cursor.execute(f"SELECT {array}", [param])
            assert cursor.fetchone()[0] == values
        where, params = ids_in(connection, "n", [2, 4])
        cursor.execute(f"SELECT n FROM generate_series(1, 5) AS n WHERE {where} ORDER BY n", params)
        assert cursor.fetchall() == [(2,), (4,)]


def test_a_column_goes_to_copy_as_its_values_would_one_at_a_time():
    now = timezone.now()
    columns = [
        ["井底车场", "中央水仓"],
        ["C:\\巷道", "第一行\n第二行\t制表"],
        [1, 20],
        [Decimal("8000"), Decimal("0.50")],
        [dt.date(2024, 11, 3), dt.date(2024, 1, 9)],
        [now, now],
        [None, None],
        [True, False],
        [None, "文字"],
        [1, True],
        [7, 7, 8, 7],  # repeated values, each written once
        [dt.date(2024, 11, 3), dt.date(2024, 11, 3), dt.date(2024, 1, 9)],
        [now, now, now + dt.timedelta(hours=1)],
    ]
    for values in columns:
        assert _copy_column(list(values)) == [_copy_value(v) for v in values]


@pytest.mark.django_db
def test_rows_of_every_kind_of_value_come_back_from_the_bulk_insert(county):
    day = dt.date(2024, 11, 3)
    rows = [
        {
            "mine_id": county.mine1.pk,
            "source": "team_daily",
            "found_on": day,
            "location": location,
            "description": description,
            "level": "general",
            "status": "open",
            "funds": funds,
            "due_on": due_on,
            "fingerprint": hazard_fingerprint(found_on=day, location=location, description=description),
        }
        for location, description, funds, due_on in (
            ("井底\\车场", "第一行\n第二行\t制表", Decimal("8000.50"), None),
            ("中央水仓", "积水", None, dt.date(2024, 11, 9)),
        )
    ]
    ids = insert_rows(Hazard, rows)
    stored = list(Hazard.objects.filter(pk__in=ids).order_by("pk").values("location", "description", "funds", "due_on"))
    assert stored == [{k: row[k] for k in ("location", "description", "funds", "due_on")} for row in rows]


def test_the_audit_trail_indexes_the_record_its_date_and_its_author_not_its_copies_of_foreign_keys():
    histories = [m for m in apps.get_models() if m.__name__.startswith("Historical") and hasattr(m, "history_id")]
    assert len(histories) > 15
    for model in histories:
        indexed = {f.name for f in model._meta.concrete_fields if f.db_index}
        relations = {f.name for f in model._meta.concrete_fields if f.is_relation and f.name != "history_user"}
        assert not indexed & relations, model.__name__
        assert {"id", "history_date", "history_user"} <= indexed, model.__name__


def test_the_collector_is_held_off_while_a_file_is_read_and_resumes_as_it_was():
    import gc

    from core.excel import paused_gc

    def read_a_broken_file():
        with paused_gc():
            seen.append(gc.isenabled())
            raise DomainError("无法读取该 Excel 文件")

    seen = []
    assert gc.isenabled()
    with pytest.raises(DomainError, match="无法读取"):
        read_a_broken_file()
    assert seen == [False] and gc.isenabled()  # off while reading, resumed even when the read failed
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # left off by someone else: not turned on by the import
    finally:
        gc.enable()


@pytest.mark.django_db
def test_a_rows_checks_see_only_that_rows_errors_so_a_file_of_bad_rows_stays_linear(county, monkeypatch):
    """Each row's checks were given the whole file's errors and looked through them: 10,000 lines with a wrong date
    each took 24 s to preview. They are given the row's own (what could not be read), and what they add is the
    file's."""
    import hazards.services.ledger_import as hazard_import
    from hazards.services import hazards_import
    from tests.hazards.xlsx import workbook_upload

    given = {}
    check = hazard_import._check_row

    def spying(number, values, headers, errors, **kwargs):
        given[number] = {e.row for e in errors}
        return check(number, values, headers, errors, **kwargs)

    monkeypatch.setattr(hazard_import, "_check_row", spying)
    rows = [
        [n, "2024-13-45" if n % 2 else "2024-11-03", "班组日查", f"{n}号", f"内容{n}", "顶板", "重大", "", "", "", None]
        for n in range(1, 7)
    ]
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows), dry_run=True)
    unreadable = {e.row for e in result.errors if e.column == "排查日期"}
    assert len(given) == 6 and len(unreadable) == 3
    assert {number: seen for number, seen in given.items() if seen} == {number: {number} for number in unreadable}
    # what the checks found is in the file's answer too: every 重大 line lacks its 情形 and its 五落实
    assert {e.row for e in result.errors if e.column != "排查日期"} == set(given)


@pytest.mark.django_db
def test_history_written_in_bulk_spares_only_the_model_it_names(county):
    """Inside it, deleting hazards writes no "-" record a row (the caller writes them at once); any other audited
    record deleted meanwhile (a cascade, say) keeps its own."""
    from core.history import history_written_in_bulk
    from tests.factories import HazardFactory, ViolationFactory

    hazard = HazardFactory(mine=county.mine1)
    violation = ViolationFactory(mine=county.mine1)
    with history_written_in_bulk(Hazard):
        Hazard.objects.filter(pk=hazard.pk).delete()
        type(violation).objects.filter(pk=violation.pk).delete()
    assert not Hazard.history.filter(id=hazard.pk, history_type="-").exists()
    assert type(violation).history.filter(id=violation.pk, history_type="-").exists()
    other = HazardFactory(mine=county.mine1)
    Hazard.objects.filter(pk=other.pk).delete()  # outside: as simple-history always did
    assert Hazard.history.filter(id=other.pk, history_type="-").exists()


@pytest.mark.django_db
def test_rows_written_to_copy_a_slice_at_a_time_come_back_whole(county, monkeypatch):
    """Each slice judges its own columns' kinds: a column NULL in one slice and filled in the next, a separator in
    one slice only, come back as they went."""
    monkeypatch.setattr("core.ledger_import._COPY_SLICE", 3)
    day = dt.date(2024, 11, 3)
    rows = []
    for i in range(8):
        location, description = f"{i}号工作面", ("第一行\n第二行\t制表" if i == 4 else f"隐患{i}")
        rows.append(
            {
                "mine_id": county.mine1.pk,
                "source": "team_daily",
                "found_on": day + dt.timedelta(days=i % 2),
                "location": location,
                "description": description,
                "level": "general",
                "status": "open",
                "funds": Decimal("100.50") if i >= 3 else None,
                "due_on": None if i in (0, 1, 2, 7) else day,
                "fingerprint": hazard_fingerprint(found_on=day, location=location, description=description),
            }
        )
    ids = insert_rows(Hazard, rows)
    fields = ("found_on", "location", "description", "funds", "due_on")
    stored = list(Hazard.objects.filter(pk__in=ids).order_by("pk").values(*fields))
    assert stored == [{k: row[k] for k in fields} for row in rows]


def test_the_keys_an_import_writes_on_every_row_are_kept_by_django_and_the_ledgers_keys_by_the_database(county):
    """The batch and the 登记人 are the same on every row of an import, and set by the import itself: the database
    does not check them 10,000 times at its commit (core.models.import_batch_field, recorded_by_field). Django still
    refuses to delete a batch rows came by and clears the 登记人 of a deleted user; the keys a row is found and
    counted by (its mine, its campaign) stay checked by the database."""
    from django.contrib.auth import get_user_model
    from django.db.models import ProtectedError

    from core.models import ImportBatch, LedgerKind
    from violations.models import Violation
    from workforce.models import Person, PositioningRecord, WorkUnit

    for model in (Hazard, Violation, Person, WorkUnit, PositioningRecord):
        assert not model._meta.get_field("import_batch").db_constraint, model.__name__
    for model in (Hazard, Violation):
        assert not model._meta.get_field("created_by").db_constraint, model.__name__
        assert model._meta.get_field("mine").db_constraint, model.__name__
    assert Hazard._meta.get_field("campaign").db_constraint

    user = get_user_model().objects.create_user(username="one-time-importer", password="x-12345678")
    batch = ImportBatch.objects.create(kind=LedgerKind.HAZARDS, mine=county.mine1, created_by=user)
    day = dt.date(2024, 11, 8)
    row = {
        "mine_id": county.mine1.pk,
        "source": "team_daily",
        "found_on": day,
        "location": "一采区",
        "description": "顶板破碎",
        "level": "general",
        "status": "open",
        "created_by_id": user.pk,
        "import_batch_id": batch.pk,
        "fingerprint": hazard_fingerprint(found_on=day, location="一采区", description="顶板破碎"),
    }
    [pk] = insert_rows(Hazard, [row])
    with pytest.raises(ProtectedError):
        batch.delete()
    user.delete()
    assert Hazard.objects.get(pk=pk).created_by_id is None
