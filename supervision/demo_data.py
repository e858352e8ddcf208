"""Demo data for ``yangguang seed --demo``: a city shaped like the real Qingdao.

Pure data plus a deterministic village generator; standard library only.
"""

import random

CITY: tuple[str, str] = ("370200000000", "青岛市")

# 县级行政区划, real codes (GB/T 2260) padded to 12 digits.
DISTRICTS: list[tuple[str, str]] = [
    ("370202000000", "市南区"),
    ("370203000000", "市北区"),
    ("370211000000", "黄岛区"),
    ("370212000000", "崂山区"),
    ("370213000000", "李沧区"),
    ("370214000000", "城阳区"),
    ("370215000000", "即墨区"),
    ("370281000000", "胶州市"),
    ("370283000000", "平度市"),
    ("370285000000", "莱西市"),
]

# 乡级: every 街道 and 镇 of Qingdao with its real 统计用区划代码 (National Bureau of
# Statistics); 类似乡级单位 such as 开发区 are left out.  The one exception is
# 崂山风景区 (code generated, 4xx = 类似乡级单位): 崂山区 has only five 街道 and the
# demo needs at least six units per district.
TOWNS: dict[str, list[tuple[str, str]]] = {
    "370202000000": [  # 市南区
        ("370202001000", "香港中路街道"),
        ("370202002000", "八大峡街道"),
        ("370202004000", "云南路街道"),
        ("370202005000", "中山路街道"),
        ("370202007000", "江苏路街道"),
        ("370202009000", "八大关街道"),
        ("370202010000", "湛山街道"),
        ("370202011000", "金湖路街道"),
        ("370202012000", "八大湖街道"),
        ("370202013000", "金门路街道"),
        ("370202014000", "珠海路街道"),
    ],
    "370203000000": [  # 市北区
        ("370203005000", "辽宁路街道"),
        ("370203008000", "延安路街道"),
        ("370203011000", "登州路街道"),
        ("370203013000", "宁夏路街道"),
        ("370203014000", "敦化路街道"),
        ("370203015000", "辽源路街道"),
        ("370203016000", "合肥路街道"),
        ("370203019000", "大港街道"),
        ("370203020000", "即墨路街道"),
        ("370203021000", "台东街道"),
        ("370203022000", "镇江路街道"),
        ("370203025000", "浮山新区街道"),
        ("370203026000", "阜新路街道"),
        ("370203027000", "海伦路街道"),
        ("370203028000", "四方街道"),
        ("370203029000", "兴隆路街道"),
        ("370203030000", "水清沟街道"),
        ("370203031000", "洛阳路街道"),
        ("370203032000", "河西街道"),
        ("370203033000", "湖岛街道"),
        ("370203034000", "开平路街道"),
        ("370203035000", "双山街道"),
    ],
    "370211000000": [  # 黄岛区 (青岛西海岸新区)
        ("370211001000", "黄岛街道"),
        ("370211002000", "辛安街道"),
        ("370211003000", "薛家岛街道"),
        ("370211004000", "灵珠山街道"),
        ("370211005000", "长江路街道"),
        ("370211006000", "红石崖街道"),
        ("370211007000", "灵山卫街道"),
        ("370211009000", "珠海街道"),
        ("370211010000", "隐珠街道"),
        ("370211011000", "铁山街道"),
        ("370211012000", "滨海街道"),
        ("370211013000", "胶南街道"),
        ("370211014000", "王台街道"),
        ("370211015000", "张家楼街道"),
        ("370211102000", "琅琊镇"),
        ("370211103000", "泊里镇"),
        ("370211104000", "大场镇"),
        ("370211105000", "大村镇"),
        ("370211106000", "六汪镇"),
        ("370211107000", "海青镇"),
        ("370211108000", "宝山镇"),
        ("370211109000", "藏马镇"),
    ],
    "370212000000": [  # 崂山区
        ("370212001000", "中韩街道"),
        ("370212002000", "沙子口街道"),
        ("370212003000", "王哥庄街道"),
        ("370212004000", "北宅街道"),
        ("370212005000", "金家岭街道"),
        ("370212400000", "崂山风景区"),  # generated, see above
    ],
    "370213000000": [  # 李沧区
        ("370213001000", "振华路街道"),
        ("370213003000", "沧口街道"),
        ("370213004000", "兴华路街道"),
        ("370213005000", "兴城路街道"),
        ("370213006000", "李村街道"),
        ("370213007000", "虎山路街道"),
        ("370213008000", "浮山路街道"),
        ("370213010000", "湘潭路街道"),
        ("370213011000", "楼山街道"),
        ("370213012000", "九水街道"),
        ("370213013000", "世园街道"),
    ],
    "370214000000": [  # 城阳区
        ("370214001000", "城阳街道"),
        ("370214002000", "夏庄街道"),
        ("370214003000", "流亭街道"),
        ("370214004000", "棘洪滩街道"),
        ("370214005000", "上马街道"),
        ("370214008000", "惜福镇街道"),
        ("370214009000", "红岛街道"),
        ("370214010000", "河套街道"),
    ],
    "370215000000": [  # 即墨区
        ("370215001000", "环秀街道"),
        ("370215002000", "潮海街道"),
        ("370215003000", "通济街道"),
        ("370215004000", "北安街道"),
        ("370215005000", "龙山街道"),
        ("370215006000", "龙泉街道"),
        ("370215007000", "鳌山卫街道"),
        ("370215008000", "温泉街道"),
        ("370215009000", "灵山街道"),
        ("370215010000", "蓝村街道"),
        ("370215011000", "大信街道"),
        ("370215100000", "田横镇"),
        ("370215101000", "金口镇"),
        ("370215103000", "段泊岚镇"),
        ("370215104000", "移风店镇"),
    ],
    "370281000000": [  # 胶州市
        ("370281001000", "阜安街道"),
        ("370281002000", "中云街道"),
        ("370281004000", "三里河街道"),
        ("370281006000", "九龙街道"),
        ("370281007000", "胶东街道"),
        ("370281008000", "胶北街道"),
        ("370281009000", "胶西街道"),
        ("370281010000", "胶莱街道"),
        ("370281102000", "李哥庄镇"),
        ("370281105000", "铺集镇"),
        ("370281108000", "里岔镇"),
        ("370281111000", "洋河镇"),
    ],
    "370283000000": [  # 平度市
        ("370283001000", "东阁街道"),
        ("370283002000", "李园街道"),
        ("370283003000", "同和街道"),
        ("370283004000", "凤台街道"),
        ("370283005000", "白沙河街道"),
        ("370283101000", "古岘镇"),
        ("370283102000", "仁兆镇"),
        ("370283105000", "南村镇"),
        ("370283108000", "蓼兰镇"),
        ("370283109000", "崔家集镇"),
        ("370283110000", "明村镇"),
        ("370283113000", "田庄镇"),
        ("370283116000", "新河镇"),
        ("370283119000", "店子镇"),
        ("370283120000", "大泽山镇"),
        ("370283122000", "旧店镇"),
        ("370283124000", "云山镇"),
    ],
    "370285000000": [  # 莱西市
        ("370285001000", "水集街道"),
        ("370285002000", "望城街道"),
        ("370285007000", "沽河街道"),
        ("370285101000", "姜山镇"),
        ("370285102000", "夏格庄镇"),
        ("370285104000", "院上镇"),
        ("370285105000", "日庄镇"),
        ("370285106000", "南墅镇"),
        ("370285107000", "河头店镇"),
        ("370285108000", "店埠镇"),
        ("370285116000", "马连庄镇"),
    ],
}

# ---------------------------------------------------------------------------
# Villages / communities (村/社区), generated deterministically per town.
# ---------------------------------------------------------------------------

# Old urban districts: their 街道 have communities only.
_URBAN_CORE = ("370202", "370203", "370213")


def _words(text: str) -> list[str]:
    return text.split()


_COMMUNITY_ROOTS = _words(
    "金湖 海韵 福林 太平 观海 望海 明霞 云霄 长春 双峰 新华 嘉定 瑞昌 永安 同安 "
    "福安 康宁 仙游 昌乐 兴隆 华阳 鞍山 错埠 南岭 东山 西岭 银川 合江 伊春 延吉 "
    "青山 绿岛 金水 玉泉 锦绣 芙蓉 丽园 桃园 枣山 书院 文昌 虎山 海丽 海逸 新都 "
    "天泰 宁德 闽江 燕儿岛 东海 南京 峰山 金坛 百通 颐和 泰和 瑞和 景园 青峰 清江 "
    "松岭 汾阳 沧安 永平 永年 铜川 遵义 杭州 漳州 振兴 和平 安顺 龙城 凤山 华城 "
    "佳和 福康 海天 春和 明珠 丰和 鑫江 红旗 建设 幸福 惠民 康乐 文化 育才 翠湖"
)
_COMMUNITY_SUFFIXES = (
    "路", "路", "路", "花园", "苑", "新村", "里", "", "", "山庄", "家园", "东路",
)  # fmt: skip

# Jiaodong surnames that dominate village names (逄, 栾, 隋, 宫, 臧 are local).
_VILLAGE_SURNAMES = list(
    "王张李刘孙于杨陈赵高姜徐周马宋韩郭胡朱林董曲崔宫修臧隋逄栾毛孔吕解鞠纪兰范葛柳邵"
)
_VILLAGE_JIA_ENDINGS = list("庄疃夼泊沟洼屯埠岭寨营崖台河店")
_VILLAGE_KIN_ENDINGS = ("哥庄", "格庄", "戈庄", "家庄", "家疃", "家洼", "家夼")
_VILLAGE_PREFIXES = list("东西南北前后上下大小")
_VILLAGE_FEATURES = _words(
    "石河头 柳树沟 沙岭 河崖 古城 泉头 南坦 梨园 桃林 杏园 槐树底 大埠 官路 渔池 "
    "北岚 西岔河 南泊 松山后 石门 马蹄沟 龙泉 河套 沙埠 枣行 岭前 岚西头 山后 "
    "西城汇 东石 店集 北辛庄 新立 团结 红埠 后屯 前疃 铺上 院后 埠西 台上 马家沟"
)
# Take a mandatory direction prefix: 东小庄, 西官庄, 南庄头 ...
_VILLAGE_SHORT = _words("小庄 大庄 官庄 庄头 崖头 河崖 沟 岭 疃 洼 埠 屯 石桥 河头")


def _town_root(town_name: str) -> str:
    for suffix in ("街道", "镇"):
        if town_name.endswith(suffix):
            return town_name[: -len(suffix)]
    return town_name[:2]


def _village_name(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        base = rng.choice(_VILLAGE_SURNAMES) + "家" + rng.choice(_VILLAGE_JIA_ENDINGS)
    elif kind < 0.7:
        base = rng.choice(_VILLAGE_SURNAMES) + rng.choice(_VILLAGE_KIN_ENDINGS)
    elif kind < 0.85:
        return rng.choice(_VILLAGE_FEATURES)
    else:
        return rng.choice(_VILLAGE_PREFIXES[:8]) + rng.choice(_VILLAGE_SHORT)
    if rng.random() < 0.3:
        base = rng.choice(_VILLAGE_PREFIXES) + base
    return base


def villages(town_code: str, town_name: str) -> list[tuple[str, str]]:
    """Exactly 8 villages/communities for a town, deterministic per ``town_code``.

    Communities (社区居民委员会) are numbered 001.., villages (村民委员会) 201..;
    街道 get mostly communities (only communities in the old urban districts),
    镇 and other units mostly villages.  The first community bears the town's name.
    """
    rng = random.Random(town_code)
    if town_name.endswith("街道"):
        n_comm = 8 if town_code[:6] in _URBAN_CORE else rng.choice((5, 6, 7))
    elif town_name.endswith("镇"):
        n_comm = rng.choice((1, 2))
    else:
        n_comm = 1
    prefix = town_code[:9]
    seen: set[str] = set()
    result: list[tuple[str, str]] = []
    for i in range(8):
        is_comm = i < n_comm
        if i == 0:
            base = _town_root(town_name) + "社区"
        else:
            while True:
                if is_comm:
                    root = rng.choice(_COMMUNITY_ROOTS)
                    base = root + rng.choice(_COMMUNITY_SUFFIXES) + "社区"
                else:
                    root = base = _village_name(rng)
                if root not in seen and base not in seen:
                    break
            seen.add(root)
        seen.add(base)
        if is_comm:
            result.append((f"{prefix}{i + 1:03d}", base + "居民委员会"))
        else:
            result.append((f"{prefix}{201 + i - n_comm:03d}", base + "村民委员会"))
    return result


# ---------------------------------------------------------------------------
# Departments
# ---------------------------------------------------------------------------

# City level: the supervisory bodies first, then the 2019 机构改革 line-up of
# 市政府工作部门, then vertically managed and public-institution bodies.
CITY_DEPARTMENTS: list[tuple[str, str]] = [
    ("discipline", "中共青岛市纪律检查委员会(青岛市监察委员会)"),
    ("staffing", "中共青岛市委机构编制委员会办公室"),
    ("general_office", "青岛市人民政府办公厅"),
    ("development_reform", "青岛市发展和改革委员会"),
    ("education", "青岛市教育局"),
    ("science_technology", "青岛市科学技术局"),
    ("industry_it", "青岛市工业和信息化局"),
    ("ethnic_religious", "青岛市民族宗教事务局"),
    ("public_security", "青岛市公安局"),
    ("civil_affairs", "青岛市民政局"),
    ("justice", "青岛市司法局"),
    ("finance", "青岛市财政局"),
    ("human_resources", "青岛市人力资源和社会保障局"),
    ("natural_resources", "青岛市自然资源和规划局"),
    ("ecology_environment", "青岛市生态环境局"),
    ("housing", "青岛市住房和城乡建设局"),
    ("urban_management", "青岛市城市管理局"),
    ("transport", "青岛市交通运输局"),
    ("water", "青岛市水务管理局"),
    ("agriculture", "青岛市农业农村局"),
    ("ocean", "青岛市海洋发展局"),
    ("commerce", "青岛市商务局"),
    ("culture_tourism", "青岛市文化和旅游局"),
    ("health", "青岛市卫生健康委员会"),
    ("veterans", "青岛市退役军人事务局"),
    ("emergency", "青岛市应急管理局"),
    ("audit", "青岛市审计局"),
    ("state_assets", "青岛市人民政府国有资产监督管理委员会"),
    ("market_regulation", "青岛市市场监督管理局"),
    ("sports", "青岛市体育局"),
    ("statistics", "青岛市统计局"),
    ("medical_security", "青岛市医疗保障局"),
    ("landscape_forestry", "青岛市园林和林业局"),
    ("approval", "青岛市行政审批服务局"),
    ("private_economy", "青岛市民营经济发展局"),
    ("petitions", "青岛市信访局"),
    ("office_admin", "青岛市机关事务管理局"),
    ("civil_air_defense", "青岛市人民防空办公室"),
    ("taxation", "国家税务总局青岛市税务局"),
    ("fire_rescue", "青岛市消防救援支队"),
    ("archives", "青岛市档案馆"),
    ("housing_fund", "青岛市住房公积金管理中心"),
]

# District / county-level-city units; {d} is the district name ("市南区", "胶州市").
# Keys are a subset of the CITY_DEPARTMENTS keys (the city counterpart).
DISTRICT_DEPARTMENTS: list[tuple[str, str]] = [
    ("discipline", "{d}纪委监委"),
    ("staffing", "{d}委编办"),
    ("general_office", "{d}人民政府办公室"),
    ("development_reform", "{d}发展和改革局"),
    ("education", "{d}教育和体育局"),
    ("civil_affairs", "{d}民政局"),
    ("justice", "{d}司法局"),
    ("finance", "{d}财政局"),
    ("human_resources", "{d}人力资源和社会保障局"),
    ("housing", "{d}住房和城乡建设局"),
    ("urban_management", "{d}城市管理局"),
    ("transport", "{d}交通运输局"),
    ("agriculture", "{d}农业农村局"),
    ("commerce", "{d}商务局"),
    ("culture_tourism", "{d}文化和旅游局"),
    ("health", "{d}卫生健康局"),
    ("veterans", "{d}退役军人事务局"),
    ("emergency", "{d}应急管理局"),
    ("audit", "{d}审计局"),
    ("market_regulation", "{d}市场监督管理局"),
    ("statistics", "{d}统计局"),
    ("approval", "{d}行政审批服务局"),
    ("petitions", "{d}信访局"),
    ("fire_rescue", "{d}消防救援大队"),
]

# 镇/街道 offices; {t} is the town name ("湛山街道", "田横镇").
TOWN_DEPARTMENTS: list[tuple[str, str]] = [
    ("town_office", "{t}党政办公室"),
    ("town_affairs", "{t}便民服务中心"),
    ("town_planning", "{t}规划建设办公室"),
    ("town_social", "{t}社会事务办公室"),
    ("town_enforcement", "{t}综合行政执法中队"),
    ("town_discipline", "{t}纪(工)委"),
]

# 村/社区 bodies; {v} is the village name.  Only the bare "{v}" template takes the
# full committee name; for the others use village_department_name(), which strips
# the 居民委员会/村民委员会 suffix ("东小庄村民委员会" -> "东小庄村村务监督委员会",
# "香港花园社区居民委员会" -> "香港花园社区居务监督委员会").
VILLAGE_DEPARTMENTS: list[tuple[str, str]] = [
    ("village_committee", "{v}"),
    ("village_party", "中共{v}支部委员会"),
    ("village_supervision", "{v}村务监督委员会"),
]


def village_department_name(template: str, village_name: str) -> str:
    """Format a VILLAGE_DEPARTMENTS template for a village or community name."""
    if template == "{v}":
        return village_name
    if village_name.endswith("社区居民委员会"):
        short = village_name[: -len("居民委员会")]
        return template.format(v=short).replace("村务", "居务")
    if village_name.endswith("村民委员会"):
        return template.format(v=village_name[: -len("民委员会")])
    return template.format(v=village_name)


# ---------------------------------------------------------------------------
# Posts (岗位) by department key
# ---------------------------------------------------------------------------

_LEADERS = ["分管领导", "主要负责人"]

POSTS: dict[str, list[str]] = {
    "discipline": ["信访举报岗", "监督检查岗", "审查调查岗", "案件审理岗", "监察岗"]
    + ["主要负责人"],
    "staffing": ["机构编制审核岗", "编制实名制管理岗", "监督检查岗"] + _LEADERS,
    "general_office": ["文电处理岗", "督查督办岗", "政务公开岗"] + _LEADERS,
    "development_reform": ["项目受理岗", "项目审核岗", "价格监督检查岗"] + _LEADERS,
    "education": ["窗口受理岗", "办学许可审核岗", "教育督导岗"] + _LEADERS,
    "science_technology": ["项目受理岗", "项目评审岗", "资金监管岗"] + _LEADERS,
    "industry_it": ["项目受理岗", "技改项目审核岗", "资金审核岗"] + _LEADERS,
    "ethnic_religious": ["宗教事务审核岗", "民族事务岗"] + _LEADERS,
    "public_security": ["户政窗口岗", "治安管理岗", "执法办案岗", "法制审核岗"] + _LEADERS,
    "civil_affairs": ["窗口受理岗", "社会救助审核岗", "社会组织登记岗"] + _LEADERS,
    "justice": ["行政复议岗", "行政执法监督岗", "法律援助岗"] + _LEADERS,
    "finance": ["预算审核岗", "国库支付岗", "政府采购监管岗", "会计监督岗"] + _LEADERS,
    "human_resources": ["窗口受理岗", "社保待遇审核岗", "劳动保障监察岗"] + _LEADERS,
    "natural_resources": ["窗口受理岗", "规划审核岗", "现场勘查岗", "用地审批岗"] + _LEADERS,
    "ecology_environment": ["环评审批岗", "现场勘查岗", "执法岗", "法制审核岗"] + _LEADERS,
    "housing": ["窗口受理岗", "施工许可审核岗", "质量安全监督岗", "执法岗"] + _LEADERS,
    "urban_management": ["巡查岗", "执法岗", "法制审核岗"] + _LEADERS,
    "transport": ["窗口受理岗", "运输许可审核岗", "执法岗", "法制审核岗"] + _LEADERS,
    "water": ["取水许可审核岗", "现场勘查岗", "执法岗"] + _LEADERS,
    "agriculture": ["窗口受理岗", "惠农补贴审核岗", "执法岗"] + _LEADERS,
    "ocean": ["海域使用审核岗", "现场勘查岗", "执法岗"] + _LEADERS,
    "commerce": ["窗口受理岗", "审核岗", "市场运行监测岗"] + _LEADERS,
    "culture_tourism": ["窗口受理岗", "审核岗", "文化市场执法岗"] + _LEADERS,
    "health": ["窗口受理岗", "医疗机构审核岗", "卫生监督执法岗"] + _LEADERS,
    "veterans": ["优抚待遇审核岗", "移交安置岗"] + _LEADERS,
    "emergency": ["安全生产许可审核岗", "执法岗", "法制审核岗"] + _LEADERS,
    "audit": ["审计实施岗", "审计复核岗", "审理岗"] + _LEADERS,
    "state_assets": ["产权管理岗", "财务监管岗"] + _LEADERS,
    "market_regulation": ["窗口受理岗", "审核岗", "现场核查岗", "执法岗"]
    + ["法制审核岗", "分管领导"],
    "sports": ["审核岗", "体育市场监管岗"] + _LEADERS,
    "statistics": ["数据审核岗", "统计执法岗"] + _LEADERS,
    "medical_security": ["窗口受理岗", "医保待遇审核岗", "基金监管岗"] + _LEADERS,
    "landscape_forestry": ["窗口受理岗", "林木采伐审核岗", "现场勘查岗"] + _LEADERS,
    "approval": ["窗口受理岗", "审核岗", "审批(决定)岗", "现场勘查岗"] + _LEADERS,
    "private_economy": ["政策兑现审核岗", "企业服务岗"] + _LEADERS,
    "petitions": ["信访接待岗", "交办督办岗"] + _LEADERS,
    "office_admin": ["公务用车管理岗", "资产管理岗"] + _LEADERS,
    "civil_air_defense": ["人防工程审核岗", "执法岗"] + _LEADERS,
    "taxation": ["办税服务岗", "税收风险管理岗", "稽查岗"] + _LEADERS,
    "fire_rescue": ["消防审验岗", "防火监督岗", "法制审核岗"] + _LEADERS,
    "archives": ["档案接收岗", "档案利用岗"] + _LEADERS,
    "housing_fund": ["窗口受理岗", "贷款审核岗", "提取审核岗"] + _LEADERS,
    "town_office": ["文书岗", "督查督办岗"] + _LEADERS,
    "town_affairs": ["窗口受理岗", "代办员", "审核岗", "分管领导"],
    "town_planning": ["现场勘查岗", "审核岗"] + _LEADERS,
    "town_social": ["社会救助审核岗", "社会事务岗", "分管领导"],
    "town_enforcement": ["巡查岗", "执法岗", "法制审核岗", "中队长"],
    "town_discipline": ["纪检干事", "监察岗", "纪(工)委书记"],
    "village_committee": ["村(居)委会主任", "村(居)委会委员", "报账员", "网格员"],
    "village_party": ["党组织书记", "党组织副书记", "党组织委员"],
    "village_supervision": ["监委会主任", "监委会委员", "监督员"],
}

DEFAULT_POSTS: list[str] = [
    "窗口受理岗",
    "审核岗",
    "审批(决定)岗",
    "法制审核岗",
    "分管领导",
    "主要负责人",
]

# ---------------------------------------------------------------------------
# Officer names: surnames in rough Qingdao frequency order (most common first;
# 于, 姜, 孙, 高 rank higher in Jiaodong than nationally), then given-name chars.
# ---------------------------------------------------------------------------

SURNAMES: list[str] = list(
    "王张李刘孙于杨陈赵高姜徐周马吴黄郭宋韩胡朱林董梁郑崔曲宫修臧"
    "隋逄栾毛孔吕解鞠纪兰范葛邵薛袁曹冯许邱程田彭丁蒋唐谢沈魏任"
    "潘杜卢苏贾石付房邢辛管"
)

GIVEN_NAME_CHARS: list[str] = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉"
    "建国文波斌宇浩凯健俊帆帅旭宁龙林欣佳婷雪倩晨阳亮峰海东志鑫博"
    "飞涵琳颖晶慧琪瑞然轩雨梅丹蕾莉璐洁玲燕凤晓立新春成永庆德忠福"
    "生祥荣振金光家子思梓泽铭一嘉诗怡欢悦可心昊睿哲航毅坤诚彬源青"
    "岩松山川云晴彤萱妍蕊琦璇瑶"
)


def _check() -> None:
    """Assert the invariants the seeder relies on."""
    codes: set[str] = {CITY[0]}
    assert len(CITY[0]) == 12 and CITY[0].isdigit()
    assert len(DISTRICTS) == 10
    for d_code, _ in DISTRICTS:
        assert len(d_code) == 12 and d_code.isdigit() and d_code.endswith("000000")
        assert d_code[:4] == CITY[0][:4] and d_code not in codes
        codes.add(d_code)
    assert set(TOWNS) == {c for c, _ in DISTRICTS}
    for d_code, towns in TOWNS.items():
        assert len(towns) >= 6, d_code
        for t_code, t_name in towns:
            assert len(t_code) == 12 and t_code.isdigit(), t_code
            assert t_code[:6] == d_code[:6] and t_code.endswith("000"), t_code
            assert t_code not in codes, t_code
            codes.add(t_code)
            vs = villages(t_code, t_name)
            assert vs == villages(t_code, t_name)
            assert len(vs) == 8 and len({n for _, n in vs}) == 8, t_name
            for v_code, v_name in vs:
                assert len(v_code) == 12 and v_code.isdigit(), v_code
                assert v_code[:9] == t_code[:9] and v_code not in codes, v_code
                assert v_name.endswith(("社区居民委员会", "村民委员会")), v_name
                codes.add(v_code)
    assert len(CITY_DEPARTMENTS) >= 32
    city_keys = [k for k, _ in CITY_DEPARTMENTS]
    assert len(set(city_keys)) == len(city_keys)
    assert len({n for _, n in CITY_DEPARTMENTS}) == len(CITY_DEPARTMENTS)
    assert all(k.isascii() and k.isidentifier() for k in city_keys)
    assert len(DISTRICT_DEPARTMENTS) >= 20
    assert {k for k, _ in DISTRICT_DEPARTMENTS} <= set(city_keys)
    assert all("{d}" in t for _, t in DISTRICT_DEPARTMENTS)
    assert len(TOWN_DEPARTMENTS) >= 4 and all("{t}" in t for _, t in TOWN_DEPARTMENTS)
    assert len(VILLAGE_DEPARTMENTS) >= 2
    assert all("{v}" in t for _, t in VILLAGE_DEPARTMENTS)
    for lst in (DISTRICT_DEPARTMENTS, TOWN_DEPARTMENTS, VILLAGE_DEPARTMENTS):
        assert len({k for k, _ in lst}) == len(lst)
    all_keys = set(city_keys)
    for lst in (DISTRICT_DEPARTMENTS, TOWN_DEPARTMENTS, VILLAGE_DEPARTMENTS):
        all_keys |= {k for k, _ in lst}
    assert all_keys <= set(POSTS), all_keys - set(POSTS)
    for key, posts in POSTS.items():
        assert 3 <= len(posts) <= 6 and len(set(posts)) == len(posts), key
    assert 3 <= len(DEFAULT_POSTS) <= 6
    assert village_department_name("{v}村务监督委员会", "东小庄村民委员会") == (
        "东小庄村村务监督委员会"
    )
    assert village_department_name("{v}村务监督委员会", "香港花园社区居民委员会") == (
        "香港花园社区居务监督委员会"
    )
    for names, minimum in ((SURNAMES, 60), (GIVEN_NAME_CHARS, 120)):
        assert len(names) >= minimum and len(set(names)) == len(names)
        assert all(len(c) == 1 for c in names)


if __name__ == "__main__":
    _check()
    n_towns = sum(len(t) for t in TOWNS.values())
    print(
        f"ok: {len(DISTRICTS)} districts, {n_towns} towns, {n_towns * 8} villages, "
        f"{len(CITY_DEPARTMENTS)} city / {len(DISTRICT_DEPARTMENTS)} district / "
        f"{len(TOWN_DEPARTMENTS)} town / {len(VILLAGE_DEPARTMENTS)} village "
        f"department templates, {len(POSTS)} post lists, "
        f"{len(SURNAMES)} surnames, {len(GIVEN_NAME_CHARS)} given-name chars"
    )
