"""The conformance suite: Mirascope v1 features through the decorator."""
