"""A notice's task list read from the text a bureau already has: pasted text, the numbered paragraphs of a .docx, or
an .xlsx with 编号 and 内容 columns. The result is a preview tree (sections → measures → items) the bureau corrects
before anything is saved; nothing here writes to the database.

Chinese official documents number their outline the same way everywhere (GB/T 9704 and common practice):
一、 for the first level, （一） for the second, 1. for the third, （1） for the fourth. A notice's task list is one
of its first-level parts (in the 2024 notice 三、主要内容); the others (总体要求, 时间安排, 工作要求) are prose. The
part that holds the most numbered items is taken as the task list, and the bureau can pick another in the preview.

Paragraphs in a text pasted from a PDF or a scan are often broken mid-sentence: a line that starts with no number
continues the paragraph before it (joined without a space: the text is Chinese)."""

import re
from dataclasses import dataclass, field

CHINESE_NUMERALS = "一二三四五六七八九十"

# The four levels of an official document's outline, each with the number as printed and the rest of the line.
# 1. must not swallow a figure that starts a line (e.g. "1.5米"), hence the look-ahead.
LEVELS = [
    (1, re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.*)$")),
    (2, re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(.*)$")),
    (3, re.compile(r"^\s*(\d{1,2})\s*[.．、](?!\d)\s*(.*)$")),
    (4, re.compile(r"^\s*[（(]\s*(\d{1,2})\s*[）)]\s*(.*)$")),
]
# A heading ends at the first full stop when the paragraph goes on ("狠抓事故警示教育。煤矿企业要……").
HEADING_CHARS = 40
NAME_CHARS = 300  # Requirement.name
MAX_PARAGRAPHS = 5000
MAX_CHARS = 500_000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class TaskListError(ValueError):
    """The text cannot be read as a task list; `errors` are [{row|paragraph, message}] as the API answers them."""

    def __init__(self, errors):
        super().__init__("；".join(e["message"] for e in errors))
        self.errors = errors


@dataclass
class Node:
    level: int
    number: str  # as printed: 三、 / （一） / 1. / （1）
    ordinal: int  # the number's value: 三 → 3, （二） → 2, 1. → 1
    text: str  # the whole paragraph, number left out
    where: int  # paragraph (1-based) or Excel row the node starts on
    children: list = field(default_factory=list)
    first_line: str = ""  # the numbered line alone (a heading such as 一、总体要求 has nothing else)

    def __post_init__(self):
        self.first_line = self.first_line or self.text

    def continue_with(self, line):
        """A line with no number continues the paragraph: joined as is when the line before broke mid-sentence (a
        PDF's or a scan's wrap), on a new line when the line before ended a sentence or was a heading."""
        heading = self.text == self.first_line and "。" not in self.text and len(self.text) <= HEADING_CHARS
        ends = self.text[-1:] in "。；：！？”" or heading
        self.text += ("\n" if self.text and ends else "") + line

    @property
    def heading(self):
        """The short title: the numbered line up to its first 。 when that is short, else cut to a name's length."""
        head = self.first_line.split("。", 1)[0].strip()
        if len(head) <= HEADING_CHARS:
            return head
        return self.first_line[:NAME_CHARS].strip()

    def items(self):
        """The numbered items (third level) under this node, however deep."""
        for child in self.children:
            if child.level == 3:
                yield child
            yield from child.items()


def chinese_ordinal(numeral):
    """一 → 1 … 十 → 10, 十一 → 11, 二十 → 20 (enough for an outline)."""
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return (CHINESE_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (
            CHINESE_NUMERALS.index(ones) + 1 if ones else 0
        )
    return CHINESE_NUMERALS.index(numeral) + 1


def _ordinal(level, number):
    return chinese_ordinal(number) if level in (1, 2) else int(number)


def _printed(level, number):
    return {1: f"{number}、", 2: f"（{number}）", 3: f"{number}.", 4: f"（{number}）"}[level]


def classify(line):
    """(level, number as printed, ordinal, rest) of a numbered line, or None for a line that continues a paragraph."""
    for level, pattern in LEVELS:
        match = pattern.match(line)
        if match:
            number, rest = match.groups()
            return level, _printed(level, number), _ordinal(level, number), rest.strip()
    return None


def outline(paragraphs):
    """The notice's whole outline: a list of first-level nodes (or of the highest level the text has), each with
    its children. `paragraphs` are (where, text) pairs. Text before the first number (the title, the 文号, the
    addressees) is not part of the outline."""
    roots, stack = [], []  # stack: the open nodes, shallowest first
    for where, raw in paragraphs:
        line = raw.strip()
        if not line:
            continue
        found = classify(line)
        if found is None:
            if stack:
                stack[-1].continue_with(line)
            continue
        level, number, ordinal, rest = found
        node = Node(level=level, number=number, ordinal=ordinal, text=rest, where=where)
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def task_part(roots, choice=None):
    """The part of the outline that is the task list: the first-level part with the most numbered items (its
    children are the sections), or the one the bureau chose in the preview (`choice`: its ordinal, 三 → 3); a text
    without first-level parts is its own task list."""
    if not roots:
        return None, []
    part = None
    if any(r.level == 1 for r in roots):
        parts = [r for r in roots if r.level == 1]
        chosen = [r for r in parts if choice is not None and r.ordinal == choice]
        part = chosen[0] if chosen else max(parts, key=lambda r: sum(1 for _ in r.items()))  # max: the first of equals
        roots = part.children
    sections = [r for r in roots if r.level == 2]
    if not sections and any(r.level == 3 for r in roots):
        # Numbered paragraphs with no section above them: one section holds them all.
        sections = [Node(level=2, number="", ordinal=1, text="任务清单", where=roots[0].where, children=roots)]
    return part, sections


def tree(sections):
    """The preview tree in the shape of the campaign JSON (`requirements`): sections → measures (children) → items.

    A section is a second-level node ((一)); its numbered paragraphs (1.) are its measures, each keeping its whole
    text; the fourth-level paragraphs ((1)) under a measure are its items. A measure without them is one item the
    bureau may split in the preview (as the 2024 template's 46 items were split from its 12 measures)."""
    result = []
    for s_index, section in enumerate(sections, start=1):
        measures = []
        for m_index, measure in enumerate((c for c in section.children if c.level == 3), start=1):
            code = f"{s_index}.{m_index}"
            items = [
                {"code": f"{code}.{chr(ord('a') + i)}", "number": sub.number, "text": sub.text, "where": sub.where}
                for i, sub in enumerate(c for c in measure.children if c.level == 4)
                if i < 26
            ]
            measures.append(
                {
                    "code": code,
                    "number": measure.number,
                    "name": measure.heading,
                    "text": measure.text,
                    "where": measure.where,
                    "items": items,
                }
            )
        result.append(
            {
                "code": str(s_index),
                "number": section.number,
                "name": section.heading,
                "text": section.text,
                "where": section.where,
                "children": measures,
            }
        )
    return result


def check(sections, *, label="段"):
    """The problems a bureau must fix before the tree is saved, each with where it is."""
    errors = []
    sections = [s for s in sections if s.number]  # a section the reader made up has no number to check

    def out_of_order(nodes, what):
        for expected, node in enumerate(nodes, start=1):
            if node.ordinal != expected:
                message = f"第 {node.where} {label}：{what}编号为“{node.number}”，按顺序应为第 {expected} 个，"
                errors.append({"where": node.where, "message": message + "请检查是否漏段或重复。"})
                return

    out_of_order(sections, "部分")
    for section in sections:
        out_of_order([c for c in section.children if c.level == 3], "事项")
        for measure in (c for c in section.children if c.level == 3):
            if not measure.text:
                message = f"第 {measure.where} {label}：事项“{measure.number}”没有内容。"
                errors.append({"where": measure.where, "message": message})
    return sorted(errors, key=lambda e: e["where"])


def _lines(text):
    if len(text) > MAX_CHARS:
        raise TaskListError([{"paragraph": 0, "message": f"文本过长（超过 {MAX_CHARS:,} 字），请只粘贴任务清单部分。"}])
    lines = text.splitlines()
    if len(lines) > MAX_PARAGRAPHS:
        message = f"段落过多（超过 {MAX_PARAGRAPHS:,} 段），请只粘贴任务清单部分。"
        raise TaskListError([{"paragraph": 0, "message": message}])
    return list(enumerate(lines, start=1))


def from_text(text, *, part=None):
    """`part`: the ordinal of the first-level part to take as the task list (三 → 3), None for the likeliest."""
    preview = _read(_lines(text or ""), key="paragraph", label="段", part=part)
    preview.source = text or ""
    return preview


def from_docx(data, *, part=None):
    """The numbered paragraphs of a .docx (a Word list's automatic numbers are not in the text: such a file is
    refused with a message saying so, rather than read with its numbers missing)."""
    from core.documents import read_docx_paragraphs

    try:
        read = read_docx_paragraphs(data)
    except ValueError as exc:
        raise TaskListError([{"paragraph": 0, "message": "无法读取该文件，请上传 .docx 格式的通知文本。"}]) from exc
    if len(read) > MAX_PARAGRAPHS:
        raise TaskListError([{"paragraph": 0, "message": f"段落过多（超过 {MAX_PARAGRAPHS:,} 段）。"}])
    # One line per paragraph (a soft line break inside one is joined: the text is Chinese), so that the text kept as
    # the notice's numbers its lines as the file numbers its paragraphs, and `where` points into either.
    paragraphs = [text.replace("\r", "").replace("\n", "") for text, _ in read]
    numbered = sum(1 for _, by_word in read if by_word)
    pairs = list(enumerate(paragraphs, start=1))
    try:
        preview = _read(pairs, key="paragraph", label="段", part=part)
        preview.source = "\n".join(paragraphs)
        return preview
    except TaskListError:
        if numbered:
            raise TaskListError(
                [
                    {
                        "paragraph": 0,
                        "message": "文件中的编号是 Word 自动编号，文本里没有“一、”“1.”等序号。"
                        "请在 Word 中将编号转换为文本后再上传，或直接粘贴文字。",
                    }
                ]
            ) from None
        raise


HEADERS = {"编号": "number", "序号": "number", "内容": "text", "任务内容": "text", "工作内容": "text"}


def from_xlsx(data, *, part=None):
    """An .xlsx with a 编号 (or 序号) column and a 内容 column, found by name in the first rows; each row is one
    paragraph, its number as printed (一、 / （一） / 1. / （1）) or the bare number with the level told by its form
    (一 / 1 / 1.1 / 1.1.a)."""
    from core.errors import DomainError
    from core.excel import read_first_sheet

    try:
        rows = read_first_sheet(data, max_bytes=MAX_UPLOAD_BYTES, max_rows=MAX_PARAGRAPHS)
    except DomainError as exc:
        message = f"无法读取该文件，请上传 .xlsx 格式的任务清单（{exc.message.rstrip('。')}）。"
        raise TaskListError([{"row": 0, "message": message}]) from exc
    columns, pairs = None, []
    for row_number, row in enumerate(rows, start=1):
        if row_number > MAX_PARAGRAPHS:
            raise TaskListError([{"row": row_number, "message": f"行数过多（超过 {MAX_PARAGRAPHS:,} 行）。"}])
        cells = ["" if v is None else str(v).strip() for v in row]
        if columns is None:
            found = {HEADERS[c]: i for i, c in enumerate(cells) if c in HEADERS}
            if "text" in found and row_number <= 10:
                columns = found
            continue
        text = cells[columns["text"]] if columns["text"] < len(cells) else ""
        number = cells[columns["number"]] if "number" in columns and columns["number"] < len(cells) else ""
        if not (text or number):
            continue
        pairs.append((row_number, number, text))
    if columns is None:
        raise TaskListError([{"row": 1, "message": "未找到“内容”列：请在前 10 行中放一行表头，含“编号”和“内容”。"}])
    dotted = any(re.fullmatch(r"\d{1,2}\.\d{1,2}(\.[a-z])?", number.strip()) for _, number, _ in pairs)
    lines = [(row, _numbered_line(number, text, dotted=dotted)) for row, number, text in pairs]
    return _read(lines, key="row", label="行", part=part)


def _numbered_line(number, text, *, dotted):
    """One row as the line it would be in the notice. A number as printed (一、 / （一） / 1. / （1）) keeps its level.
    A bare number is the sheet's own: the sheet is the task list, so 一 is a section (（一）); in a sheet numbered the
    template's way (1 / 1.1 / 1.1.a) 1 is a section too, else 1 is a measure (1.)."""
    number = number.strip()
    if not number:
        return text  # no number: the row continues the one before
    if re.fullmatch(r"[一二三四五六七八九十]{1,3}", number):
        return f"（{number}）{text}"
    if re.fullmatch(r"\d{1,2}", number):
        return f"（{_chinese(int(number))}）{text}" if dotted else f"{number}. {text}"
    if re.fullmatch(r"\d{1,2}\.\d{1,2}", number):
        return f"{number.rsplit('.', 1)[1]}. {text}"
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.[a-z]", number):
        return f"（{ord(number[-1]) - ord('a') + 1}）{text}"
    if classify(f"{number}x"):
        return f"{number}{text}"
    return f"{number} {text}"  # not a number the outline knows: kept in the text of the row before


def _chinese(n):
    """1 → 一 … 99 → 九十九 (the inverse of chinese_ordinal)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_NUMERALS[tens - 1] + "十")
    return head + (CHINESE_NUMERALS[ones - 1] if ones else "")


@dataclass
class Preview:
    part: str  # the first-level part taken as the task list, as printed ("三、主要内容"), or "" without one
    parts: list  # every first-level part: [{"number", "name", "items"}]
    sections: list  # the tree (see `tree`)
    errors: list  # problems to fix before saving: [{paragraph|row, message}]
    source: str = ""  # the text read, one paragraph a line (pasted text, a .docx); "" for a sheet: `where` are rows
    key: str = "paragraph"  # what `where` counts: "paragraph" (a line of `source`) or "row" (of the sheet)

    @property
    def measure_count(self):
        return sum(len(s["children"]) for s in self.sections)


def _read(pairs, *, key, label, part=None):
    roots = outline(pairs)
    part, sections = task_part(roots, part)
    if not sections:
        raise TaskListError(
            [{key: 0, "message": "没有找到编号的段落：任务清单应按“一、”“（一）”“1.”“（1）”逐级编号。"}]
        )
    errors = [{key: e["where"], "message": e["message"]} for e in check(sections, label=label)]
    parts = [
        {"number": r.number, "ordinal": r.ordinal, "name": r.heading, "items": sum(1 for _ in r.items())}
        for r in roots
        if r.level == 1
    ]
    return Preview(
        part=f"{part.number}{part.heading}" if part else "",
        parts=parts,
        sections=tree(sections),
        errors=errors,
        key=key,
    )


def read_upload(name, data, *, part=None):
    """The preview of an uploaded file, by its extension."""
    lower = (name or "").lower()
    if lower.endswith(".docx"):
        return from_docx(data, part=part)
    if lower.endswith(".xlsx"):
        return from_xlsx(data, part=part)
    if lower.endswith(".txt"):
        try:
            return from_text(data.decode("utf-8-sig"), part=part)
        except UnicodeDecodeError:
            return from_text(data.decode("gb18030", errors="replace"), part=part)
    raise TaskListError([{"paragraph": 0, "message": "请上传 .docx、.xlsx 或 .txt 文件。"}])
