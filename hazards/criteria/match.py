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
        self.remedied = [re.compile(c) for c in phrases.REMEDIED_CUES]
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
        numeric, under = _read_numbers(raw)
        ranked = []
        for i, item in enumerate(self.items):
            key = (item.category, item.item)
            hits = sum(1 for cue in self.cues[i] if cue.search(desc) or cue.search(raw)) + (key in numeric)
            if key in under and key not in numeric:
                hits = 0  # the number says it stays under the standard's line, whatever the words
            score = bm25[i] + CUE_WEIGHT * min(hits, 2)
            if item.category in lifted:
                score += SPECIALTY_LIFT / scale
            ranked.append((score, hits, bm25[i], item))
        # An item whose cue hits comes before one that only shares words with the description.
        ranked.sort(key=lambda r: (-min(r[1], 1), -r[0], r[3].category, r[3].item))
        best_score, best_hits, best_bm25, best = ranked[0]
        # the number the description states decides its item: under the line, neither cue nor words make it major
        stated_under = (best.category, best.item) in under - numeric
        ordinary = any(p.search(desc) for p in self.ordinary)
        minor = any(p.search(desc) for p in self.minor)
        hard = any(p.search(desc) or p.search(raw) for p in self.hard)
        failure = any(p.search(desc) for p in self.failure)
        by_words = failure and best_bm25 >= LIKELY_SCORE and (hard or not minor) and not stated_under
        remedied = any(p.search(desc) for p in self.remedied)
        likely = (best_hits > 0 or by_words) and (hard or not ordinary) and not remedied
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
# 风量 and the 需风量 in either order: "实测风量350，需风量600" or "需风量1200，实测风量860"
_AIR = re.compile(r"风量[^\d,]{0,6}" + _NUMBER + r".{0,30}?(需风量|需要|规定|设计|应为|配风)[^\d,]{0,6}" + _NUMBER)
_AIR_BACK = re.compile(
    r"(需风量|需要风量|配风量|设计风量)[^\d,]{0,6}" + _NUMBER + r".{0,30}?(实测|实际|测得)[^\d,]{0,8}" + _NUMBER
)
# 《煤矿安全规程》第一百三十六条: no working place below 0.15 m/s (岩巷掘进), 0.25 m/s in a 煤巷 or a 采煤 face
_SPEED = re.compile(r"(迎头|工作面|掘进面|采面|回风|风)[^\d,]{0,6}风速[^\d,]{0,4}" + _NUMBER + r"m/s")
_CREW = re.compile(r"(限员|定员|限定|核定人数|规定人数)" + _NUMBER + r"人.{0,24}?" + _NUMBER + "人")
_CREW_BACK = re.compile(_NUMBER + r"人.{0,12}?(限员|定员|限定|核定人数|规定人数)" + _NUMBER + "人")
_CREW_OVER = re.compile(r"超(过)?(限员|定员)约?" + _NUMBER + "%")
_OUTPUT = re.compile(r"(核定|设计)(生产)?(能力|产能)的?" + _NUMBER + "%")
_OUTPUT_OVER = re.compile(r"(产量|出煤|产能|核定|设计|证载|能力).{0,12}超(过|出)?.{0,6}?" + _NUMBER + "%")
# capacity and output in 万t: the capacity is the figure per year (万t/a, 万吨/年) or the one next to 核定/设计/证载
_TONS = r"(\d+(?:\.\d+)?)万(?:t|吨)"
_CAPACITY = re.compile(
    r"(核定|设计|证载|批准|公告)(生产)?(能力|产能)?[^\d,]{0,6}" + _TONS + r"(/a|/年|每年)?|" + _TONS + r"(/a|/年)"
)
_PRODUCED = re.compile(r"(产|出煤|产量|产原煤|生产原煤|采出|销售|外运)[^\d,]{0,8}" + _TONS + r"(?!/)")
_PLANNED = re.compile(r"(计划|指标|任务)[^\d,]{0,8}" + _TONS + r"(?!/)")
_MONTH = re.compile(r"(单|当|本|一个|\d{1,2})月(?!累计)")
_LEVELS = re.compile(r"([3-9]|三|四|五)个(生产)?水平")
_LEVEL = re.compile(r"([+\-]\d+)(m)?水平")
_COUNT = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_N = r"(\d|[一两二三四五六七八九])"
_CUTTING = re.compile(_N + r"个(综采|综放|放顶煤|采煤|回采|采)(工作)?面")
_HEADING = re.compile(_N + r"个(煤巷|半煤岩巷)?(掘进|掘进工作)?(工作面|面|头|迎头)(?<!采面)")
# 开采标高 +800m至+500m on the licence, a face at +470m
_RANGE = re.compile(r"标高[^\d+\-,]{0,4}([+\-]?\d+)m?(至|到|~|～|-|—)([+\-]?\d+)m")
_REACHED = re.compile(r"(掘至|掘到|采至|采到|达到|已到|已至|延深至|延深到|布置在|位于|进入)[^\d+\-,]{0,4}([+\-]\d+)m?")
# the seams on the licence (采矿证批准开采3、5号煤层; 证上只有3号煤) and a seam worked outside them
_LICENSED = re.compile(r"(采矿(许可)?证|许可证|证上|证载|批准|核准)[^，。;]{0,12}?((\d+[、,和及]?)+)号煤")
_SEAM = re.compile(r"(\d+)号煤")
_ANGLE = re.compile(r"边坡角[^\d,]{0,6}" + _NUMBER + r"°.{0,16}?(设计|最大|允许)[^\d,]{0,8}" + _NUMBER + "°")
# 水仓 holds 8 h of the normal inflow (《煤矿安全规程》第三百一十一条)
_SUMP = re.compile(r"水仓[^，。]{0,12}(只够|仅够|只能容纳|仅能容纳|够|容纳)" + _NUMBER + r"(小时|h)")
# "约一成", "两成多": 一成 is 10%
# CO above 24 ppm (《煤矿安全规程》第一百三十五条: 0.0024%) and still rising, or with work going on
_CO = re.compile(r"(co|一氧化碳)(浓度)?[^\d,]{0,8}" + _NUMBER + "ppm")
_TENTHS = re.compile(r"([一两二三四五])成")


def _count(word):
    return int(word) if word.isdigit() else _COUNT.get(word, 0)


def _percent(text):
    return _TENTHS.sub(lambda m: f"{_count(m.group(1)) * 10}%", text)


def thresholds(raw):
    """The standard's numbers read from the text (normalised, so １．５％ is 1.5%): the items whose threshold the
    description passes — 瓦斯 ≥ 1.0% with work going on (第五条第（二）项), a crew 20% and more over its limit
    (第四条第（六）项), output 10% and more over the rated capacity, a year's in 万t, a month's over a tenth of it
    (第四条第（一）项), a plan over the capacity (第四条第（二）项), more than 2 levels or too many faces in one 采区 /
    one wing (第四条第（四）项), 风量 or 风速 short (第八条第（一）项), a face outside the licence's 标高 range or in a
    seam it does not list (第十条第（一）项), a slope steeper than designed (第十八条第（十）项), a sump short of
    8 hours (第九条第（八）项)."""
    return _read_numbers(raw)[0]


def under_thresholds(raw):
    """The items whose number the description states and which stays under the standard's line (超核定能力约5%,
    超限员约11%): their word cues do not count, the number decides."""
    return _read_numbers(raw)[1]


def _read_numbers(raw):
    found, under = set(), set()
    text = canonical(_percent(raw))
    gas = [float(m.group(3)) for m in _GAS.finditer(text)]
    if gas and max(gas) >= 1.0 and _GOES_ON.search(text):
        found.add((2, 2))
    if any(float(m.group(2)) > 1.5 for m in _CUT_OFF.finditer(text)):
        found.add((4, 2))  # a 断电值 set above what 《煤矿安全规程》 allows anywhere
    if any(float(m.group(1)) < float(m.group(3)) for m in _AIR.finditer(text)):
        found.add((5, 1))
    if any(float(m.group(4)) < float(m.group(2)) for m in _AIR_BACK.finditer(text)):
        found.add((5, 1))
    if any(float(m.group(2)) < 0.15 for m in _SPEED.finditer(text)):
        found.add((5, 1))
    raw = _percent(raw)
    for m in _CREW.finditer(raw):
        limit, actual = float(m.group(2)), float(m.group(3))
        if limit and actual >= limit * 1.2:
            found.add((1, 6))
        elif limit and actual > limit:
            under.add((1, 6))
    for m in _CREW_BACK.finditer(raw):
        actual, limit = float(m.group(1)), float(m.group(3))
        if limit and actual >= limit * 1.2:
            found.add((1, 6))
    for m in _CREW_OVER.finditer(raw):
        (found if float(m.group(3)) >= 20 else under).add((1, 6))
    if any(float(m.group(4)) >= 110 for m in _OUTPUT.finditer(raw)):
        found.add((1, 1))
    for m in _OUTPUT_OVER.finditer(raw):
        (found if float(m.group(3)) >= 10 else under).add((1, 1))
    capacity = [float(m.group(4) or m.group(6)) for m in _CAPACITY.finditer(raw)]
    if capacity:
        cap = max(capacity)
        monthly = _MONTH.search(raw) and not re.search(r"累计|全年|年产|截至|截止|月底|以来|\d+-\d+月", raw)
        for m in _PRODUCED.finditer(raw):
            tons = float(m.group(2))
            if tons == cap:
                continue
            if (monthly and tons > cap * 0.1) or (not monthly and tons >= cap * 1.1):
                found.add((1, 1))
        if any(float(m.group(2)) > cap for m in _PLANNED.finditer(raw)):
            found.add((1, 2))
    if _LEVELS.search(raw) or (len(set(_LEVEL.findall(raw))) > 2 and "同时" in raw):
        found.add((1, 4))
    # 《煤矿安全规程》第九十五条: one wing of one seam, 1 采煤 and 2 煤巷掘进 faces; a whole 采区, 2 and 4
    wing = "翼" in raw and "双翼" not in raw
    cutting = sum(_count(m.group(1)) for m in _CUTTING.finditer(raw))
    heading = sum(_count(m.group(1)) for m in _HEADING.finditer(raw))
    if cutting > (1 if wing else 2) or heading > (2 if wing else 4):
        found.add((1, 4))
    for m in _RANGE.finditer(raw):
        low, high = sorted((float(m.group(1)), float(m.group(3))))
        for r in _REACHED.finditer(raw, m.end()):
            if not low <= float(r.group(2)) <= high:
                found.add((7, 1))
    licensed = _LICENSED.search(raw)
    if licensed:
        allowed = set(re.findall(r"\d+", licensed.group(3)))
        if any(s.group(1) not in allowed for s in _SEAM.finditer(raw, licensed.end())):
            found.add((7, 1))
    if any(float(m.group(1)) > float(m.group(3)) for m in _ANGLE.finditer(raw)):
        found.add((15, 10))
    if any(float(m.group(3)) > 24 for m in _CO.finditer(raw)) and re.search(
        r"上升|升高|增大|继续作业|(没有|未)(让|组织|安排)?撤", text
    ):
        found.add((9, 3))
    if any(float(m.group(2)) < 8 for m in _SUMP.finditer(raw)):
        found.add((6, 8))
    return found, under


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
