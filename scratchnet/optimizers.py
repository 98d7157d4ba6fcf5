"""Optimizers: how parameters move once their gradients are known.

Every optimizer has the same interface: ``step(parameters, gradients)`` moves each
parameter array *in place* (a layer's ``weights`` stays the same object through
training), using the gradients of the loss in the same order. Plain gradient descent
needs nothing but the current gradient; the others keep a running summary of past
gradients, one set of arrays per parameter, created on the first step.
"""

from __future__ import annotations

import weakref
from typing import Dict, List, Sequence, Tuple

import numpy as np

from ._validation import check_bool, check_fraction, check_gradients, check_positive_float


State = List[Dict[str, np.ndarray]]


class Optimizer:
    """Base class of the update rules.

    A subclass names the arrays it keeps for every parameter in ``state_names``
    and implements ``_update``. ``step`` checks the arguments, then, on the first
    step, creates the state: ``state[i][name]`` is ``np.zeros_like(parameters[i])``,
    so it has the parameter's shape and dtype (float32 weights get float32 state).
    Later steps must pass parameters of the same number and shapes, in the same
    order; :meth:`reset` forgets the state to start over.

    Hyperparameters are kept as Python floats: NumPy combines a Python float with a
    float32 array in float32, while a NumPy float64 scalar would upcast it.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import Optimizer
    >>> class SignSGD(Optimizer):
    ...     def _update(self, parameters, gradients, state):
    ...         for parameter, gradient in zip(parameters, gradients):
    ...             parameter -= self.learning_rate * np.sign(gradient)
    >>> w = np.array([1.0, 1.0])
    >>> SignSGD(0.1).step([w], [np.array([5.0, -0.01])])
    >>> w
    array([0.9, 1.1])
    """

    state_names: Tuple[str, ...] = ()

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = check_positive_float(learning_rate, "learning_rate")
        self.reset()

    def reset(self) -> None:
        """Forget the running state; the next step starts as if it were the first."""
        self.state: State | None = None
        self._owners: List[weakref.ref] = []

    def step(self, parameters: Sequence[np.ndarray], gradients: Sequence[np.ndarray]) -> None:
        """Move every parameter one step, in place, using its gradient."""
        self.update(parameters, check_gradients(parameters, gradients))

    def update(self, parameters: Sequence[np.ndarray], gradients: Sequence[np.ndarray]) -> None:
        """:meth:`step` without the checks, for a training loop that made the gradients
        itself (``fit``)."""
        self._update(parameters, gradients, self._state_for(parameters))

    def _state_for(self, parameters: Sequence[np.ndarray]) -> State:
        """The running state of ``parameters``, created at the first step.

        The state belongs to the arrays of the first step (a network's weights and
        biases, which steps update in place): a later step with other arrays, such as
        another network's of the same shapes, is refused instead of mixing the two
        networks' running averages. One optimizer per network, or :meth:`reset`.
        """
        if not self.state_names:
            return []  # nothing remembered: plain gradient descent can be shared
        if self.state is None:
            self.state = [
                {name: np.zeros_like(parameter) for name in self.state_names}
                for parameter in parameters
            ]
            self._owners = [weakref.ref(parameter) for parameter in parameters]
            return self.state
        if len(parameters) != len(self._owners):
            raise ValueError(
                f"parameters must be the {len(self._owners)} arrays of the first step, "
                f"got {len(parameters)} (call reset() to start over with new parameters)"
            )
        for i, (owner, parameter) in enumerate(zip(self._owners, parameters)):
            if owner() is not parameter:
                raise ValueError(
                    f"parameters[{i}] must be the array of the first step, got another "
                    f"array: this {type(self).__name__} keeps running averages of the arrays "
                    f"it first stepped, and stepping others (another network's?) would mix "
                    f"them. Use one optimizer per network, or call reset() to start over"
                )
        return self.state

    def _update(
        self, parameters: Sequence[np.ndarray], gradients: Sequence[np.ndarray], state: State
    ) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement _update")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self.learning_rate!r})"


class SGD(Optimizer):
    """Gradient descent: ``parameter -= learning_rate * gradient``, optionally with momentum.

    Without momentum each step goes straight downhill, as far as the learning rate
    says, and forgets everything before it.

    With ``momentum`` (PyTorch's convention) the step follows a *velocity* ``v``
    that accumulates the gradients, older ones counting less and less:
    ``v = momentum * v + gradient``, then ``parameter -= learning_rate * v``.
    Where successive gradients agree, as along a long shallow valley, the steps
    grow up to ``1 / (1 - momentum)`` times longer (10 times for 0.9); where they
    flip sign, as across a narrow valley, they cancel and the zig-zag is damped.

    ``nesterov=True`` looks ahead: the step uses the gradient plus the velocity
    it is about to carry into the next step,
    ``parameter -= learning_rate * (gradient + momentum * v)``.

    Parameters are updated in place, so a layer's ``weights`` array stays the
    same object through training.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import SGD
    >>> w = np.array([1.0, 2.0])
    >>> SGD(learning_rate=0.1).step([w], [np.array([1.0, -1.0])])
    >>> w  # changed in place
    array([0.9, 2.1])
    >>> sgd, w = SGD(learning_rate=0.1, momentum=0.9), np.array([1.0])
    >>> for _ in range(2):
    ...     sgd.step([w], [np.array([1.0])])
    >>> w  # steps of 0.1, then 0.1 * (0.9 + 1)
    array([0.71])
    """

    def __init__(
        self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False
    ) -> None:
        super().__init__(learning_rate)
        self.momentum = check_fraction(momentum, "momentum")
        nesterov = check_bool(nesterov, "nesterov")
        if nesterov and self.momentum == 0.0:
            raise ValueError("nesterov=True needs a momentum greater than 0, got momentum=0.0")
        self.nesterov = bool(nesterov)
        self.state_names = ("velocity",) if self.momentum else ()

    def _update(
        self, parameters: Sequence[np.ndarray], gradients: Sequence[np.ndarray], state: State
    ) -> None:
        lr = self.learning_rate
        if not self.momentum:
            for parameter, gradient in zip(parameters, gradients):
                parameter -= lr * gradient
            return
        momentum = self.momentum
        for parameter, gradient, slots in zip(parameters, gradients, state):
            velocity = slots["velocity"]
            velocity *= momentum
            velocity += gradient
            if self.nesterov:
                update = velocity * momentum
                update += gradient
                update *= lr
                parameter -= update
            else:
                parameter -= lr * velocity

    def __repr__(self) -> str:
        return (
            f"SGD(learning_rate={self.learning_rate!r}, momentum={self.momentum!r}, "
            f"nesterov={self.nesterov!r})"
        )


class RMSProp(Optimizer):
    """Gradient descent with each step divided by a running RMS of its gradients.

    ``s = rho * s + (1 - rho) * gradient**2`` is an exponential moving average of
    the squared gradient (it remembers roughly the last ``1 / (1 - rho)`` steps),
    and ``parameter -= learning_rate * gradient / (sqrt(s) + eps)``.

    Dividing by the root mean square gives every number its own step size: one
    whose gradients are large takes proportionally smaller steps, one whose
    gradients are tiny takes larger ones, so every step is about ``learning_rate``
    long whatever the scale of the gradient. A single learning rate then suits
    steep and flat directions alike. ``eps`` keeps the division finite where the
    gradients have been zero.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import RMSProp
    >>> w = np.array([1.0, 1.0])
    >>> RMSProp(learning_rate=0.01).step([w], [np.array([100.0, 0.01])])
    >>> np.round(w, 4)  # the same step, whatever the gradient's scale
    array([0.9684, 0.9684])
    """

    state_names = ("square_avg",)

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, eps: float = 1e-8) -> None:
        super().__init__(learning_rate)
        self.rho = check_fraction(rho, "rho")
        self.eps = check_positive_float(eps, "eps")

    def _update(
        self, parameters: Sequence[np.ndarray], gradients: Sequence[np.ndarray], state: State
    ) -> None:
        lr, rho, eps = self.learning_rate, self.rho, self.eps
        one_minus_rho = 1.0 - rho
        for parameter, gradient, slots in zip(parameters, gradients, state):
            square_avg = slots["square_avg"]
            # One work array per parameter, in the state's dtype, reused for every term.
            work = np.square(gradient, out=np.empty_like(square_avg))
            work *= one_minus_rho
            square_avg *= rho
            square_avg += work
            np.sqrt(square_avg, out=work)
            work += eps
            np.divide(gradient, work, out=work)
            work *= lr
            parameter -= work

    def __repr__(self) -> str:
        return f"RMSProp(learning_rate={self.learning_rate!r}, rho={self.rho!r}, eps={self.eps!r})"


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): momentum and RMSProp together, with bias correction.

    After ``t`` steps Adam keeps two exponential moving averages per parameter:
    ``m = beta1 * m + (1 - beta1) * gradient``, the mean gradient (the direction,
    as momentum does), and ``v = beta2 * v + (1 - beta2) * gradient**2``, the mean
    squared gradient (the scale, as RMSProp does). The step is
    ``parameter -= learning_rate * m_hat / (sqrt(v_hat) + eps)``.

    Both averages start at zero, so early on they are too small: after one step
    ``m`` is only ``(1 - beta1) * gradient``, a tenth of it for ``beta1 = 0.9``.
    In general the weights of an average after ``t`` steps add up to
    ``1 - beta**t`` rather than 1, so dividing by that corrects the bias:
    ``m_hat = m / (1 - beta1**t)`` and ``v_hat = v / (1 - beta2**t)``. Without it
    the first steps would be distorted, most of all through ``v``, whose
    ``beta2 = 0.999`` takes about a thousand steps to warm up.

    ``t`` counts the steps since creation or the last :meth:`reset`.

    Example
    -------
    >>> import numpy as np
    >>> from scratchnet import Adam
    >>> w = np.array([1.0, 1.0])
    >>> Adam(learning_rate=0.01).step([w], [np.array([100.0, 0.01])])
    >>> np.round(w, 4)  # the first step is learning_rate long in each direction
    array([0.99, 0.99])
    """

    state_names = ("m", "v")

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ) -> None:
        super().__init__(learning_rate)
        self.beta1 = check_fraction(beta1, "beta1")
        self.beta2 = check_fraction(beta2, "beta2")
        self.eps = check_positive_float(eps, "eps")

    def reset(self) -> None:
        super().reset()
        self.t = 0

    def _update(
        self, parameters: Sequence[np.ndarray], gradients: Sequence[np.ndarray], state: State
    ) -> None:
        self.t += 1
        lr, beta1, beta2, eps = self.learning_rate, self.beta1, self.beta2, self.eps
        correction1 = 1.0 - beta1**self.t
        correction2 = 1.0 - beta2**self.t
        for parameter, gradient, slots in zip(parameters, gradients, state):
            m, v = slots["m"], slots["v"]
            # One work array per parameter, in the state's dtype, reused for every term.
            work = np.multiply(gradient, 1.0 - beta1, out=np.empty_like(m))
            m *= beta1
            m += work
            np.square(gradient, out=work)
            work *= 1.0 - beta2
            v *= beta2
            v += work
            np.divide(v, correction2, out=work)
            np.sqrt(work, out=work)
            work += eps
            np.divide(m, work, out=work)
            work *= lr / correction1
            parameter -= work

    def __repr__(self) -> str:
        return (
            f"Adam(learning_rate={self.learning_rate!r}, beta1={self.beta1!r}, "
            f"beta2={self.beta2!r}, eps={self.eps!r})"
        )
