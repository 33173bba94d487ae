"""A notice's task list read from what a bureau has (issue 21 item 2): the 2024 notice's text, pasted or as a .docx,
reads as its 4 sections and 12 numbered measures with their numbers and whole text; an .xlsx reads by its column
names; every problem says where it is; nothing is guessed silently."""

import io
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from campaign.task_list import TaskListError, chinese_ordinal, classify, from_docx, from_text, from_xlsx, read_upload

# The notice as the county published it (a copy of ../shared/seed/, kept with the campaign's data).
NOTICE = Path(__file__).resolve().parents[2] / "campaign" / "data" / "notice-yangcheng-2024-280.txt"
SECTIONS = [
    "挖根源，全面提升安全管理",
    "建机制，确保常态长效长治",
    "强措施，消除隐患堵塞漏洞",
    "守底线，筑牢安全生产防线",
]
MEASURES = [
    "狠抓事故警示教育",
    "狠抓安全管理",
    "狠抓技术管理",
    "健全安全生产责任机制",
    "健全安全生产培训机制",
    "健全重大事故隐患排查治理机制",
    "聚焦重点工程风险防控",
    "规范设备采购管理",
    "加大特殊时段管控措施",
    "狠抓“三违”整治",
    "强化督导检查",
    "严格问责机制",
]


@pytest.fixture(scope="module")
def notice():
    return NOTICE.read_text(encoding="utf-8")


def paragraph_of(notice, start):
    """The notice's paragraph that starts with `start`, its wrapped lines joined (the text has them on lines of
    their own, blank lines between)."""
    lines = [line.strip() for line in notice.splitlines() if line.strip()]
    i = next(i for i, line in enumerate(lines) if line.startswith(start))
    text = re.sub(r"^\d+\.\s*", "", lines[i])
    for line in lines[i + 1 :]:
        if classify(line):
            break
        text += line
    return text


def check_the_2024_tree(preview, notice):
    assert preview.part == "三、主要内容"
    assert [p["name"] for p in preview.parts] == ["总体要求", "成立专项工作小组", "主要内容", "时间安排", "工作要求"]
    assert preview.errors == []
    assert [s["name"] for s in preview.sections] == SECTIONS
    assert [s["number"] for s in preview.sections] == ["（一）", "（二）", "（三）", "（四）"]
    measures = [m for s in preview.sections for m in s["children"]]
    assert [m["name"] for m in measures] == MEASURES and preview.measure_count == 12
    assert [m["code"] for m in measures[:4]] == ["1.1", "1.2", "1.3", "2.1"]
    assert {m["number"] for m in measures} == {"1.", "2.", "3."}
    # Each measure keeps its whole text, wrapped lines joined back into the paragraph.
    assert measures[1]["text"] == paragraph_of(notice, "2. 狠抓安全管理")
    assert measures[1]["text"].endswith("发现安全隐患及时上报。")
    last = measures[11]["text"]
    assert last == paragraph_of(notice, "3. 严格问责机制") and "企业主要负责人向主管部门作出检查" in last
    assert all(m["items"] == [] for m in measures)  # the bureau splits them into lettered items in the preview


def test_the_2024_notice_pasted_reads_as_4_sections_and_12_measures(notice):
    check_the_2024_tree(from_text(notice), notice)


def test_the_2024_notice_as_a_docx_reads_the_same(notice):
    document = Document()
    for line in notice.splitlines():
        document.add_paragraph(line)
    data = io.BytesIO()
    document.save(data)
    check_the_2024_tree(from_docx(data.getvalue()), notice)
    check_the_2024_tree(read_upload("通知.DOCX", data.getvalue()), notice)


def test_a_docx_numbered_by_word_is_refused_with_how_to_fix_it():
    document = Document()
    for text in ("健全责任机制", "健全培训机制"):
        document.add_paragraph(text, style="List Number")  # the numbers are Word's, not in the text
    data = io.BytesIO()
    document.save(data)
    with pytest.raises(TaskListError) as refused:
        from_docx(data.getvalue())
    assert "Word 自动编号" in refused.value.errors[0]["message"]


def test_fourth_level_paragraphs_become_the_items_of_their_measure():
    preview = from_text(
        "（一）建机制\n1. 健全培训机制。要求如下：\n（1）制定全员培训计划；\n（2）建立培训档案。\n2. 健全考核机制。\n"
    )
    measure = preview.sections[0]["children"][0]
    assert measure["name"] == "健全培训机制"
    assert [(i["code"], i["number"], i["text"]) for i in measure["items"]] == [
        ("1.1.a", "（1）", "制定全员培训计划；"),
        ("1.1.b", "（2）", "建立培训档案。"),
    ]
    assert preview.sections[0]["children"][1]["items"] == []


def test_numbered_paragraphs_without_a_section_are_one_section():
    preview = from_text("1. 第一项工作。\n2. 第二项工作。")
    assert preview.part == "" and len(preview.sections) == 1
    assert [m["name"] for m in preview.sections[0]["children"]] == ["第一项工作", "第二项工作"]


def test_a_figure_at_the_start_of_a_line_is_not_a_number():
    preview = from_text("（一）顶板管理\n1. 加强支护。巷道宽度超过\n1.5米的应当加密锚杆。\n2. 加强观测。")
    measures = preview.sections[0]["children"]
    assert len(measures) == 2 and measures[0]["text"] == "加强支护。巷道宽度超过1.5米的应当加密锚杆。"


def test_a_skipped_or_repeated_number_is_shown_where_it_is():
    preview = from_text("（一）第一部分\n1. 甲。\n3. 丙。\n（三）第三部分\n1. 丁。")
    assert [e["paragraph"] for e in preview.errors] == [3, 4]
    assert "按顺序应为第 2 个" in preview.errors[0]["message"]


def test_a_text_with_no_numbered_paragraph_is_refused():
    with pytest.raises(TaskListError) as refused:
        from_text("各煤矿企业：\n现将有关事项通知如下。")
    assert refused.value.errors == [{"paragraph": 0, "message": refused.value.errors[0]["message"]}]
    assert "逐级编号" in refused.value.errors[0]["message"]


def workbook(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_an_xlsx_numbered_the_templates_way_reads_sections_measures_and_items():
    data = workbook(
        [
            ["任务清单"],
            ["序号", "内容", "备注"],
            ["1", "挖根源，全面提升安全管理", None],
            ["1.1", "狠抓事故警示教育", None],
            ["1.1.a", "选取1-2个典型事故案例", None],
            ["1.1.b", "组织开展1次警示教育", None],
            ["2", "建机制", None],
            ["2.1", "健全安全生产责任机制", None],
            [None, None, None],
        ]
    )
    preview = from_xlsx(data)
    assert [s["name"] for s in preview.sections] == ["挖根源，全面提升安全管理", "建机制"]
    first = preview.sections[0]["children"][0]
    assert first["name"] == "狠抓事故警示教育"
    assert [i["text"] for i in first["items"]] == ["选取1-2个典型事故案例", "组织开展1次警示教育"]
    assert [i["where"] for i in first["items"]] == [5, 6]  # the Excel row the user sees


def test_an_xlsx_numbered_as_printed_and_its_errors_by_row():
    preview = from_xlsx(workbook([["编号", "内容"], ["（一）", "挖根源"], ["1.", "甲。"], ["3.", "丙。"]]))
    assert preview.errors == [{"row": 4, "message": preview.errors[0]["message"]}]
    assert "第 4 行" in preview.errors[0]["message"]


def test_an_xlsx_without_a_content_column_or_not_a_workbook_is_refused():
    with pytest.raises(TaskListError) as refused:
        from_xlsx(workbook([["名称", "说明"], ["甲", "乙"]]))
    assert "未找到“内容”列" in refused.value.errors[0]["message"]
    with pytest.raises(TaskListError) as refused:
        from_xlsx(b"not a workbook")
    assert "无法读取" in refused.value.errors[0]["message"]
    with pytest.raises(TaskListError) as refused:
        read_upload("通知.pdf", b"%PDF-1.4")
    assert ".docx" in refused.value.errors[0]["message"]


def test_chinese_ordinals():
    assert [chinese_ordinal(n) for n in ("一", "九", "十", "十一", "二十", "二十三")] == [1, 9, 10, 11, 20, 23]
