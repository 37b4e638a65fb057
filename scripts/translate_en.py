"""Fill the English catalogue from the table below, then compile it (`make messages`).

Message ids are the Chinese the team works in (docs/decisions/0001-foundation.md).
"""

import sys
from pathlib import Path

import polib

ENGLISH = {
    "首页": "Home",
    "儿童档案": "Children",
    "信息审核": "Fact review",
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
    # Roster import (ingest): upload, jobs, mapping profiles, review, the file page's sources
    "统计": "Statistics",
    "导入": "Imports",
    "名册文件": "Roster file",
    "xlsx、xls 或 csv;表头上方的标题、每村一个工作表、合并单元格都可以": (
        "xlsx, xls or csv; titles above the headers, a sheet per village and merged cells are fine"
    ),
    "来源部门": "Source department",
    "表头对应方案": "Header mapping",
    "文件表头与常用写法不同时选择;须属于所选来源部门": (
        "Choose one when the file's headers differ from the usual ones; it must belong to the "
        "source department"
    ),
    "默认村(居)": "Default village",
    "文件没有村(居)列时,每行都归入此村;不选则按住址中的村名或档案所在村": (
        "Without a village column every row goes to this village; left empty, the village named"
        " in the address or that of the child's file is used"
    ),
    "名册日期": "Roster date",
    "部门导出名册的日期;默认今天": "The day the department exported the roster; today if empty",
    "只校验不导入": "Check only, do not import",
    "(不使用)": "(none)",
    "(按文件中的村(居)列或住址)": "(from the file's village column or address)",
    "方案名称": "Mapping name",
    "表头": "Header",
    "字段": "Field",
    "(不导入)": "(not imported)",
    "读取文件": "reading the file",
    "校验": "checking",
    "写入与关联": "saving and linking",
    "请选择您管辖范围内的村(居)": "Choose a village in your area",
    "请选择来源部门": "Choose the source department",
    "表头对应方案“%(name)s”属于%(source)s,与来源部门不符": (
        "The header mapping “%(name)s” belongs to %(source)s, not to the source department"
    ),
    "请上传 xlsx、xls 或 csv 文件": "Upload an xlsx, xls or csv file",
    "文件过大:%(size).1f MB,上限为 %(most).0f MB,请拆分后导入": (
        "The file is too large: %(size).1f MB, at most %(most).0f MB; split it and import the parts"
    ),
    "文件是空的": "The file is empty",
    "名册日期不能晚于今天": "The roster date cannot be later than today",
    "这个文件已经提交正式导入(任务 %(pk)s)": "This file was already imported for real (job %(pk)s)",
    "上传的文件已删除,请重新上传": "The uploaded file has been deleted; upload it again",
    "只有校验通过的“只校验”任务可以正式导入": "Only a check-only job that passed can be imported",
    "这个任务已经重新运行了(任务 %(pk)s)": "This job was already run again (job %(pk)s)",
    "只有出错的任务可以重新运行": "Only a job that failed can be run again",
    "这个任务刚刚已经重新运行了": "This job has just been run again",
    "教育(学校)": "Education (schools)",
    "其他": "Other",
    "未关联": "Not linked",
    "多项比对一致": "Matching details",
    "人工确认": "Confirmed by a person",
    "新建档案": "New file",
    "待确认": "To confirm",
    "是同一人": "Same child",
    "不是同一人": "Not the same child",
    "排队中": "Queued",
    "导入中": "Importing",
    "已完成": "Done",
    "未导入": "Not imported",
    "出错": "Failed",
    "监护人": "Guardian",
    "联系电话": "Phone",
    "家庭住址": "Home address",
    "学校": "School",
    "班级": "Class",
    "残疾类别和等级": "Disability category and grade",
    "档案录入": "Entered on the file",
    "姓名": "Name",
    "身份证号": "ID number",
    "出生日期": "Date of birth",
    "性别": "Sex",
    "住址": "Address",
    "村(居)": "Village",
    "残疾类别": "Disability category",
    "跳过的空行、合计、签名行": "Blank, total and signature lines left out",
    "已满 18 周岁,未导入": "Aged 18 or over, not imported",
    "名册上的身份证号有误:%(given)s": "ID number on the roster is invalid: %(given)s",
    "%(n)s 行有提示,已照常导入": (
        "%(n)s row has a note and was imported",
        "%(n)s rows have notes and were imported",
    ),
    "%(name)s 工作表“%(sheet)s”第 %(line)s 行": "%(name)s sheet “%(sheet)s” line %(line)s",
    "%(source)s名册(%(place)s)": "%(source)s roster (%(place)s)",
    "乡镇(街道)": "Township",
    "年级": "Grade",
    "残疾类别及等级": "Disability (category and grade)",
    "残疾证号": "Disability certificate number",
    "残疾等级": "Disability grade",
    "男": "Male",
    "女": "Female",
    "请填写对应“%(field)s”的表头": "Fill in the header for “%(field)s”",
    "表头“%(header)s…”过长(最多 %(most)s 字)": (
        "The header “%(header)s…” is too long (at most %(most)s characters)"
    ),
    "未知的字段“%(field)s”": "Unknown field “%(field)s”",
    "表头“%(header)s”填写了两次": "The header “%(header)s” is given twice",
    "“%(first)s”和“%(second)s”都对应%(field)s,每个字段只能对应一个表头": (
        "“%(first)s” and “%(second)s” both map to %(field)s; each field takes one header"
    ),
    "请至少填写一行表头对应": "Fill in at least one header",
    "请填写方案名称": "Fill in the mapping's name",
    "方案名称最多 50 字": "A mapping's name has at most 50 characters",
    "%(source)s已有名为“%(name)s”的方案": "%(source)s already has a mapping named “%(name)s”",
    "各部门名册中的信息": "What departmental rosters say",
    "档案显示最新的可信来源;其他来源的值保留在此,供核实。": (
        "The file shows the newest trusted source; the other sources' values are kept here "
        "to check."
    ),
    "项目": "Item",
    "档案显示": "On the file",
    "其他来源": "Other sources",
    "未采用": "Not used",
    "%(name)s 第 %(line)s 行": "%(name)s line %(line)s",
    "无": "None",
    "出现在以下名册": "Appears in these rosters",
    "名册日期 %(day)s": "roster date %(day)s",
    "状态": "Status",
    "状态:": "Status: ",
    "来源部门:": "Source department: ",
    "行": "rows",
    "等待开始…": "Waiting to start…",
    "此文件已导入过,没有任何改动。": "This file was imported before; nothing changed.",
    "校验通过(未保存)。": "Check passed (nothing saved).",
    "行数": "Rows",
    "新增": "New",
    "未变": "Unchanged",
    "自动关联": "Linked automatically",
    "待人工确认": "To confirm by a person",
    "更新档案": "Files updated",
    "来源值不一致": "Values differing between sources",
    "已提交正式导入:": "Imported for real as ",
    "任务 %(pk)s": "job %(pk)s",
    "正式导入": "Import for real",
    "上传的文件已删除(只校验的文件保留数天),不能再正式导入。": (
        "The uploaded file has been deleted (a checked file is kept a few days); it can no longer "
        "be imported."
    ),
    "重新上传": "Upload again",
    "去确认配对": "Confirm the pairs",
    "%(n)s 处错误,未导入任何数据:": (
        "%(n)s error; nothing was imported:",
        "%(n)s errors; nothing was imported:",
    ),
    "文件中不认识的表头:": "Headers in the file that are not known: ",
    "新建表头对应方案": "New header mapping",
    "修正后重新上传": "Correct the file and upload it again",
    "导入中断:长时间没有进展,后台任务进程可能已停止。未导入任何数据。": (
        "The import stopped: no progress for a long time, the background worker may have "
        "stopped. Nothing was imported."
    ),
    "导入出错,未导入任何数据。": "The import failed; nothing was imported.",
    "已重新运行:": "Run again as ",
    "重新运行": "Run again",
    "用同一个文件和选项再导入一次;仍出错请联系管理员。": (
        "Imports the same file with the same choices once more; if it fails again, contact the "
        "administrator."
    ),
    "上传的文件已删除,不能重新运行。": "The uploaded file has been deleted; the job cannot run again.",
    "上传名册": "Upload a roster",
    "导入记录": "Import jobs",
    "待确认配对": "Pairs to confirm",
    "导入任务": "Import job",
    "%(who)s 于 %(when)s 上传": "Uploaded by %(who)s on %(when)s",
    "文件": "File",
    "上传人": "Uploaded by",
    "时间": "Time",
    "只校验": "check only",
    "还没有导入记录": "No imports yet",
    "上一页": "Previous",
    "下一页": "Next",
    "导入部门名册": "Import a departmental roster",
    "先校验全部行:任何一行有错误都不会导入,并列出每个错误所在的行和列。导入在后台进行,页面显示进度。": (
        "Every row is checked first: if any row has an error nothing is imported, and each "
        "error is listed with its line and column. The import runs in the background; this page "
        "shows its progress."
    ),
    "上传并导入": "Upload and import",
    "我最近的导入": "My recent imports",
    "修改表头对应方案": "Edit header mapping",
    "按文件 %(name)s 的表头填写:为每个表头选择字段,不需要的选“不导入”。": (
        "Filled from the headers of %(name)s: choose a field for each header, or “not imported”."
    ),
    "表头(与文件中一致)→ 字段": "Header (as in the file) → field",
    "保存": "Save",
    "取消": "Cancel",
    "新建方案": "New mapping",
    "部门名册的表头与常用写法不同时,用方案说明哪一列是哪个字段。方案按来源部门保存,导入时选择。": (
        "When a department's roster has unusual headers, a mapping says which column holds which "
        "field. Mappings are kept per source department and chosen when importing."
    ),
    "修改或删除方案请联系县民政局。": "To change or delete a mapping, ask the county bureau.",
    "修改": "Edit",
    "删除这个方案?": "Delete this mapping?",
    "删除": "Delete",
    "还没有方案": "No mappings yet",
    "对照:%(a)s 与 %(b)s": "Compare: %(a)s and %(b)s",
    "是同一名儿童吗?": "Is this the same child?",
    "得分 %(score)s:": "Score %(score)s: ",
    "已有档案": "File on record",
    "撤销": "Undo",
    "名册导入:待确认配对": "Roster import: pairs to confirm",
    "部门名册中的一行与已有档案可能是同一名儿童,但证据不足以自动关联。请逐条核对。共 %(n)s 条。": (
        "A roster row and a file on record may be the same child, but the evidence is not enough "
        "to link them automatically. Check them one by one. %(n)s pair.",
        "A roster row and a file on record may be the same child, but the evidence is not enough "
        "to link them automatically. Check them one by one. %(n)s pairs.",
    ),
    "名册(来源)": "Roster (source)",
    "名册中的儿童": "Child in the roster",
    "得分": "Score",
    "依据": "Evidence",
    "名册": "Roster",
    "对照": "Compare",
    "没有%(label)s的配对": "No pairs: %(label)s",
    "第 %(number)s / %(pages)s 页": "Page %(number)s of %(pages)s",
    "已撤销,配对回到待确认": "Undone; the pair is to confirm again",
    "已确认为同一人": "Confirmed as the same child",
    "已确认不是同一人": "Confirmed as not the same child",
    "请选择“是同一人”或“不是同一人”": "Choose “Same child” or “Not the same child”",
    "已保存表头对应方案“%(name)s”": "Header mapping “%(name)s” saved",
    "已删除表头对应方案“%(name)s”": "Header mapping “%(name)s” deleted",
    "只导入本辖区的行": "Import only the rows of my area",
    "全县(或更大范围)的名册:本辖区以外各村的行不导入,只列出行号": (
        "A roster of the whole county (or wider): rows of villages outside your area are not"
        " imported, only listed by line"
    ),
    "身份证号已在其他乡镇(街道)登记,已转县级核对": (
        "ID number registered in another township (subdistrict), passed to the county to check"
    ),
    "本辖区以外的行,未导入": "Rows outside your area, not imported",
    "排队中:当前没有运行的后台进程": "Queued: no background worker is running",
    "导入中断:后台进程已停止响应。未导入任何数据。": (
        "Import interrupted: the background process stopped responding. Nothing was imported."
    ),
    "这个任务刚刚已经结束,请刷新页面查看结果": (
        "This job has just finished; reload the page to see the result"
    ),
    "生成中断:后台进程已停止响应。": (
        "Report interrupted: the background process stopped responding."
    ),
    "已重新生成:": "Generated again as ",
    "这个报表已经重新生成了(任务 %(pk)s)": "This report was already run again (job %(pk)s)",
    "只有失败的报表可以重新生成": "Only a failed report can be run again",
    "这个报表刚刚已经生成完毕,请刷新页面": "This report has just finished; reload the page",
    "这个报表刚刚已经重新生成了": "This report was run again a moment ago",
    "审计记录": "Audit trail",
    '档案 <a href="%(file_url)s">%(name)s</a>(编号 %(number)s)的全部记录': 'Every record of the file of <a href="%(file_url)s">%(name)s</a> (number %(number)s)',
    "查询": "Search",
    "共超过 %(n)s 条": "More than %(n)s rows",
    "共 %(n)s 条": "%(n)s rows",
    "用户": "User",
    "操作": "Action",
    "对象": "Object",
    "变更": "Changes",
    "地址": "Address",
    "没有记录": "No records",
    "用户/对象/地址": "User / object / address",
    "用户名或姓名": "Username or name",
    "儿童档案编号": "Child file number",
    "起始日期": "From",
    "截止日期": "To",
    "全部": "All",
    "查询列表": "Searched a list",
    "拒绝访问": "Access refused",
    "归档清理": "Archived and pruned",
    "只有乡镇(街道)儿童督导员和县级民政部门可以查询审计日志": "Only township child supervisors and the county civil-affairs bureau may read the audit log",
    "您所在部门不能查看儿童的照片、书信和作品": "Your department may not see the child's photos, letters and works",
    "您所在部门不能查看档案的变更记录": "Your department may not see the file's revision history",
    "您所在部门不能查看关爱记录的内容和照片": "Your department may not see what care records say, or their photos",
    "关爱记录的内容和照片只在民政条线内查看。": "What care records say, and their photos, are seen only within civil affairs.",
    "没有可查看的范围": "Nothing in your view",
    "上次修改": "Last changed",
    "两步验证": "Two-step verification",
    "保存新密码": "Save the new password",
    "修改密码": "Change password",
    "关闭两步验证": "Turn off two-step verification",
    "启用两步验证": "Turn on two-step verification",
    "在手机上安装一个验证器应用(支持 TOTP 的均可,例如腾讯身份验证器、Microsoft Authenticator、Google Authenticator)。": "Install an authenticator app on your phone (any app that supports TOTP, such as Tencent Authenticator, Microsoft Authenticator or Google Authenticator).",
    "完成绑定": "Finish",
    "密钥": "Key",
    "已启用:登录时除密码外还需输入手机验证器的验证码。": "On: besides your password, logging in needs a code from the authenticator on your phone.",
    "剩余 %(left)s 个恢复码。": "%(left)s recovery codes left.",
    "恢复码": "Recovery codes",
    "您的角色必须使用两步验证:完成绑定后才能继续使用系统。": "Your role must use two-step verification: set up an authenticator to go on.",
    "我已保存,继续": "I have saved them, continue",
    "我的账户": "My account",
    "手机丢失且没有恢复码时,请联系管理员重置两步验证。": "If you lost your phone and have no recovery code, ask an administrator to reset your two-step verification.",
    "更换手机(重新绑定)": "New phone (set up again)",
    "未启用。启用后,即使密码泄露,他人没有您的手机也无法登录。": "Off. With it on, nobody can log in as you without your phone, even if they know your password.",
    "生成新的恢复码": "New recovery codes",
    "用验证器扫描下面的二维码;不能扫码时,手动输入密钥(基于时间)。": "Scan the QR code below with the app; if you cannot scan, type in the key (time based).",
    "绑定手机验证器": "Set up an authenticator",
    "绑定新的验证器后,原来的验证器和恢复码将失效。": "Once the new authenticator is set up, the old one and the old recovery codes stop working.",
    "请打开手机上的验证器,输入“guanai”一项当前显示的 6 位数字。手机不在身边时,可输入一个恢复码(每个只能用一次)。": "Open the authenticator on your phone and enter the 6 digits it shows for “guanai”. Without your phone, enter a recovery code (each works once).",
    "请立即抄下或打印这些恢复码,妥善保管。它们只显示这一次;手机不在身边时,每个恢复码可代替验证码使用一次。": "Write down or print these recovery codes now and keep them safe. They are shown only this once; without your phone, each one stands in for a code once.",
    "输入验证器显示的 6 位数字,完成绑定。": "Enter the 6 digits the app shows to finish.",
    "验证": "Verify",
    "验证器二维码": "Authenticator QR code",
    "验证码": "Code",
    "原密码": "Current password",
    "新密码": "New password",
    "至少 10 位,包含大写字母、小写字母、数字、符号中的至少 3 类,不能包含用户名,不能与最近 5 次的密码相同": "At least 10 characters, with at least 3 of upper case, lower case, digits and symbols; not containing the username; none of your last 5 passwords",
    "再次输入新密码": "New password again",
    "两次输入的新密码不一致": "The two new passwords differ",
    "当前密码": "Current password",
    "密码至少需要 %(count)d 个字符": "The password needs at least %(count)d characters",
    "密码须包含大写字母、小写字母、数字、符号中的至少 %(count)d 类": "The password needs at least %(count)d of: upper case, lower case, digits, symbols",
    "密码不能包含用户名": "The password may not contain the username",
    "不能使用最近 %(count)d 次用过的密码": "None of your last %(count)d passwords may be used again",
    "这是管理员设置的初始密码,请先修改为您自己的密码": "An administrator set this password: please choose your own first",
    "密码已使用超过 %(days)d 天,请修改密码": "Your password is more than %(days)d days old: please change it",
    "用户名或密码错误(连续失败 %(limit)d 次将锁定 %(minutes)d 分钟)": "Wrong username or password (after %(limit)d failures in a row, logging in is locked for %(minutes)d minutes)",
    "登录失败次数过多,已锁定,请于 %(time)s 后再试或联系管理员解锁": "Too many failed logins: locked. Try again after %(time)s or ask an administrator to unlock",
    "超过 %(minutes)d 分钟未操作,已自动退出,请重新登录": "Logged out after %(minutes)d minutes without activity: please log in again",
    "登录已超过 %(hours)d 小时,请重新登录": "Logged in for more than %(hours)d hours: please log in again",
    "您用掉了一个恢复码,还剩 %(left)d 个;可在“我的账户”中生成新的恢复码": "You used a recovery code; %(left)d left. New ones can be made under “My account”",
    "密码已修改": "Password changed",
    "您的角色必须使用两步验证,不能关闭;更换手机请重新绑定验证器": "Your role must use two-step verification; it cannot be turned off. For a new phone, set up the authenticator again",
    "当前密码不正确,两步验证未关闭": "Wrong current password: two-step verification is still on",
    "已关闭两步验证": "Two-step verification turned off",
    "通知": "Notices",
    "通知 (%(count)d)": "Notices (%(count)d)",
    "全部标为已读": "Mark all read",
    "已将 %(count)d 条通知标为已读": "%(count)d notices marked read",
    "未读": "Unread",
    "查看": "Open",
    "标为已读": "Mark read",
    "没有通知": "No notices",
    "任务提醒": "Reminder",
    "逾期提醒": "Overdue",
    "问题上报": "Problem reported",
    "结对超限": "Pairing limit",
    "保护个案": "Protection case",
    "响应超时": "Response overdue",
    "超时上报": "Escalated",
    "一门受理": "One window",
    "部门待办": "Department desk",
    "已受理": "Received",
    "已转办": "Referred",
    "已办结": "Completed",
    "不予办理": "Refused",
    "已接收": "Accepted",
    "待补材料": "Awaiting documents",
    "退回": "Returned",
    "已撤回": "Revoked",
    "虐待": "Abuse",
    "忽视": "Neglect",
    "遗弃": "Abandonment",
    "家庭暴力": "Domestic violence",
    "性侵害": "Sexual harm",
    "欺凌": "Bullying",
    "意外伤害": "Accident",
    "走失/离家出走": "Missing or run away",
    "自伤": "Self-harm",
    "监护人无力监护": "Guardian unable to care",
    "强制报告": "Mandatory report",
    "热线来电": "Hotline call",
    "走访发现": "Found on a visit",
    "学校发现": "Found by the school",
    "医院接诊": "Seen at a hospital",
    "公安接警": "Reported to the police",
    "邻居/村民反映": "Told by neighbours",
    "本人或家人求助": "The child or family asked for help",
    "热线": "Hotline",
    "关爱记录": "Care record",
    "红色": "Red",
    "橙色": "Orange",
    "黄色": "Yellow",
    "蓝色": "Blue",
    "办理中": "Open",
    "已结案": "Closed",
    "现场核实": "Verified on site",
    "应急处置": "Emergency measure",
    "评估": "Assessment",
    "帮扶计划": "Assistance plan",
    "监护干预": "Guardianship intervention",
    "跟踪回访": "Follow-up visit",
    "工作记录": "Case note",
    "临时监护照料(福利或保护机构)": "Temporary care (welfare or protection institution)",
    "报警/公安处置": "Police called",
    "送医救治": "Medical care",
    "亲属临时照料": "Placed with relatives",
    "批评教育/训诫": "Warning",
    "书面保证": "Written undertaking",
    "委托临时监护": "Temporary guardian entrusted",
    "申请撤销监护资格": "Court asked to revoke guardianship",
    "人身安全": "Safety",
    "监护状况": "Guardianship",
    "身心健康": "Health",
    "就学情况": "Schooling",
    "基本生活需要": "Basic needs",
    "我的待办": "My to-do",
    "已逾期": "Overdue",
    # Rehabilitation assistance for disabled children (disability)
    "康复救助": "Rehabilitation",
    "残疾儿童康复救助": "Rehabilitation assistance for disabled children",
    "待遇审批": "Benefit decisions",
}


def main() -> int:
    po_path = Path(__file__).resolve().parent.parent / "guanai/locale/en/LC_MESSAGES/django.po"
    catalogue = polib.pofile(str(po_path))
    missing = []
    for entry in catalogue:
        english = ENGLISH.get(entry.msgid)
        if entry.msgid_plural:  # (singular, plural) in the table
            if english:
                entry.msgstr_plural = dict(enumerate(english))
            translated = all(entry.msgstr_plural.values())
        else:
            entry.msgstr = english or entry.msgstr
            translated = bool(entry.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if not translated:
            missing.append(entry.msgid)
    catalogue.save()
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    if missing:
        print("untranslated:", *missing, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
