"""SMS providers: how a text reaches an officer's phone.

A provider is any object with `async send(phone, text)` that returns once the text is
handed over and raises (any exception) when it was not: the outbox retries it later.
`YANGGUANG_SMS_PROVIDER` picks one:

- `log` (the default): writes each text to the log and keeps the last ones in memory;
  for development and tests, nothing leaves the machine.
- `package.module:Name`: a provider of your own (a class or a factory, called with no
  arguments). It reads its vendor's credentials from the environment itself; none are
  ever stored in the database or in settings files.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections import deque
from typing import Protocol, runtime_checkable

from supervision.masking import mask_phone

log = logging.getLogger(__name__)

LOG = "log"
_CUSTOM = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


class SmsError(RuntimeError):
    """A text was not handed over; the message says why (kept as the notification's error)."""


@runtime_checkable
class SmsProvider(Protocol):
    """Sends one text message; raises when it was not accepted for delivery."""

    async def send(self, phone: str, text: str) -> None: ...


class LoggingSmsProvider:
    """Development provider: logs each text (phone masked) and keeps the last `keep`."""

    def __init__(self, keep: int = 200) -> None:
        self.sent: deque[tuple[str, str]] = deque(maxlen=keep)

    async def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", mask_phone(phone), text)
        self.sent.append((phone, text))

    def to(self, phone: str) -> list[str]:
        """The texts kept for one phone, oldest first."""
        return [text for to, text in self.sent if to == phone]


def is_provider_name(name: str) -> bool:
    """Whether `name` is a valid value of YANGGUANG_SMS_PROVIDER (checked at start)."""
    return name == LOG or bool(_CUSTOM.match(name))


def sms_provider(name: str = LOG) -> SmsProvider:
    """The provider a YANGGUANG_SMS_PROVIDER value names."""
    if name == LOG:
        return LoggingSmsProvider()
    if not _CUSTOM.match(name):
        raise ValueError(f"SMS provider {name!r}: use 'log' or 'package.module:Name'")
    module_name, _, attr = name.partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    provider = factory()
    if not isinstance(provider, SmsProvider):
        raise TypeError(f"SMS provider {name!r} has no async send(phone, text)")
    return provider
