import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt="PNG", size=(32, 24)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, format=fmt)
    return out.getvalue()


def image_upload(name="photo.png", fmt="PNG"):
    return SimpleUploadedFile(name, image_bytes(fmt))
