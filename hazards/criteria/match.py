"""Rank the situations (情形) of 《煤矿重大事故隐患判定标准》 a hazard description most likely falls under.

Two signals, both from an index built once per standard version (`CriteriaIndex`), never per call:

* BM25 over character 2- and 3-grams of each item's text, its category's name and the words officers use for it
  (`phrases.TERMS`): finds the item a description *speaks of*, whatever the wording;
* the cues of each item (`phrases.CUES`, regular expressions, the standard's thresholds among them): a description
  that *is* the situation (a sensor that cannot cut power, 2 safety exits reduced to one, 超员 20% and more).

`likely_major` is true when the best item has a cue, or when its n-gram score is high and the description says a
rule is not met (未采取, 不能, 仍 …) — unless the description
reads as an ordinary hazard (a record, a sign, a sensor hung too low: `phrases.ORDINARY_CUES`) with nothing that
makes it hard (失效, 造假, 继续作业 …). Figures on the labelled set: docs/criteria-matcher.md.
"""

import heapq
import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import phrases

CRITERIA_2020 = Path(__file__).resolve().parent.parent / "data" / "major-hazard-criteria-2020.json"

# The standard's boilerplate: in nearly every item, it says nothing about which one.
_BOILERPLATE = re.compile(r"未按照国家规定|按照国家规定|国家规定|《煤矿安全规程》规定|煤矿安全规程|或者|以及|的")
_PUNCT = re.compile(r"[\s，。、；：,.;:!！?？“”\"'（）()《》【】\[\]/\\-]+")

K1 = 1.2
B = 0.75
#: weight of one cue hit, in BM25 units
CUE_WEIGHT = 3.0
#: the lift of an item of the chosen specialty
SPECIALTY_LIFT = 1.0
#: a best item without a cue of its own is likely major from this n-gram score (relative to the description's
#: length) when the description says something is not met (phrases.SEVERITY_CUES)
LIKELY_SCORE = 3.0
#: how many items the answer lists
TOP = 5


def normalize(text):
    """Full-width to half-width (１０％ → 10%), lower case, no spaces: the form cues and n-grams read."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"\s+", "", text)


def grams(text):
    """Character 2- and 3-grams of each run between punctuation."""
    out = []
    for run in _PUNCT.split(text):
        for n in (2, 3):
            out.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return out


@dataclass(frozen=True)
class Item:
    category: int
    item: int
    article: str
    label: str
    text: str
    category_name: str


@dataclass(frozen=True)
class Match:
    category: int
    item: int
    article: str
    text: str
    score: float
    cue: bool


@dataclass(frozen=True)
class Result:
    likely_major: bool
    matches: list


class CriteriaIndex:
    """The inverted index of one version's 80 items and their compiled cues; build once, match many times."""

    def __init__(self, data):
        self.items = []
        docs = []
        for cat in data["categories"]:
            for it in cat["items"]:
                item = Item(cat["no"], it["no"], cat["article"], it["label"], it["text"], cat["name"])
                self.items.append(item)
                key = (item.category, item.item)
                body = " ".join([item.text, item.category_name, phrases.TERMS.get(key, "")])
                docs.append(Counter(grams(_BOILERPLATE.sub(" ", normalize(body)))))
        self.lengths = [sum(d.values()) for d in docs]
        self.avg_length = sum(self.lengths) / len(docs)
        self.postings = {}
        for i, doc in enumerate(docs):
            for gram, tf in doc.items():
                self.postings.setdefault(gram, []).append((i, tf))
        n = len(docs)
        self.idf = {g: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for g, p in self.postings.items()}
        self.cues = [[re.compile(c) for c in phrases.CUES.get((it.category, it.item), [])] for it in self.items]
        self.order = [(it.category, it.item) for it in self.items]  # the tie-break of equal scores
        self.all_cues = [(i, cue) for i, cues in enumerate(self.cues) for cue in cues]  # one loop, not one per item
        self.ordinary = [re.compile(c) for c in phrases.ORDINARY_CUES]
        self.hard = [re.compile(c) for c in phrases.HARD_CUES]
        self.severe = [re.compile(c) for c in phrases.SEVERITY_CUES]

    def _bm25(self, query_grams):
        scores = [0.0] * len(self.items)
        for gram in set(query_grams):
            for i, tf in self.postings.get(gram, ()):
                norm = tf + K1 * (1 - B + B * self.lengths[i] / self.avg_length)
                scores[i] += self.idf[gram] * tf * (K1 + 1) / norm
        return scores

    def match(self, text, *, location="", specialty="", top=TOP):
        desc = normalize(text)
        query = grams(_BOILERPLATE.sub(" ", desc)) + grams(normalize(location))
        # Scores relative to the description's length, so a long description does not look "more major".
        scale = math.sqrt(max(len(set(query)), 1))
        bm25 = [s / scale for s in self._bm25(query)]
        lifted = phrases.SPECIALTY_CATEGORIES.get(specialty, ())
        lift = SPECIALTY_LIFT / scale
        found = [0] * len(self.items)
        for i, cue in self.all_cues:
            if cue.search(desc):
                found[i] += 1
        ranked = []
        for i, item in enumerate(self.items):
            hits = found[i]
            score = bm25[i] + CUE_WEIGHT * min(hits, 2)
            if item.category in lifted:
                score += lift
            ranked.append((-score, self.order[i], hits, bm25[i], item))
        # Best first, equal scores by category and item (each pair once, so no two items are compared): only the
        # first `top` are kept.
        ranked = [(-neg, hits, score, item) for neg, _, hits, score, item in heapq.nsmallest(max(top, 1), ranked)]
        best_score, best_hits, best_bm25, _ = ranked[0]
        ordinary = any(p.search(desc) for p in self.ordinary)
        hard = any(p.search(desc) for p in self.hard)
        severe = any(p.search(desc) for p in self.severe)
        likely = (best_hits > 0 or (severe and best_bm25 >= LIKELY_SCORE)) and (hard or not ordinary)
        matches = [
            Match(it.category, it.item, it.article, it.text, round(score, 3), hits > 0)
            for score, hits, _, it in ranked[:top]
            if score > 0
        ]
        return Result(likely, matches)


@lru_cache(maxsize=4)
def index_for(path=CRITERIA_2020):
    """The index of a criteria file, built on first use and kept for the process."""
    return CriteriaIndex(json.loads(Path(path).read_text(encoding="utf-8")))


#: descriptions whose answers are remembered: a ledger import matches each of its rows twice (the preview's warning,
#: then the finding recorded after the insert), so a whole file of the import's row limit (10,000) is matched once
MATCHES_REMEMBERED = 10_000


def match(text, *, location="", specialty="", top=TOP):
    """The items of the current standard a description most likely falls under, best first (do not change the
    answer's list: the same answer is given for the same arguments while it is remembered)."""
    return _match(text or "", location or "", specialty or "", top)


@lru_cache(maxsize=MATCHES_REMEMBERED)
def _match(text, location, specialty, top):
    # The answer depends only on its arguments and the index (code and the standard's file, fixed for the process).
    return index_for().match(text, location=location, specialty=specialty, top=top)
