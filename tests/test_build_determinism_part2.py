"""Two executions of the book give identical outputs, part 2 of 2: every other page with code
(the checks are in tests/determinism_checks.py)."""

import pytest

from determinism_checks import check_page, pages

pytestmark = pytest.mark.book


@pytest.mark.parametrize("name", pages(1))
def test_the_build_and_a_second_execution_give_the_same_outputs(book_build, name):
    check_page(book_build, name)
