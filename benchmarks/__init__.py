"""Benchmarks of the template and of the provider it generates.

Run `python -m benchmarks` from the repository root; `run.py` says what is
measured and how, and `docs/benchmarks.md` holds the latest results.
"""
