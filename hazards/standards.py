"""Loads a version of the major-hazard standard from data (hazards/data/*.json)."""

import json
from pathlib import Path

STANDARD_2020 = Path(__file__).resolve().parent / "data" / "major-hazard-categories-2020.json"
#: the same version with each category's article and its situations (情形), as the criteria matcher reads them
CRITERIA_2020 = Path(__file__).resolve().parent / "data" / "major-hazard-criteria-2020.json"


def load_standard(data, *, HazardStandard, MajorHazardCategory, MajorHazardItem=None, make_current=True):
    """Creates or completes the version `data` names; with MajorHazardItem, its categories' articles and items too
    (a file without them, as the first migration's, loads the categories only)."""
    standard, _ = HazardStandard.objects.get_or_create(
        version=data["version"],
        defaults={"name": data["standard"], "document_no": data.get("document_no", ""), "is_current": make_current},
    )
    if make_current:
        HazardStandard.objects.exclude(pk=standard.pk).update(is_current=False)
        if not standard.is_current:  # a version loaded earlier beside the current one, now made current
            HazardStandard.objects.filter(pk=standard.pk).update(is_current=True)
    for cat in data["categories"]:
        defaults = {"name": cat["name"]}
        if "article" in cat:
            defaults["article"] = cat["article"]
        category, _ = MajorHazardCategory.objects.update_or_create(standard=standard, no=cat["no"], defaults=defaults)
        if MajorHazardItem is None:
            continue
        for item in cat.get("items", ()):
            MajorHazardItem.objects.update_or_create(
                category=category, no=item["no"], defaults={"label": item["label"], "text": item["text"]}
            )
    return standard


def read_standard(path=STANDARD_2020):
    return json.loads(Path(path).read_text(encoding="utf-8"))
