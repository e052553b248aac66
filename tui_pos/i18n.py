"""The one catalogue of words a cashier reads, in English and zh-CN.

Text is written in English at the place it is used and looked up here; a missing
translation shows the English, never a key. Chinese words follow the shops' own
vocabulary (退款管理, 现金退款, 会员编号, 订单号, 退款金额, 退款单据 ...).
"""

from __future__ import annotations

import os
from typing import Mapping

_language = "en"


def resolve_language(setting: str, env: Mapping[str, str] | None = None) -> str:
    """'auto' means Chinese, except on the bare Linux console, which has no CJK glyphs."""
    env = os.environ if env is None else env
    if setting in ("zh", "zh-CN", "zh_CN"):
        return "zh"
    if setting == "en":
        return "en"
    return "en" if env.get("TERM", "") == "linux" else "zh"


def set_language(language: str) -> None:
    global _language
    _language = "zh" if language.startswith("zh") else "en"


def language() -> str:
    return _language


def tr(template: str, **params: object) -> str:
    text = ZH.get(template, template) if _language == "zh" else template
    return text.format(**params) if params else text


ZH: dict[str, str] = {
    # money and input
    "Enter an amount": "请输入金额",
    "The amount cannot be negative": "金额不能为负数",
    "At most two decimals (fen)": "金额最多两位小数（分）",
    "Not an amount: {text}": "不是有效金额：{text}",
    "Amount too large (max {max})": "金额过大（最多 {max}）",
    "The amount must be more than zero": "金额必须大于零",
    "Quantity must be a whole number from 1 to {max}": "数量必须是 1 到 {max} 的整数",
    "Not a quantity: {text}": "不是有效数量：{text}",
    "Unknown barcode: {code}": "未知条码：{code}",
    "Enter or scan a barcode": "请输入或扫描条码",
    "No such line": "没有这一行",
    "The basket is empty": "购物车为空",
    "Line price too large": "行金额过大",
    "Sale total too large": "整单金额过大",
    # tenders
    "Cash": "现金",
    "Card": "银行卡",
    "WeChat Pay": "微信支付",
    "Alipay": "支付宝",
    "Stored value": "储值卡",
    "Points": "积分",
    "Cash given is less than due ({due})": "收款不足（应收 {due}）",
    "Only cash can be more than what is due ({due})": "只有现金可以多收（应收 {due}）",
    "Attach a member to pay with stored value or points": "使用储值或积分前请先关联会员",
    "Stored value balance is {balance}, not enough": "储值余额 {balance}，不足",
    "Member has {points} points, not enough": "会员积分 {points}，不足",
    "Points pay whole points only ({cents} fen per point)": "积分须整分抵扣（每积分 {cents} 分）",
    "Not fully paid: {due} still due": "尚未付清：还差 {due}",
    "Nothing left to pay": "已付清",
    "Reference too long": "流水号过长",
    # staff
    "Wrong staff code or PIN": "工号或密码错误",
    "Staff code {code} is locked until {until}": "工号 {code} 已锁定至 {until}",
    "Your role may not {action}": "您的角色无权{action}",
    "PIN must be 4 to 8 digits": "密码须为 4 到 8 位数字",
    # members
    "No member matches {query}": "没有匹配 {query} 的会员",
    "Phone {phone} already belongs to member {card}": "手机号 {phone} 已属于会员 {card}",
    "Card no. {card} already exists": "会员编号 {card} 已存在",
    "Enter a name": "请输入姓名",
    "Phone must be 11 digits": "手机号须为 11 位数字",
    "Card no. must be 4 to 20 letters or digits": "会员编号须为 4 到 20 位字母或数字",
    # store
    "The database is busy (another till is writing); try again": "数据库繁忙（其他收银台正在写入），请重试",
    "Printer: {error}": "打印机：{error}",
}

ZH.update({
    # tickets
    "Sales receipt": "销售小票",
    "Order no.": "订单号",
    "Time": "时间",
    "Cashier": "收银员",
    "Items": "件数",
    "Subtotal": "小计",
    "Discount": "优惠",
    "Total": "合计",
    "Change": "找零",
    "Member": "会员",
    "Phone": "手机",
    "Points earned": "本次积分",
    "Keep this receipt for refunds": "退换货请凭此小票",
    "Thank you!": "谢谢惠顾！",
    "Unknown role: {role}": "未知角色：{role}",
    "Unknown member level: {level}": "未知会员等级：{level}",
})

ZH.update({
    "Printer offline: USB support (libusb) is missing": "打印机离线：缺少 USB 支持（libusb）",
    "Printer offline: no permission to open it": "打印机离线：没有打开权限",
    "Printer offline: not found - check the cable and power": "打印机离线：未找到，请检查连线和电源",
    "Printer offline: no answer - check cable, power and paper": "打印机离线：无响应，请检查连线、电源和纸张",
    "Printer offline: {error}": "打印机离线：{error}",
    "Unknown printer backend {name}": "未知打印机类型 {name}",
    "No ticket {ref}": "没有单据 {ref}",
})

ZH.update({
    # refunds (退款管理)
    "Quality problem": "质量问题",
    "Wrong item": "发错商品",
    "Changed mind": "不想要了",
    "Service problem": "服务问题",
    "Price error": "价格错误",
    "Other": "其他",
    "Back to stock": "退回库存",
    "Damaged": "残损",
    "Scrap": "报废",
    "Amount over your refund limit": "金额超出您的退款权限",
    "Outside the refund window": "超出退款期限",
    "No receipt": "无小票",
    "Amount lowered by the cashier": "收银员调低了金额",
    "Choose a refund reason": "请选择退款原因",
    "Choose how the money goes back": "请选择退款方式",
    "Choose at least one item to refund": "请至少选择一件退款商品",
    "Choose what happens to the goods": "请选择商品去向",
    "Only {left} of {name} left to refund": "{name} 仅剩 {left} 件可退",
    "{name}: {rule}": "{name}：{rule}",
    "Outside the refund window: {rule}": "超出退款期限：{rule}",
    "Outside the refund window: a supervisor must approve": "超出退款期限：需主管审批",
    "The refund cannot be more than {allowed}": "退款金额不能超过 {allowed}",
    "This is a training order: it cannot be refunded in live mode": "这是培训订单，正式模式下不能退款",
    "This is a live order: it cannot be refunded in training mode": "这是正式订单，培训模式下不能退款",
    "This order was voided": "该订单已作废",
    "This order is fully refunded": "该订单已全部退款",
    "Scan the receipt or type the order no.": "请扫描小票条码或输入订单号",
    "No order {no}": "没有订单 {no}",
    "No refund {no}": "没有退款单 {no}",
    "Stored value refunds need a member order": "退回储值需要会员订单",
    "A {role} must approve: {why}": "需要{role}审批：{why}",
    "Approval must come from someone else": "审批须由他人进行",
    "This order was refunded elsewhere meanwhile; review the amount again": "该订单刚在别处退过款，请重新核对金额",
    "This refund needs no approval; confirm it": "此退款无需审批，请直接确认",
    "Refund {no} is {status}, not waiting for approval": "退款单 {no} 状态为 {status}，不在待审批中",
    "Refund {no} is {status}, not paid": "退款单 {no} 状态为 {status}，尚未退款",
    "A rejection needs a reason": "驳回须填写原因",
    "cash handed over, customer signed": "现金已交付，顾客已签字",
    "cashier": "收银员",
    "supervisor": "主管",
    "manager": "店长",
    "Refunds within {days} days of the sale, with the receipt.": "凭小票，售出 {days} 天内可退款。",
    "{level} members: within {days} days.": "{level} 会员：{days} 天内可退。",
    "Later than that only with a supervisor's approval.": "超过期限须主管审批。",
    "Later than that: no refund.": "超过期限不予退款。",
    "Without the receipt: only with a {role}'s approval, and flagged.": "无小票退款须{role}审批，并作标记。",
    "Refunds to {tender} carry a fee of {pct}%.": "退回{tender}收取 {pct}% 手续费。",
    "{role} may refund up to {amount} without approval.": "{role}无需审批可退至 {amount}。",
    "{role} may refund any amount.": "{role}可退任意金额。",
    "Category {category}: {rule}": "{category}类：{rule}",
    # voucher (退款单据)
    "Refund voucher": "退款单据",
    "Customer copy": "顾客联",
    "Store copy": "存根联",
    "Refund no.": "退款单号",
    "Original order": "原订单号",
    "Sold": "购买时间",
    "Reason": "退款原因",
    "Fee": "手续费",
    "Points returned": "退回积分",
    "Points taken back": "扣回积分",
    "Refund amount": "退款金额",
    "Refund via": "退款方式",
    "To be refunded through the terminal/app": "请通过刷卡终端/支付App原路退回",
    "Approved by": "审批人",
    "Customer signature:": "顾客签字：",
})
