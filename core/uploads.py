"""Checks of uploaded evidence files by their content, not only by their name."""

from django.conf import settings
from django.core.files import temp as tempfile
from django.core.files import uploadedfile, uploadhandler

from .errors import DomainError

#: leading bytes → (content type, label)
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),  # .docx / .xlsx, told apart by the name below
]
OFFICE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ALLOWED_HELP = "JPG、PNG、GIF、WebP 图片，PDF，Word（.docx）或 Excel（.xlsx）"
#: checked type → the suffix a stored file and its download get (the uploader's own suffix is never kept)
SUFFIXES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
    **{content_type: suffix for suffix, content_type in OFFICE_TYPES.items()},
}
#: the image types `sniff_evidence` decodes with Pillow before accepting: only these are ever shown inline
DECODED_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
#: longer than any real one (.jpeg, .docx); a name ending in 150 letters after the dot is refused, not stored
MAX_SUFFIX_CHARS = 20


def sniff_evidence(upload, *, images_only=False):
    """Return the content type of an evidence upload, or raise a DomainError saying why it is refused."""
    max_bytes = settings.UPLOAD_MAX_BYTES
    if "." in upload.name and len(upload.name.rsplit(".", 1)[1]) > MAX_SUFFIX_CHARS:
        raise DomainError(f"文件“{shown_name(upload.name)}”的扩展名过长，请改成 .jpg、.pdf 这样的文件名后再上传。")
    if upload.size > max_bytes:
        raise DomainError(f"文件“{shown_name(upload.name)}”过大，上限为 {max_bytes // 1024 // 1024} MB。")
    if upload.size == 0:
        raise DomainError(f"文件“{shown_name(upload.name)}”是空的。")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = None
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        content_type = "image/webp"
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            content_type = kind
            break
    if content_type == "application/zip":
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        content_type = OFFICE_TYPES.get(suffix)
    if content_type is None or (images_only and not content_type.startswith("image/")):
        allowed = "JPG、PNG、GIF、WebP 图片" if images_only else ALLOWED_HELP
        raise DomainError(f"文件“{shown_name(upload.name)}”的类型不支持，只能上传{allowed}。")
    if content_type.startswith("image/"):
        _check_image(upload)
    return content_type


def shown_name(name, limit=40):
    """An uploader's file name short enough to quote in a message."""
    return name if len(name) <= limit else f"{name[: limit - 11]}…{name[-10:]}"


MAX_IMAGE_PIXELS = 60_000_000  # a 60-megapixel photo is plenty; more is a decompression bomb


def _check_image(upload):
    """Decode the image header and structure: a file that only starts like an image is refused."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(upload) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise DomainError(f"图片“{shown_name(upload.name)}”像素过大，请压缩后再上传。")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise DomainError(f"图片“{shown_name(upload.name)}”已损坏或不是真正的图片，请重新拍照上传。") from exc
    finally:
        upload.seek(0)


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    """Django's handler for uploads streamed to disk, but the temporary file does not take the uploader's extension:
    250 letters after the dot made its name too long for the file system, an error page instead of our message."""

    def new_file(self, *args, **kwargs):
        uploadhandler.FileUploadHandler.new_file(self, *args, **kwargs)
        self.file = _TemporaryUploadedFile(self.file_name, self.content_type, 0, self.charset, self.content_type_extra)


class _TemporaryUploadedFile(uploadedfile.TemporaryUploadedFile):
    def __init__(self, name, content_type, size, charset, content_type_extra=None):
        file = tempfile.NamedTemporaryFile(suffix=".upload", dir=settings.FILE_UPLOAD_TEMP_DIR)
        uploadedfile.UploadedFile.__init__(self, file, name, content_type, size, charset, content_type_extra)
