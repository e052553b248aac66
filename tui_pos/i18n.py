"""The one catalogue of words a cashier reads, in English and zh-CN.

Text is written in English at the place it is used and looked up here; a missing
translation shows the English, never a key. Chinese words follow the shops' own
vocabulary (退款管理, 现金退款, 会员编号, 订单号, 退款金额, 退款单据 ...).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

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


_console = False


def resolve_console(setting: str, env: Mapping[str, str] | None = None) -> bool:
    """Console mode: what the bare Linux console's font can draw (ASCII, Latin-1, box lines) and
    nothing else. 'auto' turns it on where that console is (TERM=linux); 'true'/'false' force it."""
    env = os.environ if env is None else env
    value = str(setting).strip().lower()
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0"):
        return False
    return env.get("TERM", "") == "linux"


def set_console(on: bool) -> None:
    """Console mode comes with the English UI (the console cannot draw Chinese)."""
    global _console
    _console = bool(on)
    if _console:
        set_language("en")


def console() -> bool:
    return _console


def tr(template: str, **params: object) -> str:
    text = ZH.get(template, template) if _language == "zh" else template
    return text.format(**params) if params else text


ZH: dict[str, str] = {
    # --- chain: head office's conflicts at the till (Ctrl+O, F12; services/conflicts.py) ---
    "Conflicts": "冲突",
    "Conflicts with head office": "与总部的冲突",
    "ID": "编号",
    "Resolve": "处理",
    "When": "时间",
    "Order/refund no.": "订单/退款单号",
    "Head office said": "总部说明",
    "Resolve conflict {id}: {kind} {no}, {amount}": "处理冲突 {id}：{kind} {no}，{amount}",
    "How it was resolved (e.g. refunded in cash at store 01)": "处理方式（例如：已在 01 店现金退款）",
    "Say how the conflict was resolved": "请写明处理方式",
    "resolve head office's conflicts": "处理总部冲突",
    "Head office cannot be reached: conflicts are resolved there; try again when the link is back": "总部无法连接：冲突须在总部联网时处理，请联网后再试",
    "No conflict {id} at this till: the list shows those of the last sync": "本机没有编号 {id} 的冲突：列表显示的是上次同步的冲突",
    "What head office refused of this store's uploads, as of the last sync: a refund above what was left, stored value the balance did not cover, a member another store has. Up and Down pick one; Enter or F9 resolves it with a note (a manager, with the link to head office up).": "上次同步时总部拒收的本店数据：超出可退数量的退款、余额不足的储值付款、其他门店已有的会员。上下键选择；回车或 F9 填写说明后处理（需店长，且总部联网）。",
    # --- chain: members everywhere (lookup at head office, online-only stored value and points, profile) ---
    "This till has no head office ([central] url is not set)": "本机未连接总部（未设置 [central] url）",
    "No member matches {query} at this store, and head office cannot be reached to look at the other stores: {cause}": "本店没有与 {query} 相符的会员，且总部无法连接，查不到其他门店的会员：{cause}",
    "No member matches {query} at any store of the chain": "所有门店都没有与 {query} 相符的会员",
    "Phone {phone} already belongs to member {card}, signed up at store {store}: find the member (F2) instead of signing them up again": "手机号 {phone} 已属于门店 {store} 登记的会员 {card}：请查找该会员（F2），不要重复登记",
    "Card no. {card} already belongs to a member of store {store}: give another card": "会员编号 {card} 已属于门店 {store} 的会员：请换一张卡",
    "Stored value and points need the link to head office: choose another tender": "储值和积分付款需要总部联网，请选其他付款方式",
    "Found at head office: pick one, Enter attaches": "在总部找到多位会员：请选择一位，回车关联",
    "every store": "全部门店",
    "this store": "本店",
    "Date": "日期",
    "Head office cannot be reached: only this store's purchases and refunds are shown": "总部无法连接：仅显示本店的购买和退款记录",
    "{no} is store {store}'s: its detail is kept there and at head office": "{no} 属于门店 {store}：明细保存在该店和总部",
    # scan payloads: a receipt's barcode (S01202612010001) scanned at checkout
    "{code} is an order no. (a receipt), not a product barcode": "{code} 是订单号（小票），不是商品条码",
    # --- chain: head office's answers to a store (central/refunds.py, central/members.py) ---
    "A refund takes at least one unit of a line": "退款每行至少退一件",
    "Head office has no such order: it may not have been uploaded yet": "总部没有该订单：可能尚未上传",
    "Order {order_no} cannot be refunded: it is not a completed sale": "订单 {order_no} 不能退款：不是已完成的销售",
    "A line picked for the refund is not in order {order_no}": "所选退货商品不在订单 {order_no} 中",
    "Only {left} of {name} in order {order_no} can still be refunded: the rest went back at a store already": "订单 {order_no} 的 {name} 只剩 {left} 件可退：其余已在门店退过",
    "An online debit takes some stored value or points": "联网扣款须有储值或积分",
    "Head office has no such member: look the member up again": "总部没有该会员：请重新查找会员",
    "{name}'s stored value is {balance} at head office: not enough for {amount}": "{name} 在总部的储值余额为 {balance}，不足 {amount}",
    "{name} has {points} points at head office: not enough for {wanted}": "{name} 在总部有 {points} 积分，不足 {wanted}",
    "Refund refused": "退款被拒",
    "Stored value refused": "储值变动被拒",
    "Points refused": "积分变动被拒",
    "Duplicate member": "重复会员",
    "Payment refused": "收付款被拒",
    "Sale refused": "销售被拒",
    "Copy of an unknown row": "外店数据副本不明",
    "Refund claim not settled": "退款预占未结清",
    "Online debit not settled": "联网扣款未结清",
    "Other refusal": "其他被拒",
    "Say who resolves the conflict (--by NAME)": "请写明处理人（--by 姓名）",
    "Say how the conflict was resolved (--note TEXT)": "请写明处理方式（--note 说明）",
    "No conflict {id} at head office: list them with tui-pos central conflicts": "总部没有编号 {id} 的冲突：用 tui-pos central conflicts 查看",
    "Conflict {id} was resolved already by {by}: {note}": "冲突 {id} 早已由 {by} 处理过：{note}",
    " (claim released: its units can be refunded again)": "（已释放预占：这些商品可以再退）",
    " (the debit was given back to the member)": "（扣款已退回会员）",
    "{points} points": "{points} 积分",
    "resolved by {by} at {at}: {note}": "已由 {by} 于 {at} 处理：{note}",
    "Give the conflict's number: tui-pos central conflicts resolve ID --by NAME --note TEXT": "请给出冲突编号：tui-pos central conflicts resolve 编号 --by 姓名 --note 说明",
    "Conflict {id} resolved by {by}: {note}": "冲突 {id} 已由 {by} 处理：{note}",
    "No store {code} has registered at head office": "总部没有已登记的门店 {code}",
    "No conflicts": "没有冲突",
    "No open conflicts: nothing was refused": "没有未处理的冲突：没有被拒的数据",
    "No.  Store  Kind  Order/refund/card no.  Amount  When  What head office said": "编号  门店  类别  订单/退款/卡号  金额  时间  总部说明",
    "{count} open; money in question {amount}; points {points}": "未处理 {count} 条；涉及金额 {amount}；积分 {points}",
    # --- chain: refunds across the chain (one authority per order) ---
    "This order is held by head office; the link is down: refund it when the link is back": "需要总部联网：该订单已上传",
    "This order is from store {code}; the link to head office is down": "该订单是 {code} 店的，与总部的连接已断开：联网后再退款",
    "Uploading this order to head office: try again in a moment": "该订单正在上传总部：请稍后再试",
    "sold at another store": "他店售出",
    "This refund was recorded already: find it in the refund list": "这笔退款已记录：请在退款列表中查看",
    "An order of any store of the chain can be refunded here: orders of other stores, and this store's orders once uploaded, through head office": "连锁各门店的订单都可在本店退款：其他门店的订单，以及本店已上传的订单，经总部办理",
    "With the link to head office down only this store's orders not uploaded yet can be refunded; the others wait until the link is back": "与总部断网时，只能退本店尚未上传的订单；其余订单等联网恢复后再退",
    # a store upgraded before head office
    "Head office at {where} runs an older tui-pos than this store ({error}): run `tui-pos central migrate` there; the queue waits, selling goes on": "总部 {where} 的 tui-pos 版本比本店旧（{error}）：请在总部运行 `tui-pos central migrate`；数据留在待传队列，收银照常",
    # the title bar at 80 columns with head office down and tickets waiting: fewest cells
    "HQ down {count}": "总部断开 {count}",
    "No printer: {count}": "无打印机：{count} 张",
    "Printer off: {count}": "打印机离线：{count} 张",
    # --- chain: head office's reports (tui-pos report ... --central [--store CODE]) ---
    "Head office figures, store {code} {name}": "总部数据：门店 {code} {name}",
    "Head office figures, every store ({count})": "总部数据：全部门店（{count} 家）",
    "A shift belongs to one store: add --store CODE": "班次属于某一家门店：请加上 --store 门店编号",
    "Head office knows no store {code}; its stores are: {known}": "总部没有门店 {code}；现有门店：{known}",
    "none yet": "暂无",
    "By store": "各门店",
    "Store": "门店",
    "Store name": "门店名称",
    "--store and --url ask for head office's figures: add --central": "--store 和 --url 用于查询总部数据：请加上 --central",
    "Shifts": "班次数",
    "Head office's reports need its URL: give --url postgresql://... or set [central] url": "总部报表需要总部地址：请用 --url postgresql://... 指定，或在配置 [central] url 中设置",
    # --- chain: head office (central) unreachable, and the `tui-pos central` commands ---
    "Head office cannot be reached at {where} (connection refused): selling goes on; the queue uploads when the link is back": "无法连接总部 {where}（连接被拒绝）：销售照常进行，连线恢复后自动上传待传数据",
    "Head office did not answer at {where} within {seconds} s: selling goes on; the queue uploads when the link is back": "总部 {where} 在 {seconds} 秒内没有响应：销售照常进行，连线恢复后自动上传待传数据",
    "Head office at {where} refused the password of {user}: check the user and password in [central] url": "总部 {where} 拒绝了用户 {user} 的密码：请检查 [central] url 中的用户名和密码",
    "Head office at {where} has no database {name}: check [central] url, or create it (createdb, then tui-pos central init)": "总部 {where} 没有数据库 {name}：请检查 [central] url，或先建库（createdb，再运行 tui-pos central init）",
    "Head office at {where} accepts only encrypted (TLS) connections: add sslmode=verify-full and sslrootcert=... to [central] url": "总部 {where} 只接受加密（TLS）连接：请在 [central] url 中加上 sslmode=verify-full 和 sslrootcert=...",
    "Head office at {where} does not offer TLS, but [central] url asks for it (sslmode)": "总部 {where} 不支持加密（TLS），但 [central] url 要求加密（sslmode）",
    "Head office's host name in {where} is unknown: check [central] url (selling goes on; the queue uploads when the link is back)": "找不到总部主机 {where}：请检查 [central] url（销售照常进行，连线恢复后自动上传待传数据）",
    "The link to head office at {where} broke during an upload: nothing of that batch was kept there, it is sent again when the link is back": "上传时与总部 {where} 的连接中断：这一批数据总部未保存，连线恢复后会重新上传",
    "Head office at {where} cannot be used: {detail}": "总部 {where} 无法使用：{detail}",
    "No head office URL: give --url postgresql://..., or set [central] url in the config": "没有总部地址：请给出 --url postgresql://...，或在配置文件中设置 [central] url",
    "Head office's tables are made (version {version})": "总部数据表已建好（版本 {version}）",
    "Head office's tables were already there; brought to version {version}": "总部数据表已存在；已更新到版本 {version}",
    "Head office's tables: version {old} -> {new}": "总部数据表：版本 {old} -> {new}",
    "No store has registered yet: a store registers at its first sync": "还没有门店登记：门店第一次同步时自动登记",
    "No.  Code  Name  Registered  Last seen  Clock off (s)": "编号  门店代码  名称  登记日期  最近联系  时钟偏差（秒）",
    "Change {seq} kept: the stores take it at their next sync": "已保存第 {seq} 条变更：各门店下次同步时生效",
    "Not a valid refund_policy.{key}: {error}": "refund_policy.{key} 的值无效：{error}",
    "{key} is not a [refund_policy] setting: one of {keys}": "{key} 不是 [refund_policy] 的设置项，可用：{keys}",
    "{field} must be a whole number of cents, not {value}": "{field} 必须是以分为单位的整数，而不是 {value}",
    "{field} is out of range: {value}": "{field} 超出范围：{value}",
    "{field} must be text, not {value}": "{field} 必须是文字，而不是 {value}",
    "{field} must be true or false, not {value}": "{field} 必须是 true 或 false，而不是 {value}",
    "Unknown kind of change {kind}: one of {kinds}": "未知的变更类型 {kind}，可用：{kinds}",
    "A {kind} change needs a key": "{kind} 变更需要指定对象",
    "A {kind} change has no {fields}": "{kind} 变更没有 {fields} 这些项",
    "The member price is above the price": "会员价高于零售价",
    "A level's discount is 0 to 10000 basis points, not {value}": "会员等级折扣须在 0 到 10000 个基点之间，而不是 {value}",
    "A policy change needs a value": "退款政策变更需要一个值",
    "Nothing to change": "没有要更改的内容",
    "Store {code} is number {no}; role {role} may upload and read its own rows only": "门店 {code} 的编号是 {no}；角色 {role} 只能上传和读取本门店的数据",
    # issue 22, the chain: the sync agent (title bar, tui-pos sync, doctor's head office line)
    "Head office at {where} stopped answering ({error}): selling goes on; the queue uploads when the link is back": (
        "总部 {where} 没有响应（{error}）：销售照常进行，连线恢复后自动上传待传数据"
    ),
    "Head office at {where} refused the upload ({error}): the queue waits; tell head office": (
        "总部 {where} 拒收上传的数据（{error}）：数据留在待传队列；请联系总部"
    ),
    "{n} min": "{n} 分钟",
    "{n} h": "{n} 小时",
    "{n} days": "{n} 天",
    "HQ linked": "总部已连接",
    "Another till uploads this store to head office; its first round is not done yet": (
        "本店由另一台收银机上传到总部；它的第一轮上传尚未完成"
    ),
    "HQ linked: {count} to send": "总部已连接：待上传 {count} 条",
    "HQ down": "总部断开",
    "HQ down: {count} to send, oldest {age}": "总部断开：待上传 {count} 条，最早 {age}前",
    "HQ down: {count} to send": "总部断开：待上传 {count} 条",
    ", clock off by {age}": "，时钟相差 {age}",
    "Uploaded {sent} changes ({new} new at head office); pulled {pulled} from head office": (
        "已上传 {sent} 条（总部新收 {new} 条）；从总部下载 {pulled} 条"
    ),
    "Store no. {number} at head office: {link}": "总部门店编号 {number}：{link}",
    "{count} changes wait to upload (oldest {age} ago)": "待上传 {count} 条（最早 {age}前）",
    "This machine's clock is {age} {way} head office's: set it right (timedatectl, NTP)": (
        "本机时钟比总部{way} {age}：请校准时钟（timedatectl、NTP）"
    ),
    "ahead of": "快",
    "behind": "慢",
    "Training mode never uploads to head office": "培训模式从不上传到总部",
    "No head office is set: give --url or set [central] url in the config": (
        "未设置总部：请用 --url 指定，或在配置文件 [central] 中设置 url"
    ),
    "products": "商品",
    "member levels": "会员等级",
    "refund policy": "退货政策",
    "other": "其他",
    "{count} to upload, oldest {age} ago": "待上传 {count} 条，最早 {age}前",
    "nothing to upload": "无待上传数据",
    "Head office: {cause} ({queue})": "总部：{cause}（{queue}）",
    "check the network and [central] url; `tui-pos sync --once` tries again": (
        "请检查网络和 [central] url；`tui-pos sync --once` 可立即重试"
    ),
    "Head office reachable ({queue}), but this clock is {age} off its clock": (
        "总部可连接（{queue}），但本机时钟与总部相差 {age}"
    ),
    "Head office reachable ({queue}), clocks {seconds} s apart": "总部可连接（{queue}），时钟相差 {seconds} 秒",
    # --- tui-pos staff: a new PIN asked again ---
    "The two PINs differ: type the new PIN again": "两次输入的密码不一致：请重新输入新密码",
    "No new PIN after three tries; nothing was changed": "三次都没有设好新密码；未做任何更改",
    # issue 21 part 1: codes that scan (the calibration page says how CODE128 is printed)
    "CODE128 too wide: QR instead": "条码过宽：改印二维码",
    "printer-drawn": "打印机绘制",
    "picture": "图片",
    "CODE128 {module} dots/module, {where}": "条码每模块{module}点，{where}",
    # issue 21 part 2: one Chinese mode per job, printable fallbacks, calibration page
    "Ruler: its last digit must end the line": "标尺：最后一个数字应正好在行尾",
    "(blank: font = gb2312)": "（空白:font=gb2312）",
    "Code page letters": "代码页字符",
    "Printer settings do not fit the printer: {error}": "打印机设置与打印机不符：{error}",
    "{name}: {chars} print as □ on this printer's GB2312 font": "{name}：{chars} 在本机 GB2312 字库中打印为 □",
    # restore and backups that hold up (issue 20, G)
    "The disk is full: free space, nothing was saved ({folder})": "磁盘已满：请先腾出空间，什么都没有保存（{folder}）",
    "{path} has schema {found}, which this tui-pos does not know (it knows 1 to {known})": (
        "{path} 的数据库版本是 {found}，本 tui-pos 不认识（认识 1 到 {known}）"
    ),
    "{path} is not a whole tui-pos database: it lacks {tables}": "{path} 不是完整的 tui-pos 数据库：缺少 {tables}",
    "The audit trail is broken at entry {id}: the copy was not kept; run tui-pos audit verify": (
        "审计记录在第 {id} 条断开：这份备份没有保留；请运行 tui-pos audit verify"
    ),
    "{path} is a training database: it cannot become the live shop": "{path} 是练习模式的数据库，不能恢复成正式营业的数据库",
    "{path} is the database of store {found}, not of this store {store}: add --other-store if that is meant": (
        "{path} 是门店 {found} 的数据库，不是本店 {store} 的：确实要恢复请加 --other-store"
    ),
    "Till {tills} has the database open: close it (Ctrl+Q), then restore again; nothing was changed": (
        "收银台 {tills} 正在使用数据库：请先退出它（Ctrl+Q），再恢复；什么都没有改动"
    ),
    "{path} is open in another program (a till or a report): close it, then restore again; nothing was changed": (
        "{path} 正被另一个程序使用（收银台或报表）：请先关闭它，再恢复；什么都没有改动"
    ),
    "The shop database was replaced while this till was open: nothing more can be saved here. Restart the till": (
        "本收银台运行期间数据库被替换了：这里再也保存不了任何记录。请重启收银台"
    ),
    "The shop database was removed while this till was open: nothing more can be saved here. Restart the till": (
        "本收银台运行期间数据库被删除了：这里再也保存不了任何记录。请重启收银台"
    ),
    "The shop database was replaced while this till was open (a restore?)": "本收银台运行期间数据库被替换了（有人恢复了备份？）",
    "The shop database was removed while this till was open": "本收银台运行期间数据库被删除了",
    "This till cannot sell any more: nothing more is saved. Restart the till, then log in again.": (
        "本收银台不能再收银：之后的记录都不会保存。请重启收银台，再重新登录。"
    ),
    "Close the till": "关闭收银台",
    "Restored {file}; the damaged database is kept aside as {kept}": "已恢复 {file}；损坏的数据库另存为 {kept}",
    "Restored {file}": "已恢复 {file}",
    "Copied to {path}": "已另外复制到 {path}",
    "The second copy (copy_to) failed: {error}; the backup above is kept": "第二份备份（copy_to）失败：{error}；上面的备份已保留",
    "Shift closed; backup in {path}, but its second copy failed: {error}. Enter: log out": (
        "已交班；备份在 {path}，但第二份备份失败：{error}。回车：退出登录"
    ),
    # the audit trail's key and anchors; faults with their true cause (issue 20, I)
    "Audit trail": "审计",
    "the Z report of shift {no}": "第 {no} 班的 Z 报表",
    "an X report of shift {no}": "第 {no} 班的一张 X 报表",
    "backup {name}": "备份 {name}",
    "the anchor given": "给出的锚点",
    "the anchor {anchor}": "锚点 {anchor}",
    "The audit trail was cut: {source} showed {count} entries, it now has {left}": (
        "审计记录被截断：{source}上是 {count} 条，现在只有 {left} 条"
    ),
    "The audit trail was renumbered: entry {count} of {source} is now entry {now}": (
        "审计记录被重新编号：{source}上的第 {count} 条现在是第 {now} 条"
    ),
    "The audit trail was renumbered: entry {id} stands where entry {position} should be": (
        "审计记录被重新编号：第 {position} 条的位置上是第 {id} 条"
    ),
    "The audit trail was rewritten and re-hashed: entry {count} does not match {source}": (
        "审计记录被改写并重新计算了哈希：第 {count} 条与{source}不符"
    ),
    "Audit entry {id} was changed and re-hashed without the shop's audit key": (
        "第 {id} 条审计记录被修改，并在没有本店审计密钥的情况下重新计算了哈希"
    ),
    "{text} is not an anchor: give the count and hash a report printed, like 1234:9f3a1c2e": (
        "{text} 不是锚点：请填报表上打印的条数和哈希，例如 1234:9f3a1c2e"
    ),
    "Audit trail intact: {count} entries, head {hash}": "审计记录完整：共 {count} 条，最新哈希 {hash}",
    "The audit key {path} is missing: keyed entries cannot be checked without it": (
        "审计密钥 {path} 不见了：没有它无法核对加密钥的记录"
    ),
    "No shop database at {path}: check --db, or create a shop with `tui-pos init`": (
        "{path} 没有店铺数据库：请检查 --db，或用 `tui-pos init` 建店"
    ),
    "The disk is full: free space, then Enter to retry; nothing was saved": "磁盘已满：请先腾出空间，再按回车重试；这次什么都没有保存",
    "The database {path} or its folder cannot be written (read-only): give the till's user write access, "
    "then Enter to retry; nothing was saved": (
        "数据库 {path} 或其文件夹不能写入（只读）：请给收银机的用户写权限，再按回车重试；这次什么都没有保存"
    ),
    "{path} is not a tui-pos database or is damaged: restore a backup with `tui-pos restore`": (
        "{path} 不是 tui-pos 数据库或已损坏：请用 `tui-pos restore` 恢复备份"
    ),
    "The disk failed writing {path}: check it, then Enter to retry; nothing was saved": (
        "写入 {path} 时磁盘出错：请检查磁盘，再按回车重试；这次什么都没有保存"
    ),
    # who may import, back up and restore; private folders and exports (issue 20, H)
    "import products": "导入商品",
    "import members": "导入会员",
    "import members' points and stored value": "导入会员积分和储值余额",
    "back up the database": "备份数据库",
    "restore a backup": "恢复备份",
    "Give --pin, the PIN on stdin, or run in a terminal to be asked for it": "请给出 --pin，或从标准输入给出密码，或在终端中运行以便输入密码",
    "{path} cannot be opened ({error}); restoring without a sign-in": "{path} 无法打开（{error}）；不经登录直接恢复",
    "Your staff code": "您的工号",
    "Your PIN": "您的密码",
    "{path} belongs to another user (uid {owner}), who can change the shop's data; run the till as that user, or fix it with: {fix}": "{path} 属于其他用户（uid {owner}），该用户可以改动店铺数据；请以该用户运行收银机，或用此命令修正：{fix}",
    "{path} can be changed by other users of this computer (mode {mode}); fix it with: {fix}": "{path} 本机其他用户也能修改（权限 {mode}）；请用此命令修正：{fix}",
    "Data folder {path} is open to other users (mode {mode}; 0o700 expected)": "数据文件夹 {path} 对其他用户开放（权限 {mode}，应为 0o700）",
    "{path} belongs to another user (uid {owner})": "{path} 属于其他用户（uid {owner}）",
    "run the till as that user, or: sudo chown {user} {path}": "请以该用户运行收银机，或执行：sudo chown {user} {path}",
    "{path} can be changed by its group (mode {mode})": "{path} 同组用户也能修改（权限 {mode}）",
    # cumulative refund limits, dual control, staff-code hygiene, refund no. where an order no. goes (issue 19, F)
    "The limits count every refund of one order together, and each person's refunds of a shift.": "审批额度按同一订单的全部退款累计，并按每人每班次的退款累计。",
    "The limits count every refund of one order together.": "审批额度按同一订单的全部退款累计计算。",
    "Above {amount} nobody approves their own refund: a second person enters their code and PIN.": "超过 {amount} 的退款不能自己审批：须由另一人输入工号和密码。",
    "Above {amount} nobody approves their own refund: another {role} enters their code and PIN ({why})": "超过 {amount} 的退款不能自己审批：须由另一位{role}输入工号和密码（{why}）",
    "Above {amount} nobody approves their own refund: another {role} must approve it": "超过 {amount} 的退款不能自己审批：须由另一位{role}审批",
    "Above {amount} nobody approves their own refund: another {role} enters their code and PIN": "超过 {amount} 的退款不能自己审批：须由另一位{role}输入工号和密码",
    "{why}: {amount} with the {before} refunded before": "{why}：连同此前已退的 {before}，共 {amount}",
    "{count} refunds of order {no} by {code}, {amount} in all": "{code} 对订单 {no} 退款 {count} 次，共 {amount}",
    "One order, several refunds": "同一订单多次退款",
    "Own refund": "自审退款",
    "Shift {no} is not yours: a cashier sees only their own shift's report": "班次 {no} 不是您的：收银员只能查看自己班次的报表",
    "{no} is a refund no., not an order no.: find it in the refund list": "{no} 是退款单号，不是订单号：请在退款记录中查找",
    "{code} is a refund no., not a product barcode": "{code} 是退款单号，不是商品条码",
    # refund tenders and spent points by policy: [refund_policy] tenders, tender_order, spent_points (issue 19)
    "Money paid by {paid} goes back by {ways} only": "{paid}支付的金额只能退回到：{ways}",
    "Points paid with go back as points, never as cash.": "积分抵扣的部分退回积分，不退现金。",
    "Paid by {paid}: back by {tender}.": "{paid}付款：退回{tender}。",
    "Or by {others}.": "也可退到{others}。",
    "Cash only with a supervisor's approval, and flagged.": "退现金须主管审批，并作标记。",
    "A sale paid several ways is refunded in this order: {order}.": "组合支付按此顺序退：{order}。",
    "Earned points the member already spent: their value comes off the money refunded.": "会员已用掉的本单赠送积分：按积分价值从退款金额中抵扣。",
    "Earned points the member already spent: taken back below zero; later points pay it back.": "会员已用掉的本单赠送积分：照扣，积分可为负数，以后获得的积分先抵还。",
    "Earned points the member already spent: not taken back; the refund is flagged.": "会员已用掉的本单赠送积分：不再追回，该退款列入异常提示。",
    "Cash for non-cash": "非现金付款退现金",
    "Spent points forgiven": "已用积分免扣",
    "Cash back for money not paid in cash": "非现金付款改退现金",
    "{no} by {code}: {amount} in cash for money not paid in cash": "{no}（{code}）：非现金付款退现金 {amount}",
    "{no} by {code}: {points} earned points already spent, forgiven": "{no}（{code}）：已用积分 {points} 免扣",
    "Credit {amount} to the member's stored value": "退回会员储值 {amount}",
    "Paid by {paid}: {amount} back by {tender}": "{paid}付款 {amount}：退回{tender}",
    "Points already spent": "已用积分抵扣",
    "Points already spent, forgiven": "已用积分免扣",
    "Points already spent, forgiven: {points} (flagged)": "已用积分免扣：{points}（列入异常提示）",
    "Points go below zero by {points}; later points pay it back": "积分将为负 {points}，以后获得的积分先抵还",
    "The policy sends this money back only the way it was paid": "按退款政策，这笔钱只能原路退回",
    "Then press F9: customer signed": "然后按 F9：顾客已签字",
    "Credited to the member's stored value": "已退回会员储值",
    "The amount is what the policy allows; you may lower it (a supervisor then approves), never raise it. "
    "Money goes back the way it was paid, as the policy (F2) says; Ctrl+T picks another way the policy allows "
    "for all of it (cash for money not paid in cash needs a supervisor).": "金额为退款政策允许的上限；可以调低（需主管审批），不能调高。按政策（F2）原路退回；Ctrl+T 可改为政策允许的其他方式（非现金付款改退现金须主管审批）。",
    # staff management: tui-pos staff, the manager's staff screen, PIN change after a reset (issue 18)
    "A new PIN needs at least {count} digits": "新密码至少需要 {count} 位数字",
    "PIN too easy to guess (one digit repeated or a run like 1234); choose another": "密码太容易被猜到（同一数字重复或 1234 这样的连号），请另选一个",
    "A manager's refund limit is set in the config, not per person": "店长的退款限额在配置文件中设置，不能按人设置",
    "A {role}'s refund limit can be at most {amount} (the {above}'s limit)": "{role}的退款限额最多为 {amount}（{above}的限额）",
    "The PIN of {code} was reset; they must log in and choose a new one first": "{code} 的密码已被重置；须先登录并设置新密码",
    "No staff member with code {code}": "没有工号为 {code} 的员工",
    "Nothing to change for {code}": "{code} 没有需要更改的内容",
    "{code} is the last active manager: make someone else a manager first": "{code} 是最后一位在职店长：请先把另一位员工设为店长",
    "Staff code {code} is already taken by {name}": "工号 {code} 已被 {name} 使用",
    "Staff code {code} belongs to {name}, who is disabled: enable them, or choose another code": "工号 {code} 属于已停用的 {name}：请重新启用，或另选工号",
    "{code} is already disabled": "{code} 已经停用",
    "{code} is already active": "{code} 已经是启用状态",
    "{code} is already a {role}": "{code} 已经是{role}",
    "The new PIN must differ from the old one": "新密码不能与旧密码相同",
    "Your PIN was reset: log in at the till and choose a new one first": "您的密码已被重置：请先在收银机上登录并设置新密码",
    "PIN of {code}: ": "{code} 的密码：",
    "New PIN for {code} (4 to 8 digits): ": "{code} 的新密码（4 到 8 位数字）：",
    "New PIN again: ": "再次输入新密码：",
    "The two PINs differ; nothing was changed": "两次输入的密码不一致；未做任何更改",
    "staff: the answers ended early; give --pin (and --new-pin) or one line for each": "staff：回答提前结束；请提供 --pin（和 --new-pin），或每项一行",
    "any amount": "不限金额",
    "Active": "启用",
    "Disabled": "已停用",
    "Locked": "已锁定",
    "New PIN due": "待改密码",
    "Role": "角色",
    "Refund limit": "退款限额",
    "* a limit set for this person; the others have their role's": "* 为此人单独设置的限额；其他人按角色限额",
    "{staff} added as {role}; they log in with the PIN you gave": "已添加{role} {staff}；用您设定的密码登录",
    "{staff} can no longer log in": "{staff} 已停用，不能再登录",
    "{staff} can log in again": "{staff} 已重新启用，可以登录",
    "PIN of {staff} reset; they choose a new one at their next log in": "{staff} 的密码已重置；下次登录时须设置新密码",
    "{staff} is now a {role}": "{staff} 现在是{role}",
    "{code} is now called {name} / {name_en}": "{code} 的姓名已改为 {name} / {name_en}",
    "{staff} may refund up to {amount} without approval": "{staff} 无需审批可退款至 {amount}",
    "Staff": "员工管理",
    "Everyone who may log in at this shop. Up and Down pick a person. F2 adds staff; F4 changes a role; F5 disables or enables; F6 gives a new PIN, to be changed at their next log in (it also unlocks); F7 changes names; F8 sets what they may refund without approval (* = set for that person).": "本店可登录的所有员工。上下键选择员工。F2 添加员工；F4 更改角色；F5 停用或启用；F6 重置密码，下次登录时须修改（同时解除锁定）；F7 修改姓名；F8 设置无需审批的退款限额（* = 为此人单独设置）。",
    "Add staff": "添加员工",
    "Disable/enable": "停用/启用",
    "Reset PIN": "重置密码",
    "Names": "姓名",
    "{staff} added; they log in with the PIN you gave": "已添加 {staff}；用您设定的密码登录",
    "Disable {staff}?": "停用 {staff}？",
    "They can no longer log in; their sales and refunds stay theirs.": "停用后不能再登录；其销售和退款记录保持不变。",
    "New PIN for {staff}": "{staff} 的新密码",
    "Tell them this PIN; they choose their own at their next log in.": "请把此密码告诉本人；下次登录时由本人设置新密码。",
    "Role of {staff}": "{staff} 的角色",
    "A refund limit set for this person is dropped with the old role.": "为此人单独设置的退款限额随旧角色一并取消。",
    "{staff}: role changed": "{staff}：角色已更改",
    "Names of {code}": "{code} 的姓名",
    "{staff}: names changed": "{staff}：姓名已更改",
    "Refund limit of {staff}": "{staff} 的退款限额",
    "What they may refund without approval, in yuan; empty = their role's limit.": "无需审批可退的金额（元）；留空 = 按角色限额。",
    "{staff}: refund limit changed": "{staff}：退款限额已更改",
    "English name": "英文名",
    "New PIN": "新密码",
    "PIN again": "再次输入密码",
    "empty = the role's": "留空 = 按角色",
    "Next / Save": "下一项 / 保存",
    "The two PINs differ; type the new PIN twice": "两次输入的密码不一致；请把新密码输入两次",
    "Your PIN was reset: choose a new one": "您的密码已被重置：请设置新密码",
    "{count} to 8 digits; not one digit repeated or a run like 1234.": "{count} 到 8 位数字；不能是同一数字重复或 1234 这样的连号。",
    "{count} to 8 digits.": "{count} 到 8 位数字。",
    "Choose a new PIN to log in": "请设置新密码后登录",
    # issue 17 leftovers: policy page, error dialog in words
    "{rule} (categories: {categories})": "{rule}（适用品类：{categories}）",
    "Details: {details}": "详情：{details}",
    "The shop database is busy: another till or a backup is using it.": "门店数据库正忙：另一台收银机或备份正在使用。",
    "Wait a few seconds, then try again.": "请稍等几秒后重试。",
    "The till could not read or write its database.": "收银机无法读写数据库。",
    "Try again; if it happens again, call the manager (the disk may be full or damaged).": (
        "请重试；如果再次出现，请联系店长（磁盘可能已满或损坏）。"
    ),
    "The till could not read or write a file or a device (disk, printer port).": (
        "收银机无法读写文件或设备（磁盘、打印机端口）。"
    ),
    "Check the disk and the cables, then try again; if it happens again, call the manager.": (
        "请检查磁盘和连线后重试；如果再次出现，请联系店长。"
    ),
    "The till ran out of memory.": "收银机内存不足。",
    "Finish this sale, then restart the till.": "请完成这笔交易后重启收银机。",
    "The till hit a fault it did not expect.": "收银机遇到了意外故障。",
    "Try again; if it happens again, call the manager.": "请重试；如果再次出现，请联系店长。",
    "New points": "本次积分",
    # tui-pos setup and init: the guided first run (issue 18)
    "{question} [{default}]: ": "{question} [{default}]：",
    "{question}: ": "{question}：",
    "No answer to '{question}': give {flag}": "“{question}”没有回答：请给出 {flag}",
    "setup: {error}": "setup：{error}",
    "init: {error}": "init：{error}",
    "setup sets up the live till; run it without --training": "setup 设置的是正式收银台，请不带 --training 运行",
    "Store name, as on the receipt": "门店名称（印在小票上）",
    "Its English form, for the English screens and the Linux console (Enter: none)": "英文名称，用于英文界面和 Linux 控制台（回车：不填）",
    "Store code": "门店编号",
    "Till code (each till sharing the database needs its own)": "收银台编号（共用一个数据库的每台收银机各不相同）",
    "Language: zh, en or auto (Chinese; English on the Linux console)": "界面语言：zh、en 或 auto（中文；在 Linux 控制台上用英文）",
    "Staff code of the first manager": "第一位店长的工号",
    "Name of the manager": "店长姓名",
    "PIN (4 to 8 digits)": "密码（4 到 8 位数字）",
    "Type the PIN again": "再次输入密码",
    "The two PINs differ; type the PIN again": "两次输入的密码不一致，请重新输入",
    "This shop has its staff already: `tui-pos staff` adds and changes them": "本店已有员工：用 `tui-pos staff` 添加和修改员工",
    "No shop in {path} yet: run `tui-pos setup` first": "{path} 中还没有门店：请先运行 `tui-pos setup`",
    "Settings saved in {path}": "设置已保存到 {path}",
    "Enter the store's name: it heads every receipt": "请输入门店名称：它印在每张小票的抬头",
    "A name has at most {limit} characters": "名称最多 {limit} 个字",
    "The English name is shown on the Linux console: use Latin letters, digits and spaces": "英文名称显示在 Linux 控制台上：请只用英文字母、数字和空格",
    "A store code is 1 to 8 letters or digits, e.g. 01": "门店编号为 1 到 8 位字母或数字，例如 01",
    "A till code is 1 to 8 letters or digits, e.g. 01 or 02": "收银台编号为 1 到 8 位字母或数字，例如 01 或 02",
    "Type zh (Chinese), en (English) or auto (Chinese, English on the Linux console)": "请输入 zh（中文）、en（英文）或 auto（中文，在 Linux 控制台上用英文）",
    "Type y (yes) or n (no)": "请输入 y（是）或 n（否）",
    "Type the paper width: 58 or 80 (mm)": "请输入纸宽：58 或 80（毫米）",
    "Printers found:": "找到的打印机：",
    "No printer found on USB or /dev/usb/lp*.": "USB 和 /dev/usb/lp* 上都没有找到打印机。",
    "USB devices cannot be listed: {error}": "无法列出 USB 设备：{error}",
    "Or type usb:VVVV:PPPP, device:/dev/usb/lp0, network:ADDRESS:9100, or none (no printer yet)": "或输入 usb:VVVV:PPPP、device:/dev/usb/lp0、network:地址:9100，或 none（暂无打印机）",
    "Printer": "小票打印机",
    "Type the number of a printer above, or usb:VVVV:PPPP, device:/dev/usb/lp0, network:ADDRESS:9100 or none": "请输入上面打印机的序号，或 usb:VVVV:PPPP、device:/dev/usb/lp0、network:地址:9100、none",
    "A USB printer is usb: and its two ids from `tui-pos printer list`, e.g. usb:0416:5011": "USB 打印机写作 usb: 加 `tui-pos printer list` 显示的两个编号，例如 usb:0416:5011",
    "Give the full path, e.g. device:/dev/usb/lp0": "请写完整路径，例如 device:/dev/usb/lp0",
    "A network printer is network:ADDRESS:PORT, e.g. network:192.168.1.50:9100": "网络打印机写作 network:地址:端口，例如 network:192.168.1.50:9100",
    "Nothing at {path}: is the printer plugged in and switched on? `tui-pos printer list` shows what this PC sees": "{path} 不存在：打印机插好并开机了吗？`tui-pos printer list` 可查看本机识别到的设备",
    "No folder {path}": "没有文件夹 {path}",
    "No printer yet: tickets wait in the print queue; run `tui-pos setup printer` when it is here.": "暂无打印机：小票留在打印队列中；打印机到了以后运行 `tui-pos setup printer`。",
    "Paper width in mm, 58 or 80": "纸宽（毫米），58 或 80",
    "Printer profile (default; a cheap 58 mm printer may need simple or POS-5890)": "打印机型号配置（default；便宜的 58 毫米打印机可能要用 simple 或 POS-5890）",
    "Unknown printer profile {name}: try default, or simple, POS-5890 or ZJ-5870 for a cheap 58 mm printer": "未知的打印机型号配置 {name}：请试 default，便宜的 58 毫米打印机试 simple、POS-5890 或 ZJ-5870",
    "Printing a test page and opening the cash drawer ...": "正在打印测试页并打开钱箱……",
    "Did the page come out right (Chinese readable, barcode, QR code, cut)? y/n": "测试页打印正常吗（中文清楚、有条码和二维码、已切纸）？y/n",
    "Did the cash drawer open? y/n (Enter: this till has no drawer)": "钱箱打开了吗？y/n（回车：本收银台没有钱箱）",
    "Trying the drawer on pin {pin} ...": "改用 {pin} 号针脚打开钱箱……",
    "Did it open now? y/n": "现在打开了吗？y/n",
    "The drawer stays shut on both pins: check that its cable is in the printer's drawer (DK) port; `tui-pos printer test --drawer` tries again": "两个针脚都打不开钱箱：请检查钱箱线是否插在打印机的钱箱（DK）口；`tui-pos printer test --drawer` 可再试",
    "Then choose again: another printer, width or profile.": "那么请重新选择：换一台打印机、纸宽或型号配置。",
    "The printer did not work out: give another --printer, or --printer none": "打印机没有调通：请换一个 --printer，或用 --printer none",
    "Products CSV file to import (Enter: none)": "要导入的商品 CSV 文件（回车：不导入）",
    "Members CSV file to import (Enter: none)": "要导入的会员 CSV 文件（回车：不导入）",
    "No file {path}": "没有文件 {path}",
    "Importing {file} ...": "正在导入 {file}……",
    "  {file}: {done} of {total} rows": "  {file}：{done} / {total} 行",
    "  ... and {count} more; `tui-pos import` lists them all": "  ……还有 {count} 条；`tui-pos import` 会全部列出",
    # --- boot, SSH and udev files (tui-pos example) ---
    "Not a Linux user name: {name}": "不是有效的 Linux 用户名：{name}",
    # printing never claims what did not happen; tui-pos doctor (issue 18)
    "No printer connected: the ticket waits in the print queue": "未连接打印机：小票留在打印队列中",
    "no printer connected (the drawer opens through the printer)": "未连接打印机（钱箱由打印机打开）",
    "No printer is configured: nothing was printed": "未设置打印机：什么也没有打印",
    "No printer": "未连接打印机",
    "No printer: {count} to print": "未连接打印机：{count} 张待打印",
    "No printer is set up on this till": "本收银台未设置打印机",
    "Nothing prints: every receipt waits in the print queue (Ctrl+P) until a printer is set up.": (
        "不会打印任何小票：设置打印机之前，所有小票都留在打印队列（Ctrl+P）中。"
    ),
    "To set one up, quit the till (Ctrl+Q) and run:": "设置方法：退出收银程序（Ctrl+Q），然后运行：",
    "then check it with: {command}": "然后用此命令检查：{command}",
    "Receipt queued, not printed: no printer ({count} waiting, Ctrl+P lists them)": (
        "小票未打印，已放入队列：未连接打印机（{count} 张待打印，Ctrl+P 查看）"
    ),
    "Ticket queued, not printed: no printer ({count} waiting, Ctrl+P lists them)": (
        "单据未打印，已放入队列：未连接打印机（{count} 张待打印，Ctrl+P 查看）"
    ),
    "Python {version}": "Python {version}",
    "Python {version} is too old (tui-pos needs {minimum})": "Python {version} 版本过旧（tui-pos 需要 {minimum}）",
    "install Python 3.11 or newer (Debian 12, Ubuntu 24.04), then tui-pos again": (
        "安装 Python 3.11 或更新版本（Debian 12、Ubuntu 24.04），再重新安装 tui-pos"
    ),
    "SQLite {version}": "SQLite {version}",
    "SQLite {version} is too old (tui-pos needs {minimum})": "SQLite {version} 版本过旧（tui-pos 需要 {minimum}）",
    "use a Python built with a newer SQLite (Debian 12, Ubuntu 22.04 or newer have one)": (
        "换用带新版 SQLite 的 Python（Debian 12、Ubuntu 22.04 及更新版本自带）"
    ),
    "No data folder at {path}": "数据文件夹 {path} 不存在",
    "create the shop: tui-pos init": "先建立门店：tui-pos init",
    "Data folder {path} belongs to another user (uid {owner})": "数据文件夹 {path} 属于其他用户（uid {owner}）",
    "run the till as that user, or: sudo chown -R {user} {path}": "请用该用户运行收银程序，或执行：sudo chown -R {user} {path}",
    "Data folder {path} can be changed by any user (mode {mode})": "数据文件夹 {path} 任何用户都能修改（权限 {mode}）",
    "Data folder {path} can be changed by its group (mode {mode})": "数据文件夹 {path} 同组用户能修改（权限 {mode}）",
    "Data folder {path} (mode {mode})": "数据文件夹 {path}（权限 {mode}）",
    "Database {path} is readable by its owner only": "数据库 {path} 仅所有者可读",
    "{path} can be changed by any user (mode {mode})": "{path} 任何用户都能修改（权限 {mode}）",
    "{path} can be read by any user: PIN hashes, members' phones (mode {mode})": (
        "{path} 任何用户都能读取：含密码散列和会员手机号（权限 {mode}）"
    ),
    "{path} is open to its group (mode {mode})": "{path} 同组用户可访问（权限 {mode}）",
    "close the tills, then put a backup back: tui-pos restore FILE": "关闭所有收银台，然后恢复备份：tui-pos restore 文件",
    "{path} cannot be read: {error}": "无法读取 {path}：{error}",
    "Database is damaged: {error}": "数据库已损坏：{error}",
    "{path} is not a tui-pos database (no schema version)": "{path} 不是 tui-pos 数据库（没有结构版本）",
    "check the path (--db, TUI_POS_HOME) or put a backup back: tui-pos restore FILE": (
        "检查路径（--db、TUI_POS_HOME），或恢复备份：tui-pos restore 文件"
    ),
    "Database schema {found} is newer than this tui-pos knows ({known})": (
        "数据库结构版本 {found} 比本 tui-pos 支持的（{known}）更新"
    ),
    "install the tui-pos version that wrote it (every till of the shop needs the same one)": (
        "安装写入它的 tui-pos 版本（门店所有收银台须用同一版本）"
    ),
    "Database schema {found} is older than this tui-pos ({known})": "数据库结构版本 {found} 比本 tui-pos（{known}）旧",
    "start the till once: it upgrades the database and keeps a copy in backups/": (
        "启动一次收银程序即可：它会升级数据库，并在 backups/ 中保留一份副本"
    ),
    "Database intact, schema {version}": "数据库完好，结构版本 {version}",
    "Free disk space: {free} MB at {path}": "磁盘剩余空间：{free} MB（{path}）",
    "delete old files, or keep backups on a USB stick ([backup] folder in the config file)": (
        "删除旧文件，或把备份放到 U 盘（配置文件 [backup] 的 folder）"
    ),
    "run: tui-pos backup (the till also backs up at every shift close)": "运行：tui-pos backup（每次交班结账时也会自动备份）",
    "No backup in {path}": "{path} 中没有备份",
    "Last backup {when} ({days} days ago)": "最近备份 {when}（{days} 天前）",
    "Printer {what}: {path} is not there": "打印机 {what}：{path} 不存在",
    "Printer {what}: no permission to write to {path}": "打印机 {what}：没有写入 {path} 的权限",
    "Printer {what}: {path} is there and writable": "打印机 {what}：{path} 存在且可写",
    "Printer {what}: {path} is there (checked as root, not as the till's user)": (
        "打印机 {what}：{path} 存在（以 root 身份检查，不是收银用户）"
    ),
    "check the cable and power; tui-pos printer list shows what is plugged in": (
        "请检查连线和电源；tui-pos printer list 可列出已连接的设备"
    ),
    "Training printer: tickets show on screen, nothing is printed": "练习打印机：小票只显示在屏幕上，不会打印",
    "No printer is set up: every ticket waits in the print queue": "未设置打印机：所有小票都留在打印队列中",
    "run: tui-pos setup printer": "运行：tui-pos setup printer",
    "USB printer {ids}: {error}": "USB 打印机 {ids}：{error}",
    "USB printer {ids} is not plugged in (or is switched off)": "USB 打印机 {ids} 未连接（或未开机）",
    "add the user to the dialout group: sudo usermod -aG dialout {user}, then log in again": (
        "把用户加入 dialout 组：sudo usermod -aG dialout {user}，然后重新登录"
    ),
    "Network printer {where} does not answer: {error}": "网络打印机 {where} 无响应：{error}",
    "check its power and network cable, and host and port under [printer] in the config file": (
        "请检查打印机电源和网线，以及配置文件 [printer] 中的 host 和 port"
    ),
    "Network printer {where} answers": "网络打印机 {where} 有响应",
    "TERM=linux: the Linux console cannot draw Chinese; the till shows English there": (
        "TERM=linux：Linux 控制台无法显示中文，收银程序将显示英文"
    ),
    "for Chinese, use a terminal that can (a desktop terminal over SSH, or kmscon/fbterm on tty1)": (
        "如需中文，请使用能显示中文的终端（通过 SSH 的桌面终端，或 tty1 上的 kmscon/fbterm）"
    ),
    "TERM is not set for a full-screen terminal": "TERM 未设置为全屏终端",
    "start the till from a terminal, e.g. with TERM=xterm-256color": "请在终端中启动收银程序，例如 TERM=xterm-256color",
    "Terminal {term}": "终端 {term}",
    "No locale is set (LANG)": "未设置语言环境（LANG）",
    "set LANG=C.UTF-8 (or zh_CN.UTF-8)": "设置 LANG=C.UTF-8（或 zh_CN.UTF-8）",
    "Locale {name} is not UTF-8: Chinese may show as question marks": "语言环境 {name} 不是 UTF-8：中文可能显示为问号",
    "Locale {name}": "语言环境 {name}",
    "set the clock: sudo timedatectl set-ntp true (or timedatectl set-time 'YYYY-MM-DD HH:MM')": (
        "校准时钟：sudo timedatectl set-ntp true（或 timedatectl set-time 'YYYY-MM-DD HH:MM'）"
    ),
    "The clock says {now}: years behind": "系统时钟为 {now}：落后了好几年",
    "The clock says {now}, before the newest sale ({sale})": "系统时钟为 {now}，早于最近一笔销售（{sale}）",
    "The clock says {now}, over a year after the newest sale ({sale})": "系统时钟为 {now}，比最近一笔销售（{sale}）晚一年以上",
    "Clock {now}": "时钟 {now}",
    "Check {name} could not run: {error}": "检查项 {name} 无法运行：{error}",
    "add the udev rule {rule} to /etc/udev/rules.d/60-tui-pos-printer.rules, run sudo udevadm control --reload-rules and sudo usermod -aG lp {user}, then replug the printer and log in again": (
        "把 udev 规则 {rule} 写入 /etc/udev/rules.d/60-tui-pos-printer.rules，运行 sudo udevadm control --reload-rules "
        "和 sudo usermod -aG lp {user}，然后重新插拔打印机并重新登录"
    ),
    # end of issue 18: printing and doctor
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

ZH.update(
    {
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
    }
)

ZH.update(
    {
        "Printer offline: USB support (libusb) is missing": "打印机离线：缺少 USB 支持（libusb）",
        "Printer offline: no permission to open it": "打印机离线：没有打开权限",
        "Printer offline: not found - check the cable and power": "打印机离线：未找到，请检查连线和电源",
        "Printer offline: no answer - check cable, power and paper": "打印机离线：无响应，请检查连线、电源和纸张",
        "Printer offline: {error}": "打印机离线：{error}",
        "Unknown printer backend {name}": "未知打印机类型 {name}",
        "No ticket {ref}": "没有单据 {ref}",
    }
)

ZH.update(
    {
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
        "Above what one person may refund alone": "超出一人可自行退款的金额，须另一人复核",
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
        "customer signed": "顾客已签字",
        "cashier": "收银员",
        "supervisor": "主管",
        "manager": "店长",
        "Refunds within {days} days of the sale, with the receipt.": "凭小票，售出 {days} 天内可退款。",
        "{level} members: within {days} days.": "{level}：{days} 天内可退。",
        "Later than that only with a supervisor's approval.": "超过期限须主管审批。",
        "Later than that: no refund.": "超过期限不予退款。",
        "Without the receipt: only with a {role}'s approval, and flagged.": "无小票退款须{role}审批，并作标记。",
        "Refunds to {tender} carry a fee of {pct}%.": "退回{tender}收取 {pct}% 手续费。",
        "A {role} may refund up to {amount} without approval.": "{role}无需审批可退至 {amount}。",
        "A {role} may refund any amount.": "{role}可退任意金额。",
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
    }
)

ZH.update(
    {
        # command line: init, demo, import
        "Training mode never opens the live database {path}": "训练模式不会打开正式数据库 {path}",
        "Training: setting up the demo shop in {path} ...": "训练模式：正在 {path} 中建立演示门店……",
        "No shop set up in {path}. Create one with `tui-pos init`, "
        "or practise on the demo shop with `tui-pos --training`.": "{path} 中还没有门店。请用 `tui-pos init` 新建，或用 `tui-pos --training` 在演示门店中练习。",
        "Shop created in {path}": "门店已建立：{path}",
        "Manager {code} {name} can now log in.": "店长 {code} {name} 现在可以登录。",
        "Staff code must be 1 to 20 letters or digits": "工号须为 1 到 20 位字母或数字",
        "This shop is already set up: {path}": "门店已经建立过：{path}",
        "{path} holds a real shop (staff or products not from the demo); demo data is "
        "not mixed into it. Use --training, or --db with another file.": "{path} 中是正式门店的数据（有非演示的员工或商品），不会混入演示数据。请使用 --training，或用 --db 指定另一个文件。",
        "Demo shop ready in {path}": "演示门店已就绪：{path}",
        "Staff added: {staff}; products: {new} new, {updated} updated; members: {members} new; "
        "past sales: {sales}; stock topped up: {restocked}": "新增员工 {staff} 名；商品新增 {new}、更新 {updated}；新增会员 {members} 名；历史订单 {sales} 笔；补货商品 {restocked} 种",
        "Log in with (staff code / PIN):": "登录（工号 / 密码）：",
        "Start the till with: {command}": "启动收银：{command}",
        "No shop database at {path}; create it first with `tui-pos init`": "{path} 没有门店数据库，请先运行 `tui-pos init`",
        "Nothing was imported.": "未导入任何数据。",
        "{file}: {imported} new, {updated} updated, {unchanged} unchanged, {rejected} rejected": "{file}：新增 {imported}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}",
        # CSV import
        "row {row}: {message}": "第 {row} 行：{message}",
        "Cannot read {path}: {error}": "无法读取 {path}：{error}",
        "The file is not UTF-8 or GBK text": "文件不是 UTF-8 或 GBK 编码的文本",
        "Not a CSV file: {error}": "不是 CSV 文件：{error}",
        "The file is empty: the first row must name the columns ({expected})": "文件为空：第一行须为列名（{expected}）",
        "Unknown column(s): {names}. Expected: {expected}": "未知列：{names}。应为：{expected}",
        "Column(s) named twice: {names}": "列名重复：{names}",
        "Missing column(s): {names}. Expected: {expected}": "缺少列：{names}。应为：{expected}",
        "has {cells} cells but the header names {columns} columns": "有 {cells} 格，但表头只有 {columns} 列",
        "{column} '{value}' is not an amount": "{column}「{value}」不是有效金额",
        "{column} '{value}': {reason}": "{column}「{value}」：{reason}",
        "{column} '{value}' is not a whole number": "{column}「{value}」不是整数",
        "{column} '{value}' must be from 0 to {max}": "{column}「{value}」须在 0 到 {max} 之间",
        "{column} '{value}' is not a date like 2024-03-15": "{column}「{value}」不是 2024-03-15 这样的日期",
        "name is empty": "名称为空",
        "price is empty": "售价为空",
        "member_price {member} is above price {price}": "会员价 {member} 高于售价 {price}",
        "refund_policy '{value}' is not one of: {known}": "退货规则「{value}」不在以下之中：{known}",
        "barcode {code} is already on row {row}": "条码 {code} 已在第 {row} 行出现",
        "card no. {card} is already on row {row}": "会员编号 {card} 已在第 {row} 行出现",
        "phone {phone} is already on row {row}": "手机号 {phone} 已在第 {row} 行出现",
    }
)

ZH.update(
    {
        # till screens (收银界面)
        "TRAINING": "培训模式",
        "TRAINING MODE - practice only, no real sales": "培训模式 TRAINING — 仅供练习，不产生真实销售",
        "Till {till}": "收银台 {till}",
        "Help": "帮助",
        "Quit": "退出",
        "Back": "返回",
        "Clear": "清除",
        "Cancel": "取消",
        "Save": "保存",
        "Yes": "是",
        "No": "否",
        "Up": "上移",
        "Down": "下移",
        "Staff log in": "员工登录",
        "Staff code": "工号",
        "PIN": "密码",
        "Enter your staff code": "请输入工号",
        "Member": "会员",
        "Find": "查商品",
        "Pay": "收款",
        "Qty": "数量",
        "Void line": "删除行",
        "Void sale": "整单作废",
        "Refund": "退款",
        "Reprint": "重打小票",
        "Log out": "登出",
        "Detach": "解除会员",
        "Item": "商品",
        "Price": "单价",
        "Amount": "金额",
        "Barcode": "条码",
        "Totals": "合计",
        "Total due": "应收",
        "Scan or type a barcode, then Enter": "扫描或输入条码后按回车",
        "No member. F2 to look one up.": "未关联会员，按 F2 查找。",
        "Card no.": "会员编号",
        "Name": "姓名",
        "Level": "等级",
        "Balance": "储值余额",
        "Ticket preview": "小票预览",
        "Ticket printed": "小票已打印",
        "Ticket printed; {count} tickets waiting": "小票已打印，还有 {count} 张待打印",
        "{error} - {count} tickets waiting (F9 prints again)": "{error}，{count} 张小票待打印（F9 重打）",
        "Line voided: {item} x {qty}": "已删除：{item} x {qty}",
        "Void the whole sale?": "确定作废整单？",
        "{items} items, total {total}": "{items} 件，合计 {total}",
        "Sale voided": "整单已作废",
        "Member removed from this sale": "已解除本单会员",
        "Sale {order} recorded. Change {change}": "订单 {order} 已完成，找零 {change}",
        "No sale to reprint yet": "还没有可重打的订单",
        "Printing {order} again": "正在重打 {order}",
        "Refunds arrive in the next release": "退款功能将在下一版本提供",
        "Quantity for {item}": "{item} 的数量",
        "Find a product: name or barcode": "查找商品：名称或条码",
        "Type to search": "输入以搜索",
        "Add": "加入",
        "No product matches {query}": "没有匹配 {query} 的商品",
        "Type part of a name or barcode first": "请先输入部分名称或条码",
        # payment (收款)
        "Payment": "收款",
        "Tender": "付款方式",
        "Due": "应收",
        "Paid": "实收",
        "Remaining": "待付",
        "Reference": "流水号",
        "optional": "选填",
        "given {given}": "收 {given}",
        "Part cash": "部分现金",
        "Undo tender": "撤销付款",
        "(x removes the last tender)": "（按 x 撤销上一笔付款）",
        # members (会员)
        "Card no., phone (4+ digits) or name": "会员编号、手机号（至少 4 位）或姓名",
        "Attach": "关联会员",
        "New member": "新会员",
        "Profile": "会员资料",
        "Purchases": "消费次数/金额",
        "Regular": "普通会员",
        "Member {card} created; Enter attaches": "会员 {card} 已创建，按回车关联",
    }
)

# The refund wizard, refund list and policy page (words from 退款管理 / 现金退款).
ZH.update(
    {
        "Find the order": "查找原订单",
        "Choose what comes back": "选择退货商品",
        "Review the amount": "核对退款金额",
        "Confirm": "确认",
        "Pay out": "退还现金",
        "paid": "已退款",
        "pending_approval": "待审批",
        "completed": "已完成",
        "rejected": "已驳回",
        "cancelled": "已取消",
        "voided": "已作废",
        "created": "创建",
        "approved": "审批通过",
        "reprint": "补打",
        "parked": "挂起待审批",
        "Scan the receipt barcode or type the order no. and press Enter. A member card or phone lists that "
        "member's orders: pick one with Enter. A refund no. opens that refund.": "扫描小票条码或输入订单号后按回车。输入会员卡号或手机号可列出该会员的订单，用回车选择。输入退款单号可打开该退款单。",
        "Up and Down pick a line; + and - change its refund quantity, 0 none, a all that is left; d changes "
        "what happens to that line's goods. r changes the reason; n writes a note.": "上下键选择商品行；+ 和 - 调整退货数量，0 不退，a 全部退；d 切换该行商品的处理方式。r 切换退款原因；n 填写备注。",
        "F9 records the refund and prints the voucher. If the policy needs approval, the supervisor or manager "
        "types their staff code and PIN here. F6 parks the refund for a manager.": "F9 生成退款单并打印退款凭证。如政策要求审批，由主管或店长在此输入工号和密码。F6 挂起，等待店长审批。",
        "Status filter": "按状态筛选",
        "Approve": "审批通过",
        "Reject": "驳回",
        "Cancel refund": "取消退款",
        "History": "处理记录",
        "Refund policy": "退款政策",
        "Refund no. / order no. / member card or phone": "退款单号 / 订单号 / 会员卡号或手机号",
        "Rejection reason, then Enter": "驳回原因，回车确认",
        "Rejected": "已驳回",
        "Policy": "退款政策",
        "Handed over & signed": "已付款并签字",
        "Reprint voucher": "重打退款单据",
        "Later": "稍后处理",
        "Next": "下一步",
        "Refund list": "退款记录",
        "Status": "状态",
        "Refunded": "已退",
        "Orders of {name}: pick one, Enter": "{name} 的订单：选择一单，回车",
        "no member": "非会员",
        "+1": "+1",
        "-1": "-1",
        "None": "不退",
        "All": "全退",
        "Goods": "商品处理",
        "Note": "备注",
        "Left": "可退",
        "Refund qty": "退货数量",
        "Park for approval": "挂起待审批",
        "Refund {no} parked: a manager picks it up from the refund list": "退款单 {no} 已挂起：店长可在退款记录中审批",
        "Hand over {amount} in cash": "请退还现金 {amount}",
        "Refund {amount} via {tender}": "通过{tender}退款 {amount}",
        "Refund {no} completed": "退款单 {no} 已完成",
        "Refund {no} is paid; complete it from the refund list": "退款单 {no} 已退款；请在退款记录中完成签字确认",
        "Refunded before: {list}": "已有退款：{list}",
        "Refundable. F9: choose what comes back": "可以退款。F9：选择退货商品",
        "Write a note for 'Other'": "选择“其他”原因时请填写备注",
        "Policy: {rules}": "适用政策：{rules}",
        "Needs approval: {why}": "需要审批：{why}",
        "Printing...": "正在打印……",
        "Voucher printed": "退款凭证已打印",
        "Scan receipt / order no. / member card or phone": "扫描小票 / 订单号 / 会员卡号或手机号",
        "Note (for 'Other')": "备注（原因为“其他”时必填）",
        "Units": "件数",
        "Paid for these units": "这些商品实付",
        "Policy allows": "政策允许退款",
        "Press F9 to record the refund and print the voucher": "核对无误后按 F9 生成退款单并打印凭证",
        "Press F9 to record the refund (the voucher waits: no printer)": "核对无误后按 F9 生成退款单（未连接打印机，凭证待打印）",
        "Then press F9: cash handed over, customer signed": "然后按 F9：现金已交给顾客，顾客已签字",
        "Cash refund": "现金退款",
        "Not refundable": "不可退款",
        "Reference (card/app)": "交易参考号（刷卡/扫码）",
        "Approver staff code": "审批人工号",
        "Approver PIN": "审批人密码",
        "press F8 to reprint": "按 F8 补打",
        "Qty sold": "购买数量",
        "Refunds": "退款",
        "{count} / {amount} ({rate}%)": "{count}笔 {amount} 占{rate}%",
        "Nothing to exchange": "没有可换货的金额",
        "Exchange credit is {credit}": "换货抵扣额为 {credit}",
        "Exchange credit": "换货抵扣",
        "exchange": "换货",
        "No product {code}": "没有商品 {code}",
        "Drop the exchange?": "放弃这次换货？",
        "Exchange: credit {amount} from {order}. Scan the new goods, F4 pays; F7 drops the exchange": "换货：原订单 {order} 抵扣 {amount}。请扫描新商品，F4 结账；F7 放弃换货",
        "Exchange {refund} for {order} recorded. Give back {amount}": "换货已记录：退款单 {refund}，新订单 {order}。应退还 {amount}",
        "Exchange dropped; nothing was recorded": "已放弃换货，未产生任何记录",
        "Give back ({tender})": "应退还（{tender}）",
        "Today's price": "今日售价",
        "Exchange": "换货",
        "Exchange: {amount} credit towards new goods": "换货：{amount} 抵扣新商品",
        "Without a receipt a manager must approve, and the refund is flagged.": "无小票退款须店长审批，并会被标记。",
        "Scan the items brought back": "扫描顾客退回的商品",
        "Finish or void the sale in checkout first": "请先在收银界面完成或作废当前销售",
        "Member card or phone (optional), Enter": "会员卡号或手机号（可选），回车",
        "Press F9, then scan the new goods in checkout": "按 F9，然后在收银界面扫描新商品",
        "No receipt": "无小票",
        "Scan each item the customer brought back (3*barcode for three). Type the member's card or phone in the "
        "second box if they have one. The refund is at today's price, needs a manager's approval and is flagged "
        "in the refund list.": "逐件扫描顾客退回的商品（3*条码 表示三件）。如是会员，在第二栏输入卡号或手机号。按今日售价退款，须店长审批，并在退款记录中标记。",
        "Refund amount (you may lower it, never raise it)": "退款金额（可调低，不可调高）",
    }
)

ZH.update(
    {
        # till screens, help (收银界面帮助)
        "OK": "确定",
        "Keys on this screen": "本界面按键",
        "Scan, or type a barcode and press Enter; 3*barcode rings up three. "
        "Up and Down pick the line for F5 and F6. PageUp and PageDown scroll the ticket preview.": "扫描条码，或输入条码后按回车；3*条码 一次录入三件。上下键选择 F5、F6 要操作的行。"
        "PageUp / PageDown 翻动小票预览。",
        "Type a card no., at least 4 digits of a phone (4 digits = the last four) or the start of a name. "
        "Up and Down pick a member; Enter attaches the member to the sale.": "输入会员编号、至少 4 位手机号（4 位即手机尾号）或姓名开头。上下键选择会员，回车关联到本单。",
    }
)

ZH.update(
    {
        # member profile (会员资料：消费记录、退款记录、退款率) and one order's detail (订单详情)
        "Joined": "入会日期",
        "Find a member first": "请先查找会员",
        "Purchase history": "消费记录",
        "Refund history": "退款记录",
        "Refunds: {count}, {amount} of {bought} bought (rate {rate}%)": "退款 {count} 笔，共 {amount} / 消费 {bought}（退款率 {rate}%）",
        "Full {amount}": "全部退款 {amount}",
        "Part {amount}": "部分退款 {amount}",
        "Awaiting approval": "待审批",
        "Open": "打开",
        "Purchases/Refunds": "消费/退款",
        "Lines/Refunds": "商品/退款",
        "Approver": "审批人",
        "Refunded qty": "已退数量",
        "Refunded from this order": "本单退款记录",
        "Order lines": "商品明细",
        "{amount} in {count} refunds": "{amount}（{count} 笔退款）",
        "{qty} +{pending} awaiting": "{qty}，另 {pending} 待审批",
        "Up and Down move in a list, Tab switches between purchases and refunds. "
        "Enter opens the order or the refund; F2 attaches the member to the sale.": "上下键在列表中移动，Tab 键在消费记录和退款记录之间切换。回车打开订单或退款单；F2 将会员关联到本单。",
        "The order's lines with what each gave back, how it was paid, and every refund made from it. "
        "Tab moves to the refunds; Enter opens the highlighted refund.": "本订单的商品及各行已退数量、付款方式，以及从本单发生的每笔退款（退款单号、收银员、审批人）。"
        "Tab 键移到退款记录；回车打开所选退款单。",
    }
)

# Printers (issue 4): the queue, the test page and the printer commands.
ZH.update(
    {
        "Printer offline: unplugged - check the cable, then print again": "打印机离线：已拔出，请检查连线后重新打印",
        "Printer offline: not reachable on the network": "打印机离线：网络不通",
        "Printer offline: the connection broke - check the cable, then print again": "打印机离线：连接中断，请检查连线后重新打印",
        "Printer offline: it refused the connection": "打印机离线：连接被拒绝",
        "Printer offline: another program is using it": "打印机离线：正被其他程序占用",
        "Printer out of paper - put in a new roll, then print again": "打印机缺纸：请换上新纸卷后重新打印",
        "Printer profile {name} is unknown": "未知的打印机型号配置 {name}",
        "Printer test page": "打印机测试页",
        "If this page looks right, the printer is set up.": "此页打印正常，即表示打印机已设置好。",
        "printer offline: {count} to print": "打印机离线：{count} 张待打",
        "{count} to print": "{count} 张待打印",
        "Print queue": "打印队列",
        "{error} - {count} tickets waiting (F9 prints again, Ctrl+P lists them)": "{error}，{count} 张小票待打印（F9 重新打印，Ctrl+P 查看队列）",
        "Cash drawer did not open: {error}": "钱箱未打开：{error}",
        "Cash drawer kicked (pin {pin})": "已弹开钱箱（{pin} 号针脚）",
        "Print all": "全部打印",
        "Print": "打印",
        "Discard": "作废",
        "No.": "单号",
        "Ticket": "小票",
        "Tries": "次数",
        "Last error": "最近错误",
        "Ticket discarded": "小票已作废",
        "Tickets waiting to print": "待打印小票",
        "Something went wrong in the till": "收银程序出错了",
        "Nothing half-done was saved: check the last sale or refund, then carry on. Details for support are in {path}": "不会保存做了一半的交易：请核对最后一笔销售或退款后继续。给技术支持的详细信息在 {path}",
        "Continue": "继续",
        "tui-pos needs SQLite 3.24 or newer; this Python has {version}": "tui-pos 需要 SQLite 3.24 或更新版本；当前 Python 的 SQLite 是 {version}",
        "The same item is chosen twice": "同一商品选了两次",
        "Shift closed, but the backup failed: {error}. Enter: log out": "已交班，但备份失败：{error}。回车：退出登录",
        "Shift closed; backup in {path}. Enter: log out": "已交班；备份在 {path}。回车：退出登录",
        ", member price {price}": "，会员价 {price}",
        "{name} ({barcode}) now costs {price}{member}": "{name}（{barcode}）现价 {price}{member}",
        "Open drawer": "开钱箱",
        "Opening the drawer...": "正在打开钱箱……",
        "Drawer opened; recorded in the audit trail": "钱箱已打开，已记入审计日志",
        "Open the drawer without a sale": "无销售开钱箱",
        "Reason (e.g. change for till 02)": "原因（如：给 02 号收银台换零钱）",
        "Say why the drawer is opened": "请说明开钱箱的原因",
        "The member price cannot be more than the price": "会员价不能高于售价",
        "{path} can be changed by any user of this computer (mode {mode}); fix it with: chmod 600 {path}": "{path} 可被本机任何用户修改（权限 {mode}）；请用 chmod 600 {path} 修正",
        "Locked after {minutes} minutes without a key; the basket is kept": "{minutes} 分钟无操作，已自动锁定；购物车已保留",
        "Recorded but not printed when the till last stopped: print them now?": "上次关机前已记账但未打印的小票：现在打印吗？",
        "Nothing waiting: every ticket has printed": "没有待打印的小票",
        "Tickets that did not print. Enter prints the highlighted one, F5 prints them all "
        "(oldest first), F6 discards one (supervisor). The sale or refund itself is already saved.": "未打印出来的小票。回车打印所选小票，F5 按时间顺序全部打印，F6 作废（需主管）。"
        "销售或退款本身已经保存。",
        "USB devices (vendor:product, maker, name):": "USB 设备（厂商ID:产品ID，厂商，名称）：",
        "printer": "打印机",
        "configured": "已配置",
        "none": "无",
        "Printer nodes (backend device): {nodes}": "打印机设备节点（device 方式）：{nodes}",
        "Configured: backend {backend}, usb {vendor:04x}:{product:04x}, width {width}, encoding {encoding}": "当前配置：方式 {backend}，USB {vendor:04x}:{product:04x}，宽度 {width}，编码 {encoding}",
        "To use a USB printer set usb_vendor = 0x.... and usb_product = 0x.... under [printer] in {path}": "使用 USB 打印机：在 {path} 的 [printer] 下设置 usb_vendor = 0x.... 和 usb_product = 0x....",
        "Test page sent to the {printer} ({size} bytes)": "测试页已发送到{printer}（{size} 字节）",
        "USB printer": "USB 打印机",
        "printer device": "打印机设备",
        "network printer": "网络打印机",
        "serial printer": "串口打印机",
        "printer file": "打印文件",
        "on-screen training printer": "培训用屏幕打印机",
        "no printer": "未连接打印机",
        "Test page failed: {error}": "测试页打印失败：{error}",
    }
)

# Shifts, cash reconciliation and refund analytics (issue 5). Words from the shop articles:
# 交班 (shift handover), 备用金 (float), 应有现金 (expected cash), 实点现金 (counted), 差额 (variance).
ZH.update(
    {
        "PIN: ": "密码：",
        "Give --pin, or run in a terminal to be asked for it": "请给出 --pin，或在终端中运行以便输入密码",
        "Saved {path}": "已保存 {path}",
        "{count} refunds {amount} of {sales} sales: rate {rate}": "退款 {count} 笔 {amount}，销售 {sales}，退款率 {rate}",
        "Till": "收银台",
        "Shift": "班次",
        "Opened": "开班",
        "Closed": "交班",
        "Sales": "销售",
        "Voids": "作废",
        "Discounts": "优惠",
        "Net": "净额",
        "Net total": "净额合计",
        "Opening float": "备用金",
        "Cash sales": "现金收入",
        "Cash refunds": "现金退款",
        "Expected cash": "应有现金",
        "Counted cash": "实点现金",
        "Variance": "差额",
        "Points issued": "发放积分",
        "X report (shift open)": "X 报表（班中）",
        "Z report (shift closed)": "Z 报表（交班）",
        "{count} refunds of orders from earlier shifts ({amount}) are in this shift": "本班含 {count} 笔以前班次订单的退款（{amount}）",
        "Waiting for approval, carried over: {nos}": "待审批、转入下一班：{nos}",
        "Cashier signature:": "收银员签字：",
        "Enter the cash counted: a total like 500, or pieces like 100x3 50x2": "请输入清点的现金：总额如 500，或按面额如 100x3 50x2",
        "The drawer is {diff} off: write a note saying why before closing": "钱箱差额 {diff}：交班前请填写原因",
        "Unknown cash movement {kind}": "未知的现金收支 {kind}",
        "Say what the cash is for (e.g. change from the bank, delivery paid)": "请写明用途（如银行换零钱、支付送货款）",
        "Only {cash} in the drawer": "钱箱里只有 {cash}",
        "Counted cash cannot be negative: {part}": "清点的现金不能为负数：{part}",
        "Not a cash count: {text} (write 100x3 for three 100-yuan notes)": "无法识别：{text}（三张100元写作 100x3）",
        "{value} is not a note or coin": "{value} 不是人民币面额",
        "Not a cash count: {text}": "无法识别的现金数：{text}",
        "Unknown report {name}": "未知报表 {name}",
        "The range ends before it starts: {start} to {end}": "结束日期早于开始日期：{start} 至 {end}",
        "At most three years at a time": "一次最多查询三年",
        "No shift is open on till {till}: open one with the float counted first": "收银台 {till} 未开班：请先清点备用金开班",
        "A shift is already open on till {till}": "收银台 {till} 已经开班",
        "No shift is open on till {till}": "收银台 {till} 未开班",
        "No shift {no}": "没有班次 {no}",
        "Refunds still waiting for approval: {nos}. Approve or reject them, or carry them over to the next shift": "还有待审批的退款：{nos}。请先审批或驳回，或转入下一班",
        "Not a date: {text} (write 2026-11-23)": "日期格式不对：{text}（如 2026-11-23）",
        "Worth a look: this member made {text}": "值得关注：该会员{text}",
        "{count} refunds in {days} days, {rate} of what they bought": "{days} 天内退款 {count} 次，占其消费的 {rate}",
        "refund rate {rate}, store {store}": "退款率 {rate}，全店 {store}",
        "{no} by {code} within {minutes} min after the shift opened": "{no}（{code}）开班后 {minutes} 分钟内",
        "{no} by {code} within {minutes} min before the shift closed": "{no}（{code}）交班前 {minutes} 分钟内",
        "{count} refunds just under the {limit} approval limit": "{count} 笔退款金额略低于审批额度 {limit}",
        "Prev view": "上一视图",
        "Next view": "下一视图",
        "Dates": "日期",
        "Export CSV": "导出 CSV",
        "{count} refunds {amount} of {sales} sales: rate {rate}; without receipt {nr}; "
        "median {hours} h from sale to refund": "退款 {count} 笔 {amount}，销售 {sales}，退款率 {rate}；无小票 {nr} 笔；售出到退款中位 {hours} 小时",
        "Net by tender: {tenders}": "各支付方式净额：{tenders}",
        "Day summary, all tills": "日汇总（全部收银台）",
        "open": "未交班",
        "(no member)": "（非会员）",
        "Open shift": "开班",
        "Print X": "打印 X 报表",
        "Paid in": "存入现金",
        "Paid out": "取出现金",
        "Close shift": "交班",
        "Day summary": "日汇总",
        "Refund reports": "退款分析",
        "Carry over approvals": "待审批转下班",
        "Expected in the drawer: {amount}": "钱箱应有：{amount}",
        "Shift opened with a float of {amount}": "已开班，备用金 {amount}",
        "{what} {amount} recorded": "已记录{what} {amount}",
        "Shift closed. Enter: log out": "已交班。按回车登出",
        "Report printed": "报表已打印",
        "Close the shift: count the drawer": "交班：清点钱箱",
        "Waiting for approval: {nos} (Ctrl+K carries them over)": "待审批：{nos}（Ctrl+K 转入下一班）",
        "They will be carried over to the next shift": "将转入下一班处理",
        "Counted {counted}, variance {diff}": "实点 {counted}，差额 {diff}",
        "Open a shift on till {till}": "收银台 {till} 开班",
        "Count the cash in the drawer (the float):": "清点钱箱中的现金（备用金）：",
        "Note (needed when the drawer is off by more than {limit})": "备注（差额超过 {limit} 时必填）",
        "Reason (e.g. change from the bank, milk delivery)": "用途（如银行换零钱、支付牛奶送货）",
        "A total like 500, or notes and coins like 100x3 50x2 1x12": "总额如 500，或按面额如 100x3 50x2 1x12",
        "By product": "按商品",
        "By category": "按分类",
        "By reason": "按原因",
        "By cashier": "按收银员",
        "By member level": "按会员等级",
        "By member": "按会员",
        "By week": "按周",
        "Cashier handling": "收银员处理",
        "Approvals": "审批",
        "Worth a look": "值得关注",
        "Key": "编码",
        "Refunded": "已退",
        "Refund rate": "退款率",
        "Code": "工号",
        "Refunds handled": "处理退款",
        "Rejections": "驳回数",
        "Rejection rate": "驳回率",
        "Median minutes": "中位用时（分）",
        "Approved amount": "审批金额",
        "Overrides": "改价",
        "Kind": "类型",
        "Who": "对象",
        "Why": "原因",
        "Counted": "实点",
        "Entry": "项目",
        "Refund analytics for the dates shown (From/To, Enter to apply). F5/F6 switch between views: by product, "
        "category, reason, cashier, member level, member, week, cashier handling, approvals and flags. "
        "Ctrl+E saves the view as a CSV file.": "所示日期范围内的退款分析（开始/结束日期，回车生效）。F5/F6 切换视图：按商品、分类、原因、收银员、会员等级、"
        "会员、周，收银员处理、审批和值得关注。Ctrl+E 将当前视图保存为 CSV 文件。",
        "A total like 500, or notes and coins like 100x3 50x2 1x12. Ctrl+K carries refunds that still wait for "
        "approval over to the next shift.": "总额如 500，或按面额如 100x3 50x2 1x12。Ctrl+K 将待审批的退款转入下一班。",
    }
)

# Backups and the audit check (issue 6, first part).
ZH.update(
    {
        "Backup written: {path}": "备份已写入：{path}",
        "Restore replaces {db}: add --yes to confirm": "恢复将替换 {db}：请加 --yes 确认",
        "Replace {db} with {file}? Close every till first. Type yes: ": "用 {file} 替换 {db}？请先关闭所有收银台。输入 yes 确认：",
        "Nothing restored": "未恢复任何数据",
        "Restored {file}; the database it replaced is kept as {kept}": "已恢复 {file}；被替换的数据库保存在 {kept}",
        "Audit trail intact": "审计记录完整",
        "Audit trail broken at entry {id}: it was changed or removed after it was written": "审计记录在第 {id} 条断开：写入后被修改或删除",
        "{path} is not a tui-pos database: {error}": "{path} 不是 tui-pos 数据库：{error}",
        "{path} is damaged: {error}": "{path} 已损坏：{error}",
        "No database at {path}": "{path} 没有数据库",
        "No backup at {path}": "{path} 没有备份",
    }
)

# The cashier's screen, the smaller things (issue 17, item 9).
ZH.update(
    {
        "Next field": "下一项",
        "Previous field": "上一项",
        "A phone number is {count} digits, nothing else": "手机号为 {count} 位数字，不能输入其他字符",
        "Expected": "应有现金",
        "Day: sales {sales}, refunds {refunds}, net {net}": "全天：销售 {sales}，退款 {refunds}，净额 {net}",
        "Stay": "返回",
        "Quit the till?": "退出收银系统？",
        "The basket (items: {items}, total {total}) is kept in memory only: quitting drops it. "
        "Nothing of it was sold; scan it again after the restart.": "购物车（{items}件，{total}）只保存在内存中：退出后将被清空。"
        "其中商品尚未售出，重新启动后请重新扫描。",
        "The exchange (credit {amount}) is not recorded yet: quitting drops it.": "换货（抵扣 {amount}）尚未记录：退出后将被取消。",
        "The refund being entered is not recorded yet: quitting drops it; nothing was paid out.": "正在录入的退款尚未记录：退出后将被取消，未退出任何款项。",
        "Refund {no} is recorded; after the restart, finish the payout from the refund list.": "退款 {no} 已记录；重新启动后请在退款管理中完成退款。",
        "Nothing is lost: every sale and refund is already recorded.": "不会丢失数据：所有销售和退款都已记录。",
        "Everything recorded stays.": "已记录的数据都会保留。",
        "Ctrl+Q quits the till": "按 Ctrl+Q 退出收银系统",
    }
)

# The cashier's screen: totals that add up, search as Chinese cashiers search (issue 17, items 7-8).
ZH.update(
    {
        "Disc": "优惠",
        "Saved": "已优惠",
        "Give back": "应退",
        "Find a product: part of a name, pinyin initials or barcode": "查找商品：名称的任意部分、拼音首字母或条码",
        "e.g. 可乐, cola, kkkl (可口可乐) or 6901": "例如：可乐、cola、kkkl（可口可乐）或 6901",
    }
)

# Every code named, never shown (issue 17, item 5): the words of tui_pos/labels.py and report heads.
ZH.update(
    {
        # permissions, as in "Your role may not {action}"
        "sell": "销售",
        "void a sale": "作废整单",
        "add members": "新增会员",
        "make refunds": "办理退款",
        "approve refunds": "审批退款",
        "reject refunds": "驳回退款",
        "manage staff": "管理员工",
        "import data": "导入数据",
        "see the reports": "查看报表",
        "discard tickets": "作废小票",
        "open or close a shift": "开班或交班",
        "pay cash in or out": "存取现金",
        "see the day summary": "查看日汇总",
        "change prices": "修改价格",
        "open the drawer": "打开钱箱",
        # statuses and a refund's history
        "awaiting approval": "待审批",
        "closed": "已交班",
        "parked for approval": "挂起待审批",
        "paid out": "已退款",
        "voucher reprinted": "重打退款单据",
        "exchanged": "换货",
        # what the refund analytics point out
        "Near shift open/close": "临近开班/交班",
        "Just under the limit": "略低于审批额度",
        # print jobs
        "Report": "报表",
        # report heads
        "Category": "分类",
        "Week": "周",
        "Refund count": "退款笔数",
        "Sales count": "销售笔数",
        # store
        "This database was written by a newer tui-pos (schema {found}; this one knows {known}). "
        "Install that version again; nothing was changed.": "该数据库由更新版本的 tui-pos 写入（结构版本 {found}，本版本只认识 {known}）。请重新安装那个版本；未做任何改动。",
    }
)


# The payment dialog (收款): the order of its keys, part cash, leaving with tenders taken (issue 17).
ZH.update(
    {
        "1. Type the amount   2. Press the tender's letter   Enter = cash": "1. 输入金额   2. 按付款方式字母   回车 = 现金",
        "Two keys pay: 1. type the amount, 2. press the tender's letter: c cash, k card, w WeChat Pay, "
        "a Alipay, v stored value, p points. Typing 10 then v takes 10.00 in stored value; a tender "
        "that cannot take it says why and the amount stays. Enter takes the amount in the tender "
        "shown, cash unless you picked another; for cash type what the customer hands over and the "
        "change is shown. A letter pressed before typing picks the tender and puts in what it can "
        "take; then Tab moves to the reference of a card or mobile payment, and Enter takes it. "
        "s takes exactly the cash amount typed as part of the payment (never more than is left) "
        "and the rest is collected next. x removes the last tender. Escape leaves without paying; "
        "with tenders taken it lists them and asks first. Nothing is recorded until the whole "
        "amount is paid.": "两步收款：1. 输入金额，2. 按付款方式字母：c 现金，k 银行卡，w 微信支付，a 支付宝，"
        "v 储值卡，p 积分。先输入 10 再按 v，即用储值卡收 10.00；该方式收不了时会说明原因，金额保留。"
        "回车按当前显示的付款方式收款（未另选时为现金）；现金请输入顾客实付金额，屏幕显示找零。"
        "未输入金额先按字母，则选中该付款方式并填入它可收的金额；此时 Tab 键移到银行卡或移动支付的流水号，"
        "回车收款。s 把输入的现金金额原样作为部分付款（不超过剩余应付），其余继续收。x 撤销上一笔付款。"
        "Esc 不收款返回；已收了款项时会先列出并询问。全部付清之前不记录任何交易。",
        "Type the cash the customer gives first, then s": "请先输入顾客给的现金金额，再按 s",
        "Part cash cannot be more than what is left ({due}); Enter takes cash with change": "部分现金不能超过剩余应付（{due}）；需要找零请按回车收现金",
        "Leave the payment?": "放弃本次收款？",
        "Tenders taken so far:": "已收款项：",
        "Nothing is recorded. Give back any money already taken.": "不会记录任何交易。已收的钱请退还顾客。",
    }
)

# The Linux console (issue 17, item 6): a store with no English name is called by its code.
ZH.update(
    {
        "Store {code}": "门店 {code}",
    }
)


# Long views at 80x24: the keys that scroll them, and the pages that say so (issue 17).
ZH.update(
    {
        "Page down": "下一页",
        "Page up": "上一页",
        "End": "到末尾",
        "Top": "到开头",
        "Scroll down": "向下",
        "Scroll up": "向上",
        "The X report of this till's open shift: sales and refunds per tender; the cash the drawer "
        "should hold stays at the top. PageDown and PageUp scroll the report (End and Home jump to its "
        "ends). F5 prints it. F6/F7 record cash put in or taken out. F9 counts the drawer and closes "
        "the shift (Z report).": "本收银台当前班次的 X 报表：各支付方式的销售和退款；钱箱应有现金固定显示在上方。"
        "PageDown / PageUp 翻动报表（End / Home 跳到末尾 / 开头）。F5 打印；F6/F7 记录存入或取出现金；"
        "F9 清点钱箱并交班（Z 报表）。",
        "Hand over what the line under the title says, have the customer sign the store copy of the "
        "voucher, then press F9. PageDown and PageUp scroll the voucher (End and Home jump to its "
        "ends); the amount stays at the top. F8 prints the voucher again. Escape finishes later: the "
        "refund stays paid, to complete from the refund list.": "按标题下方那一行把钱退给顾客，请顾客在退款单据的门店联上签字，"
        "然后按 F9。PageDown / PageUp 翻动单据（End / Home 跳到末尾 / 开头），退款金额固定显示在上方。"
        "F8 重打单据。Esc 稍后再办：退款保持已退款状态，可在退款列表中完成。",
    }
)
