"""Is this the same child? Pairwise comparison and blocking for departmental rosters.

Plain functions on plain records, so the importer, the review page and bench/linkage.py share
them. What the weights encode (docs/decisions and /work/shared/DOMAIN.md, last section):

* two valid ID numbers that differ are a near-certain non-match; one digit apart with one
  invalid check digit is a typo;
* names are compared on simplified characters and on toneless pinyin (homophone typos);
* guardian, phone and address are one household comparison, counted once: siblings agree on
  all three, so counting them separately turns siblings into matches;
* twins share birth date and household: a different given name counts against a match.

Scores are log2 Bayes factors set by hand; ``MATCH`` and ``REVIEW`` split the three verdicts.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from guanai.registry import idnumber
from guanai.registry.names import name_syllables

MATCH = 14.0
REVIEW = 6.0
MAX_BLOCK = 200  # a block larger than this is skipped (too common to be evidence)


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=262144)
def simplify(text: str) -> str:
    """Traditional -> simplified, NFKC, no whitespace or punctuation dots."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if not ch.isspace() and ch not in "·.•")
    return _converter().convert(text) if text else ""


@lru_cache(maxsize=262144)
def pinyin(name: str) -> tuple[str, ...]:
    return name_syllables(simplify(name))


_DIGITS = re.compile(r"\D")


def clean_phone(phone: str) -> str:
    digits = _DIGITS.sub("", unicodedata.normalize("NFKC", phone or ""))
    return digits[-11:]


def clean_address(address: str) -> str:
    return simplify(address).replace("号", "").replace("组", "")


@dataclass
class Person:
    """One roster row (or one registered child), reduced to what linkage compares."""

    key: str
    name: str
    id_number: str = ""
    birth_date: date | None = None
    sex: str = ""
    guardian: str = ""
    phone: str = ""
    address: str = ""
    # filled by prepare()
    id_valid: bool = field(default=False, compare=False)
    simple_name: str = field(default="", compare=False)
    syllables: tuple[str, ...] = field(default=(), compare=False)

    def prepare(self) -> "Person":
        self.id_number = idnumber.normalize(self.id_number or "")
        self.id_valid = False
        if len(self.id_number) == 18:
            try:
                parsed = idnumber.parse(self.id_number)
            except idnumber.IdNumberError:
                pass
            else:
                self.id_valid = True
                # A valid number is better evidence of birth date and sex than a typed column.
                self.birth_date, self.sex = parsed.birth_date, parsed.sex
        self.simple_name = simplify(self.name)
        self.syllables = pinyin(self.name)
        self.guardian = simplify(self.guardian)
        self.phone = clean_phone(self.phone)
        self.address = clean_address(self.address)
        return self


@dataclass(frozen=True)
class Comparison:
    score: float
    verdict: str  # "match" / "review" / "non_match"
    reasons: tuple[str, ...]


def given_syllables(p: Person) -> tuple[str, ...]:
    """Pinyin of the given name: the surname is one syllable, two for the compound surnames."""
    n = 2 if len(p.simple_name) >= 4 else 1
    return p.syllables[n:]


def _swapped(a: date, b: date) -> bool:
    return a.year == b.year and a.month == b.day and a.day == b.month and a != b


def _one_digit_apart(a: date, b: date) -> bool:
    x, y = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    return sum(1 for i, j in zip(x, y, strict=True) if i != j) == 1


def household_agrees(a: Person, b: Person) -> bool | None:
    """One pooled comparison: True if any household field agrees, None if nothing to compare."""
    compared = False
    for x, y in ((a.phone, b.phone), (a.guardian, b.guardian), (a.address, b.address)):
        if x and y:
            compared = True
            if x == y:
                return True
    return False if compared else None


def compare(a: Person, b: Person) -> Comparison:
    """Score one pair of prepared records."""
    score = 0.0
    reasons: list[str] = []
    if a.id_number and b.id_number:
        if a.id_number == b.id_number:
            return Comparison(30.0, "match", ("身份证号相同",))
        if a.id_valid and b.id_valid:
            return Comparison(-30.0, "non_match", ("两个有效身份证号不同",))
        if idnumber.is_typo_of(a.id_number, b.id_number):
            score += 9
            reasons.append("身份证号仅差一位(疑似录入错误)")
        else:
            score -= 6
            reasons.append("身份证号不同")

    if a.simple_name and a.simple_name == b.simple_name:
        score += 8
        reasons.append("姓名相同")
    elif a.syllables and a.syllables == b.syllables:
        score += 6
        reasons.append("姓名同音")
    elif a.syllables[:1] == b.syllables[:1] and _near(given_syllables(a), given_syllables(b)):
        score += 1
        reasons.append("姓相同,名相近")
    else:
        score -= 7
        reasons.append("姓名不同")

    if a.birth_date and b.birth_date:
        if a.birth_date == b.birth_date:
            score += 6
            reasons.append("出生日期相同")
        elif _swapped(a.birth_date, b.birth_date):
            score += 3
            reasons.append("出生日期月日颠倒")
        elif _one_digit_apart(a.birth_date, b.birth_date):
            score += 2
            reasons.append("出生日期差一位数字")
        else:
            score -= 8
            reasons.append("出生日期不同")

    if a.sex and b.sex:
        if a.sex == b.sex:
            score += 1
        else:
            score -= 5
            reasons.append("性别不同")

    household = household_agrees(a, b)
    if household:
        score += 4
        reasons.append("同一家庭(监护人/电话/住址)")
    elif household is False:
        score -= 1
        reasons.append("家庭信息不同")

    # Twins: same birth date and household, different given name.
    if (
        household
        and a.birth_date == b.birth_date
        and a.simple_name != b.simple_name
        and a.syllables != b.syllables
    ):
        return Comparison(
            min(score, 0.0), "non_match", (*reasons, "疑为双胞胎(同日生、同家庭、名不同)")
        )

    verdict = "match" if score >= MATCH else "review" if score >= REVIEW else "non_match"
    return Comparison(score, verdict, tuple(reasons))


def _near(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """Given names one syllable apart (same length, one differs) or one dropped."""
    if len(x) == len(y):
        return sum(1 for i, j in zip(x, y, strict=True) if i != j) <= 1
    short, long_ = sorted((x, y), key=len)
    return len(long_) - len(short) == 1 and all(s in long_ for s in short)


def blocking_keys(p: Person) -> Iterator[str]:
    """Pairs are compared only when they share a key: ID, ID body, pinyin + birth year."""
    if p.id_number:
        yield "id:" + p.id_number
        # A one-digit typo keeps either the first or the second half of the number.
        yield "ida:" + p.id_number[:9]
        yield "idb:" + p.id_number[9:]
    if p.syllables:
        py = "".join(p.syllables)
        if p.birth_date:
            yield f"py:{py}:{p.birth_date.year}"
        elif p.id_number[6:10].isdigit():
            yield f"py:{py}:{p.id_number[6:10]}"
    if p.birth_date and p.phone:
        yield f"hh:{p.phone}:{p.birth_date.isoformat()}"


def candidate_pairs(records: list[Person]) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) sharing at least one blocking key, each once."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(records):
        for k in blocking_keys(p):
            blocks[k].append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pair = (members[x], members[y])
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def link(records: list[Person]) -> Iterator[tuple[int, int, Comparison]]:
    """Every candidate pair with its comparison (non-matches included)."""
    for i, j in candidate_pairs(records):
        yield i, j, compare(records[i], records[j])


def clusters(n: int, matches: Iterable[tuple[int, int]]) -> list[int]:
    """Union-find: the cluster id of each of ``n`` records given matched pairs."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in matches:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    return [find(i) for i in range(n)]
