"""Redaction: secrets kept out of error messages and httpcore's trace.

The secrets are the configured key (`_settings.py`) and the values of a
request's sensitive headers. Errors quote the API's answer through `excerpt`,
redacted and cut short when raised (`_http.py`'s `guarded`). Importing this
module adds `KeyFilter` to httpcore's loggers.
"""

import logging
import re

import httpx

from ._settings import configured_api_key

SENSITIVE_HEADERS = ("authorization", "proxy-authorization", "x-api-key", "api-key")
"""Headers whose values are secrets, whatever the API."""

REDACTED_HEADERS = "redacted_headers"
"""The extension of a request (`httpx.Request.extensions`) that names the
headers its wire format says carry secrets, besides `SENSITIVE_HEADERS`."""

MESSAGE_LIMIT = 500
"""The most characters of the API's own words an error message quotes."""

_MARKED = re.compile("\x02(.*?)\x03", re.DOTALL)
"""An answer marked by `excerpt`, in a message that `guarded` has not quoted yet."""
_UNMARKED = str.maketrans("\x02\x03", "\ufffd\ufffd")


def excerpt(content: bytes | str) -> str:
    """An answer to quote in an error message, marked for `guarded` to quote.

    `guarded` redacts the message, then cuts each excerpt to `MESSAGE_LIMIT`
    characters and quotes it: cut first, a key the answer echoes across the
    cut would keep its start. The mark holds at most twice as many characters,
    so that a key cut off there is dropped by the second cut.
    """
    text = content.decode(errors="replace") if isinstance(content, bytes) else content
    return f"\x02{text[: 2 * MESSAGE_LIMIT].translate(_UNMARKED)}\x03"


def quoted(message: str, secrets: tuple[str, ...]) -> str:
    """`message` redacted, then each excerpt in it cut short and quoted."""
    return _MARKED.sub(lambda m: repr(m[1][:MESSAGE_LIMIT]), redact(message, secrets))


def quote_answer(content: bytes | str) -> str:
    """An answer quoted in an error raised where no request is at hand.

    The stream's chunks are turned into tools outside `guarded`: the quote is
    finished here, redacted of the configured key, then cut.
    """
    return quoted(excerpt(content), secrets_of(None))


def secrets_of(request: httpx.Request | None) -> tuple[str, ...]:
    """The secrets a request carries, longest first.

    They are the configured key, and the values of the request's sensitive
    headers, whole and without their scheme (as in `Bearer <key>`).
    """
    secrets = {configured_api_key() or ""}
    names = request.extensions.get(REDACTED_HEADERS, ()) if request is not None else ()
    for name in (*SENSITIVE_HEADERS, *names):
        value = request.headers.get(name, "") if request is not None else ""
        secrets |= {value, value.partition(" ")[2]}
    return tuple(sorted((s for s in secrets if len(s) >= 4), key=len, reverse=True))


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """Returns `text` without any of the secrets."""
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return text


def scrub(error: BaseException, secrets: tuple[str, ...]) -> None:
    """Redacts the text of `error`, and of the errors it came from, in place.

    httpx's errors may quote what the server sent (a malformed header line).
    """
    current: BaseException | None = error
    while current is not None:
        current.args = tuple(
            redact(arg, secrets) if isinstance(arg, str) else arg
            for arg in current.args
        )
        current = current.__cause__ or current.__context__


TRACE_LOGGERS = (
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)
"""httpcore's loggers: at DEBUG, they trace each exchange, with the response
headers as they arrive."""


class KeyFilter(logging.Filter):
    """Takes the configured API key out of the records of httpcore's trace.

    A server that echoes the key in a response header (a request id) would show
    it in a DEBUG log. Only the configured key is known here: a key set in your
    own client's headers is not.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redacts the record's message in place; keeps every record."""
        message = record.getMessage()
        redacted = redact(message, secrets_of(None))
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_KEY_FILTER = KeyFilter()
for _logger in TRACE_LOGGERS:
    logging.getLogger(_logger).addFilter(_KEY_FILTER)
