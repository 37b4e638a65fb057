from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class RegistryConfig(AppConfig):
    name = "guanai.registry"
    verbose_name = gettext_lazy("儿童档案")

    def ready(self):
        from guanai.audit.subjects import file_subject_set
        from guanai.registry import extensions
        from guanai.registry.figures import AGES, NEW_FILES, file_counts
        from guanai.registry.selectors import child_get_for

        file_subject_set(child_get_for)  # the audit log narrowed to one file (?child=N)

        extensions.node_counts_add(extensions.NodeCounts(key="registry", count=file_counts))
        extensions.figure_section_add(AGES)
        extensions.monthly_counts_add(NEW_FILES)
        from guanai.registry import review

        extensions.file_panel_add(
            extensions.FilePanel(
                key="fact_review",
                order=5,
                template="registry/_review_panel.html",
                context=review.panel_context,
                visible=review.panel_visible,
            )
        )
        extensions.due_source_add(
            extensions.DueSource(key="fact_review", entries=review.due_entries)
        )
        from guanai.accounts import permissions
        from guanai.accounts.models import Role
        from guanai.core.menu import MenuItem, menu_add

        menu_add(
            MenuItem(
                "children",
                20,
                "registry:child_list",
                lambda user: _("我的结对儿童") if user.role == Role.CARER else _("儿童档案"),
            )
        )
        menu_add(
            MenuItem(
                "register",
                40,
                "registry:child_create",
                lambda user: _("登记儿童"),
                permissions.can_register_children,
            )
        )
        menu_add(
            MenuItem(
                "review", 45, "registry:review_list", lambda user: _("信息审核"), review.can_review
            )
        )
