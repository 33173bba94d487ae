"""/favicon.ico: what every browser asks for on its own (the admin and the API docs name no icon) answers with the
product's icon, to anyone, without a login and without a 404 in the log."""

import io

from PIL import Image


def test_favicon_ico_is_served_to_anyone(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=" in response["Cache-Control"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    icon = Image.open(io.BytesIO(body))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= set(icon.ico.sizes())
