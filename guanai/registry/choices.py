from django.db import models


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class ParentRole(models.TextChoices):
    FATHER = "father", "父亲"
    MOTHER = "mother", "母亲"


class ParentStatus(models.TextChoices):
    AT_HOME = "at_home", "在家"
    WORKING_AWAY = "working_away", "外出务工"
    DEAD = "dead", "死亡"
    MISSING = "missing", "失踪"
    IMPRISONED = "imprisoned", "服刑在押"
    DRUG_REHAB = "drug_rehab", "强制隔离戒毒"
    RESTRICTED = "restricted", "其他限制人身自由"
    SERIOUSLY_ILL = "seriously_ill", "重病"
    SERIOUSLY_DISABLED = "seriously_disabled", "重残"
    REMARRIED = "remarried", "改嫁/再婚离家"
    LEFT_HOME = "left_home", "离家出走"
    UNKNOWN = "unknown", "不详"


class DisabilityCategory(models.TextChoices):
    VISION = "vision", "视力残疾"
    HEARING = "hearing", "听力残疾"
    SPEECH = "speech", "言语残疾"
    LIMB = "limb", "肢体残疾"
    INTELLECTUAL = "intellectual", "智力残疾"
    MENTAL = "mental", "精神残疾"
    MULTIPLE = "multiple", "多重残疾"
    AUTISM = "autism", "孤独症"


class DisabilityGrade(models.IntegerChoices):
    GRADE_1 = 1, "一级"
    GRADE_2 = 2, "二级"
    GRADE_3 = 3, "三级"
    GRADE_4 = 4, "四级"


class EconomicStatus(models.TextChoices):
    NONE = "none", "无"
    DIBAO = "dibao", "低保"
    TEKUN = "tekun", "特困"
    LOW_INCOME = "low_income", "低收入"


class HukouType(models.TextChoices):
    RURAL = "rural", "农业户口"
    URBAN = "urban", "非农业户口"
    RESIDENT = "resident", "居民户口"


class GuardianRelation(models.TextChoices):
    FATHER = "father", "父亲"
    MOTHER = "mother", "母亲"
    GRANDPARENT_PATERNAL = "grandparent_paternal", "祖父母"
    GRANDPARENT_MATERNAL = "grandparent_maternal", "外祖父母"
    SIBLING = "sibling", "兄姐"
    RELATIVE = "relative", "其他亲属"
    ENTRUSTED = "entrusted", "受委托监护人"
    INSTITUTION = "institution", "民政/福利机构"
    OTHER = "other", "其他"


class GuardianCapacity(models.TextChoices):
    FULL = "full", "有监护能力"
    LIMITED = "limited", "监护能力弱"
    NONE = "none", "无监护能力"


class SchoolStage(models.TextChoices):
    NOT_IN_SCHOOL = "none", "未入学"
    KINDERGARTEN = "kindergarten", "幼儿园"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中/中职"
    SPECIAL = "special", "特殊教育学校"
    DROPPED_OUT = "dropped_out", "辍学"


class InactiveReason(models.TextChoices):
    MOVED_AWAY = "moved_away", "迁出"
    ADULT = "adult", "年满十八周岁"
    DEAD = "dead", "死亡"
    DUPLICATE = "duplicate", "重复建档"
    OTHER = "other", "其他"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "照片"
    LETTER = "letter", "书信"
    WORK = "work", "儿童作品"
    DOCUMENT = "document", "证明材料"
    OTHER = "other", "其他"


class AgeBand(models.TextChoices):
    """Age in completed years on the day: infants, pre-school, primary, junior, senior."""

    INFANT = "0-2", "0-2岁"
    PRESCHOOL = "3-5", "3-5岁"
    PRIMARY = "6-11", "6-11岁"
    JUNIOR = "12-15", "12-15岁"
    SENIOR = "16-17", "16-17岁"

    @property
    def years(self) -> tuple[int, int]:
        low, high = self.value.split("-")
        return int(low), int(high)


class FactGroup(models.TextChoices):
    """The facts that decide a category or a benefit: a village's change to them waits for the
    township's review (registry/review.py)."""

    NEW_FILE = "new_file", "新建档案"
    PARENTS = "parents", "父母状况"
    GUARDIAN = "guardian", "监护人"
    DISABILITY = "disability", "残疾"
    ILLNESS = "illness", "重大疾病"
    ECONOMY = "economy", "家庭经济状况"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已通过"
    RETURNED = "returned", "已退回"
    RESUBMITTED = "resubmitted", "已重新提交"
