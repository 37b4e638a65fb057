"""Pinyin forms of Chinese names for search (zhangsan, zs) and, later, record linkage."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surnames read differently from the common reading of the character (pypinyin gives the latter).
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "乐": "yue",
    "盖": "ge",
    "缪": "miao",
    "尉": "yu",
    "万俟": "moqi",
    "长孙": "zhangsun",
    "尉迟": "yuchi",
    "覃": "qin",
    "翟": "zhai",
    "宁": "ning",
    "燕": "yan",
    "种": "chong",
    "重": "chong",
    "召": "shao",
    "秘": "bi",
    "繁": "po",
    "员": "yun",
}


@lru_cache(maxsize=65536)
def name_syllables(name: str) -> tuple[str, ...]:
    """Toneless pinyin syllables of a name, with the surname read as a surname."""
    name = "".join(name.split())
    for length in (2, 1):
        surname = name[:length]
        if len(name) > length and surname in SURNAME_READINGS:
            reading = SURNAME_READINGS[surname]
            return (reading, *lazy_pinyin(name[length:], style=Style.NORMAL, errors="ignore"))
    return tuple(s.lower() for s in lazy_pinyin(name, style=Style.NORMAL, errors="ignore"))


def name_pinyin(name: str) -> str:
    return "".join(name_syllables(name))


def name_initials(name: str) -> str:
    return "".join(s[0] for s in name_syllables(name) if s)
