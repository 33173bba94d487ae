"""What every uploaded file of the product keeps beside the file itself, and the one way a stored file is served."""

import uuid

from django.conf import settings
from django.db import models
from django.http import FileResponse

from . import bounds
from .uploads import DECODED_IMAGE_TYPES, SUFFIXES

#: served for a stored type this product does not know (a row older than the checks, a missing type)
UNKNOWN_TYPE = "application/octet-stream"


def random_upload_name(folder, content_type):
    # Random names: the stored path tells nothing about the file and cannot be guessed. The suffix follows the type
    # found by the content check, never the uploader's name: a GIF named `x.html` is stored as `.gif`.
    suffix = SUFFIXES.get(content_type, "bin")
    return f"{folder}/{uuid.uuid4().hex}.{suffix}"


def download_name(original_name, content_type):
    """The name offered to the browser: the uploader's stem with the suffix of the checked type (`x.html` holding a
    GIF is offered as `x.gif`), so a saved file never opens as a page."""
    stem = original_name.rsplit(".", 1)[0] if "." in original_name else original_name
    stem = stem.strip()[:100] or "文件"
    return f"{stem}.{SUFFIXES.get(content_type, 'bin')}"


def stored_file_response(file, *, content_type, original_name):
    """Serve an uploaded file by the type its content was checked to be, with `nosniff`: inline only for images
    Pillow decoded at upload, as an attachment otherwise. Every view that hands out a stored file goes through here."""
    served_type = content_type if content_type in SUFFIXES else UNKNOWN_TYPE
    response = FileResponse(
        file.open("rb"),
        as_attachment=served_type not in DECODED_IMAGE_TYPES,
        filename=download_name(original_name, served_type),
        content_type=served_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class StoredFile(models.Model):
    """The upload's name, sniffed type and size as received, and who sent it; subclasses add `file` and the owner.

    Set `content_type` before saving: the stored name's suffix is derived from it (see `random_upload_name`)."""

    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField(
        "大小（字节）", validators=[bounds.at_most(bounds.MAX_FILE_BYTES, "文件大小", " 字节")]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    def response(self):
        return stored_file_response(self.file, content_type=self.content_type, original_name=self.original_name)
