"""When two printed agency names are one agency (洪泽区人民政府 / 淮安市洪泽区人民政府)."""

from __future__ import annotations

_REGION_END = "省市县区州盟旗"


def same_agency(a: str | None, b: str | None) -> bool:
    """Two printed names of one agency: equal, or one is the other with a region prefix (洪泽区人民政府 /
    淮安市洪泽区人民政府)."""
    if not a or not b:
        return False
    a, b = a.replace(" ", ""), b.replace(" ", "")
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    prefix = long_[: len(long_) - len(short)]
    return (len(short) >= 4 and long_.endswith(short) and prefix[-1] in _REGION_END
            and short[0] not in _REGION_END + "镇乡")


def agency_keys(name: str) -> tuple[str, ...]:
    """The name (without spaces) and every shorter name :func:`same_agency` takes for it: a name matches another
    exactly when one's first key is among the other's keys. Lets a store find an agency's reports by equality."""
    name = name.replace(" ", "")
    if not name:
        return ()
    return (name,) + tuple(name[i:] for i in range(1, len(name) - 3)
                           if name[i - 1] in _REGION_END and name[i] not in _REGION_END + "镇乡")
