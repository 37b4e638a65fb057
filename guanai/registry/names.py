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


# Compound surnames (复姓). Read as one surname when the name goes on after them, so that
# 欧阳小雪 has the given name 小雪. Left out: pairs more often a single surname and the start of
# a given name in today's names (单于 / 单, 乐正 / 乐, 宗政 / 宗).
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "闻人",
        "万俟",
        "澹台",
        "公冶",
        "太叔",
        "申屠",
        "仲孙",
        "赫连",
        "拓跋",
        "百里",
        "东郭",
        "南宫",
        "西门",
        "呼延",
        "羊舌",
        "微生",
        "梁丘",
        "左丘",
        "东门",
        "段干",
        "司空",
        "司寇",
        "端木",
        "巫马",
        "公西",
        "漆雕",
        "壤驷",
        "公良",
        "亓官",
        "鲜于",
        "闾丘",
        "第五",
        "子车",
        "颛孙",
        "谷梁",
        "宰父",
        "夹谷",
        "归海",
        "即墨",
        "濮阳",
        "淳于",
    ]
)
_NAME_DOTS = "·•‧・"  # between the parts of a transcribed name: 阿依古丽·买买提


def _is_han(char: str) -> bool:
    return (
        "\u4e00" <= char <= "\u9fff"
        or "\u3400" <= char <= "\u4dbf"
        or "\U00020000" <= char <= "\U0003134f"
    )


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name) of a name as stored; surname + given name is always the name.

    A Han name gives its first character, or a compound surname followed by at least one more
    character. Other names (Latin letters, transcribed names with a middle dot) have no surname
    to take off: the whole name is the given name.
    """
    if not name or not _is_han(name[0]) or any(dot in name for dot in _NAME_DOTS):
        return "", name
    length = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:length], name[length:]


def given_name(name: str) -> str:
    return split_name(name)[1]
