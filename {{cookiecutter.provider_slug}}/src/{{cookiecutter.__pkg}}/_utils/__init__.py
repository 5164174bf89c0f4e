"""Helpers that `call_factory` needs, one per module.

Import from the modules themselves (`from ._utils._setup_call import setup_call`):
this package file stays empty so that no import cycle can form through it.
"""
