"""Helpers for pressclub's tests: builders of page trees and people, and the shared test data.

The root ``conftest.py`` turns these into pytest fixtures; tests import the builders directly when
they need more than the fixtures give.
"""
