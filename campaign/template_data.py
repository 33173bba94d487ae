"""Loads a campaign from the notice's facts as data (campaign/data/*.json).

Takes the model classes as arguments so that the data migration can pass its historical models.
"""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TEMPLATE_2024 = DATA_DIR / "campaign-yangcheng-2024.json"

#: measures that the bureau itself carries out (the notice says 县局), not the enterprises and mines
BUREAU_MEASURES = {"4.2"}


def read_template(path=TEMPLATE_2024):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_campaign(data, *, models, bureau=None, is_template=True, notice_text=None):
    """`notice_text`: the notice the data was taken from; each requirement is then linked to its paragraph (once the
    models have the fields: the first data migration ran before them, and 0012 links the template it loaded)."""
    Campaign, Phase, Deadline, Requirement = (
        models["Campaign"],
        models["Phase"],
        models["Deadline"],
        models["Requirement"],
    )
    date = dt.date.fromisoformat
    campaign = Campaign.objects.create(
        code=data["code"],
        name=data["name"],
        document_no=data.get("document_no", ""),
        issuer=data.get("issuer", ""),
        issued_on=date(data["issued_on"]) if data.get("issued_on") else None,
        starts_on=date(data["starts_on"]),
        ends_on=date(data["ends_on"]),
        goals=data.get("goals", []),
        bureau=bureau,
        is_template=is_template,
    )
    Phase.objects.bulk_create(
        Phase(
            campaign=campaign,
            order=p["order"],
            code=p["code"],
            name=p["name"],
            starts_on=date(p["starts_on"]),
            ends_on=date(p["ends_on"]),
            summary=p.get("summary", ""),
        )
        for p in data["phases"]
    )
    Deadline.objects.bulk_create(
        Deadline(
            campaign=campaign,
            code=d["code"],
            kind=d["kind"],
            name=d["name"],
            period=d.get("period", ""),
            due_on=date(d["due_on"]),
            owed_by_enterprises="enterprise" in d["from"],
            owed_by_mines="mine" in d["from"],
            note=d.get("_note", "")[:200],
        )
        for d in data["deadlines"]
    )
    # The data migration that first loaded the 2024 notice ran before items named their evidence and parameters.
    fields = {f.name for f in Requirement._meta.get_fields()}
    has_evidence, has_parameters = "evidence" in fields, "parameters" in fields
    order = 0
    for section in data["requirements"]:
        order += 1
        sec = Requirement.objects.create(
            campaign=campaign, level="section", code=section["code"], name=section["name"], order=order
        )
        for measure in section["children"]:
            order += 1
            performer = "bureau" if measure["code"] in BUREAU_MEASURES else "organizations"
            mea = Requirement.objects.create(
                campaign=campaign,
                parent=sec,
                level="measure",
                code=measure["code"],
                name=measure["name"],
                order=order,
                performed_by=performer,
            )
            for item in measure["items"]:
                order += 1
                target = item.get("target", {})
                Requirement.objects.create(
                    campaign=campaign,
                    parent=mea,
                    level="item",
                    code=item["code"],
                    name=item["text"],
                    order=order,
                    target_min=Decimal(str(target["min"])) if "min" in target else None,
                    target_max=Decimal(str(target["max"])) if "max" in target else None,
                    target_unit=target.get("unit", ""),
                    # an item may be the bureau's within a measure of the enterprises' (4.3.c 停产整顿, 4.3.d 一案双查)
                    performed_by=item.get("performed_by", performer),
                    **({"evidence": item.get("evidence", "")} if has_evidence else {}),
                    **({"parameters": item.get("parameters", {})} if has_parameters else {}),
                )
    if notice_text and "notice_text" in {f.name for f in Campaign._meta.get_fields()}:
        link_to_notice(campaign, requirements=Requirement, text=notice_text)
    return campaign


NOTICE_2024 = DATA_DIR / "notice-yangcheng-2024-280.txt"


def read_notice(path=NOTICE_2024):
    return Path(path).read_text(encoding="utf-8")


def notice_links(text):
    """{code: (number as printed, whole text, paragraph)} of the sections and measures the notice's task list reads
    as (campaign.task_list): how the template's codes (1, 1.1 …) point back into the notice. An item points at the
    paragraph of its measure (the template's items were split from its measures)."""
    from .task_list import from_text

    links = {}
    for section in from_text(text).sections:
        links[section["code"]] = (section["number"], section["text"], section["where"])
        for measure in section["children"]:
            links[measure["code"]] = (measure["number"], measure["text"], measure["where"])
    return links


def link_to_notice(campaign, *, requirements, text):
    """Give `campaign` the notice's text and each of its requirements its paragraph (sections and measures also
    their number and whole text). `requirements` is the Requirement model (the migration passes its own)."""
    links = notice_links(text)
    campaign.notice_text = text
    campaign.save(update_fields=["notice_text"])
    rows = list(requirements.objects.filter(campaign=campaign))
    for r in rows:
        key = r.code if r.level != "item" else r.code.rsplit(".", 1)[0]
        if key not in links:
            continue
        number, whole, where = links[key]
        r.paragraph = where
        if r.level != "item":
            r.number, r.text = number, whole
    requirements.objects.bulk_update(rows, ["paragraph", "number", "text"])
