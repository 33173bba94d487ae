"""QR codes drawn by the app itself (segno, pure Python): an inline SVG, so a printed page needs no outside service
and no image file."""

from functools import lru_cache

from django.utils.safestring import mark_safe


@lru_cache(maxsize=16)  # the same few URLs, drawn once per process
def qr_svg(text, *, title=""):
    """An inline `<svg class="qr-code">` of `text`, sized by CSS (a viewBox, no width or height), error correction
    at least M (a poster on a mine's wall gets dirty), the quiet zone of four modules the standard asks for."""
    import segno

    code = segno.make(text, error="m", micro=False)
    return mark_safe(code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code", lineclass=None, title=title))
