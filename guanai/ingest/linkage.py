"""Is this the same child? Pairwise comparison and blocking for departmental rosters.

Plain functions on plain records, so the importer, the review page and bench/linkage.py share
them. What the weights encode (docs/decisions and /work/shared/DOMAIN.md, last section):

* two valid ID numbers that differ are a near-certain non-match; one digit apart with one
  invalid check digit is a typo;
* names are compared on simplified characters and on toneless pinyin (homophone typos);
* guardian, phone and address are one household comparison, counted once: siblings agree on
  all three, so counting them separately turns siblings into matches;
* twins share birth date and household: a different given name counts against a match, and
  a given name one character apart in the same household (siblings, or a typo) is doubtful;
* names written in pinyin ("Wang Xiaoyu", "WANG XIAO YU", "Xiaoyu Wang", ü as u, v or yu) are
  read as syllables and compared with the pinyin of a name in characters (``readings``);
* an ID number damaged by Excel (the last three digits 000) is compared on its first 15
  digits; a value that is no ID number at all ("无", "0", 3.60426E+17) is no number.

Scores are log2 Bayes factors set by hand; ``MATCH`` and ``REVIEW`` split the three verdicts.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from guanai.registry import idnumber
from guanai.registry.names import SURNAME_READINGS, name_syllables, split_name

MATCH = 14.0
REVIEW = 6.0
MAX_BLOCK = 200  # a block larger than this is skipped (too common to be evidence)


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC  # type: ignore[import-untyped]

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _in_phrases() -> frozenset[str]:
    """Characters that some phrase of OpenCC's t2s converts otherwise than alone (覆 in
    反覆 -> 反复, 瞭 in 明瞭): a text holding one is converted whole."""
    import opencc

    found: set[str] = set()
    path = Path(opencc.__file__).parent / "dictionary" / "TSPhrases.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        phrase, _, converted = line.partition("\t")
        converted = converted.split(" ")[0]
        by_character = [_character(ch) for ch in phrase]
        if converted == "".join(by_character):
            continue
        if len(converted) == len(phrase):  # the characters converted otherwise (a phrase in a
            # text holds all its characters, so one of them is enough to notice it)
            found.update(
                c for c, x, y in zip(phrase, by_character, converted, strict=True) if x != y
            )
        else:
            found.update(phrase)
    return frozenset(found)


_CHARACTERS: dict[str, str] = {}


def _character(ch: str) -> str:
    simple = _CHARACTERS.get(ch)
    if simple is None:
        simple = _CHARACTERS[ch] = _converter().convert(ch)
    return simple


_DROPPED = frozenset("·.•")


@lru_cache(maxsize=262144)
def simplify(text: str) -> str:
    """Traditional -> simplified, NFKC, no whitespace or punctuation dots.

    Character by character (a county's rosters use a few thousand characters), the whole text
    through OpenCC only when it holds a character some phrase converts otherwise."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if not ch.isspace() and ch not in _DROPPED)
    if not text or text.isascii():
        return text
    phrases = _in_phrases()
    if any(ch in phrases for ch in text):
        return _converter().convert(text)
    return "".join([_character(ch) for ch in text])


@lru_cache(maxsize=131072)
def _part_syllables(part: str) -> tuple[str, ...]:
    return tuple(s.lower() for s in lazy_pinyin(part, style=Style.NORMAL, errors="ignore"))


@lru_cache(maxsize=524288)
def _syllables(simple: str) -> tuple[str, ...]:
    """Toneless pinyin of a simplified name: the surname read as a surname
    (registry.names.SURNAME_READINGS), the given name as a word (both kept once each: given
    names repeat across surnames)."""
    surname, given = split_name(simple)
    if not (surname and given):
        return name_syllables(simple)
    reading = SURNAME_READINGS.get(surname)
    return (*((reading,) if reading else _part_syllables(surname)), *_part_syllables(given))


def pinyin(name: str) -> tuple[str, ...]:
    return _syllables(simplify(name))


_DIGITS = re.compile(r"\D")
_ID_SHAPED = re.compile(r"\d{14,18}[\dX]")
_LATIN = re.compile(r"[a-z]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_SEP = "\x1f"
# Toneless pinyin syllables (ü as v), from pypinyin's dictionary; romanised names are cut into
# these.
SYLLABLES = frozenset(
    """
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu
ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou
chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang
dao de dei den deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en
eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou
gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai
huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai
kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao
le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve
ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang
nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve
o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang
qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan
rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi
shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan
tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei
wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan
yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha
zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui
zhun zhuo zi zong zou zu zuan zui zun zuo
""".split()  # noqa: SIM905 (420 syllables read better as text)
)
_FOLDED = frozenset(s.replace("v", "u") for s in SYLLABLES)
Reading = tuple[str, tuple[str, ...]]  # (surname in pinyin, given name's syllables), ü as u


def _fold(syllable: str) -> str:
    """ü written as u, v or yu all compare as u (吕 Lü, Lv, Lyu, Lu)."""
    return syllable.replace("v", "u")


def _segment(token: str) -> tuple[str, ...]:
    """A run of letters cut into the fewest pinyin syllables (the token itself if it cannot)."""
    n = len(token)
    best: list[tuple[str, ...] | None] = [()] + [None] * n
    for end in range(1, n + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and token[start:end] in _FOLDED:
                cut = (*head, token[start:end])
                if best[end] is None or len(cut) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = cut
    return best[n] or (token,)


@lru_cache(maxsize=262144)
def readings(name: str) -> tuple[Reading, ...]:
    """How a name sounds: one reading of a name in characters (surname read as a surname);
    for a name in Latin letters, surname first and surname last."""
    if not name:
        return ()
    text = unicodedata.normalize("NFKD", name.lower()).replace("u\u0308", "v")
    if _HAN.search(text) or not _LATIN.search(text):
        simple = simplify(name)
        surname, _ = split_name(simple)
        syllables = tuple(_fold(s) for s in _syllables(simple))
        if not syllables:
            return ()
        k = min(len(surname), len(syllables) - 1) if len(syllables) > 1 else 0
        return (("".join(syllables[:k]), syllables[k:]),)
    letters = "".join(c for c in text if c.isascii() and c not in "-'")  # Xiao-Yu, Xi'an
    tokens = [t for t in re.split(r"[^a-z]+", letters) if t]
    tokens = [_fold(t[0] + "u" + t[3:] if t[:3] in ("lyu", "nyu") else t) for t in tokens]
    if not tokens:
        return ()
    if len(tokens) == 1:
        cut = _segment(tokens[0])
        if len(cut) == 1:
            return (("", cut),)
        found = [(cut[0], cut[1:]), (cut[-1], cut[:-1])]
    else:
        given = [s for t in tokens[1:] for s in _segment(t)]
        found = [(tokens[0], tuple(given))]
        found.append((tokens[-1], tuple(s for t in tokens[:-1] for s in _segment(t))))
    return tuple(dict.fromkeys(found))


def near_keys(found: tuple[Reading, ...]) -> frozenset[str]:
    """Keys two names share when the surname agrees and the given names are one syllable apart
    (one differs) or one dropped; equal names share them too."""
    keys = set()
    for surname, given in found:
        keys.add(f"D{surname}{_SEP}{_SEP.join(given)}")
        for i in range(len(given)):
            rest = (*given[:i], *given[i + 1 :])
            keys.add(f"D{surname}{_SEP}{_SEP.join(rest)}")
            keys.add(f"M{surname}{_SEP}{_SEP.join((*given[:i], '*', *given[i + 1 :]))}")
    return frozenset(keys)


def clean_phone(phone: str) -> str:
    digits = _DIGITS.sub("", unicodedata.normalize("NFKC", phone or ""))
    return digits[-11:]


_NUMERAL = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_NUMERALS = re.compile("[〇零一二两三四五六七八九十]+")


def _number(numerals: re.Match) -> str:
    """三 -> 3, 十二 -> 12, 二十三 -> 23 (a run without 十 digit by digit: 一二 -> 12)."""
    text = numerals.group()
    tens, _, units = text.partition("十")
    if "十" not in text:
        return "".join(str(_NUMERAL[ch]) for ch in text)
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return text  # not a number under a hundred: left as written
    return str((_NUMERAL[tens] if tens else 1) * 10 + (_NUMERAL[units] if units else 0))


@lru_cache(maxsize=262144)
def clean_address(address: str) -> str:
    """What two ways of writing one address share: 三组12号, 3组12号 and 3组12 are 312."""
    simple = _NUMERALS.sub(_number, simplify(address))
    return simple.replace("号", "").replace("组", "")


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
    id15: str = field(default="", compare=False)  # the first 15 digits of a number
    id_damaged: bool = field(default=False, compare=False)  # Excel kept only those
    _keys: tuple[frozenset[str], frozenset[str], bool] | None = field(
        default=None, compare=False, repr=False
    )
    simple_name: str = field(default="", compare=False)
    syllables: tuple[str, ...] = field(default=(), compare=False)

    # Of the name, computed once per name and only when a comparison needs them (the
    # importer's rows mostly agree on the characters or the number first).
    @property
    def readings(self) -> tuple[Reading, ...]:
        return readings(self.name)

    @property
    def py_keys(self) -> frozenset[str]:
        return (self._keys or self._name_keys())[0]

    @property
    def near(self) -> frozenset[str]:
        return (self._keys or self._name_keys())[1]

    @property
    def romanised(self) -> bool:
        return (self._keys or self._name_keys())[2]

    def _name_keys(self) -> tuple[frozenset[str], frozenset[str], bool]:
        self._keys = _name_keys(self.name)
        return self._keys

    def prepare(self) -> "Person":
        number = idnumber.normalize(self.id_number or "")
        self.id_number, self.id_valid, self.id_damaged = number, False, False
        if not _ID_SHAPED.fullmatch(number):
            self.id_number = ""  # "无", "/", "0", 3.60426E+17: no number
        elif len(number) == 18 and number.endswith("000"):
            # Excel kept 15 digits of a number it read as one. One damaged number in eleven
            # still has a fitting check digit (0): valid or not, it is read as damaged (a
            # number truly ending in 000 is compared on its first 15 digits too).
            self.id_number, self.id_damaged = "", True
        elif len(number) == 18:
            try:
                parsed = idnumber.parse(number)
            except idnumber.IdNumberError:
                pass
            else:
                self.id_valid = True
                # A valid number is better evidence of birth date and sex than a typed column.
                self.birth_date, self.sex = parsed.birth_date, parsed.sex
        self.id15 = number[:15] if self.id_number or self.id_damaged else ""
        if self.birth_date is None and self.id15:
            self.birth_date = _birth_in(self.id15)
        self.simple_name = simplify(self.name)
        self.syllables = pinyin(self.name)
        self._keys = None
        self.guardian = simplify(self.guardian)
        self.phone = clean_phone(self.phone)
        self.address = clean_address(self.address)
        return self


@lru_cache(maxsize=262144)
def _name_keys(name: str) -> tuple[frozenset[str], frozenset[str], bool]:
    """(reading keys, near keys, written in Latin letters) of a name."""
    found = readings(name)
    py_keys = frozenset(f"{s}{_SEP}{_SEP.join(g)}" for s, g in found)
    simple = simplify(name)
    return py_keys, near_keys(found), bool(simple) and not _HAN.search(simple)


def _birth_in(id15: str) -> date | None:
    """The birth date an ID number holds (digits 7-14), if it is a plausible one."""
    try:
        birth = date(int(id15[6:10]), int(id15[10:12]), int(id15[12:14]))
    except ValueError:
        return None
    return birth if 1900 < birth.year <= date.today().year else None


@dataclass(frozen=True)
class Comparison:
    score: float
    verdict: str  # "match" / "review" / "non_match"
    reasons: tuple[str, ...]


def id_near(a: str, b: str) -> bool:
    """One digit mistyped or two swapped, or the check digit dropped or one digit added."""
    if len(a) != len(b):
        return min(len(a), len(b)) >= 17 and a[:17] == b[:17]
    return idnumber.is_typo_of(a, b)


def names_differ(a: Person, b: Person) -> bool:
    """Both named, not the same characters and no reading in common."""
    return bool(
        a.simple_name
        and b.simple_name
        and a.simple_name != b.simple_name
        and a.py_keys.isdisjoint(b.py_keys)
    )


def _swapped(a: date, b: date) -> bool:
    return a.year == b.year and a.month == b.day and a.day == b.month and a != b


def _one_digit_apart(a: date, b: date) -> bool:
    x, y = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    return sum(1 for i, j in zip(x, y, strict=True) if i != j) == 1


def born_close(a: date, b: date) -> bool:
    """One mistyped digit or a swapped day and month, under 270 days apart: too close for two
    siblings (twins are born the same day)."""
    return abs((a - b).days) < 270 and (_swapped(a, b) or _one_digit_apart(a, b))


def household_strong(a: Person, b: Person) -> bool:
    """The same guardian, and the same phone or address."""
    return bool(
        a.guardian
        and a.guardian == b.guardian
        and ((a.phone and a.phone == b.phone) or (a.address and a.address == b.address))
    )


def household_agrees(a: Person, b: Person) -> bool | None:
    """One pooled comparison: True if any household field agrees, None if nothing to compare."""
    compared = False
    for x, y in ((a.phone, b.phone), (a.guardian, b.guardian), (a.address, b.address)):
        if x and y:
            compared = True
            if x == y:
                return True
    return False if compared else None


_AGAINST = ("不同", "双胞胎", "兄弟姐妹")


def reasons_split(reasons) -> tuple[list[str], list[str]]:
    """(what agreed, what disagreed) among a comparison's reasons, in the order given."""
    against = [r for r in reasons if any(word in r for word in _AGAINST)]
    return [r for r in reasons if r not in against], against


def compare(a: Person, b: Person) -> Comparison:
    """Score one pair of prepared records."""
    score = 0.0
    reasons: list[str] = []
    if a.id_damaged or b.id_damaged:
        if a.id15 and b.id15:
            if a.id15 == b.id15:
                score += 6
                reasons.append("身份证号前15位相同(后几位被表格截掉)")
            else:
                score -= 6
                reasons.append("身份证号不同")
    elif a.id_number and b.id_number:
        if a.id_number == b.id_number:
            return Comparison(30.0, "match", ("身份证号相同",))
        if a.id_valid and b.id_valid:
            return Comparison(-30.0, "non_match", ("两个有效身份证号不同",))
        if id_near(a.id_number, b.id_number):
            score += 9
            reasons.append("身份证号仅差一位(疑似录入错误)")
        else:
            score -= 6
            reasons.append("身份证号不同")

    near_name = same_characters = sounds_alike = False
    if not (a.simple_name and b.simple_name):
        pass  # no name to compare: nothing is linked on the name
    elif a.simple_name == b.simple_name and not (a.romanised or b.romanised):
        same_characters = True
        score += 8
        reasons.append("姓名相同")
    elif not a.py_keys.isdisjoint(b.py_keys):
        # A name in pinyin agreeing is all such a name can say; characters that only sound
        # alike are another written name.
        romanised = a.romanised or b.romanised
        sounds_alike = True
        score += 7 if romanised else 6
        reasons.append("姓名拼音相同" if romanised else "姓名同音")
    elif not a.near.isdisjoint(b.near):
        near_name = True
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
        # Two children of one household never share the whole name (siblings and twins have
        # their own given names): with the same characters, the household says more.
        score += 5 if same_characters else 4
        reasons.append("同一家庭(监护人/电话/住址)")
    elif household is False:
        # Shown, but no evidence either way: rosters list the other guardian or the other
        # family phone about as often for the same child as for another.
        reasons.append("家庭信息不同")

    # A typo in the name and one in the birth date (issue 17.3): linked only on strong other
    # evidence, and never when the name alone agrees. The dates are too close for siblings.
    typos = bool(
        (sounds_alike or near_name)
        and a.birth_date
        and b.birth_date
        and born_close(a.birth_date, b.birth_date)
        and a.sex
        and a.sex == b.sex
        and household_strong(a, b)
    )
    if typos:
        score += 2
        reasons.append("同一监护人且电话或住址相同,出生日期仅一处笔误")

    # Siblings: the same household, given names one character apart, born on other days (or
    # a birth date missing).
    if household and near_name and a.birth_date != b.birth_date and not typos:
        score -= 6
        reasons.append("同一家庭、名字差一字(可能是兄弟姐妹)")

    # Twins: same birth date and household, different given name.
    if household and a.birth_date == b.birth_date and names_differ(a, b):
        return Comparison(
            min(score, 0.0), "non_match", (*reasons, "疑为双胞胎(同日生、同家庭、名不同)")
        )

    verdict = "match" if score >= MATCH else "review" if score >= REVIEW else "non_match"
    return Comparison(score, verdict, tuple(reasons))


def blocking_keys(p: Person) -> Iterator[str]:
    """Pairs are compared only when they share a key: ID, ID body, pinyin + birth year."""
    if p.id_number:
        yield "id:" + p.id_number
        # A one-digit typo keeps either the first or the second half of the number.
        yield "ida:" + p.id_number[:9]
        yield "idb:" + p.id_number[9:]
    year = str(p.birth_date.year) if p.birth_date else p.id_number[6:10]
    for py in block_sounds(p.name):
        if year.isdigit():
            yield f"py:{py}:{year}"
        for prefix, value in (("pp", p.phone), ("pa", p.address), ("pg", p.guardian)):
            if value:
                yield f"{prefix}:{py}:{value}"
    if p.birth_date and p.phone:
        yield f"hh:{p.phone}:{p.birth_date.isoformat()}"
    # Not surname + birth date: at 1,000,000 rows it filled the queue with namesakes born the
    # same day (a shape-alike typo it finds scores for review at best; docs/decisions/0016).


@lru_cache(maxsize=262144)
def block_sounds(name: str) -> tuple[str, ...]:
    """The readings of a name that block (surname and given name run together), each once."""
    return tuple(dict.fromkeys(s + "".join(g) for s, g in readings(name) if g))


_MAY_BE_U_UMLAUT = {"lu": "lv", "nu": "nv", "lue": "lve", "nue": "nve"}


@lru_cache(maxsize=65536)
def spellings(name: str) -> tuple[str, ...]:
    """A name in Latin letters spelt as ``registry.names.name_pinyin`` spells a name in
    characters (Child.name_pinyin): each reading, surname first and last, and lu/nu also as
    lv/nv (吕 is lv there; a roster writes Lu, Lv or Lyu). Empty for a name in characters."""
    if not (readings(name) and _name_keys(name)[2]):
        return ()
    found: list[str] = []
    for surname, given in readings(name):
        if not given:
            continue
        options = [(s, _MAY_BE_U_UMLAUT[s]) if s in _MAY_BE_U_UMLAUT else (s,)
                   for s in (*_segment(surname), *given) if s]  # fmt: skip
        spelt = [""]
        for choice in options:
            spelt = [head + s for head in spelt for s in choice][:8]
        found.extend(spelt)
    return tuple(dict.fromkeys(found))


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
