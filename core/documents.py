"""Word documents laid out as Chinese official documents (GB/T 9704-2012 《党政机关公文格式》).

Every .docx the product makes is built here, so each is A4 with the standard's type area and fonts:

- A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 × 225 mm type area);
  22 lines of 28 characters (a document grid of 28.95 pt lines, characters drawn 15.8 pt apart);
- the title in 2号 (22 pt) 方正小标宋简体, the body in 3号 (16 pt) 仿宋_GB2312, first-level headings in 黑体,
  second-level in 楷体_GB2312, third-level in bold 仿宋; a font table that names 宋体/仿宋/楷体 as the fallback of
  each, for computers without the GB2312 fonts;
- the East Asian font set on every style (w:eastAsia: python-docx's `font.name` sets only the Latin fonts, and
  Word then draws Chinese in whatever the theme says);
- the 发文机关标志 in red and the 发文字号 (e.g. 阳应急〔2026〕5号) above a red rule, when the document has them;
  the 主送机关, the 附件 note, the 署名 and the 成文日期 (2026年3月5日: no leading zeros) and a 附注;
- page numbers in the footer as a PAGE field, "— 1 —" in 4号 宋体, odd pages on the right and even on the left;
- styles with Chinese names only: the template's English built-in styles (Heading 1, Title, List Bullet…) are
  removed and the latent ones hidden, so neither Word, WPS nor LibreOffice offers "Heading 1" beside "一级标题".
"""

import datetime as dt
import io
import re

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# ---------------------------------------------------------------- the standard's figures

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES_PER_PAGE, CHARACTERS_PER_LINE = 22, 28
# 225 mm / 22 lines = 28.95 pt; 156 mm / 28 characters = 15.79 pt a character, so 16 pt characters are drawn a
# quarter point closer (w:spacing, in twentieths of a point).
LINE_PITCH_TWIPS = 579
CHARACTER_SPACING = -5
LINE_PITCH = Pt(LINE_PITCH_TWIPS / 20)

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "仿宋"
HEADING_ONE_FONT = "黑体"
HEADING_TWO_FONT, HEADING_TWO_FALLBACK = "楷体_GB2312", "楷体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"  # digits and Latin letters beside the Chinese, as the standard's samples set them

SIZE_TITLE = Pt(22)  # 2号
SIZE_BODY = Pt(16)  # 3号
SIZE_PAGE_NUMBER = Pt(14)  # 4号
SIZE_TABLE = Pt(12)  # 小四
SIZE_TABLE_SMALL = Pt(10.5)  # 五号, for a table of many columns
RED = RGBColor(0xFF, 0x00, 0x00)

#: the Chinese fonts the documents name, with the font a computer without them should use instead
FONTS = {
    TITLE_FONT: TITLE_FALLBACK,
    BODY_FONT: BODY_FALLBACK,
    HEADING_TWO_FONT: HEADING_TWO_FALLBACK,
    HEADING_ONE_FONT: None,
    BODY_FALLBACK: None,
    HEADING_TWO_FALLBACK: None,
    TITLE_FALLBACK: None,
}

# The styles a document has, by their Chinese names (the names Word, WPS and LibreOffice show).
STYLE_MARK = "发文机关标志"
STYLE_NUMBER = "发文字号"
STYLE_TITLE = "公文标题"
STYLE_ADDRESSEE = "主送机关"
STYLE_BODY = "公文正文"
STYLE_HEADING = {1: "一级标题", 2: "二级标题", 3: "三级标题"}
STYLE_SIGNATURE = "发文机关署名"
STYLE_DATE = "成文日期"
STYLE_NOTE = "附注"
STYLE_ATTACHMENT_MARK = "附件标识"
STYLE_TABLE = "表格文字"
STYLE_PAGE_NUMBER = "页码"

#: the styles the template defines that stay: the defaults every document needs (Word shows them in Chinese)
KEPT_STYLE_IDS = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}

CHINESE_DIGITS = "〇一二三四五六七八九"


# ---------------------------------------------------------------- words and numbers


def chinese_date(value):
    """成文日期 as the standard writes it: 2026年3月5日 (the year in full, no leading zeros)."""
    if isinstance(value, dt.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_number(n):
    """一, 二 … 九十九: the numbers of first-level headings (一、) and second-level ones (（一）)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    text = (CHINESE_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
    return text + (CHINESE_DIGITS[ones] if ones else "")


AGENCY = re.compile(r"^(?P<place>.+?)(省|市|县|区|旗|州|盟)(?P<body>应急管理局|应急局)$")
NUMBERED = re.compile(r"^(?P<code>\D*?)\s*[〔\[［(（](?P<year>\d{4})[〕\]］)）]\s*(?P<seq>\d+)\s*号$")


def agency_code(issuer_name):
    """发文机关代字 from the agency's name: 阳城县应急管理局 → 阳应急 (the first character of the place, as
    the county writes 阳应急发〔2024〕280号); another name gives its first two characters."""
    match = AGENCY.match(issuer_name or "")
    if match:
        return f"{match['place'][0]}应急"
    return (issuer_name or "")[:2]


def document_number(code, year, sequence):
    """发文字号: 代字, the year in 〔〕 (六角括号, not 【】 or []), the sequence without leading zeros, 号."""
    return f"{code}〔{year}〕{int(sequence)}号"


def normalized_number(text):
    """A 发文字号 typed by hand with [2026] or (2026) brackets, written with 〔2026〕; None when it is not one."""
    match = NUMBERED.match((text or "").strip())
    if not match:
        return None
    return document_number(match["code"].strip(), match["year"], match["seq"])


def text_width(text):
    """How many characters of the body's size `text` takes: a Chinese character one, a digit or Latin letter half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


# ---------------------------------------------------------------- XML helpers


def set_east_asian_font(rpr_owner, east_asian, *, latin=LATIN_FONT):
    """The fonts of a style or run: the East Asian one (w:eastAsia) as well as the Latin ones."""
    fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):  # a theme font would win over the names below
            del fonts.attrib[attribute]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _indent_in_characters(ppr, *, first_line=0, left=0, right=0):
    """Indents counted in characters (w:firstLineChars, 100 = one character), as Word's 首行缩进 2 字符: they
    follow the font size; the lengths beside them are for programs that do not read the character counts."""
    ind = ppr.get_or_add_ind()  # python-docx puts it where the schema wants it: Word refuses elements out of order
    for name, chars in (("firstLine", first_line), ("left", left), ("right", right)):
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(int(chars * 100)))
            ind.set(qn(f"w:{name}"), str(int(chars * 320)))  # 16 pt = 320 twips a character


# The order of the children of w:pPr and w:tblPr in the schema (ECMA-376 §17.3.1.26, §17.4.60), from pBdr and
# tblBorders on: what must follow each.
PARAGRAPH_PROPERTIES = (
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)
TABLE_PROPERTIES = (
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
    "tblPrChange",
)


RUN_PROPERTIES_AFTER_SPACING = (
    "w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
    "specVanish oMath"
)


def set_character_spacing(rpr_owner, twentieths):
    """Characters drawn closer (negative) or further apart, in twentieths of a point (w:spacing of w:rPr)."""
    rpr = rpr_owner.get_or_add_rPr()
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.insert_element_before(spacing, *(f"w:{t}" for t in RUN_PROPERTIES_AFTER_SPACING.split()))
    spacing.set(qn("w:val"), str(twentieths))


def _insert(parent, child, tag_seq):
    """`child` among `parent`'s children in the order the schema gives (`tag_seq`): Word refuses a file whose
    elements are out of order."""
    tag = child.tag.split("}")[1]
    successors = [f"w:{t}" for t in tag_seq[tag_seq.index(tag) + 1 :]]
    parent.insert_element_before(child, *successors)
    return child


def _rule_below(paragraph, *, color="FF0000", space=11):
    """A rule under a paragraph across the type area (the red rule under the 发文字号, 4 mm ≈ 11 pt below it)."""
    borders = OxmlElement("w:pBdr")
    borders.append(_border("w:bottom", size=12, color=color, space=space))
    _insert(paragraph._p.get_or_add_pPr(), borders, PARAGRAPH_PROPERTIES)


def _border(element_name, *, size=4, color="000000", space=0):
    border = OxmlElement(element_name)
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), str(size))  # eighths of a point
    border.set(qn("w:space"), str(space))
    border.set(qn("w:color"), color)
    return border


def _add_field(paragraph, instruction, placeholder="1"):
    """A field (PAGE, NUMPAGES) as Word writes one: begin, the instruction, separate, the last result, end."""
    parts = (("begin", None), ("instr", instruction), ("separate", None), ("text", placeholder), ("end", None))
    for kind, text in parts:
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
    return paragraph


FONT_TABLE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
FONT_TABLE_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{fonts}</w:fonts>"""

FONT_XML = (
    '<w:font w:name="{name}">{alt}<w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
    '<w:pitch w:val="{pitch}"/></w:font>'
)


def _font_table():
    """Each font the documents name, with its fallback (w:altName) and the GB2312 character set (86), so Word and
    WPS on a computer without 方正小标宋简体 or 仿宋_GB2312 draw the text in 宋体 or 仿宋, not in a Latin font."""
    fonts = [FONT_XML.format(name=LATIN_FONT, alt="", charset="00", family="roman", pitch="variable")]
    for name, fallback in FONTS.items():
        alt = f'<w:altName w:val="{fallback}"/>' if fallback else ""
        family = "modern" if name == HEADING_ONE_FONT else ("script" if "楷" in name else "roman")
        fonts.append(FONT_XML.format(name=name, alt=alt, charset="86", family=family, pitch="fixed"))
    return FONT_TABLE_XML.format(fonts="".join(fonts)).encode("utf-8")


# ---------------------------------------------------------------- the document


class OfficialDocument:
    """One document: the 版头 and title when made, then paragraphs, headings and tables in order, then `close()`
    for the signature and date, then `save()`.

    Every paragraph has one of the Chinese styles; nothing is formatted run by run except bold lead-ins, so the
    document stays editable as a county office edits its documents."""

    def __init__(self, *, title, number="", issuer="", date=None, addressee="", mark=""):
        self.title, self.number, self.issuer, self.date = title, number, issuer, date
        self.document = Document()
        self._clean_template()
        self._define_styles()
        self._lay_out(self.document.sections[0])
        self._page_numbers(self.document.sections[0])
        properties = self.document.core_properties
        properties.title, properties.author, properties.last_modified_by = title, issuer, issuer
        properties.language, properties.comments, properties.keywords = "zh-CN", "", ""
        properties.created = properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self._heading_numbers = {1: 0, 2: 0}
        self._head(mark=mark, addressee=addressee)

    # -- the template

    def _clean_template(self):
        """python-docx's template is an English Word document: drop its styles but the four defaults, hide the
        latent ones (Word's gallery would offer "heading 1"), and drop its thumbnail and the Word 2010 copy of its
        styles (stylesWithEffects), which would bring the English styles back."""
        document = self.document
        styles = document.styles.element
        for style in styles.findall(qn("w:style")):
            if style.get(qn("w:styleId")) not in KEPT_STYLE_IDS:
                styles.remove(style)
        latent = styles.find(qn("w:latentStyles"))
        if latent is not None:
            for exception in list(latent):
                latent.remove(exception)
            latent.set(qn("w:defQFormat"), "0")
            latent.set(qn("w:defSemiHidden"), "1")
            latent.set(qn("w:defUnhideWhenUsed"), "1")
        part = document.part
        for rId, rel in list(part.rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/fontTable")):
                part.drop_rel(rId)
        part.relate_to(
            Part(
                PackURI("/word/fontTable.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
                _font_table(),
                part.package,
            ),
            FONT_TABLE_RELATIONSHIP,
        )
        package_rels = part.package.rels
        for rId, rel in list(package_rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                package_rels.pop(rId)
        # Defaults of every run: the body's fonts and size, Chinese as the East Asian language.
        rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for child in list(rpr_default):
            rpr_default.remove(child)
        fonts = OxmlElement("w:rFonts")
        for name, value in (("ascii", LATIN_FONT), ("hAnsi", LATIN_FONT), ("eastAsia", BODY_FONT), ("cs", LATIN_FONT)):
            fonts.set(qn(f"w:{name}"), value)
        rpr_default.append(fonts)
        for tag in ("w:sz", "w:szCs"):
            size = OxmlElement(tag)
            size.set(qn("w:val"), str(int(SIZE_BODY.pt * 2)))
            rpr_default.append(size)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        lang.set(qn("w:bidi"), "ar-SA")
        rpr_default.append(lang)
        ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        for child in list(ppr_default):
            ppr_default.remove(child)
        document.settings.odd_and_even_pages_header_footer = True

    def _style(self, name, *, font, size=SIZE_BODY, bold=False, align=None, first_line=0, line=LINE_PITCH):
        style = self.document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.document.styles["Normal"]
        style.quick_style = True
        set_east_asian_font(style.element, font)
        style.font.size = size
        style.font.bold = bold
        set_character_spacing(style.element, CHARACTER_SPACING if size == SIZE_BODY else 0)
        fmt = style.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
        fmt.widow_control = True
        if align is not None:
            fmt.alignment = align
        if first_line:
            _indent_in_characters(style.element.get_or_add_pPr(), first_line=first_line)
        return style

    def _define_styles(self):
        normal = self.document.styles["Normal"]
        set_east_asian_font(normal.element, BODY_FONT)
        normal.font.size = SIZE_BODY
        set_character_spacing(normal.element, CHARACTER_SPACING)
        normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        normal.paragraph_format.line_spacing = LINE_PITCH
        normal.paragraph_format.space_after = Pt(0)
        justify = WD_ALIGN_PARAGRAPH.JUSTIFY
        center = WD_ALIGN_PARAGRAPH.CENTER
        self._style(STYLE_MARK, font=TITLE_FONT, size=Pt(36), align=center, line=Pt(60))
        self._style(STYLE_NUMBER, font=BODY_FONT, align=center)
        self._style(STYLE_TITLE, font=TITLE_FONT, size=SIZE_TITLE, align=center, line=Pt(36))
        self._style(STYLE_ADDRESSEE, font=BODY_FONT, align=justify)
        self._style(STYLE_BODY, font=BODY_FONT, align=justify, first_line=2)
        self._style(STYLE_HEADING[1], font=HEADING_ONE_FONT, align=justify, first_line=2)
        self._style(STYLE_HEADING[2], font=HEADING_TWO_FONT, align=justify, first_line=2)
        self._style(STYLE_HEADING[3], font=BODY_FONT, bold=True, align=justify, first_line=2)
        self._style(STYLE_SIGNATURE, font=BODY_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT)
        self._style(STYLE_DATE, font=BODY_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT)
        self._style(STYLE_NOTE, font=BODY_FONT, align=justify, first_line=2)
        self._style(STYLE_ATTACHMENT_MARK, font=HEADING_ONE_FONT, align=WD_ALIGN_PARAGRAPH.LEFT)
        table = self._style(STYLE_TABLE, font=BODY_FONT, size=SIZE_TABLE)
        table.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # follows the size a table is set in
        table.paragraph_format.space_before = table.paragraph_format.space_after = Pt(2)
        off_grid = OxmlElement("w:snapToGrid")  # a table's lines are not the body's 22 lines a page
        off_grid.set(qn("w:val"), "0")
        _insert(table.element.get_or_add_pPr(), off_grid, PARAGRAPH_PROPERTIES)
        page_number = self._style(STYLE_PAGE_NUMBER, font=PAGE_NUMBER_FONT, size=SIZE_PAGE_NUMBER, line=Pt(18))
        page_number.quick_style = False
        for heading in (STYLE_HEADING[1], STYLE_HEADING[2], STYLE_HEADING[3], STYLE_TITLE):
            self.document.styles[heading].paragraph_format.keep_with_next = True

    def _lay_out(self, section, *, landscape=False):
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
            # The page turned: the binding edge (订口) and the head are where they were.
            section.top_margin, section.bottom_margin = MARGIN_LEFT, MARGIN_RIGHT
            section.left_margin, section.right_margin = MARGIN_TOP, MARGIN_BOTTOM
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
            section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
            section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.header_distance = Mm(15)
        # The page number's dash stands 7 mm below the type area: its line ends about 22 mm above the page edge.
        section.footer_distance = Mm(22) if not landscape else Mm(14)
        section.gutter = Mm(0)
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        # A grid of lines only: LibreOffice draws Word's grid of characters (linesAndChars) twice as wide; the 28
        # characters a line come from the styles' character spacing instead, which every program reads alike.
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        grid.attrib.pop(qn("w:charSpace"), None)

    def _page_numbers(self, section):
        """— 1 — in 4号 宋体: odd pages on the right one character in, even pages on the left one character in."""
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.style = self.document.styles[STYLE_PAGE_NUMBER]
            paragraph.alignment = align
            side = "right" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left"
            _indent_in_characters(paragraph._p.get_or_add_pPr(), **{side: 1})
            paragraph.add_run("— ")
            _add_field(paragraph, "PAGE")
            paragraph.add_run(" —")

    # -- the parts of a document

    def _paragraph(self, text, style):
        paragraph = self.document.add_paragraph(text, style=self.document.styles[style])
        return paragraph

    def _blank(self, style=STYLE_BODY):
        return self.document.add_paragraph(style=self.document.styles[style])

    def _head(self, *, mark, addressee):
        """版头 (when there is a `mark`): the agency's mark in red, the 发文字号 below it, the red rule; then the title
        two lines below, the 主送机关 one line below the title. Without a mark the number goes under the title."""
        if mark:
            paragraph = self._paragraph(mark, STYLE_MARK)
            # The mark fills the type area's width at most: a long name gets a smaller size.
            size = min(36.0, 442 / max(1.0, text_width(mark)) * 0.95)
            for run in paragraph.runs:
                run.font.size = Pt(round(size, 1))
                run.font.color.rgb = RED
            self._blank()
            _rule_below(self._paragraph(self.number, STYLE_NUMBER) if self.number else self._blank(STYLE_NUMBER))
            self._blank()
            self._blank()
        for line in self.title.splitlines() or [""]:
            self._paragraph(line, STYLE_TITLE)
        if self.number and not mark:
            self._paragraph(self.number, STYLE_NUMBER)
        self._blank()
        if addressee:
            self._paragraph(addressee.rstrip("：:") + "：", STYLE_ADDRESSEE)

    def paragraph(self, text, *, lead=""):
        """A body paragraph, first line indented two characters; `lead` is a bold lead-in (案例1：)."""
        paragraph = self._paragraph("", STYLE_BODY)
        if lead:
            paragraph.add_run(lead).bold = True
        paragraph.add_run(text)
        return paragraph

    def paragraphs(self, text, *, empty="—"):
        """Each line of `text` as a body paragraph (blank lines dropped); `empty` stands for no text at all."""
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        for line in lines or ([empty] if empty else []):
            self.paragraph(line)

    def heading(self, text, level=1, *, numbered=False):
        """一级标题 in 黑体 (一、), 二级 in 楷体 (（一）), 三级 in bold 仿宋 (1.); `numbered` adds the number."""
        if numbered and level in (1, 2):
            self._heading_numbers[level] += 1
            if level == 1:
                self._heading_numbers[2] = 0
            n = chinese_number(self._heading_numbers[level])
            text = f"{n}、{text}" if level == 1 else f"（{n}）{text}"
        return self._paragraph(text, STYLE_HEADING[level])

    def table(self, rows, *, header=None, weights=None, size=None):
        """A ruled table across the type area in 表格文字 (仿宋 小四, or `size`); the header row repeats on each
        page. `weights`: the columns' relative widths (equal without)."""
        rows = [list(row) for row in rows]
        columns = len(header) if header else max((len(r) for r in rows), default=1)
        table = self.document.add_table(rows=0, cols=columns)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_border(f"w:{edge}"))
        _insert(tbl_pr, borders, TABLE_PROPERTIES)
        section = self.document.sections[-1]
        usable = section.page_width - section.left_margin - section.right_margin
        weights = weights or [1] * columns
        widths = [int(usable * w / sum(weights)) for w in weights]
        for column, width in zip(table.columns, widths, strict=False):
            column.width = width
        style = self.document.styles[STYLE_TABLE]
        for index, values in enumerate(([header] if header else []) + rows):
            row = table.add_row()
            for cell, value, width in zip(row.cells, values, widths, strict=False):
                cell.width = width
                paragraph = cell.paragraphs[0]
                paragraph.style = style
                run = paragraph.add_run("" if value is None else str(value))
                if size is not None:
                    run.font.size = size
                if header and index == 0:
                    run.bold = True
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if header and index == 0:
                row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        return table

    def landscape_section(self):
        """A new page turned to landscape, for a table wider than the portrait type area (GB/T 9704 §10.1)."""
        section = self._new_section()
        self._lay_out(section, landscape=True)
        return section

    def attachment_page(self, number, title, *, landscape=False):
        """An attachment on a page of its own (GB/T 9704 §8): 附件 and its number in 黑体 at the top left, its title
        centred on the next line, one blank line, then its content (a wide table on a `landscape` page)."""
        self.landscape_section() if landscape else self.portrait_section()
        self._paragraph(f"附件{number or ''}", STYLE_ATTACHMENT_MARK)
        self._paragraph(title, STYLE_TITLE)
        self._blank(STYLE_TABLE)

    def portrait_section(self):
        section = self._new_section()
        self._lay_out(section)
        return section

    def _new_section(self):
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        # The section break lives in an empty paragraph of the default style: give it a Chinese one too.
        self.document.paragraphs[-1].style = self.document.styles[STYLE_BODY]
        return section

    def attachments(self, names):
        """附件说明: one blank line below the text, 附件：1.name, the further names aligned under the first."""
        names = [n for n in names if n]
        if not names:
            return
        self._blank()
        if len(names) == 1:
            self._paragraph(f"附件：{names[0]}", STYLE_NOTE)
            return
        for index, name in enumerate(names, start=1):
            paragraph = self._paragraph(f"{'附件：' if index == 1 else ''}{index}.{name}", STYLE_NOTE)
            if index > 1:
                # Aligned under the first name: two characters in, then the width of 附件：.
                _indent_in_characters(paragraph._p.get_or_add_pPr(), first_line=5)

    def close(self, *, issuer=None, date=None, note=""):
        """署名 and 成文日期 (GB/T 9704 §7.3.5.2, without a seal): one blank line below the text, the issuer two
        characters from the right, the date on the next line starting two characters right of the issuer's first
        character; a date longer than that stays two characters from the right and moves the issuer left. Then the
        附注 in brackets."""
        issuer = self.issuer if issuer is None else issuer
        date = self.date if date is None else date
        self._blank()
        dated = chinese_date(date) if date else ""
        issuer_right, date_right = 2.0, 2.0
        if issuer and dated:
            date_right = text_width(issuer) - text_width(dated)  # issuer_right + width - 2 - date width
            if date_right < 2:
                issuer_right, date_right = 4 + text_width(dated) - text_width(issuer), 2.0
        if issuer:
            signature = self._paragraph(issuer, STYLE_SIGNATURE)
            _indent_in_characters(signature._p.get_or_add_pPr(), right=issuer_right)
        if dated:
            line = self._paragraph(dated, STYLE_DATE)
            _indent_in_characters(line._p.get_or_add_pPr(), right=date_right if issuer else 4)
        if note:
            self._paragraph(f"（{note.strip('（）()')}）", STYLE_NOTE)

    def save(self):
        out = io.BytesIO()
        self.document.save(out)
        out.seek(0)
        return out


def new_official_document(title, number="", issuer="", date=None, *, addressee="", mark=""):
    """A document with its 版头 (the red `mark`, e.g. 阳城县应急管理局文件, and the 发文字号 `number`), its title and
    its 主送机关 already in place; add the text, then `close()` and `save()`."""
    return OfficialDocument(title=title, number=number, issuer=issuer, date=date, addressee=addressee, mark=mark)


def read_docx_paragraphs(data):
    """The paragraphs of an uploaded .docx (bytes) as (text, numbered by Word) pairs — a Word list's automatic number
    is not in the paragraph's text, so a reader can say so rather than read it without (campaign.task_list). A
    ValueError when the data is not a .docx."""
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ValueError("not a .docx") from exc
    return [(p.text, _word_numbered(p)) for p in document.paragraphs]


def _word_numbered(paragraph):
    """Whether Word numbers the paragraph itself (a list, directly or through its style)."""
    for element in (paragraph._p, getattr(paragraph.style, "element", None)):
        ppr = getattr(element, "pPr", None)
        if ppr is not None and ppr.numPr is not None:
            return True
    return False
