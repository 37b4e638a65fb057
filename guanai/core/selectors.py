"""Figures for the home page of each role, always through jurisdiction scoping."""

from django.db.models import Count, Q

from guanai.accounts.models import User
from guanai.registry.selectors import children_for


def home_summary(user: User) -> dict:
    children = children_for(user).filter(is_active=True)
    summary = {
        "children": children.count(),
        "missing_id": children.filter(id_number__isnull=True).count(),
    }
    if user.division is not None and user.role != "carer":
        rows = children.values("division_code").annotate(
            total=Count("id"), missing_id=Count("id", filter=Q(id_number__isnull=True))
        )
        child_nodes = {d.code: d for d in user.division.children.all()}
        totals: dict[str, dict] = {
            code: {"division": d, "total": 0, "missing_id": 0} for code, d in child_nodes.items()
        }
        for row in rows:
            for entry in totals.values():
                if row["division_code"].startswith(entry["division"].prefix):
                    entry["total"] += row["total"]
                    entry["missing_id"] += row["missing_id"]
                    break
        summary["by_division"] = sorted(totals.values(), key=lambda e: e["division"].code)
    return summary
