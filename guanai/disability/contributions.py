"""What rehabilitation assistance adds to the registry: the file's panel of applications and
settlements and home teaching (diagnoses masked for roles that do not decide on them)."""

from guanai.disability import permissions
from guanai.disability.figures import REHAB, rehab_counts
from guanai.disability.selectors import child_applications, child_teachings
from guanai.registry import extensions


def _panel(user, child) -> dict:
    return {
        "applications": list(child_applications(user, child.pk)),
        "show_diagnosis": permissions.can_see_diagnosis(user),
        "can_apply": permissions.can_apply(user),
        "teachings": list(child_teachings(user, child.pk))
        if permissions.can_manage_teaching(user)
        else [],
        "can_teach": permissions.can_manage_teaching(user),
    }


def register() -> None:
    extensions.file_panel_add(
        extensions.FilePanel(
            key="disability",
            order=35,
            template="disability/_child_rehab.html",
            context=_panel,
        )
    )
    extensions.node_counts_add(extensions.NodeCounts(key="disability", count=rehab_counts))
    extensions.figure_section_add(REHAB)
