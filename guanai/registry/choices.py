from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class ParentRole(models.TextChoices):
    FATHER = "father", _("父亲")
    MOTHER = "mother", _("母亲")


class ParentStatus(models.TextChoices):
    AT_HOME = "at_home", _("在家")
    WORKING_AWAY = "working_away", _("外出务工")
    DEAD = "dead", _("死亡")
    MISSING = "missing", _("失踪")
    IMPRISONED = "imprisoned", _("服刑在押")
    DRUG_REHAB = "drug_rehab", _("强制隔离戒毒")
    RESTRICTED = "restricted", _("其他限制人身自由")
    SERIOUSLY_ILL = "seriously_ill", _("重病")
    SERIOUSLY_DISABLED = "seriously_disabled", _("重残")
    REMARRIED = "remarried", _("改嫁/再婚离家")
    LEFT_HOME = "left_home", _("离家出走")
    UNKNOWN = "unknown", _("不详")


class DisabilityCategory(models.TextChoices):
    VISION = "vision", _("视力残疾")
    HEARING = "hearing", _("听力残疾")
    SPEECH = "speech", _("言语残疾")
    LIMB = "limb", _("肢体残疾")
    INTELLECTUAL = "intellectual", _("智力残疾")
    MENTAL = "mental", _("精神残疾")
    MULTIPLE = "multiple", _("多重残疾")
    AUTISM = "autism", _("孤独症")


class DisabilityGrade(models.IntegerChoices):
    GRADE_1 = 1, _("一级")
    GRADE_2 = 2, _("二级")
    GRADE_3 = 3, _("三级")
    GRADE_4 = 4, _("四级")


class EconomicStatus(models.TextChoices):
    NONE = "none", _("无")
    DIBAO = "dibao", _("低保")
    TEKUN = "tekun", _("特困")
    LOW_INCOME = "low_income", _("低收入")


class HukouType(models.TextChoices):
    RURAL = "rural", _("农业户口")
    URBAN = "urban", _("非农业户口")
    RESIDENT = "resident", _("居民户口")


class GuardianRelation(models.TextChoices):
    FATHER = "father", _("父亲")
    MOTHER = "mother", _("母亲")
    GRANDPARENT_PATERNAL = "grandparent_paternal", _("祖父母")
    GRANDPARENT_MATERNAL = "grandparent_maternal", _("外祖父母")
    SIBLING = "sibling", _("兄姐")
    RELATIVE = "relative", _("其他亲属")
    ENTRUSTED = "entrusted", _("受委托监护人")
    INSTITUTION = "institution", _("民政/福利机构")
    OTHER = "other", _("其他")


class GuardianCapacity(models.TextChoices):
    FULL = "full", _("有监护能力")
    LIMITED = "limited", _("监护能力弱")
    NONE = "none", _("无监护能力")


class SchoolStage(models.TextChoices):
    NOT_IN_SCHOOL = "none", _("未入学")
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中职")
    SPECIAL = "special", _("特殊教育学校")
    DROPPED_OUT = "dropped_out", _("辍学")


class InactiveReason(models.TextChoices):
    MOVED_AWAY = "moved_away", _("迁出")
    ADULT = "adult", _("年满十八周岁")
    DEAD = "dead", _("死亡")
    DUPLICATE = "duplicate", _("重复建档")
    OTHER = "other", _("其他")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    LETTER = "letter", _("书信")
    WORK = "work", _("儿童作品")
    DOCUMENT = "document", _("证明材料")
    OTHER = "other", _("其他")


class AgeBand(models.TextChoices):
    """Age in completed years on the day: infants, pre-school, primary, junior, senior."""

    INFANT = "0-2", _("0-2岁")
    PRESCHOOL = "3-5", _("3-5岁")
    PRIMARY = "6-11", _("6-11岁")
    JUNIOR = "12-15", _("12-15岁")
    SENIOR = "16-17", _("16-17岁")

    @property
    def years(self) -> tuple[int, int]:
        low, high = self.value.split("-")
        return int(low), int(high)


class FactGroup(models.TextChoices):
    """The facts that decide a category or a benefit: a village's change to them waits for the
    township's review (registry/review.py)."""

    NEW_FILE = "new_file", _("新建档案")
    PARENTS = "parents", _("父母状况")
    GUARDIAN = "guardian", _("监护人")
    DISABILITY = "disability", _("残疾")
    ILLNESS = "illness", _("重大疾病")
    ECONOMY = "economy", _("家庭经济状况")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已通过")
    RETURNED = "returned", _("已退回")
    RESUBMITTED = "resubmitted", _("已重新提交")
