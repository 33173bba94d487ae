"""What every uploaded file of the product keeps beside the file itself."""

import uuid

from django.conf import settings
from django.db import models

from . import bounds


def random_upload_name(folder, filename):
    # Random names: the stored path tells nothing about the file and cannot be guessed.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{uuid.uuid4().hex}.{suffix}"


class StoredFile(models.Model):
    """The upload's name, sniffed type and size as received, and who sent it; subclasses add `file` and the owner."""

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
