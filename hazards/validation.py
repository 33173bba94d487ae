"""The rules of one ledger line (事故隐患), stated once: the service (and through it the page and the API) raises the
first problem, the Excel import reports every problem of every row (core.validation)."""

from core.validation import field_problems

from .models import HazardLevel, HazardStatus

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


#: choosing 重大 asks which situation of the standard it is (enforcement documents cite 第X条第（Y）项)
ITEM_REQUIRED = "重大事故隐患必须选择《煤矿重大事故隐患判定标准》中的具体情形（第X条第（Y）项）。"
CATEGORY_REQUIRED = "重大事故隐患必须选择《煤矿重大事故隐患判定标准》中的类别。"


def item_required(hazard):
    """Whether this major hazard must name its 情形. Two kinds of line are judged as they were recorded:
    - a major hazard recorded before the items were data (read from the database as 重大 with its category and no
      item) while its level and category stay: an edit of its measures or due date is not refused for a question
      nobody asked when it was written; re-judging it (another category) asks for the item;
    - a line already 已销号 in a mine's old ledger, imported as its history (it reaches no enforcement document and
      no 停产整顿; hazard_update refuses closed hazards, so only the import meets this)."""
    if not hazard.is_major or hazard.major_item_id is not None:
        return False
    if hazard.status == HazardStatus.CLOSED and hazard.pk is None:
        return False
    stored = getattr(hazard, "_stored_judgement", None)
    if stored is not None:
        level, category_id, item_id = stored
        if level == HazardLevel.MAJOR and item_id is None and category_id == hazard.major_category_id:
            return False
    return True


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
        # The item names its category, so a line without either is told once, of the item.
        if item_required(hazard):
            problems.append(("major_item", ITEM_REQUIRED))
        elif hazard.major_category_id is None:
            problems.append(("major_category", CATEGORY_REQUIRED))
        missing = hazard.missing_five_implementations
        if missing:
            problems.append((None, f"重大事故隐患必须做到“五落实”，还缺：{'、'.join(missing)}。"))
    for name in LATER_DATES:
        day = getattr(hazard, name)
        if day and hazard.found_on and day < hazard.found_on:
            label = hazard._meta.get_field(name).verbose_name
            problems.append((name, f"{label}不能早于排查日期。"))
    return problems
