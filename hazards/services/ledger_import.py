"""Import of the hazard ledgers mines already keep in Excel (../samples/hazard-ledger-sample.xlsx is one)."""

import functools
import re
import unicodedata

from django.db import transaction
from django.db.models.base import ModelState

from campaign.membership import campaign_of_record, running_campaigns
from core.errors import NotPermitted
from core.excel import ImportColumn, RowError, parse_choice, parse_date, parse_decimal, parse_text
from core.ledger_import import (
    ALREADY_CLOSED,
    SUSPENDS_MINE,
    ImportWarning,
    LedgerSpec,
    batch_for,
    campaign_warning,
    import_ledger,
    undo_batch,
)
from core.models import LedgerKind
from core.validation import field_problems, problems_as_row_errors
from notifications.services import notifications_withdraw

from ..criteria.match import match
from ..models import (
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardSource,
    HazardSpecialty,
    HazardStatus,
    LeaderReview,
    SuspectedMajorHazard,
    SuspectedState,
)
from ..models.hazard import hazard_fingerprint
from ..permissions import BUREAU_LABEL_REFUSED, can_supervise, can_write_ledger
from ..selectors import current_major_items
from ..signals import OPENED, REMOVED
from ..sweeps import NOTICE_STEPS
from ..tasks import enqueue_import_findings
from ..validation import CHECKED_FIELDS, ITEM_REQUIRED, hazard_normalise, hazard_rules
from .hazards import mine_refresh_status
from .leader_reviews import leader_reviews_require
from .suspected import SUSPECTED_MAJOR, suspected_major_warning

MAX_ROWS = 10_000
ITEM_GUESSED = "item_guessed"  # a warning's kind: the 情形 of a 重大 line taken from the matcher

SOURCE_SYNONYMS = {
    "日查": HazardSource.TEAM_DAILY,
    "班组检查": HazardSource.TEAM_DAILY,
    "周查": HazardSource.UNIT_WEEKLY,
    "科队检查": HazardSource.UNIT_WEEKLY,
    "月查": HazardSource.ENTERPRISE_MONTHLY,
    "矿井月查": HazardSource.ENTERPRISE_MONTHLY,
    "企业检查": HazardSource.ENTERPRISE_MONTHLY,
    "季查": HazardSource.GROUP_QUARTERLY,
    "公司季查": HazardSource.GROUP_QUARTERLY,
    "集团检查": HazardSource.GROUP_QUARTERLY,
    "县局检查": HazardSource.BUREAU_INSPECTION,
    "执法检查": HazardSource.BUREAU_INSPECTION,
    "监管检查": HazardSource.BUREAU_INSPECTION,
    "上级部门检查": HazardSource.SUPERIOR_INSPECTION,
    "市局检查": HazardSource.SUPERIOR_INSPECTION,
    "省局检查": HazardSource.SUPERIOR_INSPECTION,
    "群众举报": HazardSource.REPORT,
    "匿名举报": HazardSource.REPORT,
}
SPECIALTY_SYNONYMS = {
    "一通三防": HazardSpecialty.VENTILATION,
    "瓦斯防治": HazardSpecialty.GAS,
    "防突出": HazardSpecialty.OUTBURST,
    "水害": HazardSpecialty.WATER,
    "探放水": HazardSpecialty.WATER,
    "采煤": HazardSpecialty.MINING,
    "掘进": HazardSpecialty.MINING,
    "支护": HazardSpecialty.ROOF,
    "供电": HazardSpecialty.ELECTROMECHANICAL,
    "电气": HazardSpecialty.ELECTROMECHANICAL,
    "提升运输": HazardSpecialty.TRANSPORT,
    "火工品": HazardSpecialty.BLASTING,
    "防火": HazardSpecialty.FIRE,
    "地质": HazardSpecialty.GEOLOGY,
    "地测防治水": HazardSpecialty.WATER,
    "职业健康": HazardSpecialty.OCCUPATIONAL_HEALTH,
    "管理": HazardSpecialty.MANAGEMENT,
    "综合": HazardSpecialty.OTHER,
}
LEVELS = {
    "一般": ("general", ""),
    "一般隐患": ("general", ""),
    "GENERAL": ("general", ""),
    "重大": ("major", ""),
    "重大隐患": ("major", ""),
    "重大事故隐患": ("major", ""),
    "MAJOR": ("major", ""),
}
for _grade in "ABC":
    for _text in (_grade, f"{_grade}级", f"一般{_grade}", f"一般{_grade}级", f"{_grade}类"):
        LEVELS[_text] = ("general", _grade)


def _parse_level(raw):
    key = str(raw).strip().replace(" ", "").upper()
    if key in LEVELS:
        return LEVELS[key]
    raise ValueError(f"隐患等级“{raw}”无法识别，可选：一般（可写 A/B/C 级）、重大。")


def _category_parser(categories):
    by_no = {c.no: c for c in categories}
    by_name = {c.name: c for c in categories}

    def parse(raw):
        text = str(raw).strip()
        head = text.split(".")[0].split("、")[0].strip()
        if head.isdigit() and int(head) in by_no:
            return by_no[int(head)]
        for name, category in by_name.items():
            if name in text or text in name:
                return category
        raise ValueError(f"重大隐患类别“{text}”不在现行判定标准中，请填写类别序号（1–{len(by_no)}）。")

    return parse


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
#: 第十条第（二）项, 第10条第2项, 十（二）, 10-2 (after NFKC: half-width digits and brackets); a leading 《…》 and the
#: item's text after it are allowed. The numbers are the standard's article and item, as documents cite them.
_REFERENCE = re.compile(
    rf"^(?:《[^》]*》)?第?(?P<article>{_NUMBER})(?:条第?|[-—–.、]|(?=\())\(?(?P<item>{_NUMBER})\)?项?"
)
#: the words officers put around an item's text that say nothing about which item it is
_TEXT_NOISE = re.compile(r"[\s，。、；：,.;:“”\"'（）()《》]|的$")


def _number(text):
    """10 or 十 → 10; 十八 → 18, 二十 → 20 (the standard has articles 4–18 and at most 20-odd items)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return _CN_DIGITS.get(text, 0)


def _item_parser(items):
    """A 情形 cell as officers write it: 第十条第（二）项, 第10条第2项, 10-2, 十（二）, or the item's own text (whole,
    or enough of it to name one item). Numbers are the article (第X条) and item (第（Y）项) the documents cite, not
    the category's number (that is the 重大隐患类别 column's)."""
    by_reference = {(_number(it.category.article.strip("第条")), it.no): it for it in items}
    by_text = [(_TEXT_NOISE.sub("", unicodedata.normalize("NFKC", it.text)), it) for it in items]

    def parse(raw):
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace(" ", "")
        found = _REFERENCE.match(text)
        if found:
            item = by_reference.get((_number(found["article"]), _number(found["item"])))
            if item is not None:
                return item
        else:
            words = _TEXT_NOISE.sub("", text)
            same = [it for body, it in by_text if body == words]
            if not same and len(words) >= 8:
                same = [it for body, it in by_text if words in body or body in words]
            if len(same) == 1:
                return same[0]
        raise ValueError(
            f"重大隐患情形“{str(raw).strip()[:40]}”不在现行判定标准中，请写明条和项（如“第十条第（二）项”或“10-2”），"
            "或填写情形原文。"
        )

    return parse


def _guess_item(values, by_key):
    """(item, []) when the matcher is sure of a 重大 line's 情形 — a phrase of the standard itself (a cue) names its
    best item and no other item in scope (the line's 类别 when the file gives one) — else
    (None, the three closest items) for the row's error. `by_key`: the current items by (category no, item no)."""
    category = values.get("major_category")
    result = match(
        values.get("description") or "",
        location=values.get("location") or "",
        specialty=values.get("specialty") or "",
        top=len(by_key),
    )
    ranked = [m for m in result.matches if category is None or m.category == category.no]
    if ranked and ranked[0].cue and (len(ranked) == 1 or not ranked[1].cue):
        return by_key.get((ranked[0].category, ranked[0].item)), []
    return None, [by_key[(m.category, m.item)] for m in ranked[:3] if (m.category, m.item) in by_key]


def hazard_columns(categories, items):
    return [
        ImportColumn("found_on", ("排查日期", "发现日期", "检查日期", "排查时间"), parse_date, required=True),
        ImportColumn(
            "source",
            ("排查类型", "隐患来源", "检查类型", "来源", "排查方式"),
            parse_choice(HazardSource.choices, synonyms=SOURCE_SYNONYMS, what="排查类型"),
            required=True,
        ),
        ImportColumn("location", ("隐患地点", "地点", "位置", "隐患部位"), parse_text(200), required=True),
        ImportColumn(
            "description", ("隐患内容", "隐患描述", "存在问题", "问题描述", "隐患情况"), parse_text(5000), required=True
        ),
        ImportColumn(
            "specialty",
            ("专业", "专业类别", "隐患专业", "类别"),
            parse_choice(HazardSpecialty.choices, synonyms=SPECIALTY_SYNONYMS, what="专业"),
        ),
        ImportColumn("level", ("隐患等级", "等级", "隐患级别", "级别"), _parse_level),
        ImportColumn("major_category", ("重大隐患类别", "重大隐患判定依据", "判定依据"), _category_parser(categories)),
        ImportColumn(
            "major_item",
            ("重大隐患情形", "情形", "判定标准条款", "判定条款", "条款", "重大隐患条款"),
            _item_parser(items),
        ),
        ImportColumn("measures", ("整改措施", "措施", "治理措施"), parse_text(5000)),
        ImportColumn("responsible_unit", ("整改责任单位", "责任单位", "责任部门"), parse_text(100)),
        ImportColumn("responsible_person", ("整改责任人", "责任人"), parse_text(40)),
        ImportColumn("due_on", ("整改期限", "整改时限", "完成期限", "整改截止日期"), parse_date),
        ImportColumn("funds", ("整改资金(元)", "整改资金", "资金(元)", "资金", "整改费用"), parse_decimal),
        ImportColumn("contingency_plan", ("应急预案", "应急措施"), parse_text(5000)),
        ImportColumn(
            "status",
            ("状态", "整改状态", "治理状态"),
            parse_choice(
                HazardStatus.choices, synonyms={"已整改": "awaiting_acceptance", "未整改": "open"}, what="状态"
            ),
        ),
        ImportColumn("rectified_on", ("整改完成日期", "完成日期", "实际完成日期"), parse_date),
        ImportColumn("accepted_by_name", ("验收人", "复查人"), parse_text(40)),
        ImportColumn("accepted_on", ("销号日期", "验收日期", "复查日期"), parse_date),
        ImportColumn("note", ("备注",), parse_text(500)),
    ]


def _check_who(number, values, headers, errors, *, may_supervise):
    """What the actor may bring in, as on the page: only the bureau records a line as found by it (排查类型“县局执法
    检查”; `may_supervise`: can_supervise(actor, mine), asked once a file). A mine's ledger may hold major hazards
    closed before it came here: they import as its history (the audit trail says who imported them); an import never
    changes a hazard already in the ledger."""
    if values.get("source") == HazardSource.BUREAU_INSPECTION and not may_supervise:
        errors.append(RowError(number, headers["source"], BUREAU_LABEL_REFUSED))
        return False
    return True


def _row_status(values):
    """The status a line comes in with: the file's, or what its dates say (销号日期: 已销号; 整改完成日期: 待验收)."""
    status = values.get("status")
    if status is None:
        if values.get("accepted_on"):
            status = HazardStatus.CLOSED
        elif values.get("rectified_on"):
            status = HazardStatus.AWAITING_ACCEPTANCE
        else:
            status = HazardStatus.OPEN
    return status


_RELATIONS = frozenset(f.name for f in Hazard._meta.concrete_fields if f.is_relation)
_template = {}


def _line(*, level, grade, status, values):
    """The unsaved Hazard a line's rules are checked on (hazards.validation), as Hazard(level=…, **values) would be.

    Copied from a template made once rather than through Model.__init__, whose 30-odd fields' defaults and keyword
    arguments were the largest part of checking a row of a 10,000-row file; a relation (情形, 类别) is set through its
    descriptor as __init__ sets it. Never saved: a default the template took at its time (a creation time) is not
    what any rule reads."""
    if not _template:
        _template.update(Hazard().__dict__)
        del _template["_state"]
    line = Hazard.__new__(Hazard)
    state = line.__dict__
    state.update(_template)
    state["_state"] = ModelState()
    for name, value in values.items():
        if value is None or name in ("level", "status"):
            continue
        if name in _RELATIONS:
            setattr(line, name, value)
        else:
            state[name] = value
    state["level"], state["grade"], state["status"] = level, grade, status
    return line


def _check_row(number, values, headers, errors, *, may_supervise=None, items_by_key=None, guessed=None):
    """The line's rules (hazards.validation, the same as the page's and the API's), made even when another cell of
    the row failed, so one pass reports everything; a cell that could not be read is not judged again.

    A 重大 line without its 情形 (a file with no such column, or an empty cell): the matcher's item when it is sure,
    noted in `guessed` for the preview's warning (请核对); otherwise the rule's error, with the closest items."""
    allowed = (
        _check_who(number, values, headers, errors, may_supervise=may_supervise) if may_supervise is not None else True
    )
    level, grade = values.get("level") or (HazardLevel.GENERAL, "")
    suggestions = []
    if (
        level == HazardLevel.MAJOR
        and values.get("major_item") is None
        and items_by_key
        # a cell that could not be read is not guessed over (its error says what was wrong with it); `errors` are
        # this line's own (core.ledger_import.read_ledger)
        and not any(e.column == headers.get("major_item") for e in errors)
    ):
        item, suggestions = _guess_item(values, items_by_key)
        if item is not None:
            values["major_item"] = item
            if guessed is not None:
                guessed[number] = item
    line = _line(level=level, grade=grade, status=_row_status(values), values=values)
    hazard_normalise(line)
    # The rules of hazard_problems; the bounds of the fields the file gave were checked on its cells already
    # (core.ledger_import.bound_errors, before this), so only those of the others are checked again here.
    problems = field_problems(line, [name for name in CHECKED_FIELDS if name not in values]) + hazard_rules(line)
    if suggestions:
        closest = "；".join(it.citation for it in suggestions)
        problems = [
            (name, f"{message}按描述相近的有：{closest}。" if message == ITEM_REQUIRED else message)
            for name, message in problems
        ]
    new = problems_as_row_errors(number, problems, headers, errors, model=Hazard, whole_record_column="level")
    return allowed and not new


def _row_to_hazard(values, *, mine, actor, campaign_on):
    """The row to insert for one line of the ledger (plain values: the importer inserts them as they are).
    `campaign_on(day)`: the campaign of record of the mine's lines of that day."""
    level, grade = values.get("level") or ("general", "")
    status = _row_status(values)
    campaign = campaign_on(values["found_on"])
    item = values.get("major_item") if level == HazardLevel.MAJOR else None
    major = values.get("major_category") if level == HazardLevel.MAJOR else None
    major = major or (item.category if item is not None else None)  # the situation names its category
    return {
        "mine_id": mine.pk,
        "campaign_id": campaign.pk if campaign else None,
        "source": values["source"],
        "found_on": values["found_on"],
        "location": values["location"],
        "description": values["description"],
        "specialty": values.get("specialty") or HazardSpecialty.OTHER,
        "level": level,
        "grade": grade,
        "major_category_id": major.pk if major else None,
        "major_item_id": item.pk if item is not None else None,
        "measures": values.get("measures") or "",
        "funds": values.get("funds"),
        "responsible_unit": values.get("responsible_unit") or "",
        "responsible_person": values.get("responsible_person") or "",
        "due_on": values.get("due_on"),
        "contingency_plan": values.get("contingency_plan") or "",
        "status": status,
        "rectified_on": values.get("rectified_on"),
        "accepted_by_name": values.get("accepted_by_name") or "",
        "accepted_on": values.get("accepted_on"),
        "note": values.get("note") or "",
        "created_by_id": getattr(actor, "pk", None),
        # A line brought in as rectified is the importer's request for its acceptance: one person does not check
        # their own work (permissions.can_accept), whether the request came by the page or by the file.
        "acceptance_requested_by_id": getattr(actor, "pk", None)
        if status == HazardStatus.AWAITING_ACCEPTANCE
        else None,
        "fingerprint": hazard_fingerprint(
            found_on=values["found_on"], location=values["location"], description=values["description"]
        ),
    }


def _cells_fingerprint(values):
    """The fingerprint `_row_to_hazard` gives a line, from its cells (a cell left blank or unread counts as empty:
    such a line is refused by its checks, and its fingerprint only looked up)."""
    return hazard_fingerprint(
        found_on=values.get("found_on"),
        location=values.get("location") or "",
        description=values.get("description") or "",
    )


def hazard_ledger_spec(*, actor, mine):
    """How a hazard ledger is read, checked, warned about, written and undone for `mine` (core.ledger_import)."""
    from django.utils import timezone

    # The current standard's items and, through them, its categories: one read per import, not one per row.
    items = list(current_major_items())
    categories = list({it.category_id: it.category for it in items}.values())
    items_by_key = {(it.category.no, it.no): it for it in items}
    guessed = {}  # row number → the item the matcher chose for a 重大 line without its 情形 (warned: 请核对)
    may_supervise = can_supervise(actor, mine) if actor is not None else None
    campaigns = running_campaigns(bureau_id=mine.bureau_id)
    current = campaign_of_record(unit=mine, day=timezone.localdate(), campaigns=campaigns)
    # A file's lines fall on a few dozen days: the campaign of each day looked up once, not once a line.
    campaign_on = functools.cache(lambda day: campaign_of_record(unit=mine, day=day, campaigns=campaigns))

    def warn(number, row, headers):
        notes = []
        outside = campaign_warning(number, headers.get("found_on", "排查日期"), row["found_on"], current, "排查日期")
        if outside:
            notes.append(outside)
        status = row["status"]
        if row["level"] == HazardLevel.MAJOR and status != HazardStatus.CLOSED:
            notes.append(
                ImportWarning(
                    number,
                    headers.get("level", "隐患等级"),
                    SUSPENDS_MINE,
                    f"重大隐患未销号：导入后{mine.name}将处于停产整顿，直至该隐患验收销号。",
                )
            )
        if number in guessed:
            item = guessed[number]
            notes.append(
                ImportWarning(
                    number,
                    headers.get("major_item") or headers.get("description", "隐患内容"),
                    ITEM_GUESSED,
                    f"未填写重大隐患情形，按描述判定为{item.citation}（{item.text[:40]}），请核对。",
                )
            )
        if status in (HazardStatus.CLOSED, HazardStatus.AWAITING_ACCEPTANCE):
            label = HazardStatus(status).label
            # 待验收: the importer's word that the line was rectified, so the importer asked for its acceptance.
            then = "不再进入整改流程" if status == HazardStatus.CLOSED else "视为由您申请验收，须由他人验收销号"
            notes.append(
                ImportWarning(
                    number,
                    headers.get("status") or headers.get("accepted_on") or headers.get("rectified_on") or "状态",
                    ALREADY_CLOSED,
                    f"文件中该隐患已是“{label}”，将按“{label}”导入，{then}。",
                )
            )
        return notes

    def preview_warn(number, row, headers):
        # The preview tells which 一般 lines read like a major hazard; the import raises their findings once it has
        # committed (after_insert), so the write itself does not run the matcher over the file again.
        suspected = suspected_major_warning(
            description=row["description"],
            location=row["location"],
            specialty=row["specialty"],
            level=row["level"],
            status=row["status"],
        )
        if suspected:
            return [ImportWarning(number, headers.get("description", "隐患内容"), SUSPECTED_MAJOR, suspected)]
        return []

    def after_insert(result):
        # The lines' first step in their 处理记录 ("台账导入": who, when, which file) is their batch, shown from it
        # (templates/hazards/hazard_detail.html), not 10,000 copies of it in the event log: each event row cost its
        # insert and two foreign-key checks at commit, a tenth of a 10,000-line import.
        # 上级检查 major hazards owe the main leader's 检查: only such rows' ids are sent (the rule's own query filters
        # them again), not the 10,000 ids of a file of ordinary lines.
        owing = [
            pk
            for pk, row in zip(result.ids, result.rows, strict=True)
            if row["level"] == HazardLevel.MAJOR and row["source"] == HazardSource.SUPERIOR_INSPECTION
        ]
        if owing:
            leader_reviews_require(hazard_ids=owing)
        # The same check as a line typed in, for the 一般 rows, once the import has committed: the matcher is most of
        # what a row would cost inside this transaction. The preview's warnings (suspected_major_warning) said which.
        batch_id = result.batch_id
        transaction.on_commit(lambda: enqueue_import_findings(batch_id), robust=True)
        if any(row["level"] == HazardLevel.MAJOR for row in result.rows):
            mine_refresh_status(mine_id=mine.pk, actor=actor, change=OPENED)

    def after_undo(rows):
        if any(row["level"] == HazardLevel.MAJOR for row in rows):
            mine_refresh_status(mine_id=mine.pk, actor=actor, change=REMOVED)

    def undo_check(ids):
        # A 疑似重大隐患 the system raised on a row goes with it while 待核实; once the bureau decided it, it is a step
        # someone took (the decision's event would refuse it too, in words that say less).
        if SuspectedMajorHazard.objects.filter(hazard_id__in=ids).exclude(state=SuspectedState.PENDING).exists():
            return "该批导入的隐患中有疑似重大隐患已经核实，不能撤销。"
        if LeaderReview.objects.filter(hazard_id__in=ids, submitted_at__isnull=False).exists():
            return "该批导入的隐患在导入后已报送主要负责人检查，不能撤销。"
        # The import writes no event (its step is the batch): any event is a step someone took since.
        if HazardEvent.objects.filter(hazard_id__in=ids).exists():
            return "该批导入的隐患在导入后已有办理记录，不能撤销。"
        return None

    def undo_cleanup(ids):
        # The sweeps' notices about the rows (due, overdue, escalated) would lead to hazards that are gone.
        notifications_withdraw(keys=[f"hazard:{step}:{pk}" for pk in ids for step in NOTICE_STEPS])

    return LedgerSpec(
        columns=hazard_columns(categories, items),
        check=lambda number, values, headers, errors: _check_row(
            number, values, headers, errors, may_supervise=may_supervise, items_by_key=items_by_key, guessed=guessed
        ),
        build=lambda values: _row_to_hazard(values, mine=mine, actor=actor, campaign_on=campaign_on),
        fingerprint=_cells_fingerprint,
        model=Hazard,
        what="隐患",
        max_rows=MAX_ROWS,
        kind=LedgerKind.HAZARDS,
        warn=warn,
        preview_warn=preview_warn,
        after_insert=after_insert,
        after_undo=after_undo,
        # judged by undo_check, in its own words and order, rather than by the shared check's "后续记录"
        undo_owned=(HazardEvent, LeaderReview, SuspectedMajorHazard),
        undo_check=undo_check,
        undo_cleanup=undo_cleanup,
        preview_fields=("found_on", "source", "location", "description", "level", "status", "due_on"),
    )


def hazards_import(*, actor, mine, upload, only_valid_rows=False, **options):
    """All good rows or nothing: with bad rows nothing is written unless `only_valid_rows` is asked for.

    Rows already in the mine's ledger (same date, place and content) are skipped, so importing the same
    file twice creates nothing the second time. The file is read before the (short) write transaction begins.
    `options`: core.ledger_import.import_ledger's (`dry_run`, `mapping`, `file_name`, `expect_digest`…)."""
    if not can_write_ledger(actor, mine):
        raise NotPermitted("您不能向该煤矿的台账导入隐患。")
    spec = hazard_ledger_spec(actor=actor, mine=mine)
    return import_ledger(spec=spec, mine=mine, upload=upload, only_valid_rows=only_valid_rows, actor=actor, **options)


@transaction.atomic
def hazards_import_undo(*, actor, batch_id):
    """Undo an import of the hazard ledger (core.ledger_import.undo_batch): 404 for a batch the actor does not see,
    403 for one of a mine it may not import into, 409 when too old or its rows were worked on since."""
    batch = batch_for(user=actor, kind=LedgerKind.HAZARDS, pk=batch_id, lock=True)
    if not can_write_ledger(actor, batch.mine):
        raise NotPermitted("您不能撤销该煤矿的隐患导入。")
    return undo_batch(spec=hazard_ledger_spec(actor=actor, mine=batch.mine), batch=batch, actor=actor)
