"""The fake API itself: it answers and refuses as the real API does.

The rows are the format's (`wire_cases.FAKE_API`); what is checked here holds
for every format: a wrong key, an unknown path, a request with no reply queued.
"""

from typing import Any, cast

import httpx
import pytest

from {{ cookiecutter.__pkg }}._wire import WIRE

from . import fake_wire, wire_cases
from .conftest import FAKE_API_KEY
from .fake_server import FakeAPI
from .wire_table import FakeCase


def a_valid_request() -> FakeCase:
    """A valid request, from the rows (one queues a reply)."""
    valid = [case for case in getattr(wire_cases, "FAKE_API", []) if case.reply]
    if not valid:
        pytest.fail("tests/wire_cases.py has no FAKE_API row of a valid request.")
    return valid[0]


def _id(case: FakeCase) -> str:
    return case.id


def post(
    api: FakeAPI,
    case: FakeCase,
    headers: dict[str, str] | None = None,
    path: str | None = None,
) -> httpx.Response:
    """Posts a row's request body to the fake API, with the row's headers."""
    if headers is None and case.headers is not None:
        headers = dict(case.headers)
    if headers is None:
        headers = fake_wire.auth_headers(FAKE_API_KEY)
    url = f"{api.url}/{case.path if path is None else path}"
    return httpx.post(url, json=case.body, headers=headers)


def holds(value: Any, expected: Any) -> bool:
    """Whether `value` holds every key of `expected` with its value (nested)."""
    if isinstance(expected, dict) and isinstance(value, dict):
        wanted, found = cast(dict[str, Any], expected), cast(dict[str, Any], value)
        return all(
            key in found and holds(found[key], inner) for key, inner in wanted.items()
        )
    return value == expected


@pytest.mark.parametrize("case", getattr(wire_cases, "FAKE_API", []), ids=_id)
def test_the_fake_api_answers_as_the_api(fake_api: FakeAPI, case: FakeCase) -> None:
    """A row's request gets the row's status, error message and answer."""
    if case.reply:
        fake_api.reply("Dune.")
    response = post(fake_api, case)
    assert response.status_code == case.status, response.text
    if case.message is not None:
        assert case.message in (WIRE.error_message(response.content) or "")
    if case.answer is not None:
        assert holds(response.json(), case.answer), response.text


def test_a_wrong_key_is_refused(fake_api: FakeAPI) -> None:
    """A request with a wrong key is refused as the API refuses it."""
    headers = fake_wire.auth_headers("wrong")
    response = post(fake_api, a_valid_request(), headers)
    status, body = fake_wire.refuse_key()
    assert (response.status_code, response.json()) == (status, body)


def test_an_unknown_path_is_not_found(fake_api: FakeAPI) -> None:
    """A request to a path the API does not serve gets a 404."""
    response = post(fake_api, a_valid_request(), path="no/such/path")
    assert response.status_code == httpx.codes.NOT_FOUND


def test_a_valid_request_without_a_reply(fake_api: FakeAPI) -> None:
    """A valid request when no reply is queued says so."""
    response = post(fake_api, a_valid_request())
    assert response.status_code == httpx.codes.BAD_REQUEST
    assert "no reply queued" in (WIRE.error_message(response.content) or "")
