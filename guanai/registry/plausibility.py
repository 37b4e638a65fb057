"""Facts that are possible but unlikely together: the page asks its user to confirm them.

Not refusals (the services refuse what cannot be, `services.file_problems`): a guardian called
"李奶奶" may really be recorded as the father by mistake — or the name may be a nickname. The
words name what looks wrong; `services._refuse_problems` raises them as `NeedsConfirmation`.
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from guanai.core.errors import Message, worded
from guanai.registry.choices import GuardianRelation, ParentStatus, SchoolStage

# Kinship words people write in a guardian's name (李奶奶, 王外婆): the sex and the generation
# they imply. Longer words first, so 外婆 is read before 婆.
KIN_WORDS: tuple[tuple[str, str, str], ...] = (
    ("外婆", "F", "grand"),
    ("外公", "M", "grand"),
    ("姥姥", "F", "grand"),
    ("姥爷", "M", "grand"),
    ("奶奶", "F", "grand"),
    ("爷爷", "M", "grand"),
    ("妈妈", "F", "parent"),
    ("爸爸", "M", "parent"),
    ("哥哥", "M", "sibling"),
    ("姐姐", "F", "sibling"),
    ("阿姨", "F", "relative"),
    ("叔叔", "M", "relative"),
    ("伯伯", "M", "relative"),
    ("舅舅", "M", "relative"),
    ("姑姑", "F", "relative"),
)
RELATION_SEX: dict[str, str] = {GuardianRelation.FATHER: "M", GuardianRelation.MOTHER: "F"}
RELATION_GENERATION: dict[str, str] = {
    GuardianRelation.FATHER: "parent",
    GuardianRelation.MOTHER: "parent",
    GuardianRelation.GRANDPARENT_PATERNAL: "grand",
    GuardianRelation.GRANDPARENT_MATERNAL: "grand",
    GuardianRelation.SIBLING: "sibling",
}
# A parent in one of these cannot be the guardian who looks after the child at home.
ABSENT = {
    ParentStatus.DEAD,
    ParentStatus.MISSING,
    ParentStatus.IMPRISONED,
    ParentStatus.DRUG_REHAB,
    ParentStatus.RESTRICTED,
    ParentStatus.WORKING_AWAY,
    ParentStatus.LEFT_HOME,
}
SCHOOL_AGE = (6, 15)  # compulsory education, in completed years
NO_SCHOOL = {"", SchoolStage.NOT_IN_SCHOOL}


def _age(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _kin(name: str) -> tuple[str, str, str] | None:
    return next((kin for kin in KIN_WORDS if kin[0] in name), None)


def guardian_warnings(data: dict[str, Any]) -> list[Message]:
    name, relation = (data.get("guardian_name") or "").strip(), data.get("guardian_relation") or ""
    if not name or not relation:
        return []
    label = GuardianRelation(relation).label
    warnings = []
    kin = _kin(name)
    if kin is not None:
        word, sex, generation = kin
        expected_sex = RELATION_SEX.get(relation)
        expected_generation = RELATION_GENERATION.get(relation)
        if (expected_sex and expected_sex != sex) or (
            expected_generation and expected_generation != generation
        ):
            warnings.append(
                worded(
                    _("监护人“%(name)s”称呼为“%(word)s”,与儿童关系却填为“%(relation)s”"),
                    name=name,
                    word=word,
                    relation=label,
                )
            )
    if relation in RELATION_SEX:
        status = data.get(f"{relation}_status") or ""
        if status in ABSENT:
            warnings.append(
                worded(
                    _("监护人是%(relation)s,但%(relation)s的状况填为“%(status)s”"),
                    relation=label,
                    status=ParentStatus(status).label,
                )
            )
    return warnings


def school_warnings(data: dict[str, Any], birth_date: date | None, today: date) -> list[Message]:
    if birth_date is None or data.get("school"):
        return []
    age = _age(birth_date, today)
    stage = data.get("school_stage") or ""
    if SCHOOL_AGE[0] <= age <= SCHOOL_AGE[1] and stage in NO_SCHOOL:
        words = _("未填写") if not stage else SchoolStage(stage).label
        return [
            worded(
                _("儿童 %(age)s 岁,在义务教育年龄,就学情况为“%(stage)s”且没有填写学校"),
                age=age,
                stage=words,
            )
        ]
    return []


def file_warnings(
    data: dict[str, Any], *, today: date, birth_date: date | None = None
) -> list[Message]:
    """What to confirm before the file is saved; `birth_date` when the number gave it."""
    born = birth_date or data.get("birth_date")
    return [*guardian_warnings(data), *school_warnings(data, born, today)]
