"""accuracy: what counts as a right answer, at the boundaries."""

from __future__ import annotations

import numpy as np
import pytest

from scratchnet import accuracy


def test_an_output_of_exactly_one_half_predicts_zero():
    """One output column: the prediction is 1 only above 0.5, and a target of exactly
    0.5 counts as class 0 too (as NeuralNetwork.predict)."""
    output = np.array([[0.5], [0.5000001], [0.4999999]])
    assert accuracy(output, np.array([[0.0], [1.0], [0.0]])) == 1.0
    assert accuracy(output, np.array([[1.0], [0.0], [1.0]])) == 0.0
    assert accuracy(np.array([[0.9]]), np.array([[0.5]])) == 0.0


def test_several_columns_take_the_largest():
    """Several columns: the predicted class is the column with the largest value, against
    labels or one-hot rows; the count is exact."""
    scores = np.array([[0.1, 0.7, 0.2], [0.5, 0.4, 0.1], [0.2, 0.2, 0.6], [0.3, 0.3, 0.4]])
    labels = np.array([1, 0, 2, 0])
    assert accuracy(scores, labels) == 0.75
    assert accuracy(scores, np.eye(3)[labels]) == 0.75


def test_rows_must_match():
    """A target with another number of rows is refused, naming both counts."""
    with pytest.raises(ValueError, match=r"target must hold 2 labels, one per row of output, got 3"):
        accuracy(np.zeros((2, 3)), np.array([0, 1, 2]))


@pytest.mark.parametrize("output, target, error, message", [
    (np.zeros((2, 2)), np.eye(3)[:2], ValueError, r"target must have the shape of output \(2, 2\)"),
    (np.zeros((2, 3)), np.array([0, 3]), ValueError, r"target labels must be in \[0, 3\)"),
    (np.zeros((2, 3)), np.array([0.0, 1.0]), ValueError, r"target must have the shape .* or 2 integer labels"),
    (np.zeros((2, 1)), np.zeros(2), ValueError, r"target must have the shape of output \(2, 1\), got shape \(2,\)"),
    (np.zeros(3), np.zeros(3), ValueError, r"output must be 2-D"),
    (np.zeros((0, 1)), np.zeros((0, 1)), ValueError, r"output must be 2-D .* n > 0"),
    (np.array([["a"]]), np.zeros((1, 1)), TypeError, r"output must be an array of real numbers"),
    (np.zeros((1, 1)), np.array([["a"]]), TypeError, r"target must be an array of real numbers"),
])
def test_accuracy_refuses_what_it_cannot_score(output, target, error, message):
    """Targets that do not match the output, as one-hot rows, labels or one column, are
    errors naming the argument, not a silent score (a (2, 3) one-hot target against
    (2, 2) scores used to give 0.5)."""
    with pytest.raises(error, match=message):
        accuracy(output, target)

