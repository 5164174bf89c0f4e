"""Settings: the API's name, and what the environment configures.

The default client is configured from the environment, read at each call (not
at import):

- `{{ cookiecutter.api_key_env_var }}`: the API key (required for the default client).
- `{{ cookiecutter.__env_base_url }}`: the base URL, {{ cookiecutter.api_base_url }} by default.
- `{{ cookiecutter.__env_timeout }}`: seconds to wait for the API, more than 0 and at most a
  day; 600 by default (connecting: at most 5).
- `{{ cookiecutter.__env_max_retries }}`: retries of a failed request, 2 by default.

Nothing else is here: the clients built from these settings are
`_clients.py`'s, and the key's redaction is `_redaction.py`'s.
"""

import math
import os

import httpx

from .errors import {{ cookiecutter.__prefix }}MissingAPIKeyError

PROVIDER_NAME = {{ cookiecutter.provider_name | tojson }}
"""The API's name, as messages show it."""
API_KEY_ENV = "{{ cookiecutter.api_key_env_var }}"
BASE_URL_ENV = "{{ cookiecutter.__env_base_url }}"
TIMEOUT_ENV = "{{ cookiecutter.__env_timeout }}"
MAX_RETRIES_ENV = "{{ cookiecutter.__env_max_retries }}"
DEFAULT_BASE_URL = "{{ cookiecutter.api_base_url }}"
DEFAULT_TIMEOUT = 600.0
MAX_CONNECT_TIMEOUT = 5.0
MAX_TIMEOUT = 86_400.0
"""The longest timeout `{{ cookiecutter.__env_timeout }}` may set: a day."""
DEFAULT_MAX_RETRIES = 2


def base_url() -> str:
    """Returns the API base URL: `{{ cookiecutter.__env_base_url }}` if set, else the default."""
    return os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL


def configured_api_key() -> str | None:
    """Returns the API key from `{{ cookiecutter.api_key_env_var }}`, or `None` if unset or empty."""
    return os.environ.get(API_KEY_ENV) or None


def require_api_key() -> str:
    """Returns the API key from `{{ cookiecutter.api_key_env_var }}`.

    Raises:
        {{ cookiecutter.__prefix }}MissingAPIKeyError: if the variable is unset or empty.
    """
    if key := configured_api_key():
        return key
    raise {{ cookiecutter.__prefix }}MissingAPIKeyError(
        f"No API key: set the {API_KEY_ENV} environment variable, or pass an "
        "httpx client that authenticates (`client=`)."
    )


def _number_from_env(name: str, default: float, *, integer: bool) -> float:
    """Reads a setting from the environment, failing clearly.

    A whole number, 0 or more; or seconds, more than 0 and at most
    `MAX_TIMEOUT`: 0 s would time every request out before it is sent, and
    the clocks under httpx take neither nan nor infinity (nor, on a sync
    client, much more than 292 years).
    """
    value = os.environ.get(name)
    if not value:
        return default
    try:
        number = int(value) if integer else float(value)
    except ValueError:
        number = math.nan  # refused below: any comparison with nan is false
    if (number >= 0) if integer else (0 < number <= MAX_TIMEOUT):
        return number
    kind = (
        "a whole number, 0 or more"
        if integer
        else f"a number of seconds, more than 0 and at most {MAX_TIMEOUT:.0f} (a day)"
    )
    raise ValueError(f"{name} must be {kind}; it is {value!r}.")


def timeout_seconds() -> float:
    """Returns the seconds `{{ cookiecutter.__env_timeout }}` sets, else 600."""
    return _number_from_env(TIMEOUT_ENV, DEFAULT_TIMEOUT, integer=False)


def timeout() -> httpx.Timeout:
    """Returns the default client's timeouts: `{{ cookiecutter.__env_timeout }}`, else 600 s."""
    seconds = timeout_seconds()
    return httpx.Timeout(seconds, connect=min(seconds, MAX_CONNECT_TIMEOUT))


def max_retries() -> int:
    """Returns the default client's retries: `{{ cookiecutter.__env_max_retries }}`, else 2."""
    return int(_number_from_env(MAX_RETRIES_ENV, DEFAULT_MAX_RETRIES, integer=True))
