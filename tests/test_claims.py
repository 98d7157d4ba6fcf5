"""The claims machinery (book/_ext/claims.py): the book's claims and their tests agree.

These run without building the book (the build makes the same checks through the
``claims`` Sphinx extension), so a missing test or an unmarked result fails fast.
"""

from __future__ import annotations

import sys
import textwrap

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import claims  # noqa: E402


def test_every_claim_has_a_test_and_every_test_a_claim():
    assert claims.problems(ROOT) == []


def test_the_book_makes_claims():
    # The rules cannot hold vacuously: the chapter's XOR verdict is a claim with a test.
    made = claims.book_claims(ROOT)
    tested = claims.claim_tests(ROOT)
    assert len(made) >= 30
    assert set(made) == set(tested)


PAGE = textwrap.dedent("""\
    ---
    jupytext: {}
    ---
    # A page

    The loss ends at {glue:text}`final_loss:.4f`.

    We draw {glue:text}`set_n_samples` points.

    In this build an epoch took {glue:text}`time_epoch:.2f` s.

    An epoch took {glue:text}`time_epoch:.2f` s.

    The network always learns XOR. {claim}`always-learns`

    The chapter says the network "successfully learns the XOR pattern".

    - a list item that never ends well
    - a list item that states nothing

    ```{code-cell} ipython3
    # code never counts
    ```

    ```{glue:figure} fig
    :alt: a figure of a network that never learns
    The loss does not learn anything.
    ```

    ## Exercises

    1. Does the network always learn?
    """)


def test_the_marking_rules_on_a_sample_page():
    unmarked = claims.unmarked_results(PAGE)
    texts = [block.text for block, _ in unmarked]
    assert texts == [
        "a figure of a network that never learns",
        "The loss ends at {glue:text}`final_loss:.4f`.",
        "An epoch took {glue:text}`time_epoch:.2f` s.",
        "- a list item that never ends well",
        "The loss does not learn anything.",
    ]
    reasons = [reason for _, reason in unmarked]
    assert "alt text" in reasons[0]
    assert "final_loss" in reasons[1] and "'this build'" in reasons[2]
    assert "never" in reasons[3]
    assert claims.claim_marks(PAGE) == [("always-learns", 14)]


def test_problems_name_missing_tests_orphans_and_unmarked_blocks(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "_toc.yml").write_text("root: book/intro\n")
    (tmp_path / "book" / "intro.md").write_text(
        "It never fails. {claim}`never-fails`\n\nIt is always right.\n\n"
        "Twice. {claim}`twice`\n\nTwice again. {claim}`twice`\n")
    (tmp_path / "tests" / "test_x.py").write_text(textwrap.dedent('''\
        import pytest

        @pytest.mark.claim("twice")
        def test_twice():
            """Counted on other seeds."""

        @pytest.mark.claim("gone")
        def test_gone():
            pass
        '''))
    found = "\n".join(claims.problems(tmp_path))
    assert "'never-fails' has no test" in found
    assert "'twice' is marked 2 times" in found
    assert "test_gone checks claim 'gone', which the book no longer makes" in found
    assert "test_gone checks claim 'gone' but has no docstring" in found
    assert "book/intro.md:3: states a result (it says 'always')" in found
    assert len(claims.problems(tmp_path)) == 5


def test_claim_ids_must_be_literal_strings(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(
        "import pytest\nID = 'a'\n@pytest.mark.claim(ID)\ndef test_a():\n    pass\n")
    with pytest.raises(ValueError, match="string literals"):
        claims.claim_tests(tmp_path)
