"""The exercise checkers (scratchnet.exercises): right code passes with one line, typical
mistakes fail with an AssertionError that names them, and wrong arguments to a checker
are TypeErrors.

Each wrong implementation below is what a learner plausibly writes; the pattern it must
raise is the part of the message that names its mistake.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from independent import load_seed_chapter
from scratchnet import (
    SGD,
    Activation,
    BinaryCrossEntropy,
    Identity,
    Layer,
    LeakyReLU,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    Tanh,
    softmax,
)
from scratchnet.exercises import (
    check_activation,
    check_bce_gradient,
    check_layer,
    check_momentum,
    check_network_backward,
    check_softmax,
)

CHAPTER = load_seed_chapter()  # the chapter's classes, as printed


@pytest.fixture
def global_random_state():
    """The chapter's Layer draws its weights from NumPy's global stream: put it back."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


def passes(checker, code, capsys) -> str:
    """Run a checker that must pass; return its one line of output."""
    assert checker(code) is None
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{checker.__name__}: ") and " passed: " in lines[0]
    return lines[0]


def fails(checker, code, match: str) -> AssertionError:
    """Run a checker that must fail with a message matching ``match`` (``.`` matches
    newlines too); return the error."""
    with pytest.raises(AssertionError, match=re.compile(match, re.DOTALL)) as caught:
        checker(code)
    assert str(caught.value).startswith(f"{checker.__name__}: ")
    return caught.value


# ============================================================================ activation


def activation(name: str, forward, backward) -> type:
    """A learner's activation class named ``name`` with these static methods."""
    return type(name, (Activation,), {"forward": staticmethod(forward),
                                      "backward": staticmethod(backward)})


@pytest.mark.parametrize("cls", [Tanh, Sigmoid, ReLU, LeakyReLU, Identity],
                         ids=lambda cls: cls.__name__)
def test_check_activation_passes_the_package_activations(cls, capsys):
    line = passes(check_activation, cls, capsys)
    assert line == (f"check_activation: {cls.__name__} passed: forward as scratchnet's "
                    f"{cls.__name__}, backward as the numerical derivative, shapes and "
                    "dtypes kept.")


def test_check_activation_compares_my_tanh_with_tanh_and_my_leaky_relu_with_its_alpha(capsys):
    class MyTanh(Activation):
        def forward(self, x):
            return np.tanh(x)

        def backward(self, x):
            t = np.tanh(x)
            return 1 - t * t

    class MyLeakyReLU(Activation):
        alpha = 0.2

        def forward(self, x):
            return np.where(x > 0, x, self.alpha * x)

        def backward(self, x):
            return np.where(x > 0, 1.0, self.alpha).astype(x.dtype)

    assert passes(check_activation, MyTanh, capsys).startswith(
        "check_activation: MyTanh passed: forward as scratchnet's Tanh,")
    assert passes(check_activation, MyLeakyReLU, capsys).startswith(
        "check_activation: MyLeakyReLU passed: forward as scratchnet's LeakyReLU,")
    MyLeakyReLU.forward = lambda self, x: np.where(x > 0, x, 0.01 * x)
    fails(check_activation, MyLeakyReLU, r"MyLeakyReLU\.forward\(x\) is wrong for x of shape "
                                         r"\(7,\) \(compared with scratchnet's "
                                         r"LeakyReLU\(alpha=0\.2\)\)")


def test_an_activation_scratchnet_does_not_have_is_checked_numerically(capsys):
    softplus = activation("Softplus", lambda x: np.logaddexp(0, x),
                          lambda x: (1 / (1 + np.exp(-x))).astype(x.dtype))
    line = passes(check_activation, softplus, capsys)
    assert line == ("check_activation: Softplus passed: backward as the numerical "
                    "derivative, shapes and dtypes kept.")
    wrong = activation("Softplus", lambda x: np.logaddexp(0, x),
                       lambda x: (1 / (1 + np.exp(x))).astype(x.dtype))
    fails(check_activation, wrong, r"Softplus\.backward\(x\) is wrong")


def test_the_chapters_sigmoid_passes_and_its_relu_fails_on_dtype(capsys):
    passes(check_activation, CHAPTER.Sigmoid, capsys)
    fails(check_activation, CHAPTER.ReLU, r"returned dtype int64 .* keep x's dtype")


def _relu_in_place(x):
    x[x < 0] = 0
    return x


ACTIVATION_MISTAKES = {
    "output formula applied to x": (
        activation("MyTanh", np.tanh, lambda x: 1 - x**2),
        r"receives the pre-activation x, not the output: the formula 1 - y\*\*2"),
    "derivative at the output": (
        activation("Tanh", np.tanh, lambda x: 1 - np.tanh(np.tanh(x)) ** 2),
        r"evaluated at the output forward\(x\) instead of at the pre-activation"),
    "sign error": (
        activation("Tanh", np.tanh, lambda x: np.tanh(x) ** 2 - 1), r"a sign error"),
    "forward returned as backward": (
        activation("MySigmoid", Sigmoid.forward, Sigmoid.forward), r"not its derivative"),
    "sigmoid's output formula applied to x": (
        activation("MySigmoid", Sigmoid.forward, lambda x: x * (1 - x)),
        r"the formula y \* \(1 - y\) with y = sigmoid\(x\) needs y = forward\(x\) first"),
    "wrong forward": (
        activation("Sigmoid", lambda x: 1 / (1 + np.exp(x)), Sigmoid.backward),
        r"Sigmoid\.forward\(x\) is wrong for x of shape \(7,\)"),
    "float64 from float32": (
        activation("ReLU", ReLU.forward, lambda x: (x > 0).astype(float)),
        r"returned dtype float64 for x of shape \(7,\), float32: keep x's dtype"),
    "input changed in place": (
        activation("ReLU", _relu_in_place, ReLU.backward),
        r"ReLU\.forward\(x\) was called and its input x changed .*for ReLU np\.maximum\(x, 0\)"),
    "shape not kept": (
        activation("Tanh", lambda x: np.tanh(x).ravel(), Tanh.backward),
        r"returned shape \(12,\) for x of shape \(4, 3\).* keeps the shape"),
}


def test_a_stub_is_not_a_mistake_its_not_implemented_error_goes_through():
    """A workbook's stub raises NotImplementedError: the checker lets it through, so the
    workbook stops there with the stub's own message (tests/determinism_checks.py relies
    on it), instead of reporting a mistake."""
    unwritten = type("Tanh", (Activation,), {"forward": staticmethod(np.tanh)})
    with pytest.raises(NotImplementedError):
        check_activation(unwritten)

    def stub(y_pred, y_true):
        raise NotImplementedError("my_bce_gradient: your code here")

    with pytest.raises(NotImplementedError, match="your code here"):
        check_bce_gradient(stub)


@pytest.mark.parametrize("cls, match", ACTIVATION_MISTAKES.values(),
                         ids=ACTIVATION_MISTAKES.keys())
def test_check_activation_names_the_mistake(cls, match):
    fails(check_activation, cls, match)


def test_an_exception_in_the_learners_code_is_the_cause_of_the_assertion():
    def backward(x):
        raise KeyError("oops")

    error = fails(check_activation, activation("Tanh", np.tanh, backward),
                  r"Tanh\.backward\(x\) raised KeyError: 'oops'")
    assert isinstance(error.__cause__, KeyError)


# ================================================================================= layer


class StudentLayer:
    """A learner's layer, written the chapter's way. Each entry of LAYER_MISTAKES replaces
    one method (``dz`` is dL/dz, the gradient at the pre-activation) with one mistake."""

    def __init__(self, input_size, output_size, activation):
        self.weights = np.full((input_size, output_size), 0.01)
        self.bias = np.zeros((1, output_size))
        self.activation = activation

    def forward(self, x):
        self.input = x
        self.activation_input = x @ self.weights + self.bias
        self.output = self.activation.forward(self.activation_input)
        return self.output

    def dz(self, grad_output):
        return grad_output * self.activation.backward(self.activation_input)

    def backward(self, grad_output):
        dz = self.dz(grad_output)
        return dz @ self.weights.T, self.input.T @ dz, dz.sum(axis=0, keepdims=True)


def student_layer(method: str, code) -> type:
    """A StudentLayer with one method replaced by ``code``."""
    return type("StudentLayer", (StudentLayer,), {method: code})


def test_check_layer_passes_the_package_layer(capsys):
    line = passes(check_layer, Layer, capsys)
    assert line == ("check_layer: Layer passed: output and the three gradients match on "
                    "batch sizes 1, 3, 5 (Sigmoid, Tanh, ReLU).")


def test_check_layer_passes_the_chapters_layer_and_a_learners(capsys, global_random_state):
    passes(check_layer, CHAPTER.Layer, capsys)
    passes(check_layer, StudentLayer, capsys)


def _weights_updated(self, g):
    grads = StudentLayer.backward(self, g)
    self.weights -= 0.1 * grads[1]
    return grads


def _nothing_cached_forward(self, x):
    return self.activation.forward(x @ self.weights + self.bias)


def _forward_without_bias(self, x):
    self.input, self.activation_input = x, x @ self.weights
    self.output = self.activation.forward(self.activation_input)
    return self.output


LAYER_MISTAKES = {
    "grad_input without transpose": (
        "backward",
        lambda self, g: (self.dz(g) @ self.weights, *StudentLayer.backward(self, g)[1:]),
        r"raised ValueError: .*\nLikely mistake: .*a missing transpose\?"),
    "grad_weights transposed": (
        "backward",
        lambda self, g: (StudentLayer.backward(self, g)[0], self.dz(g).T @ self.input,
                         StudentLayer.backward(self, g)[2]),
        r"grad_weights has shape \(2, 3\) .* expected shape \(3, 2\)\.\n"
        r"Likely mistake: a missing or misplaced transpose"),
    "bias not summed": (
        "backward", lambda self, g: (*StudentLayer.backward(self, g)[:2], self.dz(g)),
        r"grad_bias has shape \(3, 2\) for batch size 3 .*\n"
        r"Likely mistake: the bias gradient was not summed over the batch"),
    "bias summed without keepdims": (
        "backward",
        lambda self, g: (*StudentLayer.backward(self, g)[:2], self.dz(g).sum(axis=0)),
        r"grad_bias has shape \(2,\) .*keepdims=True"),
    "bias averaged": (
        "backward",
        lambda self, g: (*StudentLayer.backward(self, g)[:2],
                         self.dz(g).mean(axis=0, keepdims=True)),
        r"grad_bias is wrong for batch size 3 .*averaged over the batch .*an extra 1/n"),
    "derivative at the output": (
        "dz", lambda self, g: g * self.activation.backward(self.output),
        r"grad_input is wrong for batch size 1 .* Sigmoid\(\)\..*"
        r"taken at the output, f'\(f\(z\)\), instead of at the pre-activation"),
    "no activation derivative": (
        "dz", lambda self, g: g, r"the activation's derivative is missing"),
    "grad_weights divided by n": (
        "backward",
        lambda self, g: (StudentLayer.backward(self, g)[0],
                         StudentLayer.backward(self, g)[1] / len(g),
                         StudentLayer.backward(self, g)[2]),
        r"grad_weights is wrong for batch size 3 .*an extra 1/n: it was divided by the "
        r"batch size n = 3"),
    "sign error": (
        "dz", lambda self, g: -StudentLayer.dz(self, g),
        r"grad_input is wrong .*\n.*Likely mistake: a sign error"),
    "wrong order": (
        "backward", lambda self, g: StudentLayer.backward(self, g)[::-1],
        r"in the wrong order .*: \(grad_bias, grad_weights, grad_input\)"),
    "two gradients": (
        "backward", lambda self, g: StudentLayer.backward(self, g)[1:],
        r"is a tuple of 2 item\(s\) .*expected 3 arrays, \(grad_input, grad_weights, "),
    "no return": (
        "backward", lambda self, g: None,
        r"backward\(grad_output\) is None \(a missing return\?\)"),
    "weights updated in backward": (
        "backward", _weights_updated,
        r"layer\.weights changed .* the update .* belongs to the training loop"),
    "forward without bias": (
        "forward", _forward_without_bias,
        r"the output of forward\(x\) is wrong .*\nLikely mistake: the bias is not added"),
    "forward without activation": (
        "forward", lambda self, x: x @ self.weights + self.bias,
        r"Likely mistake: the activation is not applied"),
    "forward caches nothing": (
        "forward", _nothing_cached_forward,
        r"backward\(grad_output\) raised AttributeError: .*\nLikely mistake: backward reads "
        r"what forward\(x\) stored on self"),
}


@pytest.mark.parametrize("method, code, match", LAYER_MISTAKES.values(),
                         ids=LAYER_MISTAKES.keys())
def test_check_layer_names_the_mistake(method, code, match):
    fails(check_layer, student_layer(method, code), match)


def test_check_layer_reports_a_constructor_that_refuses_the_chapters_signature():
    class NoActivation(StudentLayer):
        def __init__(self, input_size, output_size):
            super().__init__(input_size, output_size, Sigmoid())

    error = fails(check_layer, NoActivation,
                  r"NoActivation\(3, 2, Sigmoid\(\)\) raised TypeError.*"
                  r"cls\(input_size, output_size, activation\)")
    assert isinstance(error.__cause__, TypeError)


# ================================================================== binary cross-entropy


def bce_right(y_pred, y_true):
    return -(y_true / y_pred - (1 - y_true) / (1 - y_pred)) / y_pred.size


def test_check_bce_gradient_passes_the_package_and_a_learners_gradient(capsys):
    line = passes(check_bce_gradient, BinaryCrossEntropy().backward, capsys)
    assert line == ("check_bce_gradient: BinaryCrossEntropy.backward passed: matches "
                    "BinaryCrossEntropy().backward on shapes (4, 1), (6, 1), (3, 2).")
    assert passes(check_bce_gradient, bce_right, capsys).startswith(
        "check_bce_gradient: bce_right passed")


BCE_MISTAKES = {
    "missing 1/n": (lambda p, y: bce_right(p, y) * p.size,
                    r"Likely mistake: the 1/n of the mean is missing \(here n = 4"),
    "extra 1/n": (lambda p, y: bce_right(p, y) / p.size,
                  r"an extra 1/n: the gradient was divided by n = 4 twice"),
    "sign error": (lambda p, y: -bce_right(p, y), r"a sign error"),
    "rows, not outputs (the chapter's len(X))": (
        lambda p, y: -(y / (p + 1e-15) - (1 - y) / (1 - p + 1e-15)) / len(p),
        r"shape \(3, 2\).*divided by the number of rows, len\(y_pred\) = 3, instead of "
        r"the number of outputs, y_pred.size = 6"),
    "(1 - y) term missing": (lambda p, y: -(y / p) / p.size,
                             r"the \(1 - y_true\) / \(1 - y_pred\) term is missing"),
    "dL/dz instead of dL/dp": (lambda p, y: (p - y) / p.size,
                               r"is dL/dz, the gradient with respect to the pre-activation"),
    "a mean of the gradient": (
        lambda p, y: np.mean(-(y / p - (1 - y) / (1 - p))),
        r"has shape \(\) .*\nLikely mistake: the gradient was reduced to one number"),
    "arguments swapped": (lambda y, p: bce_right(p, y),
                          r"raised FloatingPointError: divide by zero.*predictions first"),
}


@pytest.mark.parametrize("fn, match", BCE_MISTAKES.values(), ids=BCE_MISTAKES.keys())
def test_check_bce_gradient_names_the_mistake(fn, match):
    fails(check_bce_gradient, fn, match)


# ====================================================================== network backward


def backward_loop(network, grad_output):
    """A learner's backward loop: the right one."""
    gradients = []
    for layer in reversed(network.layers):
        grad_output, grad_weights, grad_bias = layer.backward(grad_output)
        gradients = [grad_weights, grad_bias] + gradients
    return gradients, grad_output


def test_check_network_backward_passes_the_package_and_a_learners_loop(capsys):
    line = passes(check_network_backward, NeuralNetwork.gradients, capsys)
    assert line == ("check_network_backward: NeuralNetwork.gradients passed: gradients and "
                    "grad_input match on 2 networks, and no parameter changed.")
    passes(check_network_backward, backward_loop, capsys)


def _first_to_last(network, grad_output):
    gradients = []
    for layer in network.layers:
        grad_output, grad_weights, grad_bias = layer.backward(grad_output)
        gradients += [grad_weights, grad_bias]
    return gradients, grad_output


def _appended(network, grad_output):
    gradients = []
    for layer in reversed(network.layers):
        grad_output, grad_weights, grad_bias = layer.backward(grad_output)
        gradients += [grad_weights, grad_bias]
    return gradients, grad_output


def _with_update(network, grad_output):  # the chapter's NeuralNetwork.backward, returning
    gradients = []
    for layer in reversed(network.layers):
        grad_output, grad_weights, grad_bias = layer.backward(grad_output)
        layer.weights -= 0.01 * grad_weights
        layer.bias -= 0.01 * grad_bias
        gradients = [grad_weights, grad_bias] + gradients
    return gradients, grad_output


NETWORK_MISTAKES = {
    "layers first to last": (_first_to_last, r"raised ValueError: .*last first"),
    "gradients appended in backward order": (
        _appended, r"the gradients are in the wrong order .*: \[layers\[1\]\.weights, "
                   r"layers\[1\]\.bias, layers\[0\]\.weights, layers\[0\]\.bias\]"),
    "weights only": (
        lambda net, g: ([w for i, w in enumerate(backward_loop(net, g)[0]) if i % 2 == 0],
                        backward_loop(net, g)[1]),
        r"is a list of 2 item\(s\) .*expected 4 arrays, one gradient per parameter"),
    "grad_output returned as grad_input": (
        lambda net, g: (backward_loop(net, g)[0], g),
        r"grad_input has shape \(5, 2\) .*\nLikely mistake: grad_input is the grad_output "
        r"you were given"),
    "extra 1/n": (
        lambda net, g: ([grad / len(g) for grad in backward_loop(net, g)[0]],
                        backward_loop(net, g)[1]),
        r"the gradient of layers\[0\]\.weights is wrong .*\nLikely mistake: an extra 1/n"),
    "sign error": (
        lambda net, g: ([-grad for grad in backward_loop(net, g)[0]],
                        backward_loop(net, g)[1]),
        r"Likely mistake: a sign error"),
    "parameters updated": (
        _with_update, r"network\.layers\[0\]\.weights changed .*only computes gradients"),
    "no return": (lambda net, g: None, r"fn returned None \(a missing return\?\)"),
    "gradients without grad_input": (
        lambda net, g: backward_loop(net, g)[0],
        r"fn returned a list of 4 item\(s\) .*expected a pair \(gradients, grad_input\)"),
}


@pytest.mark.parametrize("fn, match", NETWORK_MISTAKES.values(), ids=NETWORK_MISTAKES.keys())
def test_check_network_backward_names_the_mistake(fn, match):
    fails(check_network_backward, fn, match)


# ============================================================================== momentum


def momentum_step(parameters, gradients, velocities, learning_rate, momentum):
    for parameter, gradient, velocity in zip(parameters, gradients, velocities):
        velocity *= momentum
        velocity += gradient
        parameter -= learning_rate * velocity


def momentum_step_lr_inside(parameters, gradients, velocities, learning_rate, momentum):
    """The other common convention, v = m v - lr g, p += v: the same steps."""
    for i, gradient in enumerate(gradients):
        velocities[i] = momentum * velocities[i] - learning_rate * gradient
        parameters[i] += velocities[i]


@pytest.mark.parametrize("code", [SGD, momentum_step, momentum_step_lr_inside],
                         ids=["SGD", "function", "function, lr inside the velocity"])
def test_check_momentum_passes_sgd_and_right_functions(code, capsys):
    line = passes(check_momentum, code, capsys)
    assert line.endswith("passed: 4 steps match SGD(learning_rate, momentum=momentum) for "
                         "(0.1, 0.9) and (0.05, 0.5).")


def step_rule(rule):
    """A learner's momentum_step from a rule (parameter, velocity, gradient, lr, m) ->
    (new parameter, new velocity); both written back in place."""
    def step(parameters, gradients, velocities, learning_rate, momentum):
        for p, g, v in zip(parameters, gradients, velocities):
            p[...], v[...] = rule(p, v, g, learning_rate, momentum)
    return step


def _velocity_rebound(parameters, gradients, velocities, learning_rate, momentum):
    for parameter, gradient, velocity in zip(parameters, gradients, velocities):
        velocity = momentum * velocity + gradient
        parameter -= learning_rate * velocity


def _parameter_rebound(parameters, gradients, velocities, learning_rate, momentum):
    for parameter, gradient, velocity in zip(parameters, gradients, velocities):
        velocity *= momentum
        velocity += gradient
        parameter = parameter - learning_rate * velocity  # noqa: F841


def _list_item_replaced(parameters, gradients, velocities, learning_rate, momentum):
    for i, gradient in enumerate(gradients):
        velocities[i] = momentum * velocities[i] + gradient
        parameters[i] = parameters[i] - learning_rate * velocities[i]


class ForgetfulSGD:
    """An optimizer class that makes new velocities at every step."""

    def __init__(self, learning_rate, momentum=0.0):
        self.learning_rate, self.momentum = learning_rate, momentum

    def step(self, parameters, gradients):
        for parameter, gradient in zip(parameters, gradients):
            velocity = np.zeros_like(parameter)
            velocity = self.momentum * velocity + gradient
            parameter -= self.learning_rate * velocity


MOMENTUM_MISTAKES = {
    "velocity rebound": (_velocity_rebound, r"the velocity is not carried from one step"),
    "velocity not kept by a class": (ForgetfulSGD, r"the velocity is not carried"),
    "parameter rebound": (_parameter_rebound, r"the parameters never changed: update them "
                                              r"in place"),
    "list item replaced": (_list_item_replaced, r"parameters\[0\] was replaced by another "
                                                r"object at step 1; update the array in place"),
    "(1 - momentum)": (step_rule(lambda p, v, g, lr, m: (p - lr * (m * v + (1 - m) * g),
                                                           m * v + (1 - m) * g)),
                       r"scaled by \(1 - momentum\)"),
    "sign error": (step_rule(lambda p, v, g, lr, m: (p + lr * (m * v + g), m * v + g)),
                   r"parameters\[0\] is wrong after step 1 .*a sign error"),
    "velocity updated after the step": (
        step_rule(lambda p, v, g, lr, m: (p - lr * v, m * v + g)),
        r"after step 1 .*velocity from before this step's gradient was added"),
    "learning rate missing": (step_rule(lambda p, v, g, lr, m: (p - (m * v + g), m * v + g)),
                              r"the learning rate is missing"),
    "Nesterov": (step_rule(lambda p, v, g, lr, m: (p - lr * (g + m * (m * v + g)),
                                                   m * v + g)),
                 r"after step 1 .*Nesterov's look-ahead"),
}


@pytest.mark.parametrize("code, match", MOMENTUM_MISTAKES.values(),
                         ids=MOMENTUM_MISTAKES.keys())
def test_check_momentum_names_the_mistake(code, match):
    fails(check_momentum, code, match)


def test_check_momentum_wants_a_step_method_on_a_class():
    class NoStep:
        def __init__(self, learning_rate, momentum=0.0):
            pass

    fails(check_momentum, NoStep, r"NoStep has no method step\(parameters, gradients\)")


# =============================================================================== softmax


def stable_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_check_softmax_passes_the_package_and_a_learners_softmax(capsys):
    line = passes(check_softmax, softmax, capsys)
    assert line == ("check_softmax: softmax passed: matches scratchnet's softmax on ordinary "
                    "and huge logits (1000, -1000), no overflow.")
    passes(check_softmax, stable_softmax, capsys)


def _naive_silenced(z):
    with np.errstate(all="ignore"):
        return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


def _in_place(z):
    z -= z.max(axis=-1, keepdims=True)
    return stable_softmax(z)


SOFTMAX_MISTAKES = {
    "no maximum subtracted": (
        lambda z: np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True),
        r"for huge logits of shape \(3, 3\) raised FloatingPointError: overflow encountered "
        r"in exp\nLikely mistake: .*subtract each row's maximum first"),
    "overflow silenced": (_naive_silenced, r"holds 7 NaN or infinite value\(s\) for huge "
                                           r"logits.*subtract each row's maximum first"),
    "one maximum for the whole array": (
        lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=-1, keepdims=True),
        r"invalid value encountered in divide\nLikely mistake: .*each row's own maximum"),
    "axis 0": (lambda z: (np.exp(z - z.max(axis=0, keepdims=True))
                          / np.exp(z - z.max(axis=0, keepdims=True)).sum(axis=0, keepdims=True)),
               r"the softmax ran over axis 0"),
    "no keepdims": (lambda z: np.exp(z - z.max(axis=-1)) / np.exp(z - z.max(axis=-1)).sum(-1),
                    r"raised ValueError: operands could not be broadcast.*keepdims=True"),
    "not normalised": (lambda z: np.exp(z - z.max(axis=-1, keepdims=True)),
                       r"Likely mistake: not normalised"),
    "normalised over the whole array": (
        lambda z: np.exp(z - z.max(axis=-1, keepdims=True))
        / np.exp(z - z.max(axis=-1, keepdims=True)).sum(),
        r"normalised over the whole array"),
    "log-probabilities": (lambda z: np.log(stable_softmax(z)), r"log-probabilities"),
    "logits changed in place": (_in_place, r"fn\(logits\) was called and logits changed"),
}


@pytest.mark.parametrize("fn, match", SOFTMAX_MISTAKES.values(), ids=SOFTMAX_MISTAKES.keys())
def test_check_softmax_names_the_mistake(fn, match):
    fails(check_softmax, fn, match)


# ======================================================================== all checkers


def test_a_failure_shows_expected_and_got_and_is_the_same_every_run():
    """Fixed inputs: the same mistake gives the same message, numbers included."""
    wrong = activation("Tanh", np.tanh, lambda x: 1 - x**2)
    messages = []
    for _ in range(2):
        with pytest.raises(AssertionError) as caught:
            check_activation(wrong)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "\n  expected: [" in messages[0] and "\n  got:      [" in messages[0]


WRONG_ARGUMENTS = [
    (check_activation, Tanh(), r"cls must be a class such as Tanh .*got Tanh\(\); pass the "
                               r"class itself, Tanh, without parentheses"),
    (check_activation, np.tanh, r"cls must be a class such as Tanh"),
    (check_activation, SGD, r"cls must be a class with the methods forward and backward, "
                            r".*got SGD, without forward and backward"),
    (check_layer, Layer(3, 2, Sigmoid()), r"cls must be a class such as Layer .*without "
                                          r"parentheses"),
    (check_layer, "Layer", r"cls must be a class such as Layer .*got 'Layer'$"),
    (check_bce_gradient, None, r"fn must be a function fn\(y_pred, y_true\)"),
    (check_bce_gradient, BinaryCrossEntropy, r"fn must be a function .*got <class"),
    (check_network_backward, NeuralNetwork, r"fn must be a function fn\(network, grad_output\)"),
    (check_momentum, 0.9, r"cls_or_fn must be a function momentum_step\(parameters, "
                          r"gradients, velocities, learning_rate, momentum\) or an optimizer"),
    (check_softmax, np.ones(3), r"fn must be a function fn\(logits\)"),
]


@pytest.mark.parametrize("checker, argument, match", WRONG_ARGUMENTS,
                         ids=[f"{c.__name__}-{i}" for i, (c, _, _) in enumerate(WRONG_ARGUMENTS)])
def test_wrong_arguments_to_a_checker_are_type_errors(checker, argument, match):
    with pytest.raises(TypeError, match=match):
        checker(argument)
