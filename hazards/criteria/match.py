"""Rank the situations (情形) of 《煤矿重大事故隐患判定标准》 a hazard description most likely falls under.

The description is normalised (NFKC, lower case, no spaces; a failure said not to be there, 未失爆, read as 完好) and
each concept written one way (`phrases.CONCEPTS`: 主扇 → 主要通风机, T1/瓦斯探头 → 甲烷传感器, 切断电源 → 断电 …).
Then three signals, from an index built once per standard version (`CriteriaIndex`), never per call:

* BM25 over character 2- and 3-grams of each item's *subject* — its text, its category's name and the words officers
  use for it (`phrases.TERMS`), without the standard's boilerplate and predicate words (不能正常使用, 未安装 …): finds
  the item a description *speaks of*, whatever the wording;
* the cues of each item (`phrases.CUES`, regular expressions that join a subject and its failure): a description
  that *is* the situation (a sensor that cannot cut power, 2 safety exits reduced to one);
* the standard's numbers read from the text (`thresholds`: 瓦斯 ≥ 1.0% with work going on, 20% over 限员, 10% over
  the rated output, > 2 levels, 断电值 > 1.5%, 风量 below 需风量), counted as cues.

`likely_major` is true when the best item has a cue, or when its n-gram score is high (≥ LIKELY_SCORE) and the
description says a rule is not met (`phrases.FAILURE_CUES`: 未, 没有, 不能, 只有, 超, 仍, 私自 …) and it is not a minor
defect (`phrases.MINOR_CUES`: housekeeping, wear, support, a dimension) — and, either way, unless it reads as an
ordinary hazard (`phrases.ORDINARY_CUES`: a record, a sign, a sensor hung too low, gear, a test) with nothing that
makes it hard (`phrases.HARD_CUES`: 失效, 造假, 继续作业 …). Figures: docs/criteria-matcher.md.
"""

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
# What an item says is wrong (不能正常使用, 未安装, 不符合 …) rather than what it is about: left out of the n-grams, so
# a description scores on its subject (喷雾装置 is not 闭锁装置 because both "不能正常使用"); the failure words are
# read separately (phrases.FAILURE_CUES) and the cues read the whole text.
_PREDICATE = re.compile(
    r"不能正常(使用|运行)|不正常(使用|运行)?|正常(使用|运行)|不符合|符合|未按照|按照|规定|未|没有|不能|进行|"
    r"组织生产建设|生产建设|组织生产|存在|情况|相应|有关|造成|装置|要求|安设|安装|装备|设置|建立|采取|实施|制定|执行"
)
_PUNCT = re.compile(r"[\s，。、；：,.;:!！?？“”\"'（）()《》【】\[\]/\\-]+")

K1 = 1.2
B = 0.75
#: weight of one cue hit, in BM25 units
CUE_WEIGHT = 3.0
#: the lift of an item of the chosen specialty
SPECIALTY_LIFT = 1.0
#: a best item without a cue of its own is likely major from this n-gram score (relative to the description's
#: length) when the description says something is not met (phrases.FAILURE_CUES)
LIKELY_SCORE = 3.0
#: how many items the answer lists
TOP = 5


def normalize(text):
    """Full-width to half-width (１０％ → 10%), lower case, no spaces: the form cues and n-grams read."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _NEGATED.sub(phrases.NEGATED_FAILURE[0], re.sub(r"\s+", "", text))


_CONCEPTS = [(canon, re.compile(pattern)) for canon, pattern in phrases.CONCEPTS]
_NEGATED = re.compile(phrases.NEGATED_FAILURE[1])


def canonical(text):
    """One word per concept (主扇 → 主要通风机, 切断电源 → 断电 …: phrases.CONCEPTS) in normalised text."""
    for canon, pattern in _CONCEPTS:
        text = pattern.sub(canon, text)
    return text


def subject(text):
    """The normalised, canonical text without the standard's boilerplate and the predicate words: what the n-grams
    compare."""
    text = _BOILERPLATE.sub(" ", text)
    return _PREDICATE.sub(" ", text)


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
                docs.append(Counter(grams(subject(canonical(normalize(body))))))
        self.lengths = [sum(d.values()) for d in docs]
        self.avg_length = sum(self.lengths) / len(docs)
        self.postings = {}
        for i, doc in enumerate(docs):
            for gram, tf in doc.items():
                self.postings.setdefault(gram, []).append((i, tf))
        n = len(docs)
        self.idf = {g: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for g, p in self.postings.items()}
        self.cues = [[re.compile(c) for c in phrases.CUES.get((it.category, it.item), [])] for it in self.items]
        self.ordinary = [re.compile(c) for c in phrases.ORDINARY_CUES]
        self.minor = [re.compile(c) for c in phrases.MINOR_CUES]
        self.hard = [re.compile(c) for c in phrases.HARD_CUES]
        self.failure = [re.compile(c) for c in phrases.FAILURE_CUES]

    def _bm25(self, query_grams):
        scores = [0.0] * len(self.items)
        for gram in set(query_grams):
            for i, tf in self.postings.get(gram, ()):
                norm = tf + K1 * (1 - B + B * self.lengths[i] / self.avg_length)
                scores[i] += self.idf[gram] * tf * (K1 + 1) / norm
        return scores

    def match(self, text, *, location="", specialty="", top=TOP):
        raw = normalize(text)
        desc = canonical(raw)
        query = grams(subject(desc)) + grams(subject(canonical(normalize(location))))
        # Scores relative to the description's length, so a long description does not look "more major".
        scale = math.sqrt(max(len(set(query)), 1))
        bm25 = [s / scale for s in self._bm25(query)]
        lifted = phrases.SPECIALTY_CATEGORIES.get(specialty, ())
        numeric = thresholds(raw)
        ranked = []
        for i, item in enumerate(self.items):
            key = (item.category, item.item)
            hits = sum(1 for cue in self.cues[i] if cue.search(desc) or cue.search(raw)) + (key in numeric)
            score = bm25[i] + CUE_WEIGHT * min(hits, 2)
            if item.category in lifted:
                score += SPECIALTY_LIFT / scale
            ranked.append((score, hits, bm25[i], item))
        # An item whose cue hits comes before one that only shares words with the description.
        ranked.sort(key=lambda r: (-min(r[1], 1), -r[0], r[3].category, r[3].item))
        best_score, best_hits, best_bm25, _ = ranked[0]
        ordinary = any(p.search(desc) for p in self.ordinary)
        minor = any(p.search(desc) for p in self.minor)
        hard = any(p.search(desc) or p.search(raw) for p in self.hard)
        failure = any(p.search(desc) for p in self.failure)
        by_words = failure and best_bm25 >= LIKELY_SCORE and (hard or not minor)
        likely = (best_hits > 0 or by_words) and (hard or not ordinary)
        matches = [
            Match(it.category, it.item, it.article, it.text, round(score, 3), hits > 0)
            for score, hits, _, it in ranked[:top]
            if score > 0
        ]
        return Result(likely, matches)


_NUMBER = r"(\d+(?:\.\d+)?)"
_GAS = re.compile(r"(瓦斯|甲烷传感器)(浓度)?[^\d%,]{0,8}" + _NUMBER + "%")
_GOES_ON = re.compile(r"继续作业|(未|没有)(停|撤人|撤出)|不能断电|不能报警|未处理")
_CUT_OFF = re.compile(r"断电(值|点|浓度)[^\d%,]{0,8}" + _NUMBER + "%")
_AIR = re.compile(r"风量[^\d,]{0,6}" + _NUMBER + r".{0,30}?(需风量|需要|规定|设计|应为|配风)[^\d,]{0,6}" + _NUMBER)
_CREW = re.compile(r"(限员|定员)" + _NUMBER + r"人.{0,12}?(实际|实有|入井|下井|作业|共|有)" + _NUMBER + "人")
_CREW_BACK = re.compile(_NUMBER + r"人.{0,12}?(限员|定员)" + _NUMBER + "人")
_OUTPUT = re.compile(r"(核定|设计)(生产)?(能力|产能)的?" + _NUMBER + "%")
_OUTPUT_OVER = re.compile(r"(产量|出煤|产能|核定|设计).{0,12}超(过|出)?.{0,6}?" + _NUMBER + "%")
_LEVELS = re.compile(r"([3-9]|三|四|五)个(生产)?水平")
# 《煤矿安全规程》第九十五条: in one 采(盘)区, not 3 采煤 and 5 掘进 faces at once
_FACES = re.compile(
    r"([3-9]|三|四|五)个(综采|综放|采煤|回采)(工作)?面|([5-9]|五|六|七|八|九)个(煤巷)?(掘进|掘进工作)(面|头)"
)


def thresholds(raw):
    """The standard's numbers read from the text (normalised, so １．５％ is 1.5%): the items whose threshold the
    description passes — 瓦斯 ≥ 1.0% with work going on (第五条第（二）项), a crew 20% and more over its limit
    (第四条第（六）项), output 10% and more over the rated capacity (第四条第（一）项), more than 2 levels
    (第四条第（四）项)."""
    found = set()
    text = canonical(raw)
    gas = [float(m.group(3)) for m in _GAS.finditer(text)]
    if gas and max(gas) >= 1.0 and _GOES_ON.search(text):
        found.add((2, 2))
    if any(float(m.group(2)) > 1.5 for m in _CUT_OFF.finditer(text)):
        found.add((4, 2))  # a 断电值 set above what 《煤矿安全规程》 allows anywhere
    if any(float(m.group(1)) < float(m.group(3)) for m in _AIR.finditer(text)):
        found.add((5, 1))
    for m in _CREW.finditer(raw):
        limit, actual = float(m.group(2)), float(m.group(4))
        if limit and actual >= limit * 1.2:
            found.add((1, 6))
    for m in _CREW_BACK.finditer(raw):
        actual, limit = float(m.group(1)), float(m.group(3))
        if limit and actual >= limit * 1.2:
            found.add((1, 6))
    if any(float(m.group(4)) >= 110 for m in _OUTPUT.finditer(raw)):
        found.add((1, 1))
    if any(float(m.group(3)) >= 10 for m in _OUTPUT_OVER.finditer(raw)):
        found.add((1, 1))
    if _LEVELS.search(raw) or _FACES.search(raw):
        found.add((1, 4))
    return found


@lru_cache(maxsize=4)
def index_for(path=CRITERIA_2020):
    """The index of a criteria file, built on first use and kept for the process."""
    return CriteriaIndex(json.loads(Path(path).read_text(encoding="utf-8")))


def match(text, *, location="", specialty="", top=TOP):
    """The items of the current standard a description most likely falls under, best first."""
    return index_for().match(text, location=location, specialty=specialty, top=top)
