"""Splitting a name into surname and given name (names.split_name)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanai.registry.names import COMPOUND_SURNAMES, given_name, split_name


@pytest.mark.parametrize(
    ("name", "surname", "given"),
    [
        ("张小明", "张", "小明"),
        ("李红", "李", "红"),
        ("欧阳小雪", "欧阳", "小雪"),
        ("司马光", "司马", "光"),
        ("诸葛亮", "诸葛", "亮"),
        ("上官婉儿", "上官", "婉儿"),
        ("尉迟恭", "尉迟", "恭"),
        ("欧阳", "欧", "阳"),  # nothing after the compound: a single surname and a given name
        ("单于飞", "单", "于飞"),  # 单 is the likelier reading today
        ("李", "李", ""),
        ("", "", ""),
        ("阿依古丽·买买提", "", "阿依古丽·买买提"),
        ("Anna", "", "Anna"),
    ],
)
def test_it_splits_single_and_compound_surnames(name, surname, given):
    assert split_name(name) == (surname, given)
    assert given_name(name) == given


def test_every_compound_surname_is_two_han_characters():
    assert all(len(s) == 2 and split_name(s + "明")[0] == s for s in COMPOUND_SURNAMES)


han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@given(st.text())
def test_surname_and_given_name_make_the_name(name):
    surname, given = split_name(name)
    assert surname + given == name
    assert len(surname) <= 2


@given(st.sampled_from(sorted(COMPOUND_SURNAMES)), st.text(han, min_size=1, max_size=3))
def test_a_compound_surname_before_a_given_name_is_one_surname(surname, given):
    assert split_name(surname + given) == (surname, given)


@given(st.text(han, min_size=2, max_size=4))
def test_a_han_name_has_a_surname_and_a_given_name(name):
    surname, given = split_name(name)
    assert surname and given
