"""The 举报 poster: an A4 page with a QR code the app draws itself, which a phone reads as the public report URL."""

import re

import pytest
from PIL import Image, ImageDraw

pytestmark = pytest.mark.django_db


def svg_modules(svg):
    """The dark modules of a QR code drawn as segno draws it: one path of horizontal runs (`M x y`, `m dx dy`,
    `h n`), each run at the module row's middle (y + 0.5). Returns (size, set of (x, y))."""
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", path):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            run = numbers[0] if command == "h" else numbers[0] - x
            dark.update((int(x) + i, int(y)) for i in range(int(run)))
            x += run
    return size, dark


def decode(svg):
    """Draw the page's SVG as pixels and read it with a real decoder (zxing-cpp), as a phone would."""
    zxingcpp = pytest.importorskip("zxingcpp")
    size, dark = svg_modules(svg)
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y in dark:
        draw.rectangle([x * scale, y * scale, (x + 1) * scale - 1, (y + 1) * scale - 1], fill=0)
    return [result.text for result in zxingcpp.read_barcodes(image)]


def poster_svg(html):
    match = re.search(r"<svg[^>]*class=\"qr-code\".*?</svg>", html, re.S)
    assert match, "no QR code on the poster"
    return match.group(0)


@pytest.mark.parametrize("site", ["https://aq.yangcheng.gov.cn", "http://127.0.0.1:8000/"])
def test_the_poster_qr_code_reads_as_the_public_report_url(client, county, settings, site):
    settings.SITE_URL = site
    response = client.get("/report/poster/")  # public: a poster reveals nothing the report page does not
    assert response.status_code == 200
    html = response.content.decode()
    expected = site.rstrip("/") + "/report/"
    assert decode(poster_svg(html)) == [expected]
    assert expected in html  # printed under the code too, for those who type it


def test_the_qr_code_matches_the_librarys_own_matrix(client, county, settings):
    """Without a decoder, the drawing is still the library's matrix for the URL, module for module."""
    import segno

    settings.SITE_URL = "https://aq.yangcheng.gov.cn"
    size, dark = svg_modules(poster_svg(client.get("/report/poster/").content.decode()))
    qr = segno.make("https://aq.yangcheng.gov.cn/report/", error="m")
    border = (size - qr.symbol_size(scale=1, border=0)[0]) // 2
    expected = {(x + border, y + border) for y, row in enumerate(qr.matrix) for x, bit in enumerate(row) if bit}
    assert dark == expected


def test_the_poster_is_an_a4_page_in_chinese_with_no_outside_resource(client, county):
    html = client.get("/report/poster/").content.decode()
    assert "size: A4" in html and "@media print" in html
    assert "匿名举报" in html and "扫码" in html and county.bureau.name in html
    assert 'data-action="print"' in html
    assert not re.search(r'(src|href)="https?://', html), "the poster loads nothing from outside"


def test_bureau_users_find_the_poster_from_the_tipoff_list(client, county):
    client.force_login(county.inspector)
    assert 'href="/report/poster/"' in client.get("/reports/").content.decode()
