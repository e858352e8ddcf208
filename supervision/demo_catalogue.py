"""Demo power catalogue (权责清单) for ``yangguang seed --demo``.

TEMPLATES maps a department ``kind`` of demo_data to the administrative powers every department
of that kind holds (the city's, each district's, each town's, each village's).  The items, laws
and amounts follow real national laws and regulations as far as known; article numbers, local
limits and fee amounts are a demo's best effort, not a legal reference.

To keep the module short the templates are written with a few helpers: ``"；"`` separates the
parts of a text (a leading ``*`` marks an optional material); a procedure is written
``"环节:岗位:时限[=关键数据,关键数据]"`` (default key data by node name in _KEY_DATA); a risk
point is written ``"TYPE LEVEL 环节 描述｜防控措施"`` (``-`` for no node).  The helpers expand
them into plain dicts, see _t().  Pure data, standard library only.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from functools import partial

CATEGORIES: dict[str, str] = {
    "LICENSING": "行政许可",
    "PENALTY": "行政处罚",
    "COERCION": "行政强制",
    "LEVY": "行政征收",
    "BENEFIT": "行政给付",
    "INSPECTION": "行政检查",
    "CONFIRMATION": "行政确认",
    "REWARD": "行政奖励",
    "ADJUDICATION": "行政裁决",
    "OTHER": "其他",
}
RISK_TYPES: dict[str, str] = {
    "TIME": "时限",
    "PROCEDURE": "程序",
    "AUTHORITY": "权限",
    "QUANTITY": "数量",
    "QUALITY": "质量",
    "KEY": "重点",
    "SPECIAL": "特殊",
}
RISK_LEVELS: dict[str, str] = {"HIGH": "高", "MEDIUM": "中", "LOW": "低"}
DAY_UNITS: dict[str, str] = {"WORKING_DAY": "工作日", "CALENDAR_DAY": "自然日"}

_W = "WORKING_DAY"
_C = "CALENDAR_DAY"

# Default key data (关键数据) of a node, by node name.
_KEY_DATA: dict[str, list[str]] = {
    "受理": ["申请人名称", "受理通知书文号"],
    "受案": ["报案人", "受案登记表编号"],
    "登记": ["登记编号", "登记日期"],
    "审查": ["审查意见"],
    "审核": ["审核意见"],
    "技术审查": ["技术审查意见", "评审专家"],
    "现场核查": ["核查日期", "现场核查记录"],
    "现场勘查": ["勘查日期", "现场勘查记录"],
    "入户调查": ["调查日期", "家庭经济状况调查表"],
    "公示": ["公示起止日期", "公示结果"],
    "审批": ["审批意见", "审批日期"],
    "决定": ["决定文书号", "决定日期"],
    "登簿": ["不动产单元号", "登簿日期"],
    "发证": ["证书编号", "发证日期"],
    "送达": ["送达日期", "送达方式"],
    "发放": ["发放金额", "发放日期"],
    "兑现": ["奖励金额", "兑现日期"],
    "立案": ["案件来源", "立案审批表编号"],
    "调查取证": ["证据清单", "询问笔录编号"],
    "法制审核": ["法制审核意见"],
    "告知": ["告知书文号", "陈述申辩情况"],
    "处罚决定": ["处罚决定书文号", "罚款金额"],
    "送达执行": ["送达日期", "执行情况"],
    "检查准备": ["检查计划编号", "检查人员"],
    "实施检查": ["检查日期", "检查记录"],
    "结果处理": ["处理意见", "整改期限"],
    "核定": ["核定金额", "核定依据"],
    "征收决定": ["缴款通知书文号", "征收金额"],
    "缴库": ["缴款日期", "票据号码"],
    "催告": ["催告书文号", "催告日期"],
    "实施": ["现场笔录编号", "财物清单编号"],
    "解除": ["解除决定书文号", "解除日期"],
    "审理": ["审理意见"],
    "调解": ["调解笔录", "调解结果"],
    "答复": ["答复书文号", "答复日期"],
}


def _parts(text: str) -> list[str]:
    return [part.strip() for part in text.split("；") if part.strip()]


def _node(text: str) -> tuple[str, str, int, list[str]]:
    spec, _, keys = text.partition("=")
    name, post, limit = spec.split(":")
    return (name, post, int(limit), keys.split(",") if keys else list(_KEY_DATA[name]))


def _risk(text: str) -> tuple[str, str, str, str, str | None]:
    kind, level, node, rest = text.split(" ", 3)
    description, measure = rest.split("｜")
    return (kind, level, description, measure, None if node == "-" else node)


def _t(
    category: str,
    name: str,
    *,
    basis: str,
    nodes: str,
    limits: tuple[int, str, int, str],
    risks: list[str],
    conditions: str = "",
    materials: str = "",
    fees: list[tuple[str, str, str, str]] | None = None,
    discretion: list[tuple[str, str, str]] | None = None,
    on_the_spot: bool = False,
) -> dict:
    """One template as the plain dict demo.spec_from_template() reads."""
    legal_basis = []
    for part in _parts(basis):
        law, _, article = part.rpartition("》")
        legal_basis.append((law + "》", article))
    first = "".join(legal_basis[0])
    return {
        "name": name,
        "category": category,
        "legal_basis": legal_basis,
        "conditions": _parts(conditions),
        "materials": [(m.lstrip("*"), not m.startswith("*")) for m in _parts(materials)],
        "nodes": [_node(part) for part in _parts(nodes)],
        "fees": list(fees or ()),
        "statutory_limit": (limits[0], limits[1]),
        "promised_limit": (limits[2], limits[3]),
        "on_the_spot": on_the_spot,
        "risk_points": [_risk(r) for r in risks],
        "discretion": [(c, low, high, first) for c, low, high in discretion or ()],
    }


_lic = partial(_t, "LICENSING")
_pen = partial(_t, "PENALTY")
_coe = partial(_t, "COERCION")
_levy = partial(_t, "LEVY")
_ben = partial(_t, "BENEFIT")
_ins = partial(_t, "INSPECTION")
_con = partial(_t, "CONFIRMATION")
_rew = partial(_t, "REWARD")
_adj = partial(_t, "ADJUDICATION")
_oth = partial(_t, "OTHER")

# 行政处罚: statutory 90 days (行政处罚法第六十条), promised 60.
_P90 = (90, _C, 60, _C)


def _pflow(enforcer: str, reviewer: str, decider: str) -> str:
    """The 行政处罚 procedure (60 calendar days in all)."""
    review = "法制审核" if reviewer == "法制审核岗" else "审核"
    return (
        f"立案:{enforcer}:5；调查取证:{enforcer}:30；{review}:{reviewer}:5；告知:{enforcer}:8；"
        f"处罚决定:{decider}:5；送达执行:{enforcer}:7"
    )


# ---------------------------------------------------------------------------
# Shared risk points (廉政风险点库)
# ---------------------------------------------------------------------------

# 依申请事项
_ACCEPT = (
    "PROCEDURE MEDIUM 受理 对符合条件的申请不予受理，或未一次性告知需补正的全部内容"
    "｜实行一次性告知和首问负责，受理信息实时录入系统"
)
_MATERIALS = (
    "QUANTITY LOW 受理 擅自增加申请材料、证明事项或要求申请人重复提交"
    "｜公开办事指南，材料清单在系统中固化"
)
_REVIEW_AUTH = (
    "AUTHORITY HIGH 审查 对不符合法定条件的申请予以通过，或对符合条件的设置障碍"
    "｜实行审批与监管分离，审查要点清单化，法制审核"
)
_REVIEW_QUALITY = (
    "QUALITY MEDIUM 审查 审查把关不严，对申请材料的真实性、完整性审查流于形式"
    "｜落实审查要点清单，实行抽查复核和审查责任追溯"
)
_SITE = (
    "QUALITY MEDIUM 现场核查 现场核查走过场，核查记录与实际情况不符"
    "｜双人核查，现场照片和核查记录实时上传"
)
_SURVEY = (
    "QUALITY MEDIUM 现场勘查 现场勘查不到位，勘查结论与实际情况不符｜双人勘查，勘查影像资料随件归档"
)
_DECIDE_TIME = (
    "TIME MEDIUM 决定 超时限办理、不按承诺时限办结｜系统时限预警，临近到期黄灯提醒、超时红灯督办"
)
_DECIDE_KEY = (
    "KEY HIGH 决定 重大、复杂事项未经集体研究即作出决定｜重大事项集体审议，审议记录随卷归档"
)
_INTEREST = (
    "SPECIAL HIGH - 利用职权吃拿卡要，或与申请人存在利害关系未回避"
    "｜执行回避制度和廉政承诺，开展办件回访"
)
_FEE = (
    "QUANTITY MEDIUM - 超标准、超范围收费或收费不开具票据"
    "｜收费项目和标准公示，统一通过非税收入系统缴款"
)
# 行政处罚
_P_FILE = "TIME LOW 立案 发现违法线索后未按时限立案，或压案不查｜线索统一登记，超期未立案系统预警"
_P_EVIDENCE = (
    "QUALITY MEDIUM 调查取证 调查取证不全面，证据不足即认定违法事实"
    "｜执法全过程记录，证据材料随案上传"
)
_P_INTEREST = (
    "SPECIAL HIGH 调查取证 办案人员与当事人有利害关系未回避，或接受说情干预"
    "｜执行回避制度，干预、过问案件登记报告"
)
_P_NOTICE = (
    "PROCEDURE MEDIUM 告知 未履行告知程序，剥夺当事人陈述、申辩和听证权利"
    "｜统一格式文书，告知信息未录入不得流转"
)
_P_DISCRETION = (
    "AUTHORITY HIGH 处罚决定 不执行裁量基准，畸轻畸重或同案不同罚"
    "｜严格执行裁量基准，裁量理由在决定书中说明"
)
_P_COLLECTIVE = (
    "KEY HIGH 处罚决定 情节复杂或重大违法行为未经集体讨论决定"
    "｜落实重大执法决定法制审核和集体讨论制度"
)
_P_FINES = (
    "QUANTITY MEDIUM 送达执行 罚没款未足额收缴，或截留、坐收坐支｜罚缴分离，罚没款统一缴入国库"
)
_P_LATE = "TIME MEDIUM 处罚决定 超过法定期限作出处罚决定｜办案时限系统预警，超期自动亮灯督办"
# 行政检查
_I_RANDOM = (
    "PROCEDURE MEDIUM 检查准备 未按“双随机、一公开”要求抽取检查对象和执法人员"
    "｜抽查系统随机抽取，检查计划和结果统一公示"
)
_I_QUALITY = (
    "QUALITY MEDIUM 实施检查 检查不深入、不细致，检查记录不真实"
    "｜使用执法记录仪，检查表单化，记录全程留痕"
)
_I_FREQ = (
    "QUANTITY LOW 检查准备 重复检查、多头检查，随意增加检查频次"
    "｜年度检查计划备案，推行联合检查“进一次门、查多项事”"
)
_I_COVER = (
    "SPECIAL HIGH 结果处理 对检查发现的问题隐瞒不报、降格处理或包庇纵容"
    "｜检查结果公示，问题线索移送台账化管理"
)
_I_FOLLOW = "TIME LOW 结果处理 发现问题后未按时督促整改或移交查处｜整改时限系统跟踪，逾期自动提醒"
_I_KEY = "KEY MEDIUM 实施检查 对重点对象、高风险领域检查覆盖不足｜按信用风险分类确定抽查比例和频次"
# 行政给付
_B_CHECK = (
    "QUALITY HIGH 审核 对申请对象资格条件审核不实，为不符合条件人员办理待遇"
    "｜部门信息共享比对，审核人员签字负责、抽查复核"
)
_B_PUBLIC = (
    "PROCEDURE MEDIUM 公示 未按规定公示或公示期限不足｜公示情况系统留痕，公示期满无异议方可审批"
)
_B_MONEY = (
    "QUANTITY HIGH 发放 超标准、超范围发放，或截留、挪用、虚报冒领资金"
    "｜资金“一卡通”直接发放到人，定期比对核查"
)
_B_KIN = (
    "SPECIAL HIGH 审核 经办人员和村（居）干部近亲属享受待遇未备案｜近亲属享受待遇实行备案并单独审核"
)
_B_TIME = "TIME MEDIUM 审批 未在规定时限内完成审批和资金发放｜系统时限预警，超期督办"
# 行政征收
_V_AMOUNT = "QUANTITY HIGH 核定 擅自减免、缓征，或多征、少征｜征收标准公开，减免缓须集体研究并公示"
_V_AUTH = (
    "AUTHORITY HIGH 审核 超越权限减免或擅自扩大征收范围｜严格执行收费目录清单，减免事项按权限报批"
)
_V_PAY = (
    "PROCEDURE MEDIUM 缴库 不开具法定票据，或截留、挪用征收款｜收缴分离，统一通过非税收入系统缴库"
)
_V_TIME = "TIME LOW 征收决定 未按规定期限核定征收或送达缴款通知｜征收台账系统管理，到期预警"
# 行政确认
_C_FALSE = "QUALITY HIGH 审核 对虚假材料审核不严，错误确认或登记｜部门信息共享核验，确认结果可追溯"
_C_KEY = "KEY MEDIUM 决定 确认结论与事实不符，影响当事人重大权益｜确认结论复核，重大事项集体研究"
# 行政强制
_X_APPROVE = (
    "AUTHORITY HIGH 审批 未经负责人批准或超越职权实施行政强制"
    "｜实施前报负责人批准，情况紧急的二十四小时内补办"
)
_X_SCENE = (
    "PROCEDURE HIGH 实施 未通知当事人到场，或未制作现场笔录和财物清单"
    "｜执法记录仪全程记录，笔录和清单当场交付"
)
_X_TIME = "TIME MEDIUM 解除 超期限采取强制措施或不及时解除｜强制期限系统预警，到期自动提醒"
_X_GOODS = (
    "QUANTITY MEDIUM 实施 超范围查封、扣押，或损毁、调换、私分涉案财物｜涉案财物清单管理、统一保管"
)
# 行政奖励
_W_SECRET = "SPECIAL HIGH 受理 泄露举报人身份信息或举报内容｜举报人信息保密管理，专人专柜保存"
_W_MONEY = (
    "QUANTITY MEDIUM 兑现 超标准发放奖金，或向不符合条件的对象发放"
    "｜奖励标准公开，奖金通过银行转账直接支付"
)
_W_REVIEW = "KEY MEDIUM 审核 举报内容与查处结果的对应关系认定不严｜奖励审核集体研究，奖励结果公开"
# 行政裁决
_J_NEUTRAL = (
    "SPECIAL HIGH 审理 与争议一方存在利害关系未回避，偏袒一方当事人｜执行回避制度，审理过程记录在案"
)
_J_AUTH = "AUTHORITY HIGH 决定 超越职权或适用依据错误作出决定｜法制机构审核，重大案件集体讨论"
_J_TIME = "TIME MEDIUM 决定 未在法定期限内作出决定｜案件时限系统预警，延期须经负责人批准"

_FEE_2559 = (
    "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）"
)
_FEE_ID = (
    "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）"
)
