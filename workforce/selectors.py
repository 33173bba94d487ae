"""Reads of the roster, training, certificates and special-period records. Every one starts from visible_to."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from violations.models import RepeatOffender

from .models import (
    CERTIFICATE_WARNING_DAYS,
    NOT_OWN_STAFF,
    WARNING_KINDS,
    Attendance,
    Certificate,
    DispatchHandover,
    Person,
    PersonRole,
    PositioningRecord,
    SessionKind,
    TrainingSession,
    UnitKind,
    WorkUnit,
    ZeroShiftPlan,
)


def person_list(*, user):
    return Person.objects.visible_to(user).select_related("mine", "unit").order_by("mine__name", "role", "name", "id")


def person_detail(*, user, pk):
    return get_object_or_404(Person.objects.visible_to(user).select_related("mine", "unit", "unit__workshop"), pk=pk)


def person_archive(*, person):
    """培训档案: the sessions a person attended or gave, newest first, and the certificates held."""
    sessions = (
        TrainingSession.objects.filter(Q(attendance__person=person) | Q(lecturer=person))
        .distinct()
        .order_by("-held_on", "-id")
    )
    return {"sessions": list(sessions[:200]), "certificates": list(person.certificates.order_by("expires_on"))}


def work_unit_list(*, user):
    return (
        WorkUnit.objects.visible_to(user)
        .select_related("mine", "workshop")
        .annotate(people_count=Count("people", filter=Q(people__is_active=True)))
        .order_by("mine__name", "kind", "name")
    )


def session_list(*, user):
    return (
        TrainingSession.objects.visible_to(user)
        .select_related("mine")
        .annotate(attendee_count=Count("attendance", distinct=True), unit_count=Count("units", distinct=True))
        .order_by("-held_on", "-id")
    )


def session_detail(*, user, pk):
    attendance = Attendance.objects.select_related("person", "person__unit").order_by("person__name")
    return get_object_or_404(
        TrainingSession.objects.visible_to(user)
        .select_related("mine", "lecturer", "created_by")
        .prefetch_related(Prefetch("attendance", queryset=attendance), "units"),
        pk=pk,
    )


def session_exam_results(session):
    """Each attendee with the score, pass or fail, and for a failure whether a later 脱产重新培训 was attended."""

    rows = list(session.attendance.all())
    failed = [a.person_id for a in rows if a.passed is False]
    retrained = set(
        Attendance.objects.filter(
            person_id__in=failed, session__kind=SessionKind.RETRAINING, session__held_on__gte=session.held_on
        )
        .exclude(session=session)
        .values_list("person_id", flat=True)
    )
    return [{"attendance": a, "passed": a.passed, "retrained": a.person_id in retrained} for a in rows]


def certificate_list(*, user):
    return Certificate.objects.visible_to(user).select_related("mine", "person").order_by("expires_on", "id")


def positioning_list(*, user):
    return PositioningRecord.objects.visible_to(user).select_related("mine").order_by("-entered_at", "-id")


def zero_shift_plan_list(*, user):
    return (
        ZeroShiftPlan.objects.visible_to(user)
        .select_related("mine")
        .prefetch_related("tasks")
        .order_by("-shift_date", "-id")
    )


def zero_shift_plan_detail(*, user, pk):
    return get_object_or_404(
        ZeroShiftPlan.objects.visible_to(user).select_related("mine", "created_by").prefetch_related("tasks"), pk=pk
    )


def zero_shift_leaders_underground(plan):
    """双带班 checked against the positioning records: which of the two leaders were underground during the shift
    (None when the mine has imported no records for that day yet)."""
    start, end = plan.shift_window
    trips = PositioningRecord.objects.filter(mine_id=plan.mine_id, entered_at__lt=end, exited_at__gt=start).values_list(
        "person_name", flat=True
    )
    names = set(trips)
    if not names:
        return None
    return {name: name in names for name in (plan.leader_one, plan.leader_two)}


def handover_list(*, user):
    return DispatchHandover.objects.visible_to(user).select_related("mine").order_by("-shift_starts_at", "-id")


# ------------------------------------------------------------------ coverage


def _ratio(covered, total):
    return {"covered": covered, "total": total, "percent": round(100 * covered / total) if total else None}


def warning_coverage(*, mine, start=None, end=None):
    """The notice's 100% coverage of 警示教育 for one mine (see warning_coverage_of_mines)."""
    return warning_coverage_of_mines(mine_ids=[mine.pk], start=start, end=end)[mine.pk]


def warning_coverage_of_mines(*, mine_ids, start=None, end=None):
    """{mine id: coverage}: the main leaders, workshops and teams of each mine's roster that took part in a
    warning-education session (or the main leader's lecture) between `start` and `end`.

    A person took part by attending or lecturing; a team by being listed or by one of its people attending; a
    workshop by being listed or through one of its teams or people. Managers are reported too. Five queries
    whatever the number of mines and the rosters' size."""
    sessions = TrainingSession.objects.filter(mine_id__in=mine_ids, kind__in=WARNING_KINDS)
    if start:
        sessions = sessions.filter(held_on__gte=start)
    if end:
        sessions = sessions.filter(held_on__lte=end)
    session_rows = list(sessions.values_list("pk", "mine_id", "lecturer_id"))
    session_ids = [pk for pk, _, _ in session_rows]
    people = list(
        Person.objects.filter(mine_id__in=mine_ids, is_active=True).values("pk", "mine_id", "name", "role", "unit_id")
    )
    units = list(
        WorkUnit.objects.filter(mine_id__in=mine_ids, is_active=True).values(
            "pk", "mine_id", "name", "kind", "workshop_id"
        )
    )
    attended = set(Attendance.objects.filter(session_id__in=session_ids).values_list("person_id", flat=True))
    attended |= {lecturer for _, _, lecturer in session_rows if lecturer}
    covered_units = set(
        TrainingSession.units.through.objects.filter(trainingsession_id__in=session_ids).values_list(
            "workunit_id", flat=True
        )
    )
    covered_units |= {p["unit_id"] for p in people if p["pk"] in attended and p["unit_id"]}
    workshop_of = {u["pk"]: u["workshop_id"] for u in units}
    covered_units |= {workshop_of[u] for u in list(covered_units) if workshop_of.get(u)}  # a team covers its workshop
    return {
        mine_id: _coverage(
            sessions=sum(m == mine_id for _, m, _ in session_rows),
            people=[p for p in people if p["mine_id"] == mine_id],
            units=[u for u in units if u["mine_id"] == mine_id],
            attended=attended,
            covered_units=covered_units,
        )
        for mine_id in mine_ids
    }


def _coverage(*, sessions, people, units, attended, covered_units):
    def people_of(role):
        group = [p for p in people if p["role"] == role]
        result = _ratio(sum(p["pk"] in attended for p in group), len(group))
        result["missing"] = [p["name"] for p in group if p["pk"] not in attended]
        return result

    def units_of(kind):
        group = [u for u in units if u["kind"] == kind]
        result = _ratio(sum(u["pk"] in covered_units for u in group), len(group))
        result["missing"] = [u["name"] for u in group if u["pk"] not in covered_units]
        return result

    coverage = {
        "sessions": sessions,
        "main_leaders": people_of(PersonRole.MAIN_LEADER),
        "managers": people_of(PersonRole.MANAGER),
        "workshops": units_of(UnitKind.WORKSHOP),
        "teams": units_of(UnitKind.TEAM),
    }
    required = [coverage[k]["percent"] for k in ("main_leaders", "workshops", "teams")]
    # The notice's figure is the weakest of the three; without a roster there is nothing to measure against.
    coverage["percent"] = min(required) if all(p is not None for p in required) else None
    return coverage


def training_archive_figures(*, mine):
    """People on the roster with a training record, in all and among the outsourced, dispatched and flexible."""
    # Giving a lecture is on the lecturer's archive as much as attending one.
    trained = Exists(Attendance.objects.filter(person=OuterRef("pk"))) | Exists(
        TrainingSession.objects.filter(lecturer=OuterRef("pk"))
    )
    outside = Q(employment__in=NOT_OWN_STAFF)
    return Person.objects.filter(mine=mine, is_active=True).aggregate(
        total=Count("pk"),
        trained=Count("pk", filter=Q(trained)),
        outside=Count("pk", filter=outside),
        outside_trained=Count("pk", filter=outside & Q(trained)),
    )


# ------------------------------------------------------------------ flags on the dashboards


def control_flags(*, user, today=None, days=30):
    """What the special-period controls and training records flag, over the last `days` days, for the dashboards
    of a mine, an enterprise or the bureau: one aggregate query per kind of record."""
    today = today or timezone.localdate()
    # From local midnight `days` days ago: a range on the indexed timestamps, not a date cast of every row.
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time(0, 0)))
    positioning = (
        PositioningRecord.objects.visible_to(user)
        .filter(entered_at__gte=since)
        .aggregate(
            over_underground=Count("pk", filter=Q(over_underground=True)),
            over_face=Count("pk", filter=Q(over_face=True)),
            over_time=Count("pk", filter=Q(over_time=True)),
        )
    )
    certificates = (
        Certificate.objects.visible_to(user)
        .filter(person__is_active=True)
        .aggregate(
            expired=Count("pk", filter=Q(expires_on__lt=today)),
            expiring=Count(
                "pk",
                filter=Q(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=CERTIFICATE_WARNING_DAYS)),
            ),
        )
    )
    handovers = DispatchHandover.objects.visible_to(user).filter(shift_starts_at__gte=since)
    late_handovers = handovers.filter(late=True).count()

    offenders_open = RepeatOffender.objects.visible_to(user).mentoring_open().count()
    return {
        "days": days,
        "over_underground": positioning["over_underground"],
        "over_face": positioning["over_face"],
        "over_time": positioning["over_time"],  # trips over either limit, each counted once
        "certificates_expired": certificates["expired"],
        "certificates_expiring": certificates["expiring"],
        "late_handovers": late_handovers,
        "repeat_offenders_open": offenders_open,
    }


def period_figures(*, mines, start, end):
    """What a monthly report says of the special-period controls and training of `mines` for [start, end]: three
    aggregate queries."""

    since = timezone.make_aware(dt.datetime.combine(start, dt.time(0, 0)))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0, 0)))
    sessions = TrainingSession.objects.filter(mine__in=mines, held_on__gte=start, held_on__lte=end).aggregate(
        warning=Count("pk", filter=Q(kind__in=WARNING_KINDS)),
        training=Count("pk", filter=~Q(kind__in=WARNING_KINDS) & ~Q(kind=SessionKind.REFLECTION)),
    )
    trips = PositioningRecord.objects.filter(mine__in=mines, entered_at__gte=since, entered_at__lt=until).aggregate(
        total=Count("pk"), over=Count("pk", filter=Q(over_time=True))
    )
    handovers = DispatchHandover.objects.filter(
        mine__in=mines, shift_starts_at__gte=since, shift_starts_at__lt=until
    ).aggregate(late=Count("pk", filter=Q(late=True)))
    return {
        "warning_sessions": sessions["warning"],
        "training_sessions": sessions["training"],
        "trips_underground": trips["total"],
        "trips_over_time": trips["over"],
        "handovers_late": handovers["late"],
    }
