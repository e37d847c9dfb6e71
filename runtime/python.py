
# ---------------------------------------------------------------------------
# The value types: every field keeps only its low-resolution value, reduced
# from the raw input in the constructor, so an off-resolution value cannot be
# built. The same reductions as the Rust crate's `values` module, held equal
# by privet's conformance corpus.

import bisect as _bisect
import datetime as _dt
import json as _json
import uuid as _uuid
from typing import (
    Any,
    ClassVar,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sized,
    Tuple,
    Type,
    TypeVar,
    Union,
)

__all__ = [
    "Rejected",
    "Count",
    "Duration",
    "Version",
    "MajorVersion",
    "MinorVersion",
    "PatchVersion",
    "DayDate",
    "WeekDate",
    "MonthDate",
    "Listed",
    "Set",
    "Map",
    "Text",
    "InstallationId",
]

_V = TypeVar("_V", bound="_Value")
_C = TypeVar("_C", bound="Count")
_D = TypeVar("_D", bound="Duration")
_R = TypeVar("_R", bound="Version")
_Y = TypeVar("_Y", bound="_Date")


class Rejected(ValueError):
    """A raw value that does not fit its field (it is not kept)."""


class _Value:
    """A field's value as sent. Immutable; compared by what is sent."""

    __slots__ = ("_sent",)
    _sent: Any

    def to_json_value(self) -> Any:
        """The value as it appears in the JSON payload."""
        return self._sent

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and bool(self._sent == getattr(other, "_sent", None))

    def __hash__(self) -> int:
        return hash((type(self).__name__, _json.dumps(self._sent, sort_keys=True)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._sent!r})"

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, "_sent"):
            raise AttributeError(f"{type(self).__name__} is immutable")
        object.__setattr__(self, name, value)


def _of_sent(cls: Type[_V], sent: Any) -> _V:
    """A value of `cls` whose sent form is `sent` (already reduced)."""
    value = object.__new__(cls)
    object.__setattr__(value, "_sent", sent)
    return value


def _int(raw: object, what: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise TypeError(f"{what}: expected an int, got {type(raw).__name__}")
    return raw


def _bucket(lower_bounds: Tuple[int, ...], labels: Tuple[str, ...], value: int) -> str:
    # The label of the last lower bound the value reaches.
    return labels[max(_bisect.bisect_right(lower_bounds, value) - 1, 0)]


class Count(_Value):
    """A non-negative count, reported only as its bucket."""

    __slots__ = ()
    LOWER_BOUNDS: ClassVar[Tuple[int, ...]] = (0,)
    LABELS: ClassVar[Tuple[str, ...]] = ("0+",)

    def __init__(self, count: int) -> None:
        """Buckets a raw count; a negative one (a broken counter) counts as 0."""
        self._sent = _bucket(self.LOWER_BOUNDS, self.LABELS, max(_int(count, "count"), 0))

    @classmethod
    def of_len(cls: Type[_C], items: Sized) -> _C:
        """Buckets the length of a collection."""
        return cls(len(items))

    @classmethod
    def from_label(cls: Type[_C], label: str) -> _C:
        """A bucket by its label, as a payload sends it."""
        if label not in cls.LABELS:
            raise Rejected(f"`{label}` is not a bucket of {cls.__name__}")
        return _of_sent(cls, label)

    @property
    def label(self) -> str:
        """The bucket label, as sent."""
        return str(self._sent)


class Duration(_Value):
    """A length of time, reported only as its bucket; edges count whole units."""

    __slots__ = ()
    UNIT: ClassVar[str] = "millisecond"
    UNIT_MILLIS: ClassVar[int] = 1
    LOWER_BOUNDS: ClassVar[Tuple[int, ...]] = (0,)
    LABELS: ClassVar[Tuple[str, ...]] = ("0+",)

    def __init__(self, elapsed: _dt.timedelta) -> None:
        """Buckets a length of time; partial units are dropped, negative ones count as 0."""
        if not isinstance(elapsed, _dt.timedelta):
            raise TypeError(f"duration: expected a datetime.timedelta, got {type(elapsed).__name__}")
        millis = max(elapsed // _dt.timedelta(milliseconds=1), 0)
        self._sent = _bucket(self.LOWER_BOUNDS, self.LABELS, millis // self.UNIT_MILLIS)

    @classmethod
    def from_units(cls: Type[_D], units: int) -> _D:
        """Buckets a number of whole units."""
        return _of_sent(cls, _bucket(cls.LOWER_BOUNDS, cls.LABELS, max(_int(units, "units"), 0)))

    @classmethod
    def from_seconds(cls: Type[_D], seconds: int) -> _D:
        """Buckets a number of seconds; negative values count as 0."""
        return cls(_dt.timedelta(seconds=max(_int(seconds, "seconds"), 0)))

    @classmethod
    def from_millis(cls: Type[_D], millis: int) -> _D:
        """Buckets a number of milliseconds; negative values count as 0."""
        return cls(_dt.timedelta(milliseconds=max(_int(millis, "millis"), 0)))

    @property
    def label(self) -> str:
        """The bucket label, as sent."""
        return str(self._sent)


# Unicode's White_Space characters: what is trimmed around a raw version.
_WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

#: Most digits a version component may have: longer numbers are build ids,
#: timestamps or packed versions, and the version is sent as `unknown`.
MAX_COMPONENT_DIGITS = 4


def _cut_version(raw: str, parts: int) -> str:
    s = raw.strip(_WHITE_SPACE)
    if s[:1] in ("v", "V"):
        s = s[1:]
    kept: List[str] = []
    rest = s
    for i in range(parts):
        if i > 0:
            if not rest.startswith("."):
                return "unknown"
            rest = rest[1:]
        n = 0
        while n < len(rest) and "0" <= rest[n] <= "9":
            n += 1
        if n == 0 or n > MAX_COMPONENT_DIGITS:
            return "unknown"
        number, after = rest[:n], rest[n:]
        # A component ends at a separator ("3a" is not a version), except
        # after the last one kept.
        if i + 1 < parts and after and not after.startswith("."):
            return "unknown"
        kept.append(str(int(number)))
        rest = after
    return ".".join(kept)


def _within(sent: str, ranges: Tuple[Tuple[int, int], ...]) -> str:
    """`sent`, or `unknown` when a part is outside its range."""
    if ranges and sent != "unknown":
        if any(not lo <= int(p) <= hi for p, (lo, hi) in zip(sent.split("."), ranges)):
            return "unknown"
    return sent


class Version(_Value):
    """A version cut to its first PARTS numeric components, or `unknown`."""

    __slots__ = ()
    PARTS: ClassVar[int] = 1
    #: The (smallest, largest) of each part (empty: any of four digits);
    #: a part outside its range makes the whole version `unknown`.
    RANGES: ClassVar[Tuple[Tuple[int, int], ...]] = ()

    def __init__(self, raw: str) -> None:
        """Reduces any version-like string: an optional `v`, then numeric
        components separated by dots; what follows the kept components is
        dropped. Anything else, or a component of more than four digits,
        is `unknown`."""
        if not isinstance(raw, str):
            raise TypeError(f"version: expected a str, got {type(raw).__name__}")
        self._sent = _within(_cut_version(raw, self.PARTS), self.RANGES)

    @classmethod
    def from_numbers(cls: Type[_R], numbers: Iterable[int]) -> _R:
        """A version from numeric components (at least PARTS of them, each below 10000)."""
        kept = [_int(n, "version component") for n in list(numbers)[: cls.PARTS]]
        if len(kept) < cls.PARTS or any(n < 0 or n >= 10**MAX_COMPONENT_DIGITS for n in kept):
            return _of_sent(cls, "unknown")
        return _of_sent(cls, _within(".".join(str(n) for n in kept), cls.RANGES))

    @classmethod
    def unknown(cls: Type[_R]) -> _R:
        return _of_sent(cls, "unknown")

    @property
    def is_unknown(self) -> bool:
        return bool(self._sent == "unknown")

    def __str__(self) -> str:
        return str(self._sent)


class MajorVersion(Version):
    """`"3"`, from `"3.21.4-dev"`."""

    __slots__ = ()
    PARTS = 1


class MinorVersion(Version):
    """`"3.21"`, from `"3.21.4-dev+g1a2b"`."""

    __slots__ = ()
    PARTS = 2


class PatchVersion(Version):
    """`"3.21.4"`, from `"3.21.4-dev+g1a2b"`."""

    __slots__ = ()
    PARTS = 3


_EPOCH = _dt.date(1970, 1, 1)


class _Date(_Value):
    """A calendar date (UTC) truncated to the field's resolution when built."""

    __slots__ = ()
    RESOLUTION: ClassVar[str] = "day"

    def __init__(self, when: Union[_dt.date, _dt.datetime]) -> None:
        """From a date, or from a time-zone-aware datetime (its UTC day). A
        naive datetime is refused: its day depends on a zone it does not name."""
        if isinstance(when, _dt.datetime):
            if when.tzinfo is None or when.utcoffset() is None:
                raise Rejected("a naive datetime has no time zone: pass an aware datetime or a date")
            day = when.astimezone(_dt.timezone.utc).date()
        elif isinstance(when, _dt.date):
            day = when
        else:
            raise TypeError(f"date: expected a datetime.date, got {type(when).__name__}")
        self._sent = self._truncate(day).isoformat()

    @classmethod
    def _truncate(cls, day: _dt.date) -> _dt.date:
        if cls.RESOLUTION == "week":
            return day - _dt.timedelta(days=day.weekday())
        if cls.RESOLUTION == "month":
            return day.replace(day=1)
        return day

    @classmethod
    def from_unix_seconds(cls: Type[_Y], seconds: int) -> _Y:
        """The date of a Unix timestamp (UTC), truncated; clamped to years 1 to 9999."""
        days = min(max(_int(seconds, "seconds") // 86400, -719162), 2932896)
        return cls(_EPOCH + _dt.timedelta(days=days))

    @classmethod
    def today(cls: Type[_Y]) -> _Y:
        """Today (UTC), truncated."""
        return cls(_dt.datetime.now(_dt.timezone.utc))

    @property
    def date(self) -> _dt.date:
        return _dt.date.fromisoformat(str(self._sent))


class DayDate(_Date):
    """A date kept to the day."""

    __slots__ = ()
    RESOLUTION = "day"


class WeekDate(_Date):
    """A date kept to the week: sent as the week's Monday."""

    __slots__ = ()
    RESOLUTION = "week"


class MonthDate(_Date):
    """A date kept to the month: sent as the month's first day."""

    __slots__ = ()
    RESOLUTION = "month"


class Listed(_Value):
    """One of a field's listed values, or `other` for anything not listed."""

    __slots__ = ()
    VALUES: ClassVar[Tuple[str, ...]] = ()
    OTHER: ClassVar[str] = "other"

    def __init__(self, raw: str) -> None:
        """The value `raw` stands for; anything not listed is `other`."""
        if not isinstance(raw, str):
            raise TypeError(f"enum value: expected a str, got {type(raw).__name__}")
        self._sent = raw if raw in self.VALUES else self.OTHER

    @property
    def value(self) -> str:
        return str(self._sent)


_UNKNOWN_BOUNDS = (0, 1, 2, 5)
_UNKNOWN_LABELS = ("0", "1", "2-4", "5+")


class Set(_Value):
    """A subset of a closed list. Items outside the list are never named:
    they are counted, and the count is bucketed."""

    __slots__ = ()
    ITEMS: ClassVar[Tuple[str, ...]] = ()

    def __init__(self, names: Iterable[str]) -> None:
        """The listed items among `names`, in list order; the distinct others are counted."""
        if isinstance(names, str):
            raise TypeError("set: expected an iterable of names, got one str")
        listed = set()
        unknown = set()
        for name in names:
            if not isinstance(name, str):
                raise TypeError(f"set item: expected a str, got {type(name).__name__}")
            if name in self.ITEMS:
                listed.add(name)
            else:
                unknown.add(name)
        self._sent = {
            "items": [item for item in self.ITEMS if item in listed],
            "unknown": _bucket(_UNKNOWN_BOUNDS, _UNKNOWN_LABELS, len(unknown)),
        }

    @property
    def items(self) -> List[str]:
        return list(self._sent["items"])

    def __contains__(self, item: object) -> bool:
        return item in self._sent["items"]


# What a raw map value or metric field may be: a raw input its type
# reduces, or a value already built.
RawValue = Union[bool, int, str, _dt.date, _dt.timedelta, Iterable[str], _Value]


def _reduce(kind: Union[Type[_Value], Type[bool]], raw: Any, what: str) -> Any:
    """`raw` as a value of `kind`: kept when it is one already, reduced otherwise."""
    if kind is bool:
        if not isinstance(raw, bool):
            raise TypeError(f"{what}: expected a bool, got {type(raw).__name__}")
        return raw
    if isinstance(raw, kind):
        return raw
    if (
        isinstance(raw, Version)
        and issubclass(kind, Version)
        and raw.PARTS == kind.PARTS
    ):
        # A version of the right shape, bounded by this field's parts.
        return kind(str(raw))
    if isinstance(raw, _Value):
        raise TypeError(f"{what}: expected {kind.__name__}, got {type(raw).__name__}")
    build: Any = kind
    return build(raw)


def _sent(value: Any) -> Any:
    return value.to_json_value() if isinstance(value, _Value) else value


class Map(_Value):
    """Values by key, for listed keys only: an unlisted key is not sent."""

    __slots__ = ()
    KEYS: ClassVar[Tuple[str, ...]] = ()
    VALUE: ClassVar[Union[Type[_Value], Type[bool]]] = bool

    def __init__(self, values: Mapping[str, Any]) -> None:
        """The listed keys of `values`, each value reduced by the value type."""
        if not isinstance(values, Mapping):
            raise TypeError(f"map: expected a mapping, got {type(values).__name__}")
        kept: Dict[str, Any] = {}
        for key, raw in values.items():
            if key in self.KEYS:
                kept[key] = _sent(_reduce(self.VALUE, raw, f"value of `{key}`"))
        self._sent = {key: kept[key] for key in self.KEYS if key in kept}

    def get(self, key: str) -> Optional[Any]:
        """The sent value of `key`, or None when it is not set."""
        return self._sent.get(key)

    def keys(self) -> List[str]:
        return list(self._sent)


class Text(_Value):
    """A string that matches its field's pattern and length bound.

    The pattern is compiled by privet to a byte automaton, the same table
    the Rust crate uses, so both accept exactly the same strings."""

    __slots__ = ()
    PATTERN: ClassVar[str] = ""
    MAX_LEN: ClassVar[int] = 0
    CLASSES: ClassVar[bytes] = bytes(256)
    CLASS_COUNT: ClassVar[int] = 1
    TRANSITIONS: ClassVar[Tuple[int, ...]] = (0,)
    START: ClassVar[int] = 0
    ACCEPT: ClassVar[Tuple[bool, ...]] = (False,)

    def __init__(self, raw: str) -> None:
        """`raw`, when it matches the pattern whole and is short enough;
        otherwise Rejected (the value is not kept)."""
        if not isinstance(raw, str):
            raise TypeError(f"text: expected a str, got {type(raw).__name__}")
        if not type(self).matches(raw):
            raise Rejected(
                f"the value does not match the pattern `{self.PATTERN}` "
                f"or is longer than {self.MAX_LEN} characters"
            )
        self._sent = raw

    @classmethod
    def matches(cls, raw: str) -> bool:
        if len(raw) > cls.MAX_LEN:
            return False
        try:
            data = raw.encode("utf-8")
        except UnicodeEncodeError:
            return False
        state = cls.START
        for b in data:
            state = cls.TRANSITIONS[state * cls.CLASS_COUNT + cls.CLASSES[b]]
            if state == 0:
                return False
        return cls.ACCEPT[state]

    def __str__(self) -> str:
        return str(self._sent)


class InstallationId:
    """The random id of an installation (a lowercase UUIDv4), stored by the
    client and resettable. Nothing else (a host name, a MAC address) can
    take its place."""

    __slots__ = ("_value",)
    _value: str

    def __init__(self, value: str) -> None:
        """Parses a stored id; only a lowercase hyphenated UUIDv4 is accepted."""
        if not isinstance(value, str) or not InstallationId._valid(value):
            raise Rejected("an installation id is a lowercase hyphenated UUIDv4")
        object.__setattr__(self, "_value", value)

    @staticmethod
    def _valid(s: str) -> bool:
        if len(s) != 36 or any(s[i] != "-" for i in (8, 13, 18, 23)):
            return False
        digits = s.replace("-", "")
        if len(digits) != 32 or any(c not in "0123456789abcdef" for c in digits):
            return False
        return s[14] == "4" and s[19] in "89ab"

    @classmethod
    def generate(cls) -> "InstallationId":
        """A fresh random id."""
        return cls(str(_uuid.uuid4()))

    def __str__(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"InstallationId({self._value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InstallationId) and self._value == other._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("InstallationId is immutable")


class Metric:
    """A metric's payload: its fields, each reduced to its resolution."""

    NAME: ClassVar[str] = ""
    # (key in the payload, attribute), in the order the schema lists them.
    FIELDS: ClassVar[Tuple[Tuple[str, str], ...]] = ()

    def to_dict(self) -> Dict[str, Any]:
        """The metric as its schema describes it (JSON-ready)."""
        return {key: _sent(getattr(self, attr)) for key, attr in self.FIELDS}

    def to_json(self) -> str:
        """The metric as JSON, exactly what its schema accepts."""
        return _json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.to_dict() == getattr(other, "to_dict")()

    def __hash__(self) -> int:
        return hash(self.to_json())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()})"


class Payload:
    """An event payload: the envelope and the metrics it carries."""

    EVENT: ClassVar[str] = ""
    SCHEMA_VERSION: ClassVar[int] = 1
    METRICS: ClassVar[Tuple[str, ...]] = ()
    # Metric name -> first day it is no longer sent (its expiry date).
    EXPIRES: ClassVar[Dict[str, _dt.date]] = {}

    installation_id: InstallationId
    sent: DayDate
    metrics: Dict[str, Metric]

    def _init(
        self,
        installation_id: Union[InstallationId, str],
        sent: Optional[Union[_dt.date, _dt.datetime]],
        metrics: Dict[str, Optional[Metric]],
    ) -> None:
        self.installation_id = (
            installation_id
            if isinstance(installation_id, InstallationId)
            else InstallationId(installation_id)
        )
        self.sent = DayDate.today() if sent is None else DayDate(sent)
        day = self.sent.date
        self.metrics = {}
        for name in self.METRICS:
            metric = metrics.get(name)
            if metric is None:
                continue
            expires = self.EXPIRES.get(name)
            # A metric stops shipping on its expiry date.
            if expires is not None and day >= expires:
                continue
            self.metrics[name] = metric

    def to_dict(self) -> Dict[str, Any]:
        """The payload as its event schema describes it (JSON-ready)."""
        return {
            "installation_id": str(self.installation_id),
            "event": self.EVENT,
            "schema_version": self.SCHEMA_VERSION,
            "sent": self.sent.to_json_value(),
            "metrics": {name: m.to_dict() for name, m in self.metrics.items()},
        }

    def to_json(self) -> str:
        """The payload as JSON, exactly what its event schema accepts."""
        return _json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()})"
