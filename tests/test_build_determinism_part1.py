"""Two executions of the book give identical outputs, part 1 of 2: the questions page
(the checks are in tests/determinism_checks.py)."""

import pytest

from determinism_checks import check_page, pages

pytestmark = pytest.mark.book
RUN_EARLY = True  # the longest execution: on the first worker, from the start


@pytest.mark.parametrize("name", pages(0))
def test_the_build_and_a_second_execution_give_the_same_outputs(book_build, name):
    check_page(book_build, name)
