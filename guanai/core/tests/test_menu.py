"""The menu is what the apps add (core/menu.py), in their stated order, per role."""

from guanai.core.menu import menu_for


def keys(user) -> list[str]:
    return [key for _, _, key in menu_for(user)]


def test_each_role_gets_its_items_in_order(users):
    assert keys(users["carer_a"]) == ["home", "notices", "children", "care_week"]
    director = [
        "home",
        "notices",
        "children",
        "care",
        "disability",
        "protection",
        "register",
        "stats",
        "gaps",
        "changes",
    ]
    assert keys(users["director_a"]) == director
    county = keys(users["county"])
    assert county[:4] == ["home", "notices", "children", "care"]
    assert {"stats", "imports", "gaps", "audit"} <= set(county)
    assert county.index("stats") < county.index("imports") < county.index("gaps")
    assert "disability" in county
    assert "disability" in keys(users["department"])  # education: home teaching
    assert "protection" in county
    # Partner departments report cases and work on their tasks; carers do neither.
    assert "protection" in keys(users["department"])
    # The one window (一门受理) is the township's and the county's; a department keeps its desk.
    assert "window" in keys(users["supervisor_1"]) and "window" in county
    assert "desk" in keys(users["department"]) and "window" not in keys(users["department"])
    assert "desk" not in county


def test_a_carer_sees_their_own_children_named_so(users):
    labels = {key: label for label, _, key in menu_for(users["carer_a"])}
    assert labels["children"] == "我的结对儿童"
    assert {key: label for label, _, key in menu_for(users["director_a"])}["children"] == "儿童档案"
