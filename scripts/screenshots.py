"""Screenshots of the main pages for docs/screenshots/, taken in Debian's Chromium (never a downloaded browser).

Usage: with the demo running (scripts/run), `python scripts/screenshots.py [--base http://127.0.0.1:8000]`.
Fails if a page logs a console error or answers an HTTP error.
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

SHOTS = [
    # (user, viewport, path, file, wait for charts)
    ("inspector", (1440, 900), "/dashboard/", "bureau-dashboard.png", True),
    ("leader", (1440, 900), "/dashboard/charts/", "leadership-charts.png", True),
    ("leader", (1920, 1080), "/dashboard/screen/", "big-screen.png", True),
    ("inspector", (1440, 900), "/submissions/matrix/", "submission-matrix.png", False),
    ("inspector", (1440, 900), "/hazards/", "hazard-ledger.png", False),
    ("ent1", (1440, 900), "/dashboard/", "enterprise-overview.png", True),
    ("mine1", (390, 844), "/", "mine-home-phone.png", False),
    ("mine1", (390, 844), "/hazards/", "mine-ledger-phone.png", False),
    ("inspector", (390, 844), "/submissions/review/", "review-queue-phone.png", False),
    ("mine1", (1440, 900), "/dashboard/", "one-mine-dashboard.png", True),
    ("mine1", (390, 844), "/search/?q=甲烷传感器", "search-phone.png", False),
    ("mine1", (390, 844), "/guide/", "guide-phone.png", False),
    ("inspector", (1440, 900), "/report/poster/", "tipoff-poster.png", False),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="demo12345")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for user, (width, height), path, name, charts in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
            page.on("console", lambda m, u=path: problems.append(f"{u}: {m.text}") if m.type == "error" else None)
            page.on("response", lambda r: problems.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)
            page.goto(f"{args.base}/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", args.password)
            page.click("button[type=submit]")
            page.goto(f"{args.base}{path}")
            if charts:
                page.wait_for_selector("[data-chart] svg", timeout=15000)
                page.wait_for_timeout(800)
            page.screenshot(path=str(OUT / name), full_page=height < 1000)
            page.close()
            print("saved", OUT / name)
        browser.close()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
