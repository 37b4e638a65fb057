from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    REFERRED = "referred", _("已转办")
    COMPLETED = "completed", _("已办结")
    REJECTED = "rejected", _("不予办理")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("已转办")
    ACCEPTED = "accepted", _("已接收")
    MORE_DOCS = "more_docs", _("待补材料")
    REJECTED = "rejected", _("退回")
    COMPLETED = "completed", _("已办结")
    REVOKED = "revoked", _("已撤回")


# A referral whose clock runs (MORE_DOCS: paused; the rest: finished).
RUNNING = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)
OPEN = (*RUNNING, ReferralStatus.MORE_DOCS)
