"""Activation functions: the non-linearities between layers.

Each activation has the two methods of the chapter:

* ``forward(x)`` applies the function element by element to the pre-activation ``x``;
* ``backward(x)`` returns the derivative of the function, evaluated at the same ``x``.

``Layer.backward`` multiplies the gradient arriving from above by ``backward(x)``:
that is the chain rule for a function applied element by element. Every method
keeps the dtype of ``x`` (float32 stays float32).

The methods are the bare arithmetic, run on every step of training, so they check
nothing: what reaches them through a network was checked where it came in
(``NeuralNetwork.forward``, ``train``, ``fit``), and a NaN or an infinity in ``x``
comes out as NaN or infinity, as in NumPy's own functions. The training loops report
such values as divergence, with the epoch.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_fraction


class Activation:
    """Base class for activation functions

    A subclass defines ``forward`` and ``backward``. Both take an array ``x`` of any
    shape (in a layer, the pre-activation of shape ``(n, units)``) and return an
    array of the same shape and dtype.

    Example
    -------
    A new activation is a subclass with these two methods:

    >>> import numpy as np
    >>> from scratchnet import Activation
    >>> class Square(Activation):
    ...     @staticmethod
    ...     def forward(x):
    ...         return x * x
    ...
    ...     @staticmethod
    ...     def backward(x):
    ...         return 2 * x
    >>> Square(), Square().forward(np.array([-1.0, 3.0]))
    (Square(), array([1., 9.]))
    """

    @staticmethod
    def forward(x: np.ndarray) -> np.ndarray:
        """The function applied to every element of ``x``.

        The base class has no function: it raises ``NotImplementedError``, and a
        subclass defines this method."""
        raise NotImplementedError

    @staticmethod
    def backward(x: np.ndarray) -> np.ndarray:
        """The derivative of the function at every element of ``x``.

        The base class raises ``NotImplementedError``; a subclass defines this method."""
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        # activations without parameters are equal when they are the same function
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Identity(Activation):
    """The identity, ``f(x) = x``: a layer that stays linear.

    Used for the last layer when the loss wants raw scores (logits), as
    :class:`~scratchnet.losses.SoftmaxCrossEntropy` does, or for regression.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import Identity
    >>> Identity().forward(np.array([-2.0, 0.0, 3.0]))
    array([-2.,  0.,  3.])
    """

    @staticmethod
    def forward(x: np.ndarray) -> np.ndarray:
        return x

    @staticmethod
    def backward(x: np.ndarray) -> np.ndarray:
        return np.ones_like(x)


class ReLU(Activation):
    """Rectified Linear Unit: ``max(0, x)``.

    The derivative is 1 where ``x > 0`` and 0 elsewhere (0 at ``x = 0`` too, as in
    the chapter). A unit whose pre-activation is negative for every input passes
    no gradient back at all: it is *dead*, and gradient descent cannot revive it.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import ReLU
    >>> x = np.array([-2.0, 0.0, 3.0])
    >>> ReLU().forward(x), ReLU().backward(x)
    (array([0., 0., 3.]), array([0., 0., 1.]))
    """

    @staticmethod
    def forward(x: np.ndarray) -> np.ndarray:
        return np.maximum(x, 0.0)

    @staticmethod
    def backward(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        return (x > 0.0).astype(x.dtype)


class LeakyReLU(Activation):
    """Leaky ReLU: ``x`` where ``x > 0``, ``alpha * x`` elsewhere.

    Like ReLU, but with a small slope ``alpha`` for negative inputs, so the
    derivative is ``alpha`` rather than 0 there: a unit that is switched off for
    every input still passes a little gradient back, and can recover. It cannot
    die the way a ReLU unit does.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import LeakyReLU
    >>> x = np.array([-2.0, 0.0, 3.0])
    >>> LeakyReLU(alpha=0.1).forward(x), LeakyReLU(alpha=0.1).backward(x)
    (array([-0.2,  0. ,  3. ]), array([0.1, 0.1, 1. ]))
    """

    def __init__(self, alpha: float = 0.01) -> None:
        self.alpha = check_fraction(alpha, "alpha")

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        return np.where(x > 0, x, self.alpha * x)

    def backward(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        return np.where(x > 0, 1, self.alpha).astype(x.dtype)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.alpha == other.alpha

    def __hash__(self) -> int:
        return hash((type(self), self.alpha))

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha})"


class Sigmoid(Activation):
    """Sigmoid: ``1 / (1 + exp(-x))``, squashing any number into (0, 1).

    Written the chapter's way, ``exp(-x)`` overflows for ``x < -709`` and NumPy
    warns. The same number is ``exp(-log(1 + exp(-x)))``, and NumPy's
    ``logaddexp(0, -x)`` computes ``log(exp(0) + exp(-x))`` without ever forming
    the huge ``exp(-x)``: no overflow and no warning anywhere. (Far in the negative
    tail the relative error grows, roughly like ``|x|`` times the machine epsilon.)

    Its derivative is ``s * (1 - s)`` with ``s = sigmoid(x)``: at most 1/4 (at 0),
    and nearly 0 when ``|x|`` is large, which is why saturated sigmoids learn slowly.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import Sigmoid
    >>> x = np.array([-800.0, 0.0, 800.0])  # no overflow warning
    >>> Sigmoid().forward(x), Sigmoid().backward(x)
    (array([0. , 0.5, 1. ]), array([0.  , 0.25, 0.  ]))
    """

    @staticmethod
    def forward(x: np.ndarray) -> np.ndarray:
        return np.exp(-np.logaddexp(0.0, -x))  # logaddexp(0, -x) = log(1 + exp(-x))

    @staticmethod
    def backward(x: np.ndarray) -> np.ndarray:
        s = Sigmoid.forward(x)
        return s * (1 - s)


class Tanh(Activation):
    """Hyperbolic tangent: ``tanh(x)``, squashing into (-1, 1) and centred at 0.

    Its derivative is ``1 - tanh(x)**2``: 1 at the origin, nearly 0 far from it.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import Tanh
    >>> x = np.array([0.0, 20.0])
    >>> Tanh().forward(x), Tanh().backward(x)
    (array([0., 1.]), array([1., 0.]))
    """

    @staticmethod
    def forward(x: np.ndarray) -> np.ndarray:
        return np.tanh(x)

    @staticmethod
    def backward(x: np.ndarray) -> np.ndarray:
        t = np.tanh(x)
        return 1.0 - t * t
