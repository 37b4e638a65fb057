"""Fill the English catalogue from the table below, then compile it (`make messages`).

Message ids are the Chinese the team works in (docs/decisions/0001-foundation.md).
"""

import sys
from pathlib import Path

import polib

ENGLISH = {
    "首页": "Home",
    "儿童档案": "Children",
    "我的结对儿童": "My children",
    "本周待办": "This week",
    "关爱任务": "Care duties",
    "登记儿童": "Register a child",
    "账户管理": "Accounts",
    "应保尽保": "Benefit gaps",
    "认定变化": "Category changes",
    "审计日志": "Audit log",
    "儿童主任": "Child director",
    "儿童督导员": "Child supervisor",
    "民政局工作人员": "Civil-affairs officer",
    "部门工作人员": "department officer",
    "爱心妈妈/志愿者": "Carer / volunteer",
    "系统管理员": "Administrator",
    "民政": "Civil affairs ",
    "教育": "Education ",
    "卫健": "Health ",
    "公安": "Public security ",
    "司法": "Justice ",
    "人社": "Human resources ",
    "残联": "Disabled persons' federation ",
    "妇联": "Women's federation ",
    "团委": "Youth league ",
    "登录": "Log in",
    "用户名": "Username",
    "密码": "Password",
    "儿童关爱保护一人一档": "One file for every child",
    "全部辖区": "All areas",
    "缺身份证号": "No ID number",
    "查找儿童": "Find a child",
    "下级区划": "Areas below",
    "区划": "Area",
    "在册儿童": "Registered children",
    "关爱 · 儿童关爱保护一人一档": "Guanai · one file for every child",
    "关爱": "Guanai",
    "菜单": "Menu",
    "退出": "Log out",
    "主菜单": "Main menu",
}


def main() -> int:
    po_path = Path(__file__).resolve().parent.parent / "guanai/locale/en/LC_MESSAGES/django.po"
    catalogue = polib.pofile(str(po_path))
    missing = []
    for entry in catalogue:
        entry.msgstr = ENGLISH.get(entry.msgid, entry.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if not entry.msgstr:
            missing.append(entry.msgid)
    catalogue.save()
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    if missing:
        print("untranslated:", *missing, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
