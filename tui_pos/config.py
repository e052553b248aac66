"""Configuration: defaults from tui_pos/data/config.toml, then a user TOML file, then environment.

One frozen dataclass is handed to everything that needs settings; nothing reads the
environment anywhere else.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui_pos.domain.policy import PolicyRule, RefundPolicy
from tui_pos.domain.staff import Role
from tui_pos.resources import data_bytes

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

ENV_PREFIX = "TUI_POS_"


class ConfigError(ValueError):
    """A setting that cannot be used; the message names it."""


@dataclass(frozen=True)
class PrinterConfig:
    backend: str = "none"  # no printer until one is set up; "training" is the on-screen printer of training mode
    width: int = 32
    encoding: str = "gbk"
    usb_vendor: int = 0x0416
    usb_product: int = 0x5011
    usb_in_ep: int = 0x82
    usb_out_ep: int = 0x01
    profile: str = "default"  # python-escpos capability profile: which barcodes/QR the firmware draws
    device: str = "/dev/usb/lp0"
    host: str = "127.0.0.1"
    port: int = 9100
    serial_port: str = "/dev/ttyUSB0"
    baudrate: int = 9600
    drawer_pin: int = 2
    timeout_seconds: int = 5
    font: str = "gbk"  # the printer's Chinese font: "gb2312" prints GBK-only characters (喆, 丼) as □
    flow_control: str = "none"  # serial: "rtscts" or "xonxoff" when the cable/printer does it; else paced


@dataclass(frozen=True)
class MemberLevel:
    code: str
    name: str
    discount_bp: int  # basis points off the whole sale, 100 = 1 %
    name_en: str = ""  # shown with the English UI; "" = the name above


@dataclass(frozen=True)
class ShiftConfig:
    variance_note_over: int = 1000  # cents: a bigger difference between counted and expected needs a note


@dataclass(frozen=True)
class SecurityConfig:
    max_failed_pins: int = 5  # wrong PINs in a row before that staff code is locked ...
    lockout_minutes: int = 30  # ... for this long (PCI DSS 8.3.4: at least 30 minutes)
    idle_lock_minutes: int = 5  # no key for this long: back to the login screen (0 = never)
    weak_pins: str = "refuse"  # refuse or allow new PINs like 1111 or 1234 (stored ones always work)
    min_pin_length: int = 4  # digits a new PIN needs (4 to 8)


@dataclass(frozen=True)
class BackupConfig:
    at_shift_close: bool = True  # a backup after every shift close (the live shop only)
    folder: str = ""  # "" = backups/ in the data folder; e.g. a USB stick's mount point
    keep: int = 14
    copy_to: str = ""  # "" = no second copy; e.g. a USB stick or a mounted share: each good backup is copied there too


@dataclass(frozen=True)
class CentralConfig:
    """[central]: the head office this store uploads to and pulls prices and policies from."""

    url: str = ""  # "" = a store on its own: no upload, nothing about head office on screen
    batch: int = 500  # outbox rows per upload transaction
    interval_s: int = 5  # seconds between rounds while the link is up
    timezone: str = ""  # the shop's zone (e.g. "Asia/Shanghai"); "" = the machine's own


@dataclass(frozen=True)
class RefundFlags:
    """When a member or cashier is worth a look (refund analytics, member profile, wizard step 1)."""

    member_days: int = 90
    member_rate_bp: int = 3000  # refunded / bought over member_days, 3000 = 30 %
    member_count: int = 4  # or this many refunds in member_days
    cashier_factor: int = 2  # a cashier's refund rate this many times the store's
    cashier_min_refunds: int = 5
    edge_minutes: int = 15  # refunds this close to shift open or close
    just_under_bp: int = 8000  # refunds at 80-100 % of the approval limit ...
    just_under_count: int = 3  # ... this many times by one cashier


@dataclass(frozen=True)
class Config:
    store_name: str = "tui-pos"
    store_name_en: str = ""  # the name with the English UI (and on the Linux console); "" = store_name
    store_code: str = "01"
    till_code: str = "01"
    currency_symbol: str = "￥"
    language: str = "auto"
    console_safe: str = "auto"  # auto (on TERM=linux), true, false: draw only what the Linux console can
    data_dir: Path = Path(".")
    db_path: Path = Path("shop.db")
    training: bool = False
    earn_points_per_yuan: int = 1
    cents_per_point: int = 1
    member_levels: tuple[MemberLevel, ...] = ()
    categories_en: Mapping[str, str] = field(default_factory=dict)  # category -> its English name
    refund_limits: Mapping[str, int] = field(default_factory=dict)
    printer: PrinterConfig = PrinterConfig()
    refund_policy: RefundPolicy = RefundPolicy()
    shifts: ShiftConfig = ShiftConfig()
    refund_flags: RefundFlags = RefundFlags()
    security: SecurityConfig = SecurityConfig()
    backup: BackupConfig = BackupConfig()
    central: CentralConfig = CentralConfig()

    def level(self, code: str) -> MemberLevel:
        for level in self.member_levels:
            if level.code == code:
                return level
        return MemberLevel(code, code, 0)

    @property
    def order_prefix(self) -> str:
        """Training numbers start with T so a training receipt is never taken for a live one."""
        return "T" if self.training else ""


def default_data_dir(env: Mapping[str, str]) -> Path:
    if env.get("TUI_POS_HOME"):
        return Path(env["TUI_POS_HOME"]).expanduser()
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tui-pos"


def default_config_path(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tui-pos" / "config.toml"


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def _env_overrides(env: Mapping[str, str], raw: dict[str, Any]) -> dict[str, Any]:
    """TUI_POS_STORE_NAME=x sets store_name; TUI_POS_PRINTER_BACKEND=usb sets printer.backend."""
    out: dict[str, Any] = {}
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX) or name == "TUI_POS_HOME":
            continue
        key = name[len(ENV_PREFIX) :].lower()
        if key.startswith("printer_") and key[len("printer_") :] in PrinterConfig.__dataclass_fields__:
            out.setdefault("printer", {})[key[len("printer_") :]] = value
        elif key.startswith("central_") and key[len("central_") :] in CentralConfig.__dataclass_fields__:
            out.setdefault("central", {})[key[len("central_") :]] = value  # TUI_POS_CENTRAL_URL
        elif key in raw and not isinstance(raw[key], Mapping):
            out[key] = value
    return out


def _as_int(section: str, key: str, value: Any) -> int:
    if isinstance(value, bool):
        raise ConfigError(f"{section}.{key} must be a whole number, not {value!r}")
    if isinstance(value, int):
        return value
    try:
        return int(str(value), 0)
    except ValueError:
        raise ConfigError(f"{section}.{key} must be a whole number, not {value!r}") from None


BACKENDS = ("none", "training", "usb", "device", "network", "serial", "file")


def _printer(raw: Mapping[str, Any]) -> PrinterConfig:
    kwargs: dict[str, Any] = {}
    for name, fld in PrinterConfig.__dataclass_fields__.items():
        if name in raw:
            kwargs[name] = _as_int("printer", name, raw[name]) if fld.type == "int" else str(raw[name])
    printer = PrinterConfig(**kwargs)
    if printer.width not in (32, 42, 48):
        raise ConfigError("printer.width must be 32 (58 mm), 42 or 48 (80 mm)")
    if printer.backend not in BACKENDS:
        raise ConfigError(f"printer.backend {printer.backend!r} is not one of {', '.join(BACKENDS)}")
    from tui_pos.devices.encoding import ENCODINGS  # pure, no escpos import

    if printer.encoding.lower() not in ENCODINGS:
        raise ConfigError(f"printer.encoding {printer.encoding!r} is not one of {', '.join(ENCODINGS)}")
    if printer.drawer_pin not in (2, 5):
        raise ConfigError("printer.drawer_pin must be 2 or 5")
    if not 1 <= printer.timeout_seconds <= 60:
        raise ConfigError("printer.timeout_seconds must be between 1 and 60")
    return _printer_from_profile(printer, explicit_width="width" in raw)


def _printer_from_profile(printer: PrinterConfig, *, explicit_width: bool) -> PrinterConfig:
    """font and flow_control checked; a code page the profile lacks refused with the fix; the
    width taken from the profile's dots when the config does not set it (512 dots: 42 columns)."""
    from tui_pos.devices.encoding import FONTS, is_chinese

    if printer.font not in FONTS:
        raise ConfigError(f"printer.font {printer.font!r} is not one of {', '.join(FONTS)}")
    if printer.flow_control not in ("none", "rtscts", "xonxoff"):
        raise ConfigError("printer.flow_control must be none, rtscts or xonxoff")
    needs_code_page = not is_chinese(printer.encoding)
    if printer.profile == "default" and not needs_code_page:
        return printer  # nothing to look up (and python-escpos stays unloaded)
    if explicit_width and not needs_code_page:
        return printer
    from tui_pos.devices.profiles import ProfileError, profile_facts

    try:
        facts = profile_facts(printer.profile)
        facts.code_page(printer.encoding)
    except ProfileError as exc:
        raise ConfigError(str(exc)) from None
    if not explicit_width and facts.columns:
        printer = replace(printer, width=facts.columns)
    return printer


def _refund_policy(raw: Mapping[str, Any], limits: Mapping[str, int]) -> RefundPolicy:
    rules = {}
    for code, spec in raw.get("rules", {}).items():
        window = spec.get("window_hours")
        rules[code] = PolicyRule(
            code=code,
            description=str(spec.get("description", code)),
            description_zh=str(spec.get("description_zh", "")),
            refundable=bool(spec.get("refundable", True)),
            window_hours=None if window is None else _as_int("refund_policy.rules", code, window),
            unopened_only=bool(spec.get("unopened_only", False)),
        )
    role_limits: dict[Role, int | None] = {}
    for role in Role:
        value = limits.get(role.code, 0)
        role_limits[role] = None if value < 0 else value
    try:
        no_receipt_role = Role.parse(str(raw.get("no_receipt_role", "manager")))
    except ValueError as exc:
        raise ConfigError(f"refund_policy.no_receipt_role: {exc}") from None
    return RefundPolicy(
        **_refund_tenders(raw),
        window_days=_as_int("refund_policy", "window_days", raw.get("window_days", 7)),
        level_window_days={k: _as_int("refund_policy", k, v) for k, v in raw.get("level_window_days", {}).items()},
        approval_outside_window=bool(raw.get("approval_outside_window", True)),
        no_receipt_role=no_receipt_role,
        fee_bp={k: _as_int("refund_policy.fee_bp", k, v) for k, v in raw.get("fee_bp", {}).items()},
        categories={str(k): str(v) for k, v in raw.get("categories", {}).items()},
        rules=rules,
        limits=role_limits,
    )


def _refund_tenders(raw: Mapping[str, Any]) -> dict[str, Any]:
    """[refund_policy] spent_points, tender_order and [refund_policy.tenders]: where money goes back."""
    from tui_pos.domain.refund_tenders import DEFAULT_TENDER_ORDER, DEFAULT_TENDER_WAYS, SPENT_POINTS

    spent = str(raw.get("spent_points", "deduct")).strip().lower()
    if spent not in SPENT_POINTS:
        raise ConfigError(f"refund_policy.spent_points must be one of {', '.join(SPENT_POINTS)}, not {spent!r}")
    paid_by = tuple(DEFAULT_TENDER_WAYS)
    back = ("cash", "card", "wechat", "alipay", "stored_value")
    ways = dict(DEFAULT_TENDER_WAYS)
    for key, value in raw.get("tenders", {}).items():
        if key == "points":
            raise ConfigError("refund_policy.tenders.points: points always go back as points, never as money")
        if key not in paid_by:
            raise ConfigError(f"refund_policy.tenders.{key}: not a tender ({', '.join(paid_by)})")
        listed = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        if not listed or any(t not in back for t in listed):
            raise ConfigError(f"refund_policy.tenders.{key} must list tenders from {', '.join(back)}, not {value!r}")
        ways[key] = tuple(str(t) for t in listed)
    order = raw.get("tender_order", list(DEFAULT_TENDER_ORDER))
    if not isinstance(order, list) or any(t not in paid_by for t in order):
        raise ConfigError(f"refund_policy.tender_order must list tenders from {', '.join(paid_by)}, not {order!r}")
    order = [*order, *(t for t in DEFAULT_TENDER_ORDER if t not in order)]
    return {"spent_points": spent, "tender_ways": ways, "tender_order": tuple(order)}


def load_config(
    path: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    training: bool = False,
    db_path: Path | None = None,
) -> Config:
    env = dict(os.environ if env is None else env)
    raw = tomllib.loads(data_bytes("config.toml").decode("utf-8"))
    user_path = path or default_config_path(env)
    if path is not None and not path.exists():
        raise ConfigError(f"config file not found: {path}")
    if user_path.exists():
        raw = _merge(raw, _read_toml(user_path))
    raw = _merge(raw, _env_overrides(env, raw))

    data_dir = default_data_dir(env)
    points = raw.get("points", {})
    levels = tuple(
        MemberLevel(code, str(spec[0]), _as_int("member_levels", code, spec[1]), str(spec[2]) if len(spec) > 2 else "")
        for code, spec in raw.get("member_levels", {}).items()
    )
    limit_rules = dict(raw.get("refund_limits", {}))
    per_shift = limit_rules.pop("per_shift", False)
    if not isinstance(per_shift, bool):
        raise ConfigError(f"refund_limits.per_shift must be true or false, not {per_shift!r}")
    self_approval_max = _as_int("refund_limits", "self_approval_max", limit_rules.pop("self_approval_max", 50000))
    if self_approval_max < 0:
        raise ConfigError("refund_limits.self_approval_max cannot be negative")
    limits = {role: _as_int("refund_limits", role, v) for role, v in limit_rules.items()}
    printer = _printer(raw.get("printer", {}))
    if training:
        printer = replace(printer, backend="training")
    elif printer.backend == "training":
        # The on-screen printer belongs to training mode: a live till that names it has no
        # printer (it says so and queues every ticket) rather than "printing" into thin air.
        printer = replace(printer, backend="none")
    if db_path is None:
        db_path = data_dir / ("training.db" if training else "shop.db")
    return Config(
        store_name=str(raw.get("store_name", "tui-pos")),
        store_name_en=str(raw.get("store_name_en", "")),
        store_code=str(raw.get("store_code", "01")),
        till_code=str(raw.get("till_code", "01")),
        currency_symbol=str(raw.get("currency_symbol", "￥")),
        language=str(raw.get("language", "auto")),
        console_safe=_console_safe(raw.get("console_safe", "auto")),
        data_dir=data_dir,
        db_path=Path(db_path),
        training=training,
        earn_points_per_yuan=_as_int("points", "earn_per_yuan", points.get("earn_per_yuan", 1)),
        cents_per_point=max(1, _as_int("points", "cents_per_point", points.get("cents_per_point", 1))),
        member_levels=levels,
        categories_en={str(k): str(v) for k, v in raw.get("categories_en", {}).items()},
        refund_limits=limits,
        printer=printer,
        refund_policy=replace(
            _refund_policy(raw.get("refund_policy", {}), limits),
            limit_per_shift=per_shift,
            self_approval_max=self_approval_max,
        ),
        shifts=_ints(ShiftConfig, "shifts", raw.get("shifts", {})),
        refund_flags=_ints(RefundFlags, "refund_flags", raw.get("refund_flags", {})),
        security=_security(raw.get("security", {})),
        backup=_backup(raw.get("backup", {})),
        central=_central(raw.get("central", {})),
    )


def _security(raw: Mapping[str, Any]) -> SecurityConfig:
    section = dict(raw)
    weak = str(section.pop("weak_pins", "refuse")).strip().lower()
    if weak not in ("refuse", "allow"):
        raise ConfigError(f"security.weak_pins must be refuse or allow, not {weak!r}")
    security = replace(_ints(SecurityConfig, "security", section), weak_pins=weak)
    if not 4 <= security.min_pin_length <= 8:
        raise ConfigError("security.min_pin_length must be between 4 and 8")
    return security


def _console_safe(value: Any) -> str:
    """true / false (TOML booleans too) or auto."""
    text = str(value).strip().lower()
    if text not in ("auto", "true", "false"):
        raise ConfigError(f"console_safe must be auto, true or false, not {value!r}")
    return text


def _backup(raw: Mapping[str, Any]) -> BackupConfig:
    unknown = set(raw) - set(BackupConfig.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"[backup] has unknown keys: {', '.join(sorted(unknown))}")
    flag = raw.get("at_shift_close", True)
    if not isinstance(flag, bool):
        raise ConfigError(f"backup.at_shift_close must be true or false, not {flag!r}")
    keep = _as_int("backup", "keep", raw.get("keep", 14))
    if keep < 1:
        raise ConfigError("backup.keep must be 1 or more")
    return BackupConfig(flag, str(raw.get("folder", "")), keep, str(raw.get("copy_to", "")))


def _central(raw: Mapping[str, Any]) -> CentralConfig:
    unknown = set(raw) - set(CentralConfig.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"[central] has unknown keys: {', '.join(sorted(unknown))}")
    url = str(raw.get("url", "")).strip()
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise ConfigError(f"central.url must start with postgresql://, not {url.split('://')[0]!r}")
    batch = _as_int("central", "batch", raw.get("batch", 500))
    if not 1 <= batch <= 10000:
        raise ConfigError("central.batch must be between 1 and 10000")
    interval = _as_int("central", "interval_s", raw.get("interval_s", 5))
    if not 1 <= interval <= 3600:
        raise ConfigError("central.interval_s must be between 1 and 3600")
    zone = str(raw.get("timezone", "")).strip()
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"central.timezone {zone!r} is not a time zone name (e.g. Asia/Shanghai)") from None
    return CentralConfig(url, batch, interval, zone)


# [refund_policy] settings head office may set, and the RefundPolicy field each one fills
HQ_POLICY_FIELDS = {
    "window_days": "window_days",
    "level_window_days": "level_window_days",
    "approval_outside_window": "approval_outside_window",
    "no_receipt_role": "no_receipt_role",
    "fee_bp": "fee_bp",
    "categories": "categories",
    "rules": "rules",
    "spent_points": "spent_points",
    "tenders": "tender_ways",
    "tender_order": "tender_order",
}


def with_head_office(
    config: Config, levels: Mapping[str, Mapping[str, Any]], policy: Mapping[str, Any]
) -> tuple[Config, list[str]]:
    """The config with head office's member levels and refund policy settings over the file's
    (a level head office sends replaces the one of that code or joins the list), and what could
    not be used, each naming the setting: a bad value is skipped, never half applied."""
    problems: list[str] = []
    by_code = {level.code: level for level in config.member_levels}
    for code, spec in levels.items():
        try:
            known = by_code.get(code)
            discount = spec.get("discount_bp", known.discount_bp if known else 0)
            level = MemberLevel(
                code,
                str(spec.get("name") or (known.name if known else code)),
                _as_int("member_levels", code, discount),
                str(spec.get("name_en", known.name_en if known else "")),
            )
            if not 0 <= level.discount_bp <= 10000:
                raise ConfigError(f"member_levels.{code}: discount must be between 0 and 10000 basis points")
        except ConfigError as exc:
            problems.append(str(exc))
            continue
        by_code[code] = level
    refund_policy = config.refund_policy
    for name, value in policy.items():
        target = HQ_POLICY_FIELDS.get(name)
        try:
            if name == "self_approval_max":
                amount = _as_int("refund_limits", name, value)
                if amount < 0:
                    raise ConfigError("refund_limits.self_approval_max cannot be negative")
                refund_policy = replace(refund_policy, self_approval_max=amount)
            elif target is None:
                raise ConfigError(f"refund_policy.{name} is not a setting head office can send")
            else:
                parsed = _refund_policy({name: value}, {})
                refund_policy = replace(refund_policy, **{target: getattr(parsed, target)})
        except (ConfigError, TypeError, ValueError, AttributeError) as exc:
            problems.append(str(exc) if isinstance(exc, ConfigError) else f"refund_policy.{name}: {value!r}")
    merged = replace(config, member_levels=tuple(by_code.values()), refund_policy=refund_policy)
    return merged, problems


def shop_zone(config: Config) -> ZoneInfo:
    """The zone the shop's clock shows: [central] timezone, else the machine's own (TZ,
    /etc/localtime), else the whole-hour offset it runs at. Times go to head office as UTC."""
    for name in (config.central.timezone, os.environ.get("TZ", "").lstrip(":")):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                pass
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return ZoneInfo(target.split("zoneinfo/", 1)[1])
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    offset = datetime.now().astimezone().utcoffset()
    hours = round(offset.total_seconds() / 3600) if offset is not None else 0
    return ZoneInfo("UTC" if hours == 0 else f"Etc/GMT{-hours:+d}")  # POSIX signs: Etc/GMT-8 is UTC+8


_Section = TypeVar("_Section", bound="DataclassInstance")


def _ints(cls: type[_Section], section: str, raw: Mapping[str, Any]) -> _Section:
    """A section of whole numbers (cents, counts, basis points); unknown keys are an error."""
    unknown = set(raw) - set(cls.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"[{section}] has unknown keys: {', '.join(sorted(unknown))}")
    values = {key: _as_int(section, key, value) for key, value in raw.items()}
    if any(v < 0 for v in values.values()):
        raise ConfigError(f"[{section}] values cannot be negative")
    return cls(**values)
