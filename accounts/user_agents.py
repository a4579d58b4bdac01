"""A device's name read from its User-Agent, for the list of remembered devices: "Android 手机 · Chrome".

Only the kind of device and the browser: enough for a person to tell their phone from their office
computer. Anything not recognised is an unknown device, never an error.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# (marker in the User-Agent, kind of device), first match wins: HarmonyOS and iPad before the
# Android and Mac they also claim to be.
_PLATFORMS = (
    ("HarmonyOS", _l("HarmonyOS phone")),
    ("OpenHarmony", _l("HarmonyOS phone")),
    ("iPhone", _l("iPhone")),
    ("iPad", _l("iPad")),
    ("Android", None),  # phone or tablet: see _android
    ("Windows", _l("Windows computer")),
    ("Macintosh", _l("Mac")),
    ("CrOS", _l("Chromebook")),
    ("Linux", _l("Linux computer")),
)

# (marker, browser), first match wins: the apps and vendor browsers before the Chrome or Safari
# their User-Agent also names.
_BROWSERS = (
    ("MicroMessenger", _l("WeChat")),
    ("DingTalk", _l("DingTalk")),
    ("HuaweiBrowser", _l("Huawei Browser")),
    ("MiuiBrowser", _l("Xiaomi Browser")),
    ("QQBrowser", _l("QQ Browser")),
    ("UCBrowser", _l("UC Browser")),
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("FxiOS", "Firefox"),
    ("Firefox/", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)


def _android(user_agent: str):
    # Android phones say "Mobile"; Android tablets do not.
    return _l("Android phone") if "Mobile" in user_agent else _l("Android tablet")


def describe_user_agent(user_agent: str | None) -> str:
    """The kind of device and its browser: Android 手机 · Chrome, iPhone · 微信, or 未知设备."""
    text = user_agent or ""
    platform = next((kind or _android(text) for marker, kind in _PLATFORMS if marker in text), None)
    browser = next((name for marker, name in _BROWSERS if marker in text), None)
    parts = [str(part) for part in (platform, browser) if part is not None]
    return " · ".join(parts) if parts else _("Unknown device")
