"""The benchmark's report (bench/run.py): what it says of this machine against the last run's."""

from bench import run  # a bench that no longer imports fails here, not in the next run of scripts/bench


def row(name, median):
    return (name, f"{median:.1f}", f"{median * 1.2:.1f}", "", "", "", "", "")


def test_the_report_compares_this_runs_floors_with_the_last_runs(monkeypatch):
    last = "\n".join(
        [
            "Measured by `scripts/bench` on 2026-12-01 (2 cores).",
            "| name | median (ms) | p95 (ms) |",
            "| import floor: python-calamine parse (10,000 rows) | 100.0 | 120.0 |",
            "| export floor: rust_xlsxwriter | 1000.0 | 1100.0 |",
            "| county dashboard SQL floor (11 hand-written queries) | 20.0 | 30.0 |",
            "| ledger import (10,000 rows, rolled back) | 700.0 | 800.0 |",  # ours: not a floor
            "| a floor the new run no longer has | 5.0 | 6.0 |",
        ]
    )
    monkeypatch.setattr(
        run,
        "ROWS",
        [
            row("import floor: python-calamine parse (10,000 rows)", 200.0),
            row("export floor: rust_xlsxwriter", 1000.0),
            row("county dashboard SQL floor (11 hand-written queries)", 30.0),
            row("ledger import (10,000 rows, rolled back)", 1.0),
            row("a floor new in this run", 9.0),
        ],
    )
    sentence = run.machine_against_last_run(last)
    assert "2026-12-01" in sentence and "its 3 floors" in sentence
    assert "1.00–2.00×" in sentence and "median 1.50×" in sentence


def test_too_few_floors_in_common_say_nothing(monkeypatch):
    monkeypatch.setattr(run, "ROWS", [row("import floor: python-calamine parse (10,000 rows)", 200.0)])
    assert run.machine_against_last_run("| import floor: python-calamine parse (10,000 rows) | 100.0 | 1 |") == ""
