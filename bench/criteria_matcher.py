"""Time and score the 判定标准 matcher on the labelled sets (docs/criteria-matcher.md).

    .venv/bin/python -m bench.criteria_matcher

Pure Python, no database: prints the figures of each set and the time of one description (median and worst of many
runs over every description, the index built beforehand, as in a running server).
"""

import json
import statistics
import time
from pathlib import Path

from hazards.criteria import match as matcher
from hazards.criteria import quality

DATA = Path(__file__).resolve().parent.parent / "tests" / "hazards" / "data"


def figures(rows):
    got = quality.figures(rows)
    return (
        f"n={got['n']} (major {got['majors']}, ordinary {got['ordinary']}) recall={got['recall']:.3f} "
        f"ordinary_flagged={got['ordinary_flagged']:.3f} precision={got['precision']:.3f} "
        f"top1_category={got['top1_category']:.3f} top1_item={got['top1_item']:.3f}"
    )


def main():
    started = time.perf_counter()
    matcher.index_for()
    print(f"index built in {(time.perf_counter() - started) * 1000:.1f} ms")
    labelled = json.loads((DATA / "criteria_labelled.json").read_text(encoding="utf-8"))["rows"]
    fresh = json.loads((DATA / "criteria_fresh.json").read_text(encoding="utf-8"))["rows"]
    third = json.loads((DATA / "criteria_third.json").read_text(encoding="utf-8"))["rows"]
    probes = json.loads((DATA / "criteria_probes.json").read_text(encoding="utf-8"))["rows"]
    fourth_path = DATA / "criteria_fourth.json"
    print("labelled, all:           ", figures(labelled))
    print("labelled, development:   ", figures(labelled[0::2]))
    print("labelled, held-out half: ", figures(labelled[1::2]))
    print("fresh (after the matcher):", figures(fresh))
    print("third (after the final): ", figures(third))
    print("tuner's probes, 8 rounds: ", figures(probes))
    if fourth_path.exists():
        # written by someone who had not seen the matcher; scored once after the last change (docs/criteria-matcher.md)
        fourth = json.loads(fourth_path.read_text(encoding="utf-8"))["rows"]
        print("fourth (development now): ", figures(fourth))
    fifth_path = DATA / "criteria_fifth.json"
    if fifth_path.exists():
        # written by someone who saw neither the matcher nor the other sets; scored once after the last change of the
        # second tuning round (docs/criteria-matcher.md)
        fifth = json.loads(fifth_path.read_text(encoding="utf-8"))["rows"]
        print("fifth (held out):         ", figures(fifth))
    texts = [r["text"] for r in labelled + fresh + third + probes]
    # a long description: twenty findings pasted into one cell
    for name, sample in (("one description", texts), ("a 20-finding description", ["；".join(texts[:20])])):
        wall, cpu = [], []
        for _ in range(max(20, 2000 // len(sample))):
            for text in sample:
                started, started_cpu = time.perf_counter(), time.process_time()
                matcher.match(text)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
        wall.sort()
        cpu.sort()
        print(
            f"{name}: median {statistics.median(wall):.2f} ms, p99 {wall[int(len(wall) * 0.99)]:.2f} ms, "
            f"worst {wall[-1]:.2f} ms wall ({len(wall)} runs); CPU median {statistics.median(cpu):.2f} ms, "
            f"p99 {cpu[int(len(cpu) * 0.99)]:.2f} ms"
        )


if __name__ == "__main__":
    main()
