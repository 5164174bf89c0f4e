"""Tests of {{ cookiecutter.__dist }}, run against a fake {{ cookiecutter.provider_name }} API on 127.0.0.1."""
