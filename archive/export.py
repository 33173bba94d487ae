"""A campaign's complete record as one zip a county can archive (档案): every ledger line, inspection, exam,
submission with all its versions, task progress, bulletin, red-line list, repeat offender, roster, training session,
certificate, trip underground, zero-shift plan and handover, their audit trails, and every attached file.

Data is Django's JSON serialisation (readable without this software, loadable with `loaddata`); files keep their
stored names; manifest.json lists every part with its count and SHA-256."""

import datetime as dt
import functools
import hashlib
import io
import json
import operator
import zipfile

from django.core import serializers
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization, User
from campaign.membership import units_q
from campaign.models import (
    Campaign,
    Deadline,
    Phase,
    ProgressDeclaration,
    ProgressEvidence,
    Requirement,
    RequirementProgress,
)
from core.models import ImportBatch
from core.replica import reads_from_replica
from hazards.models import (
    ExamResult,
    Hazard,
    HazardAccountability,
    HazardEvent,
    HazardFile,
    HazardListing,
    Inspection,
)
from reporting.models import Submission, SubmissionFile, SubmissionVersion
from violations.models import (
    BackTrack,
    Bulletin,
    MentoringStep,
    RedLineItem,
    RedLineList,
    RepeatOffender,
    Violation,
    ViolationAccountability,
)
from workforce.models import (
    Attendance,
    Certificate,
    DispatchHandover,
    Person,
    PositioningRecord,
    TrainingSession,
    WorkUnit,
    ZeroShiftPlan,
    ZeroShiftTask,
)


def campaign_parts(campaign):
    """What belongs to the campaign: by its foreign key, or by its dates and the units taking part in it
    (campaign.membership: two campaigns at once over different mines archive apart)."""
    start, end = campaign.starts_on, campaign.ends_on
    mines = Organization.objects.filter(units_q(campaign))
    hazards = Hazard.objects.filter(mine__in=mines, found_on__range=(start, end))
    violations = Violation.objects.filter(mine__in=mines, occurred_on__range=(start, end))
    inspections = Inspection.objects.filter(mine__in=mines, inspected_on__range=(start, end))
    submissions = Submission.objects.filter(deadline__campaign=campaign)
    progress = RequirementProgress.objects.filter(requirement__campaign=campaign)
    moments = (
        timezone.make_aware(dt.datetime.combine(start, dt.time(0, 0))),
        timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0, 0))),
    )
    sessions = TrainingSession.objects.filter(mine__in=mines, held_on__range=(start, end))
    people = Person.objects.filter(mine__in=mines)
    plans = ZeroShiftPlan.objects.filter(mine__in=mines, shift_date__range=(start, end))
    offenders = RepeatOffender.objects.filter(campaign=campaign)
    parts = {
        "organizations": mines,
        "users": User.objects.filter(organization__in=mines),
        "campaign": Campaign.objects.filter(pk=campaign.pk),
        "phases": Phase.objects.filter(campaign=campaign),
        "deadlines": Deadline.objects.filter(campaign=campaign),
        "requirements": Requirement.objects.filter(campaign=campaign),
        "hazards": hazards,
        "hazard_events": HazardEvent.objects.filter(hazard__in=hazards),
        "hazard_files": HazardFile.objects.filter(hazard__in=hazards),
        "hazard_listings": HazardListing.objects.filter(hazard__in=hazards),
        "hazard_accountability": HazardAccountability.objects.filter(hazard__in=hazards),
        "inspections": inspections,
        "exam_results": ExamResult.objects.filter(inspection__in=inspections),
        "violations": violations,
        "backtracks": BackTrack.objects.filter(violation__in=violations),
        "violation_accountability": ViolationAccountability.objects.filter(violation__in=violations),
        "bulletins": Bulletin.objects.filter(
            bureau_id=campaign.bureau_id, period__gte=f"{start:%Y-%m}", period__lte=f"{end:%Y-%m}"
        ),
        "red_line_lists": RedLineList.objects.filter(mine__in=mines),
        "red_line_items": RedLineItem.objects.filter(red_line_list__mine__in=mines),
        "submissions": submissions,
        "submission_versions": SubmissionVersion.objects.filter(submission__in=submissions),
        "submission_files": SubmissionFile.objects.filter(submission__in=submissions),
        "task_progress": progress,
        "task_evidence": ProgressEvidence.objects.filter(progress__in=progress),
        # each declaration of a self-declared item and the bureau's 核验 of it
        "task_declarations": ProgressDeclaration.objects.filter(progress__in=progress),
        "repeat_offenders": offenders,
        "mentoring_steps": MentoringStep.objects.filter(offender__in=offenders),
        "work_units": WorkUnit.objects.filter(mine__in=mines),
        "people": people,
        "training_sessions": sessions,
        "attendance": Attendance.objects.filter(session__in=sessions),
        "certificates": Certificate.objects.filter(mine__in=mines),
        "positioning_records": PositioningRecord.objects.filter(
            mine__in=mines, entered_at__gte=moments[0], entered_at__lt=moments[1]
        ),
        "zero_shift_plans": plans,
        "zero_shift_tasks": ZeroShiftTask.objects.filter(plan__in=plans),
        "dispatch_handovers": DispatchHandover.objects.filter(
            mine__in=mines, shift_starts_at__gte=moments[0], shift_starts_at__lt=moments[1]
        ),
        # The audit trail of every record above.
        "history_hazards": Hazard.history.filter(id__in=hazards.values("pk")),
        "history_violations": Violation.history.filter(id__in=violations.values("pk")),
        "history_inspections": Inspection.history.filter(id__in=inspections.values("pk")),
        "history_submissions": Submission.history.filter(id__in=submissions.values("pk")),
        "history_task_progress": RequirementProgress.history.filter(id__in=progress.values("pk")),
        "history_people": Person.history.filter(id__in=people.values("pk")),
        "history_training_sessions": TrainingSession.history.filter(id__in=sessions.values("pk")),
    }
    # The imports the lines above came by (who brought them in, when, from which file: an imported hazard's first
    # step in its 处理记录 is its batch).
    imported = [
        Q(pk__in=records.values("import_batch"))
        for records in parts.values()
        if any(f.name == "import_batch" for f in records.model._meta.concrete_fields)
    ]
    parts["import_batches"] = ImportBatch.objects.filter(functools.reduce(operator.or_, imported, Q(pk__in=[])))
    return parts


USER_FIELDS = ("username", "full_name", "role", "organization", "title", "phone", "email", "is_active", "date_joined")

FILE_FIELDS = {
    "hazard_files": "file",
    "submission_files": "file",
    "task_evidence": "file",
    "exam_results": "retraining_evidence",
}


def export_campaign_archive(campaign, out):
    """Write the archive to the binary file `out`; return the manifest. It reads the replica when there is one
    (core.replica), whoever calls it: the command, or a task. (A block, not the decorator: the decorator would run it
    again on the primary if the replica failed midway, appending to a half-written `out`; an archive that fails is
    simply made again, and then reads the primary while the replica is marked down.)"""
    with reads_from_replica():
        return _write_archive(campaign, out)


def _write_archive(campaign, out):
    manifest = {
        "campaign": campaign.code,
        "name": campaign.name,
        "exported_at": timezone.now().isoformat(),
        "parts": {},
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, queryset in campaign_parts(campaign).items():
            rows = list(queryset.order_by("pk"))
            fields = USER_FIELDS if name == "users" else None  # never password hashes in an archive
            data = serializers.serialize("json", rows, fields=fields, ensure_ascii=False, indent=1).encode("utf-8")
            archive.writestr(f"data/{name}.json", data)
            manifest["parts"][name] = {"count": len(rows), "sha256": hashlib.sha256(data).hexdigest()}
            field = FILE_FIELDS.get(name)
            for row in rows if field else ():
                stored = getattr(row, field)
                if not stored:
                    continue
                with stored.open("rb") as source:
                    content = source.read()
                archive.writestr(f"files/{stored.name}", content)
                manifest["parts"].setdefault("files", {"count": 0, "items": {}})
                manifest["parts"]["files"]["count"] += 1
                manifest["parts"]["files"]["items"][stored.name] = hashlib.sha256(content).hexdigest()
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        archive.writestr(
            "README.txt",
            f"{campaign.name}\n档案导出时间：{timezone.localtime():%Y-%m-%d %H:%M}\n"
            "data/*.json 为各类记录（Django JSON 格式，可用 loaddata 导入），"
            "files/ 为附件，manifest.json 为清单和校验值。\n",
        )
    return manifest


def read_archive(data):
    """The records of an archive, as {part: [objects]}: used to check that nothing is missing."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for name in manifest["parts"]:
            if name == "files":
                continue
            raw = archive.read(f"data/{name}.json")
            assert hashlib.sha256(raw).hexdigest() == manifest["parts"][name]["sha256"], name
            parts[name] = [item.object for item in serializers.deserialize("json", raw, ignorenonexistent=True)]
        files = {n[len("files/") :]: archive.read(n) for n in archive.namelist() if n.startswith("files/")}
    return manifest, parts, files


def archive_name(campaign):
    return f"{campaign.code}-{dt.date.today():%Y%m%d}.zip"
