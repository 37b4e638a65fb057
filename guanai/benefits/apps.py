from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class BenefitsConfig(AppConfig):
    name = "guanai.benefits"
    verbose_name = gettext_lazy("待遇审批与发放")

    def ready(self):
        from guanai.benefits.permissions import can_propose
        from guanai.core.menu import MenuItem, menu_add

        menu_add(
            MenuItem("benefits", 55, "benefits:proposal_list", lambda u: _("待遇审批"), can_propose)
        )
