"""A month's issued documents as one .zip: each document's .docx named `<number>-<kind>-<mine>.docx`, and
目录.xlsx listing them (文号, 种类, 煤矿, 签发日期, 执法人员, 签收) in the order of their
series, as a county office files them."""

import tempfile
import zipfile

from core.excel import ExportColumn, safe_filename, save_xlsx, write_ledger_xlsx

from .docx import document_docx
from .selectors import issued_in_month

INDEX_NAME = "目录.xlsx"


def _officers(document):
    return "、".join(f"{o.name}（{o.certificate_no}）" for o in document.officers.all())


def _received(document):
    if document.received_on is None:
        return "未签收"
    return f"{document.signer_name} {document.received_on:%Y-%m-%d}"


INDEX_COLUMNS = [
    ExportColumn("文号", lambda d: d.number, 28),
    ExportColumn("文书种类", lambda d: d.get_kind_display(), 18),
    ExportColumn("煤矿", lambda d: d.mine.name, 20),
    ExportColumn("签发日期", lambda d: d.issued_on, 12),
    ExportColumn("执法人员", _officers, 36),
    ExportColumn("签收", _received, 20),
    ExportColumn("文件名", lambda d: d.archive_name, 40),
]


def archive_name(document, taken):
    """`<number>-<kind label>-<mine>.docx`, unique within the archive (a bureau with its own format could make two
    numbers alike in a file system's eyes once unsafe characters are replaced)."""
    stem = safe_filename(f"{document.number}-{document.get_kind_display()}-{document.mine.name}")
    name, n = f"{stem}.docx", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.docx"
    taken.add(name)
    return name


def month_archive(*, user, year, month):
    """The .zip (a temporary file, rewound) of the month's documents the user sees."""
    documents = list(issued_in_month(user=user, year=year, month=month))
    out = tempfile.TemporaryFile()  # noqa: SIM115 -- handed to the response, which closes it
    taken = {INDEX_NAME}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in documents:
            document.archive_name = archive_name(document, taken)
            archive.writestr(document.archive_name, document_docx(document).getvalue())
        index = write_ledger_xlsx(
            title=f"执法文书目录（{year}年{month}月）",
            columns=INDEX_COLUMNS,
            rows=documents,
            sheet_name="目录",
            subtitle=f"共 {len(documents)} 份",
        )
        archive.writestr(INDEX_NAME, save_xlsx(index).read())
    out.seek(0)
    return out
