"""Tests of the template: render it, then check and run what it generates."""
