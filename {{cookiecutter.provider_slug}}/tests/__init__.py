"""Tests of {{ cookiecutter.__dist }}, run against a fake {{ cookiecutter.__name_doc }} API on 127.0.0.1."""
