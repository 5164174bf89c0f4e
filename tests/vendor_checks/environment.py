"""Reports what a checker sees: where pydantic comes from, and the SDKs' versions."""

import importlib.metadata
import importlib.util
import json

import pydantic

print(
    json.dumps(
        {
            "pydantic": pydantic.__file__,
            "mirascope": importlib.util.find_spec("mirascope") is not None,
            "versions": {
                name: importlib.metadata.version(name)
                for name in ("google-genai", "openai")
            },
        }
    )
)
