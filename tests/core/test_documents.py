"""Every .docx the product makes is an A4 Chinese official document (GB/T 9704-2012).

The documents are found from the URL resolver, as the xlsx exports are (tests/core/test_export_formulas.py): every
view that answers with `docx_response` must be listed in DOCUMENTS below, so a new document fails this test until it
is opened here. Each is fetched, opened with python-docx and checked: A4, the standard's margins, a PAGE field in the
footer, every paragraph's East Asian font named in Chinese (w:eastAsia, resolved through the styles), and no English
built-in heading style in sight."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from core.documents import agency_code, chinese_date, document_number, normalized_number
from reporting import services as rp
from reporting.figures import period_of
from tests.core.test_export_formulas import _functions_calling, _url_views
from tests.factories import HazardFactory, ViolationFactory, running_campaign
from violations import services as vs

TODAY = dt.date.today()
CJK = re.compile(r"[\u4e00-\u9fff]")
CHINESE_FONTS = ("仿宋", "黑体", "楷体", "宋体", "小标宋")
ENGLISH_HEADING = re.compile(r"^(heading|title|subtitle|toc heading|intense quote|quote)\b", re.IGNORECASE)

# URL name → kwargs from the world. Every view that answers with docx_response is here.
DOCUMENTS = {
    "bulletin_download": lambda w: {"pk": w["bulletin"].pk},
    "submission_version_docx": lambda w: {"pk": w["submission"].pk, "number": 1},
    # a closed penalty case: its 卷内目录, and one of its papers (tests/enforcement/test_penalty_pages.py opens each)
    "penalty_case_index_docx": lambda w: {"pk": w["penalty_case"].pk},
    "penalty_case_part_docx": lambda w: {"pk": w["penalty_case"].pk, "part": "decision"},
    # an enforcement document, page and API (tests/enforcement/test_document_docx.py lays out every kind)
    "document_docx": lambda w: {"pk": w["penalty_case"].decision_id},
    "enforcement-document-docx": lambda w: {"pk": w["penalty_case"].decision_id},
    # 停产整顿 and 复产验收 (tests/enforcement/test_suspension_pages.py reads their content)
    "suspension_order_docx": lambda w: {"pk": w["suspension"].pk},
    "resumption_opinion_docx": lambda w: {"pk": w["resumption"].pk},
}


def build_world(county):
    case = ViolationFactory(
        mine=county.mine1,
        typical=True,
        person_name="张永",
        department="掘进一队",
        team="掘进一队3班",
        post="掘进工",
        occurred_on=dt.date(2026, 3, 5),
        shift="morning",
    )
    bulletin = vs.bulletin_create(
        actor=county.inspector,
        period=f"{TODAY:%Y-%m}",
        issue_no="第3期",
        title="关于本月典型“三违”案例的通报",
        body="现将本月查处的典型“三违”案例通报如下。\n各煤矿要举一反三。",
        cases=[case],
    )
    vs.bulletin_publish(actor=county.inspector, bulletin=bulletin)
    campaign = running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40))
    officer = county.mine1_officer
    deadline = campaign.deadlines.get(kind="self_check")
    HazardFactory(mine=county.mine1, found_on=period_of(deadline)[0], description="回风巷支护失效")
    sub = rp.submission_open(actor=officer, deadline=deadline)
    rp.submission_attach(actor=officer, submission=sub, upload=SimpleUploadedFile("自查报告.pdf", b"%PDF-1.4 x"))
    rp.submission_save(actor=officer, submission=sub, narrative={"summary": "全面开展自查。\n覆盖全部采掘工作面。"})
    rp.submission_submit(actor=officer, submission=sub)
    world = {"bulletin": bulletin, "submission": sub, "penalty_case": closed_penalty_case(county)}
    world["suspension"], world["resumption"] = resumed_suspension(county)
    return world


def resumed_suspension(county):
    """mine2's 停产整顿: its order served, its hazard closed, its 复产验收 accepted (after closed_penalty_case, which
    set up the bureau's officers)."""
    from enforcement.services import officer_candidates
    from tests.enforcement.suspension_helpers import active_suspension, apply, close_hazard, decide, issue_order
    from tests.factories import HazardFactory

    officers = list(officer_candidates(county.bureau.pk))
    fields = {"level": "major", "contingency_plan": "撤人", "description": "掘进工作面串联通风"}
    hazard = HazardFactory(mine=county.mine2, **fields)
    from hazards.services import mine_refresh_status

    mine_refresh_status(mine_id=county.mine2.pk, change="opened")  # as hazard_create does for a major hazard
    suspension = issue_order(officers, active_suspension(county.mine2))
    close_hazard(county, hazard)
    return suspension, decide(officers, apply(county.mine2_officer, suspension), accepted=True)


def closed_penalty_case(county):
    from enforcement.models import PenaltyStage
    from tests.enforcement.penalty_helpers import advance, open_case, setup_bureau

    officers, provisions = setup_bureau(county.bureau, county.inspector)
    start = TODAY - dt.timedelta(days=10)
    case = open_case(officers[0], county.mine1, provisions, filed_on=start)
    return advance(case, officers, PenaltyStage.CLOSED, start=start)


def fetch(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, f"{name} → {response.status_code}"
    assert "wordprocessingml" in response["Content-Type"], name
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Document(io.BytesIO(body))


# ------------------------------------------------------------------ reading a document's fonts


def _east_asian_of_rpr(rpr):
    if rpr is None:
        return None
    fonts = rpr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def east_asian_font(paragraph, run, document):
    """The East Asian font a run is drawn in: the run's own, then its paragraph style's chain, then the defaults."""
    own = _east_asian_of_rpr(run._r.rPr)
    if own:
        return own
    style = paragraph.style
    while style is not None:
        found = _east_asian_of_rpr(style.element.rPr)
        if found:
            return found
        style = style.base_style
    defaults = document.styles.element.find(qn("w:docDefaults"))
    return _east_asian_of_rpr(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))


def all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def check_official_layout(name, document):
    for index, section in enumerate(document.sections):
        size = {round(section.page_width.mm), round(section.page_height.mm)}
        assert size == {210, 297}, f"{name} section {index}: {section.page_width.mm}×{section.page_height.mm} mm"
        margins = [round(getattr(section, f"{side}_margin").mm) for side in ("top", "bottom", "left", "right")]
        if section.page_width < section.page_height:
            assert margins == [37, 35, 28, 26], f"{name} section {index} margins {margins}"
        else:  # a landscape page for a wide table: the same margins, the page turned
            assert sorted(margins) == [26, 28, 35, 37], f"{name} section {index} margins {margins}"
        footers = [section.footer, section.even_page_footer]
        for footer in footers:
            fields = " ".join(t.text or "" for t in footer._element.iter(qn("w:instrText")))
            assert "PAGE" in fields, f"{name} section {index}: no PAGE field in the footer"
            assert "—" in "".join(p.text for p in footer.paragraphs), f"{name}: the page number is not — 1 —"
    assert document.settings.odd_and_even_pages_header_footer, f"{name}: odd and even page numbers not on"
    assert round(document.sections[0].page_width.mm) == 210  # the first page is portrait

    seen_fonts = set()
    for paragraph in all_paragraphs(document):
        style_name = paragraph.style.name
        assert CJK.search(style_name), f"{name}: paragraph “{paragraph.text[:20]}” has the style {style_name}"
        for run in paragraph.runs:
            if not run.text.strip():
                continue
            font = east_asian_font(paragraph, run, document)
            assert font and any(f in font for f in CHINESE_FONTS), f"{name}: “{run.text[:20]}” in {font!r}"
            seen_fonts.add(font)
    assert any("仿宋" in f for f in seen_fonts) and any("小标宋" in f for f in seen_fonts), seen_fonts

    styles = [s.name for s in document.styles]
    english = [s for s in styles if s and ENGLISH_HEADING.match(s)]
    assert english == [], f"{name} defines English heading styles: {english}"
    latent = document.styles.element.find(qn("w:latentStyles"))
    shown = [e.get(qn("w:name")) for e in latent] if latent is not None else []
    assert not [n for n in shown if n and ENGLISH_HEADING.match(n)], f"{name} shows latent English headings"
    assert latent is None or latent.get(qn("w:defQFormat")) in ("0", "false")
    names_in_package = {p.partname for p in document.part.package.iter_parts()}
    assert "/word/stylesWithEffects.xml" not in names_in_package, f"{name} carries the template's English styles"
    return "\n".join(p.text for p in document.paragraphs)


# ------------------------------------------------------------------ the walk


def test_every_docx_document_is_walked():
    writers = _functions_calling("docx_response") - {("core.views", "docx_response")}
    views = _url_views()
    answering = {name for name, fns in views.items() if fns & writers}
    reached = set().union(*(fns for name, fns in views.items() if name in answering)) & writers
    assert writers - reached == set(), "these call docx_response but answer no URL: call it from the view itself"
    missing, stale = answering - set(DOCUMENTS), set(DOCUMENTS) - answering
    assert answering == set(DOCUMENTS), f"add to DOCUMENTS: {missing}; stale: {stale}"


def test_no_docx_is_made_outside_core_documents():
    """python-docx's Document() is called only in core/documents.py, so no document escapes its layout."""
    from tests.core.test_export_formulas import APPS, ROOT

    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path == ROOT / "core" / "documents.py" or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(r"^\s*(from docx\b|import docx\b)", text, re.MULTILINE):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_every_document_is_an_a4_official_document(client, county):
    world = build_world(county)
    client.force_login(county.inspector)
    for name, kwargs in DOCUMENTS.items():
        check_official_layout(name, fetch(client, name, kwargs(world)))


# ------------------------------------------------------------------ the documents themselves


@pytest.mark.django_db
def test_the_bulletin_names_each_unit_once_dates_in_chinese_and_has_its_number(client, county):
    world = build_world(county)
    bulletin = world["bulletin"]
    client.force_login(county.mine1_officer)  # published: every unit of the county reads it
    document = fetch(client, "bulletin_download", {"pk": bulletin.pk})
    text = "\n".join(p.text for p in document.paragraphs)
    assert "掘进一队3班掘进工张永" in text and "掘进一队掘进一队" not in text
    assert "2026年3月5日早班" in text and "2026年03月05日" not in text
    bulletin.refresh_from_db()
    assert chinese_date(bulletin.published_at) in text  # the local day of publication
    assert re.search(r"\d{4}年0\d月", text) is None, "a month with a leading zero"
    assert f"阳应急〔{TODAY.year}〕3号" in text
    assert "阳城县应急管理局文件" in text
    assert "各煤矿" in document.paragraphs[[p.text for p in document.paragraphs].index(bulletin.title) + 2].text


@pytest.mark.django_db
def test_the_bulletin_page_names_each_unit_once(client, county):
    world = build_world(county)
    client.force_login(county.inspector)
    page = client.get(reverse("bulletin_detail", kwargs={"pk": world["bulletin"].pk})).content.decode()
    assert "掘进一队3班掘进工张永" in page and "掘进一队掘进一队" not in page


@pytest.mark.django_db
def test_the_submission_document_is_addressed_signed_and_lists_its_attachments(client, county):
    world = build_world(county)
    client.force_login(county.mine1_officer)
    document = fetch(client, "submission_version_docx", {"pk": world["submission"].pk, "number": 1})
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("阳城县应急管理局：") - 1] == ""  # 主送 one blank line below the title
    assert "全面开展自查。" in texts and "覆盖全部采掘工作面。" in texts
    assert "附件：1.问题隐患清单和整改清单" in texts and "2.自查报告.pdf" in texts  # 附件说明, one name a line
    assert "东峰煤矿" in texts and chinese_date(timezone.localdate()) in texts
    # The self-check's frozen hazard list is in the document, on a landscape page.
    assert any(s.page_width > s.page_height for s in document.sections)
    cells = [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    assert "回风巷支护失效" in cells and "隐患内容" in cells


DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _one_line_width(text, size_pt):
    """The width a line of `text` takes in points: a Chinese character is one em, a digit of Times New Roman half of
    one, a hyphen a third."""
    return sum(size_pt if CJK.match(c) else size_pt / 3 if c == "-" else size_pt / 2 for c in text)


@pytest.mark.django_db
def test_the_hazard_list_keeps_dates_levels_and_states_on_one_line(client, county):
    """The self-check's 问题隐患清单 on its landscape page: a date, a level (一般/重大), a state (已销号…) and a
    two-character header each fit their column on one line, with Word's cell margins (5.4 pt a side); a column too
    narrow broke them into 2026-11-/02, 一/般, 已销/号, 序/号."""
    world = build_world(county)
    client.force_login(county.mine1_officer)
    document = fetch(client, "submission_version_docx", {"pk": world["submission"].pk, "number": 1})
    table = document.tables[-1]
    header = [cell.text for cell in table.rows[0].cells]
    assert "隐患内容" in header
    size = 10.5  # 五号, the size of a table of many columns
    too_narrow = []
    for index, column in enumerate(table.columns):
        room = column.width.pt - 2 * 5.4
        texts = [row.cells[index].text for row in table.rows[1:]]
        kept_whole = [t for t in texts if DATE_TEXT.match(t) or (t and len(t) <= 3 and all(CJK.match(c) for c in t))]
        if len(header[index]) <= 2:
            kept_whole.append(header[index])
        for text in kept_whole:
            if _one_line_width(text, size) > room:
                too_narrow.append(
                    f"{header[index]}: «{text}» needs {_one_line_width(text, size):.1f} pt, has {room:.1f}"
                )
    assert not too_narrow, "\n".join(too_narrow)


def test_document_numbers_and_dates():
    assert chinese_date(dt.date(2026, 12, 5)) == "2026年12月5日"
    assert chinese_date(dt.date(2026, 1, 9)) == "2026年1月9日"
    assert agency_code("阳城县应急管理局") == "阳应急"
    assert agency_code("沁水县应急管理局") == "沁应急"
    assert document_number("阳应急", 2026, "07") == "阳应急〔2026〕7号"
    assert normalized_number("阳应急发[2024]280号") == "阳应急发〔2024〕280号"
    assert normalized_number("阳应急发（2024）280号") == "阳应急发〔2024〕280号"
    assert normalized_number("第3期") is None
