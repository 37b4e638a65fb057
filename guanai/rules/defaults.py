"""The national parameter values shipped with guanai (loaded by migration 0002).

This list is what that migration wrote: change a value by adding a dated row in a new data
migration (or with `guanai rules set-parameter`), never by editing a line here, so that an
evaluation as of an earlier day keeps using what was in force then.

Ages, durations: 国发〔2016〕13号 (left-behind), 国发〔2016〕36号 as quoted in seed 004 篇6
(children in difficulty, orphans and de-facto unsupported children, 特困 under 16).
Rehabilitation ages and standards: seed 004 篇10. `multiple` (多重残疾) and `speech` (言语残疾)
are not named with an age in the seed; they follow vision/hearing (0-14), as the seed's
training standard groups 言语 with 听力. Mental disability (精神残疾) has no rehabilitation
parameter: the seed's programme does not cover it.
The temporary-hardship default period is guanai's own: an event recorded without an end date
stops counting after it, so that a forgotten event does not keep a child "in difficulty".
"""

from datetime import date
from decimal import Decimal

NATIONAL_FROM = date(2016, 1, 1)

NATIONAL_DEFAULTS: list[tuple[str, Decimal, str]] = [
    ("child.age_below", Decimal(18), "未满18周岁的未成年人"),
    ("left_behind.age_below", Decimal(16), "国发〔2016〕13号:不满十六周岁"),
    ("orphan_allowance.age_below", Decimal(18), "国发〔2016〕36号:未满18周岁"),
    ("tekun_support.age_below", Decimal(16), "国发〔2016〕36号:未满16周岁"),
    ("de_facto.imprisonment_years", Decimal(5), "国发〔2016〕36号:5年以上在押服刑"),
    ("de_facto.left_home_years", Decimal(3), "国发〔2016〕36号:离家出走3年以上"),
    ("temporary_hardship.default_months", Decimal(6), "未填解除日期的临时困境事件按6个月计"),
    ("severe_disability.max_grade", Decimal(2), "重度残疾:残疾等级一级、二级"),
    ("rehabilitation.training_max_age.vision", Decimal(14), "seed 004 篇10:0-14岁视力"),
    ("rehabilitation.training_max_age.hearing", Decimal(14), "seed 004 篇10:0-14岁听力"),
    ("rehabilitation.training_max_age.speech", Decimal(14), "同听力残疾"),
    ("rehabilitation.training_max_age.limb", Decimal(7), "seed 004 篇10:0-7岁肢体"),
    ("rehabilitation.training_max_age.intellectual", Decimal(14), "seed 004 篇10:0-14岁智力"),
    ("rehabilitation.training_max_age.autism", Decimal(14), "seed 004 篇10:0-14岁孤独症"),
    ("rehabilitation.training_max_age.multiple", Decimal(14), "同视力、听力、智力残疾"),
    ("rehabilitation.limb_surgery_max_age", Decimal(17), "seed 004 篇10:矫治手术年龄提高到17岁"),
    ("rehabilitation.cochlear_implant_max_age", Decimal(6), "seed 004 篇10:人工耳蜗手术6岁"),
    ("rehabilitation.training_yearly.vision", Decimal(1000), "seed 004 篇10"),
    ("rehabilitation.training_yearly.hearing", Decimal(17000), "seed 004 篇10"),
    ("rehabilitation.training_yearly.speech", Decimal(17000), "seed 004 篇10"),
    ("rehabilitation.training_yearly.limb", Decimal(17000), "seed 004 篇10"),
    ("rehabilitation.training_yearly.intellectual", Decimal(17000), "seed 004 篇10"),
    ("rehabilitation.training_yearly.autism", Decimal(17000), "seed 004 篇10"),
    ("rehabilitation.limb_surgery_once", Decimal(17200), "seed 004 篇10"),
    ("rehabilitation.cochlear_implant_once", Decimal(12000), "seed 004 篇10(含术后调机费)"),
]

# National values that came later, each from its own day (a migration each: 0003 on).
LATER_DEFAULTS = [
    (
        "de_facto_2019.out_of_contact_months",
        Decimal(6),
        "民发〔2019〕62号:失联6个月以上",
        date(2019, 6, 18),
    ),
]
