"""The rules of one ledger line (事故隐患), stated once: the service (and through it the page and the API) raises the
first problem, the Excel import reports every problem of every row (core.validation)."""

from core.validation import field_problems

#: the dates of a line that cannot come before it was found, in the order of its life
LATER_DATES = ("due_on", "rectified_on", "accepted_on")

#: the fields whose bounds (core.bounds, on the model fields) a line must keep
CHECKED_FIELDS = (
    "found_on",
    "description",
    "measures",
    "funds",
    "due_on",
    "contingency_plan",
    "rectified_on",
    "accepted_on",
)


def hazard_normalise(hazard):
    """What the level decides by itself: a major hazard has no 一般隐患分级; the situation (情形) names its category."""
    if hazard.is_major:
        hazard.grade = ""
        if hazard.major_item_id is not None and hazard.major_category_id is None:
            hazard.major_category_id = hazard.major_item.category_id


def hazard_problems(hazard):
    """Every rule a ledger line breaks, as (field, message); None as the field: the line as a whole. For the
    service and the importer; the ModelForms (the page, the admin) check the bounds on their fields themselves and
    the rules across fields through Hazard.clean (hazard_rules)."""
    return field_problems(hazard, CHECKED_FIELDS) + hazard_rules(hazard)


def hazard_rules(hazard):
    """The rules across the fields of a line, as (field, message)."""
    problems = []
    if not hazard.is_major and hazard.major_category_id is not None:
        problems.append(("major_category", "一般隐患不应填写重大隐患类别。"))
    if not hazard.is_major and hazard.major_item_id is not None:
        problems.append(("major_item", "一般隐患不应填写重大隐患情形。"))
    if (
        hazard.major_item_id is not None
        and hazard.major_category_id is not None
        and hazard.major_item.category_id != hazard.major_category_id
    ):
        problems.append(("major_item", "所选情形不属于所选的重大隐患类别。"))
    if hazard.is_major:
        if hazard.major_category_id is None:
            problems.append(("major_category", "重大事故隐患必须选择《煤矿重大事故隐患判定标准》中的类别。"))
        missing = hazard.missing_five_implementations
        if missing:
            problems.append((None, f"重大事故隐患必须做到“五落实”，还缺：{'、'.join(missing)}。"))
    for name in LATER_DATES:
        day = getattr(hazard, name)
        if day and hazard.found_on and day < hazard.found_on:
            label = hazard._meta.get_field(name).verbose_name
            problems.append((name, f"{label}不能早于排查日期。"))
    return problems
