"""Character pools and place-name parts for synthetic data. All invented; no real person's data.

Weights are rough shares (surnames follow the familiar national ranking, given-name characters
follow the fashions of the generation). The generator expands weighted pools into flat tuples
once, so a draw is a single index into a tuple.
"""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Surname -> weight (roughly per mille of the population). A few surnames with a special
# reading (曾 zeng, 单 shan, 覃 qin, 区 ou, 解 xie) and compound surnames are included on purpose:
# search and record linkage must cope with them.
SURNAMES: dict[str, float] = {
    "王": 71, "李": 70, "张": 67, "刘": 54, "陈": 45, "杨": 31, "黄": 22, "赵": 20, "吴": 20,
    "周": 19, "徐": 15, "孙": 15, "马": 13, "朱": 13, "胡": 12, "郭": 12, "何": 12, "高": 11,
    "林": 11, "罗": 11, "郑": 10, "梁": 10, "谢": 8, "宋": 8, "唐": 8, "许": 7, "韩": 7,
    "冯": 7, "邓": 7, "曹": 7, "彭": 6, "曾": 6, "肖": 6, "田": 6, "董": 5, "袁": 5, "潘": 5,
    "于": 5, "蒋": 5, "蔡": 5, "余": 5, "杜": 5, "叶": 4, "程": 4, "苏": 4, "魏": 4, "吕": 4,
    "丁": 4, "任": 4, "沈": 4, "姚": 4, "卢": 4, "姜": 3, "崔": 3, "钟": 3, "谭": 3, "陆": 3,
    "汪": 3, "范": 3, "金": 3, "石": 3, "廖": 3, "贾": 3, "夏": 3, "韦": 3, "付": 3, "方": 3,
    "白": 3, "邹": 3, "孟": 3, "熊": 3, "秦": 3, "邱": 3, "江": 3, "尹": 3, "薛": 2, "闫": 2,
    "段": 2, "雷": 2, "侯": 2, "龙": 2, "史": 2, "陶": 2, "黎": 2, "贺": 2, "顾": 2, "毛": 2,
    "郝": 2, "龚": 2, "邵": 2, "万": 2, "钱": 2, "严": 2, "覃": 2, "武": 2, "戴": 2, "莫": 2,
    "孔": 2, "向": 2, "汤": 2, "常": 1.5, "温": 1.5, "康": 1.5, "施": 1.5, "文": 1.5,
    "牛": 1.5, "樊": 1.5, "葛": 1.5, "邢": 1.5, "安": 1, "齐": 1, "易": 1, "乔": 1, "伍": 1,
    "庞": 1, "颜": 1, "倪": 1, "庄": 1, "聂": 1, "章": 1, "鲁": 1, "岳": 1, "翟": 1, "殷": 1,
    "詹": 1, "申": 1, "欧": 1, "耿": 1, "关": 1, "兰": 1, "焦": 1, "俞": 1, "左": 1, "柳": 1,
    "甘": 1, "祝": 1, "包": 1, "宁": 1, "尚": 1, "符": 1, "舒": 1, "阮": 1, "柯": 1, "纪": 1,
    "梅": 1, "童": 1, "凌": 1, "毕": 1, "单": 0.5, "区": 0.2, "解": 0.3, "欧阳": 0.5,
    "司马": 0.1, "诸葛": 0.1, "上官": 0.1,
}  # fmt: skip

# Given-name characters by generation and sex (first character, second character).
CHILD_MALE_1 = "浩宇子梓俊博文一睿皓思嘉晨宏天明沐奕铭泽逸锦承君景煜佑瑞家修建志昊诗"
CHILD_MALE_2 = "轩宇辰涛杰航然阳泽豪睿鑫博宸诚铭煜霖凯哲翔昊森楠彬晨川瑞恒扬熙骏霆旭"
CHILD_FEMALE_1 = "子梓欣诗雨佳思一若可紫语依梦嘉晓雅心馨静佩乐文书雪艺美婉安芷惠"
CHILD_FEMALE_2 = "涵萱怡琪彤诺汐妍悦馨琳瑶蕾菲婷洁雯晴璐嫣然曦月蓉颖薇玥希茜灵宁钰冉"
ADULT_MALE_1 = "建志国永海春小文明德军红东晓金立新庆长俊少伟家"
ADULT_MALE_2 = "伟强磊军勇杰涛明超斌刚平辉鹏华飞波林峰亮东兵成忠平林生华荣福"
ADULT_FEMALE_1 = "秀桂玉春小丽海红晓金翠美淑冬素雪月彩"
ADULT_FEMALE_2 = "芳娜敏静丽艳娟霞英兰红梅燕萍琴莉婷雪慧玲凤洁翠琳丹颖花珍"
ELDER_MALE = _words(
    "建国 国强 德明 志刚 长福 永生 家明 春生 保国 文华 金山 玉林 德胜 福林 树林 振华 "
    "光明 洪涛 国庆 建华 学文 明亮 开山 宝山 德贵 富贵 正清 炳南 有才 万福"
)
ELDER_FEMALE = _words(
    "秀英 桂兰 玉兰 淑珍 秀兰 桂英 凤英 玉珍 秀珍 桂芳 春花 秋菊 冬梅 翠花 素芬 "
    "金凤 玉梅 淑华 兰英 月娥 菊香 桂香 秀芳 翠兰 银花 凤兰 玉凤 淑英 素珍 爱华"
)

ETHNIC_MINORITIES = _words("土家族 苗族 彝族 壮族 回族 侗族 布依族 瑶族 满族 蒙古族 藏族 白族")

# Townships: first part + second part + 镇/乡; streets (街道) get a town-like name too.
TOWNSHIP_PART_1 = "青白龙凤石桃柳金银黄清新大小高长安平永太双三五马牛鹤云松梅竹兴福宝"
TOWNSHIP_PART_2 = "石沙泉源河溪山坪坝桥湾口岭塘水林关场铺集寺庙庄店营冈"
STREET_NAMES = _words(
    "城关 城东 城西 城南 城北 东城 西城 南城 北城 滨江 新城 鼓楼 文昌 凤城 江南 河西 "
    "龙城 古城 新华 人民"
)

# Villages: whole names and a two-part pattern; communities (社区) have their own words.
VILLAGE_WORDS = _words(
    "东风 红星 新华 团结 光明 和平 胜利 先锋 前进 友谊 建设 永丰 丰收 五里 石桥 杨柳 "
    "桃园 凤凰 龙井 金竹 竹林 茶园 松树 柏林 双河 三岔 白鹤 新民 兴隆 太平 长安 永兴 "
    "大坪 高峰 黄泥 青龙 白马 金星 红岩 向阳 联合 民主 幸福 新农 新建 大湾 中心 仁和 "
    "万福 福田 三合 七里 九龙 花园 荷塘 梨树 枣林 杏花"
)
VILLAGE_PART_1 = "东西南北上下前后大小新老高马牛黄白石杨李王张刘陈赵周吴"
VILLAGE_PART_2 = "家庄湾坪沟岭桥河山坡冲垭堡寨岗塘店营铺坝庙园屯"
COMMUNITY_WORDS = _words(
    "城东 城西 城南 城北 滨河 文化 人民 解放 建设 幸福 和谐 花园 锦绣 新城 府前 学府 书院 "
    "长安 迎宾 凤鸣 龙泉 金桥 银杏 桂花 翠竹 滨江 望江 西街 东街 北街 南街 新街 老街 "
    "车站 工业园 振兴 育才 丰泽 阳光"
)
ROAD_WORDS = _words(
    "人民 解放 建设 中山 和平 朝阳 滨江 文化 新华 胜利 长江 迎宾 府前 工业 健康 学府"
)
ESTATE_WORDS = _words("阳光 锦绣 金色 翡翠 书香 和谐 幸福 滨江 龙城 碧水 丽景 御景 盛世 怡和")
CHINESE_NUMBERS = "一二三四五六七八九十"

# Where parents work away: (place, weight). Cities and provinces only, nothing finer.
DESTINATIONS: dict[str, float] = {
    "广东省东莞市": 10, "广东省深圳市": 10, "广东省广州市": 8, "广东省佛山市": 6,
    "广东省中山市": 4, "广东省惠州市": 3, "浙江省宁波市": 5, "浙江省杭州市": 4,
    "浙江省温州市": 3, "浙江省金华市": 3, "江苏省苏州市": 6, "江苏省无锡市": 3,
    "江苏省南京市": 2, "上海市": 6, "北京市": 4, "天津市": 1.5, "福建省泉州市": 3,
    "福建省厦门市": 2, "福建省福州市": 1.5, "新疆维吾尔自治区乌鲁木齐市": 1, "重庆市": 2,
    "四川省成都市": 2, "湖北省武汉市": 1.5, "湖南省长沙市": 1.5, "河南省郑州市": 1,
    "山东省青岛市": 1, "陕西省西安市": 1,
}  # fmt: skip

# Provinces (2-digit prefixes) most migrant families come from.
MIGRANT_SOURCE_PROVINCES = ("51", "41", "34", "43", "52", "36", "42", "45", "50", "53", "62")

CHILD_ILLNESSES = _words(
    "白血病 先天性心脏病 再生障碍性贫血 肾病综合征 血友病 恶性淋巴瘤 1型糖尿病 癫痫 "
    "苯丙酮尿症 地中海贫血 尿毒症 神经母细胞瘤"
)
HOBBIES = _words("画画 唱歌 跳舞 阅读 跳绳 篮球 足球 乒乓球 书法 手工 下棋 讲故事 跑步 羽毛球 轮滑")

# Mobile prefixes (13x, 15x, 18x).
PHONE_PREFIXES = tuple(
    [f"13{d}" for d in range(10)]
    + [f"15{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)]
    + [f"18{d}" for d in range(10)]
)
