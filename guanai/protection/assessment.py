"""The assessment form's score and the grade it suggests (a worker decides; this advises)."""

from django.utils.translation import gettext_lazy as _

from guanai.core.errors import DomainError
from guanai.protection.choices import ASSESSMENT_AREAS, Grade


def assessment_scores(raw: dict) -> dict[str, int]:
    """Each area's score 0-3, from form input; refuses a missing or out-of-range score."""
    scores = {}
    for key, label in ASSESSMENT_AREAS:
        value = str(raw.get(key, "")).strip()
        if value not in {"0", "1", "2", "3"}:
            raise DomainError(_("请为“%(label)s”评分(0-3)"), field=key, label=label)
        scores[key] = int(value)
    return scores


def suggested_grade(scores: dict[str, int]) -> tuple[str, str]:
    """(grade, why): an immediate danger to safety is red whatever the rest says."""
    total = sum(scores.values())
    if scores.get("safety", 0) >= 3:
        return Grade.RED, f"人身安全 3 分(总分 {total}),建议红色"
    if total >= 10 or scores.get("safety", 0) == 2:
        return Grade.ORANGE, f"总分 {total},建议橙色"
    if total >= 5:
        return Grade.YELLOW, f"总分 {total},建议黄色"
    return Grade.BLUE, f"总分 {total},建议蓝色"
