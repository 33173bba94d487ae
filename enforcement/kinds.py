"""What each kind of enforcement document says beyond its items: its content fields (key, Chinese label, required?),
what its items are, and the one validator of a document's `content` (used by document_draft and
document_update_draft, so a page, the API and another part's service are held to the same rule).

The keys are a contract: other parts of the enforcement phase write documents with them (the suspension part writes
suspension_order and resumption_opinion; the penalty part writes its notice and decision). The pages, the print
view and the .docx builders read the fields from here, so a kind they do not know in detail still prints."""

from dataclasses import dataclass

from core.errors import DomainError

from .models import DocumentKind, MeasureKind

#: the longest text one field may hold (a 检查情况 of several pages still fits)
MAX_TEXT = 5000

TEXT, CHOICE, CHOICES, DATA = "text", "choice", "choices", "data"

# What a document's items are, by kind.
NO_ITEMS = "none"
FINDINGS = "findings"  # the problems found (a hazard each, or free text)
DEADLINES = "deadlines"  # findings to rectify, each by its own deadline
REVIEWED = "reviewed"  # the order's items, each passed or not, with a note


class Conclusion:
    """复产验收的结论."""

    ACCEPTED, REFUSED = "accepted", "refused"
    choices = ((ACCEPTED, "验收合格，同意恢复生产"), (REFUSED, "验收不合格，不同意恢复生产"))


class ServiceMethod:
    """送达方式 (行政处罚法 第六十一条, 民事诉讼法 送达)."""

    choices = (
        ("direct", "直接送达"),
        ("left", "留置送达"),
        ("post", "邮寄送达"),
        ("entrusted", "委托送达"),
        ("electronic", "电子送达"),
    )


def _lines(value):
    if isinstance(value, list):
        return "\n".join(_lines(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return "；".join(str(v) for v in value.values() if v not in (None, ""))
    return "" if value is None else str(value)


def _parties(value):
    rows = []
    for party in value or []:
        post = f"（{party.get('post')}）" if party.get("post") else ""
        basis = f"，依据{party['basis']}" if party.get("basis") else ""
        rows.append(f"{party.get('name', '')}{post}：罚款{party.get('amount_text', '')}{basis}")
    return "\n".join(rows)


def _provisions(value):
    return "\n".join(f"{p.get('law', '')}{p.get('article', '')}：{p.get('violation', '')}" for p in value or [])


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool = True
    type: str = TEXT
    choices: tuple = ()
    help: str = ""
    #: the draft form asks for it (the penalty kinds' content is written by the case's services, not typed)
    typed: bool = True
    #: the print view lists it among the body (a heading field such as 执法机关 is printed elsewhere)
    printed: bool = True
    rows: int = 3
    show: object = None

    def display(self, value):
        """The value as a person reads it: a choice's label, measures by their names, lines of a list."""
        if self.show is not None:
            return self.show(value)
        labels = dict(self.choices)
        if self.type == CHOICE:
            return labels.get(value, value or "")
        if self.type == CHOICES:
            return "；".join(labels.get(v, v) for v in value or [])
        return _lines(value)


@dataclass(frozen=True)
class KindSpec:
    kind: str
    fields: tuple
    items: str = NO_ITEMS
    #: drafted on the document pages (the penalty and suspension kinds are drafted by their own parts' steps)
    drafted_here: bool = True
    #: the label of its items' table
    items_label: str = "存在的问题"
    intro: str = ""

    @property
    def label(self):
        return DocumentKind(self.kind).label

    def field(self, key):
        return next(f for f in self.fields if f.key == key)

    @property
    def typed_fields(self):
        return [f for f in self.fields if f.typed]


def _penalty(key, label, required=False, show=None, printed=True):
    return Field(key, label, required=required, type=DATA, typed=False, printed=printed, show=show)


_PENALTY_COMMON = (
    _penalty("case_number", "案号", required=True),
    _penalty("cause", "案由", required=True),
    _penalty("authority", "执法机关", required=True, printed=False),
    _penalty("addressee", "当事人", required=True, printed=False),
    _penalty("representative", "法定代表人（主要负责人）"),
    _penalty("address", "地址"),
    _penalty("facts", "违法事实", required=True),
)

SPECS = {
    DocumentKind.INSPECTION_RECORD: KindSpec(
        DocumentKind.INSPECTION_RECORD,
        (
            Field("place", "检查场所", rows=1, help="如：3105采煤工作面、回风巷、主通风机房"),
            Field("situation", "检查情况", rows=5, help="检查的时间、内容、方式和现场情况"),
            Field("findings_summary", "发现的问题", required=False, help="概述；具体问题列在下方条目中"),
        ),
        items=FINDINGS,
        items_label="发现的问题",
    ),
    DocumentKind.RECTIFICATION_ORDER: KindSpec(
        DocumentKind.RECTIFICATION_ORDER,
        (
            Field("facts", "存在的问题", required=False, help="开头语，如：经查，你单位存在下列问题"),
            Field("basis", "依据", rows=2, help="如：《中华人民共和国安全生产法》第六十五条第一款第（三）项"),
        ),
        items=DEADLINES,
        items_label="责令整改的问题及期限",
    ),
    DocumentKind.REVIEW_OPINION: KindSpec(
        DocumentKind.REVIEW_OPINION,
        (Field("opinion", "复查意见", rows=4),),
        items=REVIEWED,
        items_label="复查情况",
    ),
    DocumentKind.ON_SITE_MEASURES: KindSpec(
        DocumentKind.ON_SITE_MEASURES,
        (
            Field("facts", "违法事实", rows=4),
            Field("measures", "现场处理措施", type=CHOICES, choices=tuple(MeasureKind.choices)),
            Field("basis", "依据", rows=2, help="如：《中华人民共和国安全生产法》第六十五条第一款第（三）项"),
        ),
        items=FINDINGS,
        items_label="涉及的问题",
    ),
    DocumentKind.SUSPENSION_ORDER: KindSpec(
        DocumentKind.SUSPENSION_ORDER,
        (
            Field("facts", "存在的重大事故隐患/违法行为", rows=4),
            Field("basis", "依据", rows=2),
            Field("requirements", "停产整顿要求", rows=4),
        ),
        items=FINDINGS,
        drafted_here=False,
        items_label="重大事故隐患",
    ),
    DocumentKind.RESUMPTION_OPINION: KindSpec(
        DocumentKind.RESUMPTION_OPINION,
        (
            Field("checked", "验收情况", rows=4),
            Field("conclusion", "验收结论", type=CHOICE, choices=Conclusion.choices),
            Field("opinion", "验收意见", rows=3),
        ),
        drafted_here=False,
    ),
    DocumentKind.PENALTY_NOTICE: KindSpec(
        DocumentKind.PENALTY_NOTICE,
        (
            *_PENALTY_COMMON,
            _penalty("provisions", "处罚依据", show=_provisions),
            _penalty("parties", "拟作出的行政处罚", required=True, show=_parties),
            _penalty("total", "拟罚款合计（元）", required=True),
            _penalty("served_on", "送达日期"),
            _penalty("statement_due_on", "陈述申辩期限"),
            _penalty("hearing_due_on", "申请听证期限"),
            _penalty("hearing_parties", "有权要求听证的当事人"),
            _penalty("rights", "当事人的权利"),
            _penalty("contact_phone", "联系电话"),
        ),
        drafted_here=False,
    ),
    DocumentKind.PENALTY_DECISION: KindSpec(
        DocumentKind.PENALTY_DECISION,
        (
            *_PENALTY_COMMON,
            _penalty("notice_number", "行政处罚告知书文号"),
            _penalty("notice_served_on", "告知书送达日期"),
            _penalty("statement", "告知和陈述申辩情况"),
            _penalty("provisions", "处罚依据", show=_provisions),
            _penalty("parties", "处罚决定", required=True, show=_parties),
            _penalty("total", "罚款合计（元）", required=True),
            _penalty("served_on", "送达日期"),
            _penalty("payment_due_on", "缴纳罚款期限"),
            _penalty("rights", "履行方式和救济途径"),
        ),
        drafted_here=False,
    ),
    DocumentKind.SERVICE_RECEIPT: KindSpec(
        DocumentKind.SERVICE_RECEIPT,
        (
            Field("place", "送达地点", rows=1),
            Field("method", "送达方式", type=CHOICE, choices=ServiceMethod.choices),
        ),
    ),
}


def spec_of(kind):
    return SPECS[DocumentKind(kind)]


def drafted_here():
    """The kinds the document pages draft, in the order of the national templates."""
    return [spec for spec in SPECS.values() if spec.drafted_here]


def _empty(value):
    return value is None or value == "" or value == [] or value == {}


def validate_content(kind, content):
    """`content` checked against the kind's fields: a dict of known keys only, every required field filled, texts
    trimmed and bounded, choices among their codes. Returns the cleaned dict; a DomainError names the field."""
    spec = spec_of(kind)
    if content is None:
        content = {}
    if not isinstance(content, dict):
        raise DomainError("文书内容格式不正确。", field="content")
    known = {f.key for f in spec.fields}
    unknown = sorted(set(content) - known)
    if unknown:
        raise DomainError(f"{spec.label}没有“{'、'.join(unknown)}”这项内容。", field="content")
    cleaned = {}
    for field in spec.fields:
        value = content.get(field.key)
        if field.type == TEXT:
            if value is not None and not isinstance(value, str):
                raise DomainError(f"“{field.label}”应为文字。", field=field.key)
            value = (value or "").strip()
            if len(value) > MAX_TEXT:
                raise DomainError(f"“{field.label}”不能超过 {MAX_TEXT} 字。", field=field.key)
        elif field.type == CHOICE:
            codes = {code for code, _ in field.choices}
            if not _empty(value) and value not in codes:
                raise DomainError(f"“{field.label}”的取值不正确。", field=field.key)
        elif field.type == CHOICES:
            codes = {code for code, _ in field.choices}
            value = value if value is not None else []
            if not isinstance(value, list) or any(v not in codes for v in value):
                raise DomainError(f"“{field.label}”的取值不正确。", field=field.key)
            if len(set(value)) != len(value):
                raise DomainError(f"“{field.label}”有重复的项。", field=field.key)
            value = [code for code, _ in field.choices if code in value]  # in the order the law lists them
        if field.required and _empty(value):
            raise DomainError(f"请填写“{field.label}”。", field=field.key)
        if field.key in content or not _empty(value):
            cleaned[field.key] = value
    return cleaned


def body_rows(document):
    """(label, text) of each printed field the document holds, in the kind's order."""
    spec = spec_of(document.kind)
    content = document.content or {}
    rows = []
    for field in spec.fields:
        if not field.printed:
            continue
        text = field.display(content.get(field.key))
        if text:
            rows.append((field.label, text))
    return rows
