"""Loads a version of the major-hazard standard from data (hazards/data/*.json)."""

import json
from pathlib import Path

STANDARD_2020 = Path(__file__).resolve().parent / "data" / "major-hazard-categories-2020.json"


def load_standard(data, *, HazardStandard, MajorHazardCategory, make_current=True):
    standard, _ = HazardStandard.objects.get_or_create(
        version=data["version"],
        defaults={"name": data["standard"], "document_no": data.get("document_no", ""), "is_current": make_current},
    )
    if make_current:
        HazardStandard.objects.exclude(pk=standard.pk).update(is_current=False)
    for cat in data["categories"]:
        MajorHazardCategory.objects.update_or_create(standard=standard, no=cat["no"], defaults={"name": cat["name"]})
    return standard


def read_standard(path=STANDARD_2020):
    return json.loads(Path(path).read_text(encoding="utf-8"))
