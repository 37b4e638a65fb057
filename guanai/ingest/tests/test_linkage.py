from datetime import date

from guanai.ingest.linkage import Person, clusters, compare, link, simplify
from guanai.registry import idnumber

ID = idnumber.make(region_code="360426", birth_date=date(2015, 3, 9), sequence=3, sex="M")
ID2 = idnumber.make(region_code="360426", birth_date=date(2015, 3, 9), sequence=4, sex="M")


def p(key="a", name="张小明", id_number="", birth=date(2015, 3, 9), sex="M", **kw):
    return Person(key, name, id_number, birth, sex, **kw).prepare()


def test_simplify_converts_traditional_characters():
    assert simplify("張 曉明") == "张晓明"


def test_simplify_converts_a_phrase_whole_when_its_characters_say_otherwise_alone():
    # 覆 alone stays 覆 (覆盖), in 反覆 it is 复: the character by character path must not
    # keep it. What OpenCC gives for the whole text is the answer.
    from guanai.ingest.linkage import _converter

    for text in ("反覆", "張反覆", "明瞭", "歐陽曉明", "东风村3组12号", "Wang Xiaoyu", ""):
        assert simplify(text) == _converter().convert("".join(text.split()))


def test_the_same_valid_id_is_a_match():
    assert compare(p(id_number=ID), p(name="王五", id_number=ID)).verdict == "match"


def test_two_different_valid_ids_are_a_non_match():
    assert compare(p(id_number=ID), p(id_number=ID2)).verdict == "non_match"


def test_a_one_digit_id_typo_with_an_invalid_check_digit_counts_for_a_match():
    typo = ID[:10] + ID[11] + ID[10] + ID[12:] if ID[10] != ID[11] else ID[:16] + "9" + ID[17]
    result = compare(p(id_number=ID), p(id_number=typo, phone="1"))
    assert "身份证号仅差一位(疑似录入错误)" in result.reasons
    assert result.verdict == "match"


def test_homophones_and_traditional_names_match_with_the_household():
    a = p(phone="13800001111")
    assert compare(a, p(name="張曉明", phone="13800001111")).verdict == "match"


def test_swapped_day_and_month_goes_to_review_without_the_household():
    result = compare(p(birth=date(2015, 3, 9)), p(birth=date(2015, 9, 3)))
    assert result.verdict == "review"


def test_the_same_name_and_household_match_without_a_birth_date_a_homophone_does_not():
    # Two children of one household never share the whole name; siblings may sound alike.
    a = p(guardian="张大山", phone="13800001111")
    same = compare(a, p(birth=None, guardian="张大山"))
    assert same.verdict == "match", same
    sound = compare(a, p(name="张晓明", birth=None, guardian="张大山"))
    assert sound.verdict == "review", sound


def test_another_guardian_or_phone_is_shown_but_is_no_evidence():
    a, b = p(phone="13800001111"), p(phone="13900002222")
    result = compare(a, b)
    assert "家庭信息不同" in result.reasons
    assert result.score == compare(a, p()).score


def test_a_number_cut_by_excel_is_compared_on_15_digits_even_when_its_check_digit_fits():
    # Excel turns the last three digits to 000; one time in eleven the check digit (0) fits.
    made = (
        idnumber.make(region_code="360426", birth_date=date(2015, 3, 9), sequence=q, sex=sex)
        for q in range(500)
        for sex in "MF"
    )
    number = next(n for n in made if _valid(n[:15] + "000") and not n.endswith("000"))
    cut = number[:15] + "000"
    assert _valid(cut)
    a, b = p(id_number=number, birth=None), p(id_number=cut, birth=None, sex="")
    assert b.id_damaged and not b.id_valid and b.birth_date == a.birth_date
    result = compare(a, b)
    assert "身份证号前15位相同(后几位被表格截掉)" in result.reasons
    assert result.verdict == "match"


def _valid(number: str) -> bool:
    try:
        idnumber.parse(number)
    except idnumber.IdNumberError:
        return False
    return True


HOME = {"guardian": "刘建华", "phone": "13800001111", "address": "东风村三组12号"}


def test_a_homophone_and_a_birth_date_typo_link_on_guardian_and_phone_or_address():
    # No ID number on either side: 刘欣怡 typed 刘心怡, born 2015-03-09 typed 2015-09-03 or
    # 2015-03-08; the same guardian and phone (or address, written another way), the same sex.
    a = p(name="刘欣怡", sex="F", **HOME)
    swapped = p(name="劉心怡", birth=date(2015, 9, 3), sex="F", guardian="刘建华",
                address="东风村3组12")  # fmt: skip
    digit = p(name="Liu Xinyi", birth=date(2015, 3, 8), sex="F", guardian="刘建华",
              phone="138-0000-1111")  # fmt: skip
    for b in (swapped, digit):
        result = compare(a, b)
        assert result.verdict == "match", result
        assert "同一监护人且电话或住址相同,出生日期仅一处笔误" in result.reasons


def test_two_typos_need_the_guardian_and_the_same_sex():
    a = p(name="刘欣怡", sex="F", **HOME)
    phone_only = p(name="刘心怡", birth=date(2015, 3, 8), sex="F", phone="13800001111")
    other_sex = p(name="刘心怡", birth=date(2015, 3, 8), sex="M", **HOME)
    for b in (phone_only, other_sex):
        assert compare(a, b).verdict == "review"


def test_a_shape_alike_typo_and_a_birth_date_typo_go_to_review():
    # 刘欣怡 / 刘欣恰: not the same sound; a twin with a mistyped birth date looks the same.
    result = compare(p(name="刘欣怡", sex="F", **HOME), p(name="刘欣恰", birth=date(2015, 3, 8),
                                                     sex="F", **HOME))  # fmt: skip
    assert result.verdict == "review", result


def test_siblings_who_sound_alike_are_not_merged():
    # 杨天馨 and 杨天心, two years apart (the year one digit off), one household.
    a = p(name="杨天馨", birth=date(2016, 12, 13), sex="F", **HOME)
    b = p(name="杨天心", birth=date(2018, 12, 13), sex="F", **HOME)
    assert compare(a, b).verdict != "match"
    # Siblings with given names one character apart, one year apart.
    c = p(name="杨天宇", birth=date(2017, 12, 13), sex="F", **HOME)
    assert compare(a, c).verdict == "non_match"


def test_nothing_links_on_a_name_alone():
    a, b = p(name="刘欣怡", birth=None, sex=""), p(name="刘欣怡", birth=None, sex="")
    assert compare(a, b).verdict == "review"  # a namesake is as likely: a person decides
    c = p(name="刘心怡", birth=date(2015, 3, 8), sex="F")
    assert compare(p(name="刘欣怡", sex="F"), c).verdict != "match"


def test_twins_are_not_matched():
    a = p(guardian="张大山", phone="13800001111")
    b = p(name="张小亮", guardian="张大山", phone="13800001111")
    assert compare(a, b).verdict == "non_match"


def test_siblings_with_the_same_household_are_not_matched():
    a = p(guardian="张大山", phone="13800001111", address="东风村一组1号")
    b = p(name="张小红", birth=date(2012, 7, 1), sex="F", guardian="张大山",
          phone="13800001111", address="东风村一组1号")  # fmt: skip
    assert compare(a, b).verdict == "non_match"


def test_surname_readings_are_used():
    a, b = p(name="曾小明"), p(name="增小明")
    assert a.syllables == b.syllables == ("zeng", "xiao", "ming")


def test_link_blocks_and_clusters():
    records = [p("a", id_number=ID), p("b", name="張小明"), p("c", name="李四", id_number=ID2)]
    matches = [(i, j) for i, j, c in link(records) if c.verdict == "match"]
    assert clusters(3, matches) == [0, 0, 2]
