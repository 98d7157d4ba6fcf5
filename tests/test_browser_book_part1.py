"""The built book in headless Chromium, part 1 of 2: every other page of the site,
from page 0 on (the checks are in tests/browser_book_checks.py)."""

from browser_book_checks import *  # noqa: F401,F403  (the shared tests and fixtures)

PART = 0
