"""Multimodal input: images, audio and documents, as far as the format has them."""

import pytest
from mirascope.core import prompt_template
from mirascope.core.base import (
    AudioPart,
    AudioURLPart,
    BaseMessageParam,
    CacheControlPart,
    DocumentPart,
    DocumentURLPart,
    ImagePart,
    TextPart,
)

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__call_fn }}

from ..capabilities import MISSING
from ..conftest import Runner
from ..fake_exchange import SentImage, SentMedia, SentPart, SentText
from ..fake_server import FakeAPI

MODEL = "{{ cookiecutter.default_model }}"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
WAV = b"RIFF$\x00\x00\x00WAVEfmt "
PDF = b"%PDF-1.4\n"

PARTS = {
    "audio": AudioPart(type="audio", media_type="audio/wav", audio=WAV),
    "audio_url": AudioURLPart(type="audio_url", url="https://x.test/a.wav"),
    "document": DocumentPart(
        type="document", media_type="application/pdf", document=PDF
    ),
    "document_url": DocumentURLPart(type="document_url", url="https://x.test/a.pdf"),
    "cache_control": CacheControlPart(type="cache_control", cache_type="ephemeral"),
}
SENT: dict[str, tuple[SentPart, ...]] = {
    "audio": (SentMedia("audio", media_type="audio/wav", data=WAV),),
    "audio_url": (SentMedia("audio", url="https://x.test/a.wav"),),
    "document": (SentMedia("document", media_type="application/pdf", data=PDF),),
    "document_url": (SentMedia("document", url="https://x.test/a.pdf"),),
    "cache_control": (),
}


def lacking(feature: str) -> tuple[pytest.MarkDecorator, ...]:
    """The marks of a test of `feature`: an expected failure if the format lacks it."""
    if feature in MISSING:
        return (
            pytest.mark.xfail(reason=MISSING[feature], raises=ValueError, strict=True),
        )
    return ()


def describe(image: bytes | str) -> None:
    """The prompt function of the image tests."""


def test_image_bytes(fake_api: FakeAPI, run: Runner) -> None:
    """An image given as bytes reaches the wire as data, with its media type."""
    fake_api.reply("A tiny image.")
    run(describe, prompt_template("Describe {image:image}"), {{ cookiecutter.__call_fn }}(MODEL))(PNG)
    [message] = fake_api.last.sent.messages
    assert message.parts == (
        SentText("Describe"),
        SentImage(media_type="image/png", data=PNG),
    )


def test_image_url(fake_api: FakeAPI, run: Runner) -> None:
    """An image given by URL reaches the wire as that URL."""
    fake_api.reply("A cat.")
    url = "https://x.test/cat.png"
    run(describe, prompt_template("Describe {image:image}"), {{ cookiecutter.__call_fn }}(MODEL))(url)
    [message] = fake_api.last.sent.messages
    assert message.parts == (SentText("Describe"), SentImage(url=url))


def _send(feature: str, run: Runner) -> None:
    def ask() -> list[BaseMessageParam]:
        content = [TextPart(type="text", text="Look."), PARTS[feature]]
        return [BaseMessageParam(role="user", content=content)]

    run(ask, {{ cookiecutter.__call_fn }}(MODEL))()


@pytest.mark.parametrize("feature", [pytest.param(f, marks=lacking(f)) for f in PARTS])
def test_media_parts_reach_the_wire(
    fake_api: FakeAPI, run: Runner, feature: str
) -> None:
    """Audio, documents and cache marks reach the wire, where the format has them."""
    fake_api.reply("Seen.")
    _send(feature, run)
    [message] = fake_api.last.sent.messages
    assert message.parts == (SentText("Look."), *SENT[feature])


@pytest.mark.parametrize("feature", sorted(MISSING))
def test_what_the_format_lacks_is_refused_clearly(run: Runner, feature: str) -> None:
    """A part the format cannot carry fails before sending, saying what it takes."""
    with pytest.raises(ValueError, match=f"cannot take a '{feature}' part") as raised:
        _send(feature, run)
    assert "the parts it takes are" in str(raised.value)


def test_an_image_of_an_unsupported_type_is_refused(run: Runner) -> None:
    """An image the API cannot read fails, naming its media type and the allowed."""
    tiff = ImagePart(
        type="image", media_type="image/tiff", image=b"II*\x00", detail=None
    )

    def ask() -> list[BaseMessageParam]:
        return [BaseMessageParam(role="user", content=[tiff])]

    with pytest.raises(ValueError, match="media type 'image/tiff'") as raised:
        run(ask, {{ cookiecutter.__call_fn }}(MODEL))()
    assert "image/png" in str(raised.value)
