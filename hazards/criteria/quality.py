"""The matcher's quality on a labelled set, one computation for the test that holds the goals of issue 25 and for the
benchmark that prints them (docs/criteria-matcher.md)."""

from . import match as matcher


def figures(rows):
    """`rows`: [{"text", "major", "category", "item"}]. Recall of majors, share of ordinary hazards flagged, precision,
    and how often the best suggestion is in the right category and is the right item."""
    majors = [r for r in rows if r["major"]]
    ordinary = [r for r in rows if not r["major"]]
    found = flagged = category = item = 0
    for row in rows:
        result = matcher.match(row["text"])
        best = result.matches[0] if result.matches else None
        if row["major"]:
            found += result.likely_major
            category += bool(best and best.category == row["category"])
            item += bool(best and (best.category, best.item) == (row["category"], row["item"]))
        else:
            flagged += result.likely_major
    return {
        "n": len(rows),
        "majors": len(majors),
        "ordinary": len(ordinary),
        "recall": found / len(majors),
        "ordinary_flagged": flagged / len(ordinary),
        "precision": found / max(found + flagged, 1),
        "top1_category": category / len(majors),
        "top1_item": item / len(majors),
    }
