"""Checkers for the exercises: is the code *you* wrote right?

Each coding exercise of the book has a checker here. Give it your class or function: it
runs your code on small random inputs (always the same ones, from a fixed seed) and
compares what comes back with scratchnet's own implementation and, for derivatives, with
numerical ones (central differences, as :func:`~scratchnet.gradcheck.numerical_gradient`
computes them).

* Right code prints one line that says what was checked, and the checker returns ``None``.
* Wrong code raises ``AssertionError`` with a diagnosis: which quantity is wrong, for
  which input, what was expected and what came, and, when the wrong numbers are exactly
  what a well-known mistake gives (a missing transpose, a missing ``1/n``, a sign
  error...), which mistake it is.
* An exception raised by your code becomes an ``AssertionError`` too, that says which
  call raised it and, when it can, why; the original exception is its cause.

Import the checkers from this module, ``from scratchnet.exercises import check_layer``.
This ``check_layer`` checks a layer *class* you wrote; the package's
:func:`scratchnet.gradcheck.check_layer` measures the gradient errors of one layer
*object*.
"""

from __future__ import annotations

import reprlib
import warnings
from typing import Any, Callable, List, NoReturn, Optional, Sequence, Tuple

import numpy as np

from . import activations
from ._validation import as_float_array
from .activations import Activation, LeakyReLU, ReLU, Sigmoid, Tanh
from .gradcheck import numerical_gradient
from .layer import Layer
from .losses import BinaryCrossEntropy, softmax
from .network import NeuralNetwork
from .optimizers import SGD

_SEED = 15  # every checker draws its inputs from default_rng(_SEED): the same inputs every run
_RTOL, _ATOL = 1e-6, 1e-9  # agreement with scratchnet's own numbers (rounding apart)
_NUMERICAL_RTOL, _NUMERICAL_ATOL = 1e-5, 1e-6  # agreement with central differences
_SMALL = 12  # arrays with at most this many numbers are printed in full

_Mistakes = Sequence[Tuple[Optional[np.ndarray], str]]  # (what the mistake gives, its name)


# ------------------------------------------------------------------------ shared helpers


def _fail(checker: str, message: str, cause: BaseException | None = None) -> NoReturn:
    raise AssertionError(f"{checker}: {message}") from cause


def _name(code: Any) -> str:
    """What the learner calls their code: ``Tanh``, ``momentum_step``, ``Loss.backward``..."""
    owner = getattr(code, "__self__", None)
    if owner is not None and not isinstance(owner, type) and hasattr(code, "__name__"):
        return f"{type(owner).__name__}.{code.__name__}"  # a bound method
    qualname = getattr(code, "__qualname__", "")
    if qualname and "<" not in qualname and not isinstance(code, type):
        return qualname  # NeuralNetwork.gradients
    return getattr(code, "__name__", None) or type(code).__name__


def _require_class(value: Any, name: str, example: str, methods: Sequence[str] = ()) -> type:
    """TypeError unless ``value`` is a class (with these ``methods``)."""
    if not isinstance(value, type):
        instance = not callable(value) and type(value).__module__ != "builtins"
        hint = (f"; pass the class itself, {type(value).__name__}, without parentheses"
                if instance else "")
        raise TypeError(f"{name} must be a class such as {example} (the class, not an "
                        f"instance), got {reprlib.repr(value)}{hint}")
    missing = [method for method in methods if not callable(getattr(value, method, None))]
    if missing:
        raise TypeError(f"{name} must be a class with the methods {' and '.join(methods)}, "
                        f"such as {example}, got {value.__name__}, without "
                        f"{' and '.join(missing)}")
    return value


def _require_function(value: Any, name: str, signature: str) -> Callable[..., Any]:
    """TypeError unless ``value`` is a function (a class is refused: it is not the function)."""
    if isinstance(value, type) or not callable(value):
        raise TypeError(f"{name} must be a function {signature}, got {reprlib.repr(value)}")
    return value


def _call(checker: str, what: str, code: Callable[..., Any], *args: Any,
          hint: str | Callable[[BaseException], str] = "", **kwargs: Any) -> Any:
    """Run the learner's code; an exception, a warning or a floating-point overflow,
    division by zero or invalid value becomes an AssertionError that says where."""
    try:
        with warnings.catch_warnings(), np.errstate(over="raise", divide="raise",
                                                    invalid="raise", under="ignore"):
            warnings.simplefilter("error")
            return code(*args, **kwargs)
    except NotImplementedError:
        raise  # a workbook's stub: the exercise is not written yet, which is no mistake
    except Exception as error:
        text = hint(error) if callable(hint) else hint
        _fail(checker, f"{what} raised {type(error).__name__}: {error}"
              + (f"\nLikely mistake: {text}" if text else ""), error)


def _shape_error_hint(advice: str, missing: str = "") -> Callable[[BaseException], str]:
    """A hint for _call: ``advice`` when the error is about shapes that do not fit, and
    ``missing`` when it is about something not there: an attribute or dictionary key
    that was never set, or one still None."""
    def hint(error: BaseException) -> str:
        words = ("matmul", "aligned", "core dimension", "broadcast", "shape")
        if isinstance(error, ValueError) and any(w in str(error) for w in words):
            return advice
        if isinstance(error, (AttributeError, KeyError)) or (
                isinstance(error, TypeError) and "NoneType" in str(error)):
            return missing
        return ""
    return hint


def _describe(value: Any) -> str:
    if value is None:
        return "None (a missing return?)"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} item(s)"
    return reprlib.repr(value)


def _array(checker: str, what: str, value: Any, where: str) -> np.ndarray:
    """``value`` as a float array, or an AssertionError saying what came instead."""
    if value is None:
        _fail(checker, f"{what} is None {where}: a missing return?")
    try:
        return as_float_array(value, what)
    except (TypeError, ValueError) as error:
        _fail(checker, f"{what} must be an array of numbers {where}, got {_describe(value)}",
              error)


def _close(got: np.ndarray, expected: np.ndarray, rtol: float = _RTOL,
           atol: float = _ATOL) -> bool:
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol, atol))


def _show(values: np.ndarray, label: str, every_digit: bool = False) -> str:
    """``label`` and ``values`` at 4 decimals, or with ``every_digit`` all of them."""
    text = np.array2string(values, precision=17 if every_digit else 4, separator=", ",
                           suppress_small=not every_digit, prefix=label)
    return label + text


def _inputs(**arrays: np.ndarray) -> str:
    """Lines that show the small ones of the inputs, to follow a failure's first line."""
    return "".join(f"\n{_show(a, f'  {name}:'.ljust(12))}" for name, a in arrays.items()
                   if a.size <= _SMALL)


def _mismatch(what: str, got: np.ndarray, expected: np.ndarray, where: str,
              inputs: str = "") -> str:
    """What is wrong, for which input (``inputs``: lines that show it), expected against got."""
    if got.shape != expected.shape:
        return f"{what} has shape {got.shape} {where}, expected shape {expected.shape}.{inputs}"
    if not np.isfinite(got).all():
        count = got.size - np.count_nonzero(np.isfinite(got))
        return f"{what} holds {count} NaN or infinite value(s) {where}.{inputs}"
    if expected.size <= _SMALL:
        labels = ("  expected: ", "  got:      ")
        rows = [_show(values, label) for values, label in zip((expected, got), labels)]
        if rows[0][len(labels[0]):] == rows[1][len(labels[1]):]:  # alike to 4 decimals
            rows = [_show(values, label, every_digit=True)
                    for values, label in zip((expected, got), labels)]
        return f"{what} is wrong {where}.{inputs}\n" + "\n".join(rows)
    difference = np.abs(got - expected)
    at = np.unravel_index(np.argmax(difference), difference.shape)
    return (f"{what} is wrong {where}: the largest difference is {difference[at]:.3g}, "
            f"at index {tuple(int(i) for i in at)}, where {expected[at]:.6g} was expected "
            f"and {got[at]:.6g} came.{inputs}")


def _diagnosis(got: np.ndarray, expected: np.ndarray, mistakes: _Mistakes,
               rtol: float = _RTOL, atol: float = _ATOL) -> str:
    """The known mistake whose result ``got`` is, if any; then a transpose, a sign
    error, or a constant factor, recognised from the numbers alone."""
    for variant, mistake in mistakes:
        if variant is not None and _close(got, np.asarray(variant), rtol, atol):
            return f"\nLikely mistake: {mistake}"
    if got.ndim == 2 and got.shape != expected.shape and got.shape == expected.shape[::-1]:
        exact = " (exactly the transpose of the right values)" if _close(got, expected.T) else ""
        return ("\nLikely mistake: a missing or misplaced transpose (.T): the shape is the "
                f"expected one reversed{exact}.")
    if got.shape == expected.shape and np.isfinite(got).all() and np.any(expected):
        factor = float(np.vdot(got, expected) / np.vdot(expected, expected))
        # a factor within 1 % of 1 is imprecision, not a missing or extra constant
        if _close(got, factor * expected, rtol, atol) and abs(factor - 1.0) > 0.01:
            if np.isclose(factor, -1.0):
                return "\nLikely mistake: a sign error: every value has the wrong sign."
            return (f"\nLikely mistake: every value is {factor:.4g} times the right one: "
                    "a constant factor is missing or extra.")
    return ""


def _compare(checker: str, what: str, got: Any, expected: np.ndarray, where: str,
             mistakes: _Mistakes = (), rtol: float = _RTOL, atol: float = _ATOL,
             inputs: str = "") -> None:
    """Pass if ``got`` is ``expected`` (rounding apart); otherwise fail with the diagnosis."""
    got = _array(checker, what, got, where)
    if not _close(got, expected, rtol, atol):
        with np.errstate(all="ignore"):  # the learner's numbers may be huge
            message = _mismatch(what, got, expected, where, inputs) + _diagnosis(
                got, expected, mistakes, rtol, atol)
        _fail(checker, message)


def _unchanged(checker: str, what: str, before: np.ndarray, after: Any, where: str,
               advice: str) -> None:
    """Fail, saying ``what`` changed and ``advice``, unless ``after`` equals ``before``."""
    if not (np.shape(after) == before.shape and np.array_equal(after, before)):
        _fail(checker, f"{what} changed {where}. {advice}")


def _order(got: Sequence[np.ndarray], expected: Sequence[np.ndarray],
           labels: Sequence[str]) -> List[str] | None:
    """The labels of ``expected`` in the order ``got`` holds them, when ``got`` is all of
    ``expected`` in another order; otherwise None."""
    found: List[int] = []
    for value in got:
        matches = [i for i, right in enumerate(expected)
                   if i not in found and _close(value, right)]
        if not matches:
            return None
        found.append(matches[0])
    return None if found == list(range(len(expected))) else [labels[i] for i in found]


def _arrays(checker: str, what: str, values: Any, labels: Sequence[str], where: str,
            expected_text: str) -> List[np.ndarray]:
    """A tuple or list of ``len(labels)`` arrays, or an AssertionError that says so."""
    if not isinstance(values, (tuple, list)) or len(values) != len(labels):
        _fail(checker, f"{what} is {_describe(values)} {where}; expected "
                       f"{len(labels)} arrays, {expected_text}.")
    return [_array(checker, label, value, where) for label, value in zip(labels, values)]


def _quietly(code: Callable[..., np.ndarray], *args: Any) -> np.ndarray | None:
    """What a mistake would give, computed with the learner's code; None if it fails."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return code(*args)
    except (Exception, AssertionError):
        return None


def _passed(checker: str, code: Any, what: str) -> None:
    print(f"{checker}: {_name(code)} passed: {what}")


# ------------------------------------------------------------------------- activations

_SHAPES = ((7,), (4, 3), (2, 3, 2))
_OUTPUT_FORMULAS = {  # derivatives the chapter writes in terms of the output y = f(x)
    "Tanh": ("1 - y**2 with y = tanh(x)", lambda y: 1 - y * y),
    "Sigmoid": ("y * (1 - y) with y = sigmoid(x)", lambda y: y * (1 - y)),
}


_REFERENCES = ("LeakyReLU", "Identity", "Sigmoid", "ReLU", "Tanh")  # longest names first


def _reference_activation(cls: type, instance: Any) -> Activation | None:
    """scratchnet's activation whose name ends the name of ``cls`` (``Tanh`` for ``Tanh``
    or ``MyTanh``, ``LeakyReLU`` with the learner's ``alpha`` for ``MyLeakyReLU``)."""
    name = next((name for name in _REFERENCES if cls.__name__.endswith(name)), None)
    if name == "LeakyReLU":
        try:
            return LeakyReLU(alpha=getattr(instance, "alpha", 0.01))
        except (TypeError, ValueError):
            return None
    return getattr(activations, name)() if name else None


def _returns_like_input(checker: str, what: str, method: Callable[..., Any],
                        x: np.ndarray) -> np.ndarray:
    """``method(x)``: an array of x's shape and dtype, ``x`` left as it was."""
    before = x.copy()
    result = _call(checker, f"{what}(x)", method, x)
    where = f"for x of shape {x.shape}, {x.dtype}"
    _unchanged(checker, f"{what}(x) was called and its input x", before, x, where,
               "Compute a new array (for ReLU np.maximum(x, 0), not x[x < 0] = 0): the "
               "caller's x is the layer's cached pre-activation.")
    if not isinstance(result, np.ndarray):
        _fail(checker, f"{what}(x) returned {_describe(result)} {where}; expected a NumPy "
                       f"array of x's shape")
    if result.shape != x.shape:
        _fail(checker, f"{what}(x) returned shape {result.shape} {where}; an activation "
                       f"works element by element and keeps the shape {x.shape}.")
    if result.dtype != x.dtype:
        _fail(checker, f"{what}(x) returned dtype {result.dtype} {where}: "
                       "keep x's dtype (float32 stays float32). A float constant such as "
                       "np.where(x > 0, 1.0, 0.0) or .astype(float) makes float64, integers "
                       "make int64: use np.ones_like(x), np.zeros_like(x) or .astype(x.dtype).")
    return result


def check_activation(cls: type) -> None:
    """Check an activation class you wrote: its ``forward`` and its ``backward``.

    ``cls`` is a subclass of :class:`~scratchnet.activations.Activation` (or any class
    with these two methods) whose ``forward(x)`` applies the function and whose
    ``backward(x)`` returns its derivative at the same ``x`` (static methods or ordinary
    ones: the checker calls ``cls()``).
    On random inputs of shapes ``(7,)``, ``(4, 3)`` and ``(2, 3, 2)`` (away from 0, where
    ReLU has its kink), the checker requires:

    * both methods to return an array of x's shape and dtype (float32 stays float32),
      leaving ``x`` unchanged;
    * ``forward`` to agree with scratchnet's activation whose name ends the name of
      ``cls``, when there is one: ``Tanh`` for a class ``Tanh`` or ``MyTanh``, and so on
      for ``Sigmoid``, ``ReLU``, ``LeakyReLU`` (with your ``alpha``) and ``Identity``;
    * ``backward`` to agree with the numerical derivative of your own ``forward``.

    Known mistakes it names: the derivative evaluated at the output instead of at the
    pre-activation, a derivative written for the output (``1 - y**2``) applied to ``x``,
    ``forward`` returned in place of the derivative, a sign error, a dtype changed.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import Activation
    >>> from scratchnet.exercises import check_activation
    >>> class MyTanh(Activation):
    ...     def forward(self, x):
    ...         return np.tanh(x)
    ...
    ...     def backward(self, x):
    ...         return 1 - np.tanh(x) ** 2
    >>> check_activation(MyTanh)
    check_activation: MyTanh passed: forward as scratchnet's Tanh, backward as the
    numerical derivative, shapes and dtypes kept.

    The derivative written in terms of the output, applied to the input:

    >>> class MyTanh(Activation):
    ...     def forward(self, x):
    ...         return np.tanh(x)
    ...
    ...     def backward(self, x):
    ...         return 1 - x**2
    >>> check_activation(MyTanh)
    Traceback (most recent call last):
        ...
    AssertionError: check_activation: MyTanh.backward(x) is wrong for x of shape (7,).
      x:        [...]
      expected: [...]
      got:      [...]
    Likely mistake: backward(x) receives the pre-activation x, not the output: ...
    """
    checker = "check_activation"
    _require_class(cls, "cls", "Tanh", ("forward", "backward"))
    name = cls.__name__
    activation = _call(checker, f"{name}()", cls,
                       hint="the checker creates your activation with no arguments")
    reference = _reference_activation(cls, activation)
    rng = np.random.default_rng(_SEED)
    for shape in _SHAPES:
        # away from 0, where ReLU and LeakyReLU have their kink
        x = rng.uniform(0.1, 3.0, shape) * rng.choice([-1.0, 1.0], shape)
        for dtype in (np.float64, np.float32):
            for method in ("forward", "backward"):
                _returns_like_input(checker, f"{name}.{method}", getattr(activation, method),
                                    x.astype(dtype))
        where = f"for x of shape {shape}"
        y = _array(checker, f"{name}.forward(x)",
                   _call(checker, f"{name}.forward(x)", activation.forward, x.copy()), where)
        if not np.isfinite(y).all():
            _fail(checker, f"{name}.forward(x) holds NaN or infinite values {where}, with "
                           f"every x between -3 and 3.{_inputs(x=x, got=y)}")
        if reference is not None:
            _compare(checker, f"{name}.forward(x)", y, reference.forward(x),
                     f"{where} (compared with scratchnet's {reference!r})", inputs=_inputs(x=x))
        derivative = _numerical_derivative(checker, name, activation.forward, x)
        mistakes = [(_quietly(_numerical_derivative, checker, name, activation.forward, y),
                     "the derivative was evaluated at the output forward(x) instead of at "
                     "the pre-activation x: backward(x) receives x itself.")]
        if type(reference).__name__ in _OUTPUT_FORMULAS:
            formula, of_output = _OUTPUT_FORMULAS[type(reference).__name__]
            mistakes.append((of_output(x), f"backward(x) receives the pre-activation x, not "
                             f"the output: the formula {formula} needs y = forward(x) "
                             f"first, and x was used in place of y."))
        mistakes.append((y, "backward returned forward(x), the function itself, not its "
                            "derivative."))
        _compare(checker, f"{name}.backward(x)",
                 _call(checker, f"{name}.backward(x)", activation.backward, x.copy()),
                 derivative, where, mistakes, _NUMERICAL_RTOL, _NUMERICAL_ATOL, _inputs(x=x))
    compared = f"forward as scratchnet's {type(reference).__name__}, " if reference else ""
    _passed(checker, cls, f"{compared}backward as the numerical derivative, shapes and "
                          "dtypes kept.")


def _numerical_derivative(checker: str, name: str, forward: Callable[..., Any],
                          x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of an element-wise ``forward`` at every element of ``x``."""
    what = f"{name}.forward(x) (for the numerical derivative)"
    plus = _array(checker, what, _call(checker, what, forward, x + h), "at x + h")
    minus = _array(checker, what, _call(checker, what, forward, x - h), "at x - h")
    with np.errstate(all="ignore"):
        return (plus - minus) / (2 * h)


# ------------------------------------------------------------------------------- layer

_LAYER_SHAPE_ADVICE = (
    "shapes that do not fit in a product: a missing transpose? With x of shape "
    "(n, input_size), weights (input_size, output_size) and dz = dL/dz (n, output_size): "
    "grad_input = dz @ weights.T, grad_weights = x.T @ dz, grad_bias = dz summed over the "
    "batch (axis=0, keepdims=True).")
_AT_OUTPUT = ("the activation's derivative was taken at the output, f'(f(z)), instead of "
              "at the pre-activation z = x @ weights + bias: call activation.backward on the "
              "z that forward cached.")
_NO_DERIVATIVE = ("the activation's derivative is missing: dz = grad_output * "
                  "activation.backward(z) comes first (the chain rule through output = f(z)).")
_LAYER_LABELS = ("grad_input", "grad_weights", "grad_bias")


def _layer_case(rng: np.random.Generator, n: int) -> Tuple[np.ndarray, ...]:
    """Weights (3, 2), bias (1, 2), x (n, 3), grad_output (n, 2), with every
    pre-activation at least 0.1 away from ReLU's kink."""
    weights, bias = rng.standard_normal((3, 2)), rng.normal(0.0, 0.5, (1, 2))
    while True:
        x = rng.standard_normal((n, 3))
        if np.abs(x @ weights + bias).min() > 0.1:
            return weights, bias, x, rng.standard_normal((n, 2))


def _layer_mistakes(x: np.ndarray, weights: np.ndarray, layer: Layer,
                    grad_output: np.ndarray) -> List[_Mistakes]:
    """For each of the three gradients, what the known mistakes give (``layer`` is
    scratchnet's, after its forward pass). A missing transpose is not among them: with
    3 inputs and 2 units ``dz @ weights`` never fits, and ``x @ dz`` fails at batch size 1
    first, so the learner's own code raises, and the checker's shape advice follows."""
    n, activation = x.shape[0], layer.activation
    dz = grad_output * activation.backward(layer.activation_input)
    right = (dz @ weights.T, x.T @ dz, dz.sum(axis=0, keepdims=True))
    extra_n = (f"an extra 1/n: it was divided by the batch size n = {n}. Layer.backward "
               "sums over the batch; the 1/n of a mean loss is already in grad_output.")
    mistakes: List[List[Tuple[Optional[np.ndarray], str]]] = [
        [(right[0] / n, extra_n)],
        [(right[1] / n, extra_n)],
        [(dz, "the bias gradient was not summed over the batch: the bias is added to every "
              "row, so grad_bias = dz.sum(axis=0, keepdims=True), shape (1, output_size)."),
         (dz.sum(axis=0), "the sum dropped its axis: with keepdims=True grad_bias keeps the "
                          "bias's shape (1, output_size)."),
         (right[2] / n, f"averaged over the batch instead of summed: {extra_n}")],
    ]
    for wrong_dz, mistake in (
            (grad_output * activation.backward(layer.output), _AT_OUTPUT),
            (grad_output, _NO_DERIVATIVE)):
        wrong = (wrong_dz @ weights.T, x.T @ wrong_dz, wrong_dz.sum(axis=0, keepdims=True))
        for known, value in zip(mistakes, wrong):
            known.append((value, mistake))
    return mistakes


def check_layer(cls: type) -> None:
    """Check a layer class you wrote: its forward pass and the three gradients of its
    backward pass.

    ``cls`` has the chapter's signature ``Layer(input_size, output_size, activation)``;
    ``forward(x)`` returns the output and ``backward(grad_output)`` returns
    ``(grad_input, grad_weights, grad_bias)``, as :class:`scratchnet.layer.Layer` does.
    The checker makes a ``cls(3, 2, activation)``, sets its ``weights`` (3, 2) and
    ``bias`` (1, 2) to known random values, and for batch sizes 1, 3 and 5 and the
    activations ``Sigmoid()``, ``Tanh()`` and ``ReLU()`` (with every pre-activation away
    from ReLU's kink) requires:

    * the output of ``forward(x)`` and the three gradients to agree with scratchnet's
      ``Layer``, and the gradients with numerical ones (central differences of your own
      ``forward``);
    * ``x``, ``grad_output``, ``weights`` and ``bias`` to be left unchanged.

    Known mistakes it names: a missing transpose, the bias gradient not summed over the
    batch (or summed without ``keepdims``), the activation's derivative taken at the
    output instead of the pre-activation, or left out, an extra ``1/n``, a sign error,
    the three gradients returned in another order, the bias or the activation left out
    of ``forward``.

    Example
    -------
    >>> from scratchnet import Layer
    >>> from scratchnet.exercises import check_layer
    >>> check_layer(Layer)
    check_layer: Layer passed: output and the three gradients match on batch sizes 1, 3, 5
    (Sigmoid, Tanh, ReLU).
    """
    checker = "check_layer"
    _require_class(cls, "cls", "Layer")
    rng = np.random.default_rng(_SEED)
    for activation in (Sigmoid(), Tanh(), ReLU()):
        for n in (1, 3, 5):
            weights, bias, x, grad_output = _layer_case(rng, n)
            where = f"for batch size {n} (x of shape {x.shape}) with {activation!r}"
            layer = _call(checker, f"{_name(cls)}(3, 2, {activation!r})", cls, 3, 2, activation,
                          hint="the checker makes your layer as cls(input_size, output_size, "
                               "activation), the chapter's signature")
            _call(checker, "setting layer.weights and layer.bias", _set_parameters,
                  layer, weights.copy(), bias.copy())
            reference = Layer(3, 2, activation)
            reference.weights, reference.bias = weights, bias
            _check_layer_forward(checker, layer, reference, x, where)
            _check_layer_backward(checker, layer, reference, x, weights, bias, grad_output,
                                  where)
    _passed(checker, cls, "output and the three gradients match on batch sizes 1, 3, 5 "
                          "(Sigmoid, Tanh, ReLU).")


def _set_parameters(layer: Any, weights: np.ndarray, bias: np.ndarray) -> None:
    layer.weights, layer.bias = weights, bias


def _check_layer_forward(checker: str, layer: Any, reference: Layer, x: np.ndarray,
                         where: str) -> None:
    x_seen = x.copy()
    output = _call(checker, "forward(x)", layer.forward, x_seen,
                   hint=_shape_error_hint(_LAYER_SHAPE_ADVICE))
    _unchanged(checker, "forward(x) was called and x", x, x_seen, where,
               "forward must leave its input as it was.")
    expected = reference.forward(x)
    z = reference.activation_input
    _compare(checker, "the output of forward(x)", output, expected, where, [
        (z, "the activation is not applied: output = activation.forward(x @ weights + bias)."),
        (reference.activation.forward(z - reference.bias),
         "the bias is not added: z = x @ weights + bias."),
    ])


def _check_layer_backward(checker: str, layer: Any, reference: Layer, x: np.ndarray,
                          weights: np.ndarray, bias: np.ndarray, grad_output: np.ndarray,
                          where: str) -> None:
    seen = grad_output.copy()
    grads = _call(checker, "backward(grad_output)", layer.backward, seen,
                  hint=_shape_error_hint(_LAYER_SHAPE_ADVICE, (
                      "backward reads what forward(x) stored on self, just before: the "
                      "input x and the pre-activation z = x @ weights + bias. Does forward "
                      "store them, under the names backward reads?")))
    _unchanged(checker, "backward(grad_output) was called and grad_output", grad_output,
               seen, where, "backward must leave its argument as it was.")
    for attribute, before in (("weights", weights), ("bias", bias)):
        _unchanged(checker, f"backward(grad_output) was called and layer.{attribute}",
                   before, getattr(layer, attribute), where, "backward only computes the "
                   "gradients; the update parameter -= learning_rate * gradient belongs to "
                   "the training loop.")
    expected = reference.backward(grad_output)
    grads = _arrays(checker, "backward(grad_output)", grads, _LAYER_LABELS, where,
                    "(grad_input, grad_weights, grad_bias)")
    order = _order(grads, expected, _LAYER_LABELS)
    if order:
        _fail(checker, f"backward returned the gradients in the wrong order {where}: "
                       f"({', '.join(order)}).\nLikely mistake: the gradients returned in the "
                       "wrong order: return (grad_input, grad_weights, grad_bias), as the "
                       "chapter's Layer.backward does.")
    mistakes = _layer_mistakes(x, weights, reference, grad_output)
    for label, got, right, known in zip(_LAYER_LABELS, grads, expected, mistakes):
        _compare(checker, label, got, right, where, known)
    x_nudged = x.copy()

    def probe() -> float:
        return float(np.sum(layer.forward(x_nudged) * grad_output))

    for label, got, array in zip(_LAYER_LABELS, grads, (x_nudged, layer.weights, layer.bias)):
        numeric = _call(checker, "forward(x) (for the numerical gradients)",
                        numerical_gradient, probe, array)
        _compare(checker, label, got, numeric,
                 f"{where}, against central differences of your forward", (),
                 _NUMERICAL_RTOL, _NUMERICAL_ATOL)


# ----------------------------------------------------------------- binary cross-entropy


def check_bce_gradient(fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
    """Check your gradient of the mean binary cross-entropy with respect to the predictions.

    ``fn(y_pred, y_true)`` returns dL/dy_pred for
    ``L = -mean(y_true * log(y_pred) + (1 - y_true) * log(1 - y_pred))``, an array of
    y_pred's shape, as :meth:`BinaryCrossEntropy().backward
    <scratchnet.losses.BinaryCrossEntropy.backward>` does:
    ``-(y_true / y_pred - (1 - y_true) / (1 - y_pred)) / n``, where ``n`` is the number of
    outputs averaged over, ``y_pred.size`` (for one output per sample, the number of
    samples). The checker compares on predictions in (0.05, 0.95) and 0/1 targets of
    shapes ``(4, 1)``, ``(6, 1)`` and ``(3, 2)``, and requires the inputs left unchanged.

    Known mistakes it names: a missing ``1/n``, an extra one, a division by the number of
    rows instead of the number of outputs, a sign error, the ``(1 - y)`` term left out,
    the gradient with respect to the sigmoid's pre-activation (``(p - y) / n``) instead,
    a mean taken over the gradient.

    Example
    -------
    >>> from scratchnet import BinaryCrossEntropy
    >>> from scratchnet.exercises import check_bce_gradient
    >>> check_bce_gradient(BinaryCrossEntropy().backward)
    check_bce_gradient: BinaryCrossEntropy.backward passed: matches
    BinaryCrossEntropy().backward on shapes (4, 1), (6, 1), (3, 2).

    Without the ``1/n`` of the mean:

    >>> def bce_gradient(y_pred, y_true):
    ...     return -(y_true / y_pred - (1 - y_true) / (1 - y_pred))
    >>> check_bce_gradient(bce_gradient)
    Traceback (most recent call last):
        ...
    AssertionError: check_bce_gradient: dL/dy_pred is wrong for y_pred of shape (4, 1)...
    Likely mistake: the 1/n of the mean is missing (here n = 4, y_pred.size): ...
    """
    checker = "check_bce_gradient"
    _require_function(fn, "fn", "fn(y_pred, y_true) returning dL/dy_pred")
    rng = np.random.default_rng(_SEED)
    shapes = ((4, 1), (6, 1), (3, 2))
    for shape in shapes:
        p = rng.uniform(0.05, 0.95, shape)
        y = rng.integers(0, 2, shape).astype(float)
        where = f"for y_pred of shape {shape}"
        inputs = _inputs(y_pred=p, y_true=y)
        p_seen, y_seen = p.copy(), y.copy()
        got = _call(checker, f"fn(y_pred, y_true) for y_pred of shape {shape}", fn, p_seen,
                    y_seen, hint="the checker calls fn(y_pred, y_true), predictions first")
        for label, before, after in (("y_pred", p, p_seen), ("y_true", y, y_seen)):
            _unchanged(checker, f"fn(y_pred, y_true) was called and {label}", before, after,
                       where, "Compute a new array instead of changing the argument.")
        expected = BinaryCrossEntropy().backward(p, y)
        n, rows = p.size, shape[0]
        _compare(checker, "dL/dy_pred", got, expected, where, [
            (expected * n, f"the 1/n of the mean is missing (here n = {n}, y_pred.size): "
                           "the loss is the mean over the n outputs, so every entry of its "
                           "gradient carries a factor 1/n."),
            (expected / n, f"an extra 1/n: the gradient was divided by n = {n} twice."),
            (expected * n / rows if rows != n else None,
             f"divided by the number of rows, len(y_pred) = {rows}, instead of the number "
             f"of outputs, y_pred.size = {n}: the loss averages over every output."),
            (-y / p / n, "the (1 - y_true) / (1 - y_pred) term is missing: a target of 0 "
                         "contributes through log(1 - y_pred)."),
            ((p - y) / n, "(y_pred - y_true) / n is dL/dz, the gradient with respect to the "
                          "pre-activation of a sigmoid output (its derivative cancels); "
                          "dL/dy_pred keeps the divisions by y_pred and 1 - y_pred."),
            *[(np.asarray(one), "the gradient was reduced to one number (np.mean or "
                                "np.sum): dL/dy_pred has one entry per prediction, each "
                                "divided by n.") for one in (expected.sum(), expected.mean())],
        ], inputs=inputs)
    _passed(checker, fn, "matches BinaryCrossEntropy().backward on shapes "
                         f"{', '.join(map(str, shapes))}.")


# ---------------------------------------------------------------------- network backward


def _networks(rng: np.random.Generator) -> List[Tuple[NeuralNetwork, np.ndarray]]:
    """Two small networks, and a batch of inputs for each."""
    return [
        (NeuralNetwork([3, 4, 2], [Tanh(), Sigmoid()], rng=rng, init="xavier"),
         rng.standard_normal((5, 3))),
        (NeuralNetwork([2, 5, 3, 1], [ReLU(), Tanh(), Sigmoid()], rng=rng, init="he"),
         rng.standard_normal((4, 2))),
    ]


def check_network_backward(
    fn: Callable[[NeuralNetwork, np.ndarray], Tuple[List[np.ndarray], np.ndarray]],
) -> None:
    """Check your backward loop: backpropagation through a whole network.

    ``fn(network, grad_output)`` takes a :class:`~scratchnet.network.NeuralNetwork` whose
    ``forward`` has just run, and ``grad_output`` = dL/d(output). It goes through the
    layers last first, giving each layer's ``backward`` the gradient that came out of the
    layer above, and returns ``(gradients, grad_input)``: the list of parameter
    gradients in the order of ``network.parameters()`` (``[W1, b1, W2, b2, ...]``) and
    dL/dx for the network's input. This is what :meth:`NeuralNetwork.gradients
    <scratchnet.network.NeuralNetwork.gradients>` does, without any update.

    On a ``[3, 4, 2]`` network (Tanh, Sigmoid) and a ``[2, 5, 3, 1]`` one (ReLU, Tanh,
    Sigmoid) the checker requires the gradients and ``grad_input`` to agree with
    ``NeuralNetwork.gradients`` and with numerical gradients, and the parameters and
    ``grad_output`` to be left unchanged.

    Known mistakes it names: the layers visited first to last, the gradients listed in
    another order, a missing gradient, ``grad_output`` returned as ``grad_input``, an
    extra ``1/n``, a sign error, a parameter changed (an update inside the loop).

    Example
    -------
    ``NeuralNetwork.gradients`` itself takes ``(network, grad_output)``:

    >>> from scratchnet import NeuralNetwork
    >>> from scratchnet.exercises import check_network_backward
    >>> check_network_backward(NeuralNetwork.gradients)
    check_network_backward: NeuralNetwork.gradients passed: gradients and grad_input match
    on 2 networks, and no parameter changed.
    """
    checker = "check_network_backward"
    _require_function(fn, "fn", "fn(network, grad_output) returning (gradients, grad_input)")
    rng = np.random.default_rng(_SEED)
    for network, x in _networks(rng):
        grad_output = rng.standard_normal((x.shape[0], network.layer_sizes[-1]))
        where = f"for {network!r} on a batch of {x.shape[0]}"
        labels = [f"layers[{i}].{p}" for i in range(len(network.layers))
                  for p in ("weights", "bias")]
        network.forward(x)
        expected = network.gradients(grad_output)
        before, seen = [p.copy() for p in network.parameters()], grad_output.copy()
        result = _call(checker, "fn(network, grad_output)", fn, network, seen, hint=(
            "go through the layers last first, for layer in reversed(network.layers), giving "
            "each layer's backward the grad_input returned by the layer above it (the "
            "checker ran network.forward(x) just before)."))
        for label, old, new in [("grad_output", grad_output, seen),
                                *zip([f"network.{label}" for label in labels], before,
                                     network.parameters())]:
            _unchanged(checker, f"fn(network, grad_output) was called and {label}", old, new,
                       where, "The backward loop only computes gradients, as "
                       "NeuralNetwork.gradients does; the update parameter -= learning_rate "
                       "* gradient is the training loop's.")
        _check_backward_result(checker, result, expected, labels, grad_output, where)
        _check_numerically(checker, network, x, grad_output, result, labels, where)
    _passed(checker, fn, "gradients and grad_input match on 2 networks, and no parameter "
                         "changed.")


def _check_backward_result(checker: str, result: Any,
                           expected: Tuple[List[np.ndarray], np.ndarray], labels: List[str],
                           grad_output: np.ndarray, where: str) -> None:
    """``result`` is ``expected``: ``(gradients, grad_input)``, the gradients in order."""
    if not (isinstance(result, (tuple, list)) and len(result) == 2
            and isinstance(result[0], (tuple, list))):
        _fail(checker, f"fn returned {_describe(result)} {where}; expected a pair "
                       "(gradients, grad_input), as NeuralNetwork.gradients returns: the "
                       "list of parameter gradients and dL/dx.")
    gradients = _arrays(checker, "the list of gradients", result[0], labels, where,
                        "one gradient per parameter, in the order of network.parameters(): "
                        f"[{', '.join(labels)}]")
    order = _order(gradients, expected[0], labels)
    if order:
        _fail(checker, f"the gradients are in the wrong order {where}: [{', '.join(order)}]."
                       f"\nLikely mistake: the list must follow network.parameters(), "
                       f"[{', '.join(labels)}]: going through the layers last first, put each "
                       "layer's pair in front, gradients[:0] = [grad_weights, grad_bias], or "
                       "reverse by layer at the end.")
    n = grad_output.shape[0]
    extra_n = ("an extra 1/n: the 1/n of a mean loss is already in grad_output; the "
               "backward loop adds none.")
    for label, got, right in zip(labels, gradients, expected[0]):
        _compare(checker, f"the gradient of {label}", got, right, where, [(right / n, extra_n)])
    _compare(checker, "grad_input", result[1], expected[1], where, [
        (grad_output, "grad_input is the grad_output you were given: return the gradient "
                      "that comes out of the first layer, dL/dx for the network's input."),
        (expected[1] / n, extra_n),
    ])


def _check_numerically(checker: str, network: NeuralNetwork, x: np.ndarray,
                       grad_output: np.ndarray, result: Tuple[List[Any], Any],
                       labels: List[str], where: str) -> None:
    """The gradients against central differences of sum(network.forward(x) * grad_output)."""
    x = x.copy()

    def probe() -> float:
        return float(np.sum(network.forward(x) * grad_output))

    where = f"{where}, against central differences"
    for label, got, array in zip([*labels, "grad_input"], [*result[0], result[1]],
                                 [*network.parameters(), x]):
        _compare(checker, label, got, numerical_gradient(probe, array), where, (),
                 _NUMERICAL_RTOL, _NUMERICAL_ATOL)


# ----------------------------------------------------------------------------- momentum

_IN_PLACE = ("the parameters never changed: update them in place, parameter -= "
             "learning_rate * velocity; parameter = parameter - ... makes a new array that "
             "the caller never sees.")


def _momentum_rules() -> List[Tuple[str, Callable[..., Tuple[np.ndarray, np.ndarray]]]]:
    """Known mistakes as update rules ``(p, v, g, lr, m) -> (new p, new v)``."""
    return [
        ("the velocity is not carried from one step to the next, so every step is plain "
         "gradient descent: update each velocity in place (velocity *= momentum, then "
         "velocity += gradient), or keep it on the optimizer; velocity = momentum * velocity "
         "+ gradient only rebinds a local name.",
         lambda p, v, g, lr, m: (p - lr * g, v)),
        ("the gradient was scaled by (1 - momentum), as in an exponential moving average "
         "(Adam's m): SGD's momentum adds the whole gradient, velocity = momentum * velocity "
         "+ gradient.",
         lambda p, v, g, lr, m: (p - lr * (m * v + (1 - m) * g), m * v + (1 - m) * g)),
        ("a sign error: the step goes uphill; parameter -= learning_rate * velocity.",
         lambda p, v, g, lr, m: (p + lr * (m * v + g), m * v + g)),
        ("each step used the velocity from before this step's gradient was added (so the "
         "first step did not move): update the velocity first, then the parameter.",
         lambda p, v, g, lr, m: (p - lr * v, m * v + g)),
        ("the learning rate is missing from the step: parameter -= learning_rate * velocity.",
         lambda p, v, g, lr, m: (p - (m * v + g), m * v + g)),
        ("this is Nesterov's look-ahead step, learning_rate * (gradient + momentum * "
         "velocity); plain momentum steps by learning_rate * velocity.",
         lambda p, v, g, lr, m: (p - lr * (g + m * (m * v + g)), m * v + g)),
    ]


def _run_rule(rule: Callable[..., Tuple[np.ndarray, np.ndarray]], start: List[np.ndarray],
              steps: List[List[np.ndarray]], lr: float, m: float) -> List[List[np.ndarray]]:
    """The parameters after each step of a rule."""
    params, velocities, history = list(start), [np.zeros_like(p) for p in start], []
    for gradients in steps:
        for i, g in enumerate(gradients):
            params[i], velocities[i] = rule(params[i], velocities[i], g, lr, m)
        history.append(list(params))
    return history


def _momentum_step(checker: str, cls_or_fn: Any, start: List[np.ndarray], lr: float,
                   m: float) -> Tuple[str, Callable[[List[np.ndarray], List[np.ndarray]], Any]]:
    """What one step of the learner's code is called, and a function that takes it."""
    if isinstance(cls_or_fn, type):
        name = _name(cls_or_fn)
        optimizer = _call(checker, f"{name}({lr}, momentum={m})", cls_or_fn, lr, momentum=m,
                          hint="the checker makes your optimizer as cls(learning_rate, "
                               "momentum=momentum), like scratchnet.SGD")
        if not callable(getattr(optimizer, "step", None)):
            _fail(checker, f"{name} has no method step(parameters, gradients)")
        return f"{name}.step(parameters, gradients)", optimizer.step
    velocities = [np.zeros_like(p) for p in start]
    return (f"{_name(cls_or_fn)}(parameters, gradients, velocities, learning_rate, momentum)",
            lambda params, grads: cls_or_fn(params, grads, velocities, lr, m))


def check_momentum(cls_or_fn: type | Callable[..., None]) -> None:
    """Check your gradient descent with momentum: one update rule, step after step.

    ``cls_or_fn`` is either

    * a function ``momentum_step(parameters, gradients, velocities, learning_rate,
      momentum)`` that updates the lists ``parameters`` and ``velocities`` in place
      (the checker passes zeros as the first velocities, and the same lists at every
      step), or
    * an optimizer class used like :class:`scratchnet.optimizers.SGD`:
      ``cls(learning_rate, momentum=momentum).step(parameters, gradients)``.

    The rule is SGD's: ``velocity = momentum * velocity + gradient``, then
    ``parameter -= learning_rate * velocity``. For ``(learning_rate, momentum)`` of
    ``(0.1, 0.9)`` and ``(0.05, 0.5)``, the checker takes 4 steps with random gradients
    on a ``(3, 2)`` weight matrix and a ``(1, 2)`` bias, and requires the parameters
    after every step to agree with ``SGD(learning_rate, momentum=momentum)``.

    Known mistakes it names: the velocity not kept between steps, the parameters not
    updated in place (or replaced in the list), a ``(1 - momentum)`` factor, a sign error,
    the velocity updated after the step, the learning rate left out, Nesterov's step.

    Example
    -------
    >>> from scratchnet import SGD
    >>> from scratchnet.exercises import check_momentum
    >>> check_momentum(SGD)
    check_momentum: SGD passed: 4 steps match SGD(learning_rate, momentum=momentum) for
    (0.1, 0.9) and (0.05, 0.5).
    >>> def momentum_step(parameters, gradients, velocities, learning_rate, momentum):
    ...     for parameter, gradient, velocity in zip(parameters, gradients, velocities):
    ...         velocity *= momentum
    ...         velocity += gradient
    ...         parameter -= learning_rate * velocity
    >>> check_momentum(momentum_step)
    check_momentum: momentum_step passed: 4 steps match SGD(learning_rate,
    momentum=momentum) for (0.1, 0.9) and (0.05, 0.5).
    """
    checker = "check_momentum"
    if not callable(cls_or_fn):
        raise TypeError("cls_or_fn must be a function momentum_step(parameters, gradients, "
                        "velocities, learning_rate, momentum) or an optimizer class such as "
                        f"SGD, got {reprlib.repr(cls_or_fn)}")
    rng = np.random.default_rng(_SEED)
    settings = ((0.1, 0.9), (0.05, 0.5))
    for lr, m in settings:
        start = [rng.standard_normal((3, 2)), rng.standard_normal((1, 2))]
        steps = [[rng.standard_normal(p.shape) for p in start] for _ in range(4)]
        history = _learner_run(checker, cls_or_fn, start, steps, lr, m)
        expected = _sgd_run(start, steps, lr, m)
        runs = [(_IN_PLACE, [start] * len(steps))] + [
            (text, _run_rule(rule, start, steps, lr, m)) for text, rule in _momentum_rules()]
        known = next((text for text, run in runs if all(
            _close(a, b) for got, wrong in zip(history, run) for a, b in zip(got, wrong))), "")
        for k, (got, right) in enumerate(zip(history, expected), 1):
            for i, (a, b) in enumerate(zip(got, right)):
                if not _close(a, b):
                    _fail(checker, _mismatch(f"parameters[{i}]", a, b, f"after step {k} with "
                                             f"learning_rate={lr}, momentum={m}")
                          + (f"\nLikely mistake: {known}" if known else ""))
    _passed(checker, cls_or_fn, "4 steps match SGD(learning_rate, momentum=momentum) for "
                                f"{' and '.join(map(str, settings))}.")


def _sgd_run(start: List[np.ndarray], steps: List[List[np.ndarray]], lr: float,
             m: float) -> List[List[np.ndarray]]:
    """The parameters after each step of scratchnet's SGD with momentum."""
    sgd, parameters, history = SGD(lr, momentum=m), [p.copy() for p in start], []
    for gradients in steps:
        sgd.step(parameters, gradients)
        history.append([p.copy() for p in parameters])
    return history


def _learner_run(checker: str, cls_or_fn: Any, start: List[np.ndarray],
                 steps: List[List[np.ndarray]], lr: float, m: float) -> List[List[np.ndarray]]:
    """The parameters after each step of the learner's code, each still the array it was."""
    what, step = _momentum_step(checker, cls_or_fn, start, lr, m)
    parameters = [p.copy() for p in start]
    arrays, history = list(parameters), []
    for k, gradients in enumerate(steps, 1):
        _call(checker, f"{what} at step {k}", step, parameters, [g.copy() for g in gradients])
        for i, (parameter, array) in enumerate(zip(parameters, arrays)):
            if parameter is not array:
                _fail(checker, f"parameters[{i}] was replaced by another object at step {k}; "
                               "update the array in place (parameters[i] -= ..., or "
                               "parameter -= ... in a loop): in training the list is a fresh "
                               "one from network.parameters(), and the layer would never see "
                               "a new array.")
        history.append([p.copy() for p in parameters])
    return history


# ------------------------------------------------------------------------------ softmax

_STABLE = ("exp overflows for large logits: subtract each row's maximum first, "
           "z - z.max(axis=-1, keepdims=True), which leaves the softmax unchanged and keeps "
           "every exp at most 1.")


def _softmax_hint(error: BaseException) -> str:
    text = str(error)
    if "overflow" in text:
        return _STABLE
    if "invalid" in text or "divide" in text:
        return ("every exp of a row underflowed to 0, and 0 / 0 followed: subtract each "
                "row's own maximum, z.max(axis=-1, keepdims=True), not one maximum of the "
                "whole array.")
    if "broadcast" in text:
        return ("a row's maximum or sum lost its axis: use keepdims=True, so that it "
                "broadcasts along the row.")
    return ""


def _softmax_mistakes(logits: np.ndarray) -> _Mistakes:
    """What the known mistakes give (no maximum subtracted is caught by its overflow, a
    lost keepdims by the broadcast error it raises on the (4, 3) case)."""
    def normalised(e: np.ndarray, axis: int | None) -> np.ndarray:
        return e / e.sum(axis=axis, keepdims=True)

    with np.errstate(all="ignore"):
        stable = np.exp(logits - logits.max(axis=-1, keepdims=True))
        return [
            (normalised(np.exp(logits - logits.max(axis=0, keepdims=True)), 0),
             "the softmax ran over axis 0, down the columns: each row (the last axis, "
             "axis=-1) holds one sample's scores."),
            (normalised(stable, None), "normalised over the whole array: divide by each "
                                       "row's sum, e.sum(axis=-1, keepdims=True)."),
            (stable, "not normalised: divide by each row's sum so that every row sums to 1."),
            (np.log(normalised(stable, -1)), "log-probabilities: the softmax is exp of these."),
        ]


def check_softmax(fn: Callable[[np.ndarray], np.ndarray]) -> None:
    """Check your numerically stable softmax.

    ``fn(logits)`` takes scores of shape ``(n, classes)`` and returns the probabilities
    ``exp(z) / sum(exp(z))`` of every row, over the last axis, in an array of the same
    shape. The checker compares with :func:`scratchnet.losses.softmax` on ordinary logits
    of shapes ``(4, 3)`` and ``(3, 3)`` and on huge ones, ``1000`` and ``-1000``, which
    overflow ``exp`` unless each row's maximum is subtracted first. It requires no
    overflow, no warning, no NaN, rows that sum to 1, and ``logits`` left unchanged.

    Known mistakes it names: no maximum subtracted (overflow), one maximum for the whole
    array, the wrong axis, a missing ``keepdims=True``, no normalisation, a normalisation
    over the whole array, log-probabilities instead of probabilities.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet.exercises import check_softmax
    >>> def stable_softmax(z):
    ...     e = np.exp(z - z.max(axis=-1, keepdims=True))
    ...     return e / e.sum(axis=-1, keepdims=True)
    >>> check_softmax(stable_softmax)
    check_softmax: stable_softmax passed: matches scratchnet's softmax on ordinary and huge
    logits (1000, -1000), no overflow.

    The textbook formula overflows:

    >>> def softmax(z):
    ...     return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
    >>> check_softmax(softmax)
    Traceback (most recent call last):
        ...
    AssertionError: check_softmax: fn(logits) for huge logits of shape (3, 3) raised
    FloatingPointError: overflow encountered in exp
    Likely mistake: exp overflows for large logits: subtract each row's maximum first, ...
    """
    checker = "check_softmax"
    _require_function(fn, "fn", "fn(logits) returning the probabilities of every row")
    rng = np.random.default_rng(_SEED)
    cases = [
        ("ordinary logits", rng.normal(0.0, 2.0, (4, 3))),
        ("ordinary logits", rng.normal(0.0, 2.0, (3, 3))),
        ("huge logits", np.array([[1000.0, 1000.0, -1000.0], [-1000.0, -1000.0, -999.0],
                                  [0.0, 1000.0, 999.0]])),
    ]
    for label, logits in cases:
        where = f"for {label} of shape {logits.shape}"
        inputs = _inputs(logits=logits)
        seen = logits.copy()
        got = _call(checker, f"fn(logits) {where}", fn, seen, hint=_softmax_hint)
        _unchanged(checker, "fn(logits) was called and logits", logits, seen, where,
                   "Compute new arrays: z = z - z.max(...) rather than z -= z.max(...).")
        got = _array(checker, "fn(logits)", got, where)
        if got.shape == logits.shape and not np.isfinite(got).all():
            _fail(checker, _mismatch("fn(logits)", got, logits, where, inputs)
                  + f"\nLikely mistake: {_STABLE}")
        _compare(checker, "fn(logits)", got, softmax(logits), where,
                 _softmax_mistakes(logits), inputs=inputs)
    _passed(checker, fn, "matches scratchnet's softmax on ordinary and huge logits "
                         "(1000, -1000), no overflow.")
