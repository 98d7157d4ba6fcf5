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


# ================================================== what a learner is promised, in detail
#
# The tests below pin the behaviour the module docstring and each checker's docstring
# promise: which inputs are drawn (the same ones every run), the tolerances, the in-place
# checks, and the exact text of each diagnosis and hint the learner reads.


def failure(checker, code) -> str:
    """The message of the AssertionError a checker must raise for ``code``."""
    with pytest.raises(AssertionError) as caught:
        checker(code)
    text = str(caught.value)
    assert text.startswith(f"{checker.__name__}: "), text
    return text


def likely(text: str) -> str:
    """The diagnosis of a failure message: its 'Likely mistake: ' line ('' if none)."""
    lines = [line for line in text.splitlines() if line.startswith("Likely mistake: ")]
    assert len(lines) <= 1, text
    return lines[0][len("Likely mistake: "):] if lines else ""


NUMBER = r"-?\d+\.\d{0,4}"  # how the messages print a number: at most 4 decimals
ROW = rf"\[ *{NUMBER} *(, +{NUMBER} *)*\]"  # a row printed with ", " between the numbers


def shown(label: str, text: str) -> bool:
    """Whether ``text`` shows an array on a line that starts with ``label`` (padded to 12
    characters), its numbers at 4 decimals at most, its rows aligned under the first."""
    prefix = re.escape(f"  {label}:".ljust(12))
    one_d = rf"\n{prefix}{ROW}(\n|$)"
    two_d = rf"\n{prefix}\[{ROW}(,\n {{13}}{ROW})*\](\n|$)"
    return bool(re.search(one_d, text) or re.search(two_d, text))


def same_message_twice(checker, code) -> str:
    first, second = failure(checker, code), failure(checker, code)
    assert first == second
    return first


# ------------------------------------------------------------------- activation, detail


class SpyTanh(Activation):
    """A right Tanh that records every x it is given."""

    seen: list = []

    def forward(self, x):
        return np.tanh(x)

    def backward(self, x):
        SpyTanh.seen.append(x.copy())
        t = np.tanh(x)
        return 1 - t * t


def test_check_activation_draws_the_same_signed_inputs_away_from_zero_every_run(capsys):
    runs = []
    for _ in range(2):
        SpyTanh.seen = []
        passes(check_activation, SpyTanh, capsys)
        runs.append(SpyTanh.seen)
    first, second = runs
    assert len(first) == len(second) and all(
        a.dtype == b.dtype and np.array_equal(a, b) for a, b in zip(first, second))
    # per shape: backward on float64 x, on float32 x, then on float64 x for the comparison
    assert [x.shape for x in first] == [(7,)] * 3 + [(4, 3)] * 3 + [(2, 3, 2)] * 3
    assert [x.dtype for x in first] == [np.float64, np.float32, np.float64] * 3
    for x in first:
        assert 0.1 <= np.abs(x).min() and np.abs(x).max() <= 3.0  # away from ReLU's kink
        assert (x < 0).any() and (x > 0).any()  # both branches of ReLU
        assert len(np.unique(np.abs(x))) == x.size  # random, not one value repeated


def test_check_activation_compares_forward_within_1e_6_and_backward_within_1e_5():
    """forward against scratchnet's function: rounding apart (rtol 1e-6, atol 1e-9);
    backward against central differences, which are noisier (rtol 1e-5, atol 1e-6)."""
    def tanh_times(factor):
        return lambda x: np.tanh(x) * factor

    def tanh_derivative_times(factor):
        return lambda x: (1 - np.tanh(x) ** 2) * factor

    check_activation(activation("Tanh", tanh_times(1 + 5e-7), tanh_derivative_times(1 + 5e-7)))
    text = failure(check_activation,
                   activation("Tanh", tanh_times(1 + 5e-6), tanh_derivative_times(1 + 5e-6)))
    assert text.startswith("check_activation: Tanh.forward(x) is wrong for x of shape (7,) "
                           "(compared with scratchnet's Tanh()).")
    check_activation(activation("Tanh", np.tanh, tanh_derivative_times(1 + 3e-6)))
    text = failure(check_activation, activation("Tanh", np.tanh, tanh_derivative_times(1 + 3e-5)))
    assert text.startswith("check_activation: Tanh.backward(x) is wrong for x of shape (7,).")

    def relu_derivative_off_by(off):  # off where the derivative is 0
        return lambda x: np.where(x > 0, 1.0, off).astype(x.dtype)

    check_activation(activation("ReLU", ReLU.forward, relu_derivative_off_by(5e-7)))
    text = failure(check_activation, activation("ReLU", ReLU.forward, relu_derivative_off_by(5e-6)))
    assert text.startswith("check_activation: ReLU.backward(x) is wrong for x of shape (7,).")


def test_check_activation_failure_shows_x_expected_and_got_then_the_mistake():
    text = failure(check_activation, activation("MyTanh", np.tanh, lambda x: 1 - x**2))
    lines = text.split("\n")
    assert lines[0] == "check_activation: MyTanh.backward(x) is wrong for x of shape (7,)."
    assert [line[:12] for line in lines[1:4]] == ["  x:        ", "  expected: ", "  got:      "]
    assert all(shown(label, text) for label in ("x", "expected", "got"))
    assert lines[4:] == ["Likely mistake: backward(x) receives the pre-activation x, not the "
                         "output: the formula 1 - y**2 with y = tanh(x) needs y = forward(x) "
                         "first, and x was used in place of y."]


def test_check_activation_wrong_forward_shows_x():
    text = failure(check_activation,
                   activation("Sigmoid", lambda x: 1 / (1 + np.exp(x)), Sigmoid.backward))
    assert text.startswith("check_activation: Sigmoid.forward(x) is wrong for x of shape (7,) "
                           "(compared with scratchnet's Sigmoid()).\n  x:        [")
    assert shown("x", text) and shown("expected", text) and shown("got", text)


ACTIVATION_DIAGNOSES = {
    "derivative at the output": (
        activation("Tanh", np.tanh, lambda x: 1 - np.tanh(np.tanh(x)) ** 2),
        "the derivative was evaluated at the output forward(x) instead of at the "
        "pre-activation x: backward(x) receives x itself."),
    "forward returned as backward": (
        activation("MySigmoid", Sigmoid.forward, Sigmoid.forward),
        "backward returned forward(x), the function itself, not its derivative."),
    "sigmoid's output formula applied to x": (
        activation("MySigmoid", Sigmoid.forward, lambda x: x * (1 - x)),
        "backward(x) receives the pre-activation x, not the output: the formula "
        "y * (1 - y) with y = sigmoid(x) needs y = forward(x) first, and x was used in "
        "place of y."),
    "sign error": (
        activation("Tanh", np.tanh, lambda x: np.tanh(x) ** 2 - 1),
        "a sign error: every value has the wrong sign."),
    "inner derivative forgotten, a factor 2": (  # d/dx tanh(x / 2) has a factor 1/2
        activation("TanhOfHalf", lambda x: np.tanh(x / 2), lambda x: 1 - np.tanh(x / 2) ** 2),
        "every value is 2 times the right one: a constant factor is missing or extra."),
    "a wrong derivative that is no known mistake": (
        activation("Softplus", lambda x: np.logaddexp(0, x),
                   lambda x: (1 / (1 + np.exp(x))).astype(x.dtype)), ""),
}


@pytest.mark.parametrize("cls, diagnosis", ACTIVATION_DIAGNOSES.values(),
                         ids=ACTIVATION_DIAGNOSES.keys())
def test_check_activation_diagnosis_text(cls, diagnosis):
    text = failure(check_activation, cls)
    assert text.startswith(f"check_activation: {cls.__name__}.backward(x) is wrong for x of "
                           "shape (7,).\n  x:        [")
    assert likely(text) == diagnosis


def test_check_activation_messages_for_a_changed_dtype_a_changed_input_and_a_non_array():
    relu_float64 = activation("ReLU", ReLU.forward, lambda x: (x > 0).astype(float))
    assert failure(check_activation, relu_float64) == (
        "check_activation: ReLU.backward(x) returned dtype float64 for x of shape (7,), "
        "float32: keep x's dtype (float32 stays float32). A float constant such as "
        "np.where(x > 0, 1.0, 0.0) or .astype(float) makes float64, integers make int64: "
        "use np.ones_like(x), np.zeros_like(x) or .astype(x.dtype).")
    assert failure(check_activation, activation("ReLU", _relu_in_place, ReLU.backward)) == (
        "check_activation: ReLU.forward(x) was called and its input x changed for x of shape "
        "(7,), float64. Compute a new array (for ReLU np.maximum(x, 0), not x[x < 0] = 0): "
        "the caller's x is the layer's cached pre-activation.")
    identity_constant = activation("Identity", lambda x: x.copy(), lambda x: 1.0)
    assert failure(check_activation, identity_constant) == (
        "check_activation: Identity.backward(x) returned 1.0 for x of shape (7,), float64; "
        "expected a NumPy array of x's shape")
    as_list = activation("Tanh", lambda x: list(np.tanh(x)), Tanh.backward)
    assert failure(check_activation, as_list) == (
        "check_activation: Tanh.forward(x) returned a list of 7 item(s) for x of shape (7,), "
        "float64; expected a NumPy array of x's shape")
    no_return = activation("Tanh", np.tanh, lambda x: None)
    assert failure(check_activation, no_return).startswith(
        "check_activation: Tanh.backward(x) returned None (a missing return?) for x of shape")


def test_check_activation_reports_nan_from_forward_with_x_and_what_came():
    undefined_below_zero = activation("Softroot", lambda x: np.where(x > 0, x, np.nan),
                                      lambda x: np.ones_like(x))
    text = failure(check_activation, undefined_below_zero)
    assert text.startswith("check_activation: Softroot.forward(x) holds NaN or infinite values "
                           "for x of shape (7,), with every x between -3 and 3.\n  x:        [")
    assert "\n  got:      [" in text and likely(text) == ""


def test_check_activation_exception_without_a_hint_has_no_likely_mistake():
    def backward(x):
        raise KeyError("oops")

    text = failure(check_activation, activation("Tanh", np.tanh, backward))
    assert text == "check_activation: Tanh.backward(x) raised KeyError: 'oops'"


def test_check_activation_says_the_class_is_created_without_arguments():
    class MyLeakyReLU(Activation):
        def __init__(self, alpha):
            self.alpha = alpha

        def forward(self, x):
            return np.where(x > 0, x, self.alpha * x)

        def backward(self, x):
            return np.where(x > 0, 1.0, self.alpha).astype(x.dtype)

    with pytest.raises(AssertionError) as caught:
        check_activation(MyLeakyReLU)
    text = str(caught.value)
    assert text.startswith("check_activation: MyLeakyReLU() raised TypeError: ")
    assert likely(text) == "the checker creates your activation with no arguments"
    assert isinstance(caught.value.__cause__, TypeError)


def test_a_leaky_relu_without_alpha_is_compared_with_alpha_0_01(capsys):
    def leaky(slope):
        return activation("MyLeakyReLU", lambda x: np.where(x > 0, x, slope * x),
                          lambda x: np.where(x > 0, 1.0, slope).astype(x.dtype))

    assert passes(check_activation, leaky(0.01), capsys).startswith(
        "check_activation: MyLeakyReLU passed: forward as scratchnet's LeakyReLU,")
    assert failure(check_activation, leaky(0.02)).startswith(
        "check_activation: MyLeakyReLU.forward(x) is wrong for x of shape (7,) (compared with "
        "scratchnet's LeakyReLU(alpha=0.01)).")


def test_a_callable_that_is_not_a_class_gets_no_without_parentheses_hint():
    with pytest.raises(TypeError, match=r"cls must be a class such as Tanh \(the class, not an "
                                        r"instance\), got <ufunc 'tanh'>$"):
        check_activation(np.tanh)


def _finite_difference(f, x, h=3e-3):
    """A learner's own derivative: central differences with a coarse step."""
    return (f(x + h) - f(x - h)) / (2 * h)


def test_a_mistake_is_named_within_the_tolerance_of_the_comparison_it_failed():
    """backward is compared with central differences (rtol 1e-5, atol 1e-6): a known
    mistake made with a derivative only that precise is still named."""
    at_the_output = activation("Tanh", np.tanh,
                               lambda x: _finite_difference(np.tanh, np.tanh(x)))
    assert likely(failure(check_activation, at_the_output)).startswith(
        "the derivative was evaluated at the output forward(x)")
    uphill = activation("Tanh", np.tanh, lambda x: -_finite_difference(np.tanh, x))
    assert likely(failure(check_activation, uphill)) == (
        "a sign error: every value has the wrong sign.")


# ------------------------------------------------------------------------ layer, detail


class SpyLayer(StudentLayer):
    """A right layer that records how it is made and the x of each case."""

    made: list = []

    def __init__(self, input_size, output_size, activation):
        super().__init__(input_size, output_size, activation)
        SpyLayer.made.append(self)
        self.args, self.first = (input_size, output_size, activation), None

    def forward(self, x):
        if self.first is None:
            self.first = (x.copy(), self.weights.copy(), self.bias.copy())
        return super().forward(x)


def test_check_layer_makes_a_3_2_layer_on_the_same_batches_every_run(capsys):
    runs = []
    for _ in range(2):
        SpyLayer.made = []
        passes(check_layer, SpyLayer, capsys)
        runs.append(SpyLayer.made)
    first, second = runs
    assert [(i, o, type(a).__name__) for i, o, a in (layer.args for layer in first)] == [
        (3, 2, name) for name in ("Sigmoid", "Tanh", "ReLU") for _ in range(3)]
    assert [layer.first[0].shape for layer in first] == [(1, 3), (3, 3), (5, 3)] * 3
    for a, b in zip(first, second):
        assert all(np.array_equal(u, v) for u, v in zip(a.first, b.first))
    for layer in first:
        x, weights, bias = layer.first
        assert weights.shape == (3, 2) and bias.shape == (1, 2)
        assert np.abs(x @ weights + bias).min() > 0.1  # away from ReLU's kink


WHERE_1 = "for batch size 1 (x of shape (1, 3)) with Sigmoid()"
WHERE_3 = "for batch size 3 (x of shape (3, 3)) with Sigmoid()"
SHAPE_ADVICE = (
    "shapes that do not fit in a product: a missing transpose? With x of shape "
    "(n, input_size), weights (input_size, output_size) and dz = dL/dz (n, output_size): "
    "grad_input = dz @ weights.T, grad_weights = x.T @ dz, grad_bias = dz summed over the "
    "batch (axis=0, keepdims=True).")
FORWARD_STORES = (
    "backward reads what forward(x) stored on self, just before: the input x and the "
    "pre-activation z = x @ weights + bias. Does forward store them, under the names "
    "backward reads?")


def _forward_weights_transposed(self, x):
    return self.activation.forward(x @ self.weights.T + self.bias)


def _forward_guarding_with_truthiness(self, x):
    if not x:  # meant: an empty batch
        raise ValueError("empty batch")
    return StudentLayer.forward(self, x)


def _forward_scaling_its_input(self, x):
    x /= np.abs(x).max()
    return StudentLayer.forward(self, x)


def _backward_reading_a_shape_never_stored(self, g):
    n = self.batch_shape[0]
    return StudentLayer.backward(self, g / n)


def _backward_bias_reshaped(self, g):
    grad_input, grad_weights, _ = StudentLayer.backward(self, g)
    return grad_input, grad_weights, self.dz(g).sum(axis=0).reshape(1, self.weights.shape[0])


def _backward_dz_in_place(self, g):
    g *= self.activation.backward(self.activation_input)
    return g @ self.weights.T, self.input.T @ g, g.sum(axis=0, keepdims=True)


def test_check_layer_forward_failures_name_the_case():
    text = failure(check_layer, student_layer("forward", _forward_without_bias))
    assert text.startswith(f"check_layer: the output of forward(x) is wrong {WHERE_1}.\n"
                           "  expected: [[")
    assert likely(text) == "the bias is not added: z = x @ weights + bias."
    text = failure(check_layer, student_layer("forward", lambda self, x: x @ self.weights
                                              + self.bias))
    assert likely(text) == ("the activation is not applied: output = activation.forward(x @ "
                            "weights + bias).")
    assert failure(check_layer, student_layer("forward", _forward_scaling_its_input)) == (
        f"check_layer: forward(x) was called and x changed {WHERE_1}. forward must leave its "
        "input as it was.")


def test_check_layer_gives_the_shape_advice_only_for_shape_errors():
    text = failure(check_layer, student_layer("forward", _forward_weights_transposed))
    assert text.startswith("check_layer: forward(x) raised ValueError: ")
    assert likely(text) == SHAPE_ADVICE
    text = failure(check_layer, student_layer("backward", _backward_bias_reshaped))
    assert text.startswith("check_layer: backward(grad_output) raised ValueError: cannot "
                           "reshape")
    assert likely(text) == SHAPE_ADVICE
    assert failure(check_layer, student_layer("forward", _forward_guarding_with_truthiness)) == (
        "check_layer: forward(x) raised ValueError: The truth value of an array with more than "
        "one element is ambiguous. Use a.any() or a.all()")
    text = failure(check_layer, student_layer("backward", _backward_reading_a_shape_never_stored))
    assert text.startswith("check_layer: backward(grad_output) raised AttributeError: ")
    assert likely(text) == FORWARD_STORES
    text = failure(check_layer, student_layer("forward", _nothing_cached_forward))
    assert likely(text) == FORWARD_STORES


class _LayerStartingWithNothingStored(StudentLayer):
    def __init__(self, input_size, output_size, activation):
        super().__init__(input_size, output_size, activation)
        self.input = self.activation_input = None

    def forward(self, x):  # keeps nothing for backward
        return self.activation.forward(x @ self.weights + self.bias)


def test_check_layer_blames_what_forward_stored_for_a_none_it_left():
    text = failure(check_layer, _LayerStartingWithNothingStored)
    assert text.startswith("check_layer: backward(grad_output) raised TypeError: ")
    assert "NoneType" in text
    assert likely(text) == FORWARD_STORES


class _LayerWithACache(StudentLayer):
    def forward(self, x):
        self.cache = {"x": x, "Z": x @ self.weights + self.bias}
        return self.activation.forward(self.cache["Z"])

    def backward(self, g):
        self.input, self.activation_input = self.cache["x"], self.cache["z"]  # not "Z"
        return StudentLayer.backward(self, g)


def _backward_dividing_by_zero(self, g):
    return StudentLayer.backward(self, g * (1 / (len(g) // 2)))  # 1 / 0 for a batch of 1


def _backward_overflowing(self, g):
    return StudentLayer.backward(self, g * np.exp(1000.0 + g))


def test_check_layer_blames_what_forward_stored_only_for_something_not_there():
    text = failure(check_layer, _LayerWithACache)
    assert text.startswith("check_layer: backward(grad_output) raised KeyError: 'z'")
    assert likely(text) == FORWARD_STORES
    text = failure(check_layer, student_layer("backward", _backward_dividing_by_zero))
    assert text == ("check_layer: backward(grad_output) raised ZeroDivisionError: division "
                    "by zero")
    text = failure(check_layer, student_layer("backward", _backward_overflowing))
    assert text == ("check_layer: backward(grad_output) raised FloatingPointError: overflow "
                    "encountered in exp")


def test_check_layer_in_place_and_update_messages():
    assert failure(check_layer, student_layer("backward", _backward_dz_in_place)) == (
        f"check_layer: backward(grad_output) was called and grad_output changed {WHERE_1}. "
        "backward must leave its argument as it was.")
    assert failure(check_layer, student_layer("backward", _weights_updated)) == (
        f"check_layer: backward(grad_output) was called and layer.weights changed {WHERE_1}. "
        "backward only computes the gradients; the update parameter -= learning_rate * "
        "gradient belongs to the training loop.")

    def bias_updated(self, g):
        grads = StudentLayer.backward(self, g)
        self.bias -= 0.1 * grads[2]
        return grads

    assert failure(check_layer, student_layer("backward", bias_updated)).startswith(
        f"check_layer: backward(grad_output) was called and layer.bias changed {WHERE_1}.")


def test_check_layer_messages_for_what_backward_returns():
    assert failure(check_layer, student_layer(*LAYER_MISTAKES["two gradients"][:2])) == (
        f"check_layer: backward(grad_output) is a tuple of 2 item(s) {WHERE_1}; expected 3 "
        "arrays, (grad_input, grad_weights, grad_bias).")
    no_grad_weights = student_layer(
        "backward", lambda self, g: (StudentLayer.backward(self, g)[0], None,
                                     StudentLayer.backward(self, g)[2]))
    assert failure(check_layer, no_grad_weights) == (
        f"check_layer: grad_weights is None {WHERE_1}: a missing return?")
    dz_as_grad_input = student_layer(  # the weights left out: no known mistake
        "backward", lambda self, g: (self.dz(g), *StudentLayer.backward(self, g)[1:]))
    assert failure(check_layer, dz_as_grad_input) == (
        f"check_layer: grad_input has shape (1, 2) {WHERE_1}, expected shape (1, 3).")
    text = failure(check_layer, student_layer(*LAYER_MISTAKES["wrong order"][:2]))
    assert text.startswith(f"check_layer: backward returned the gradients in the wrong order "
                           f"{WHERE_1}: (grad_bias, grad_weights, grad_input).")
    assert likely(text) == ("the gradients returned in the wrong order: return (grad_input, "
                            "grad_weights, grad_bias), as the chapter's Layer.backward does.")


def _backward_derivative_at_the_output(self, g):
    dz = g * self.activation.backward(self.output)
    return dz @ self.weights.T, self.input.T @ dz, dz.sum(axis=0, keepdims=True)


EXTRA_N_3 = ("an extra 1/n: it was divided by the batch size n = 3. Layer.backward sums over "
             "the batch; the 1/n of a mean loss is already in grad_output.")
LAYER_DIAGNOSES = {
    "grad_weights transposed exactly": (
        lambda self, g: (StudentLayer.backward(self, g)[0], self.dz(g).T @ self.input,
                         StudentLayer.backward(self, g)[2]),
        f"grad_weights has shape (2, 3) {WHERE_1}, expected shape (3, 2).",
        "a missing or misplaced transpose (.T): the shape is the expected one reversed "
        "(exactly the transpose of the right values)."),
    "grad_weights reshaped, not transposed": (
        lambda self, g: (StudentLayer.backward(self, g)[0],
                         StudentLayer.backward(self, g)[1].reshape(2, 3),
                         StudentLayer.backward(self, g)[2]),
        f"grad_weights has shape (2, 3) {WHERE_1}, expected shape (3, 2).",
        "a missing or misplaced transpose (.T): the shape is the expected one reversed."),
    "bias not summed": (
        lambda self, g: (*StudentLayer.backward(self, g)[:2], self.dz(g)),
        f"grad_bias has shape (3, 2) {WHERE_3}, expected shape (1, 2).",
        "the bias gradient was not summed over the batch: the bias is added to every row, so "
        "grad_bias = dz.sum(axis=0, keepdims=True), shape (1, output_size)."),
    "bias summed without keepdims": (
        lambda self, g: (*StudentLayer.backward(self, g)[:2], self.dz(g).sum(axis=0)),
        f"grad_bias has shape (2,) {WHERE_1}, expected shape (1, 2).",
        "the sum dropped its axis: with keepdims=True grad_bias keeps the bias's shape "
        "(1, output_size)."),
    "bias averaged": (
        lambda self, g: (*StudentLayer.backward(self, g)[:2],
                         self.dz(g).mean(axis=0, keepdims=True)),
        f"grad_bias is wrong {WHERE_3}.", f"averaged over the batch instead of summed: {EXTRA_N_3}"),
    "grad_input divided by n": (
        lambda self, g: (StudentLayer.backward(self, g)[0] / len(g),
                         *StudentLayer.backward(self, g)[1:]),
        f"grad_input is wrong {WHERE_3}.", EXTRA_N_3),
    "grad_weights divided by n": (
        lambda self, g: (StudentLayer.backward(self, g)[0],
                         StudentLayer.backward(self, g)[1] / len(g),
                         StudentLayer.backward(self, g)[2]),
        f"grad_weights is wrong {WHERE_3}.", EXTRA_N_3),
    "grad_bias without the activation's derivative": (
        lambda self, g: (*StudentLayer.backward(self, g)[:2], g.sum(axis=0, keepdims=True)),
        f"grad_bias is wrong {WHERE_1}.",
        "the activation's derivative is missing: dz = grad_output * activation.backward(z) "
        "comes first (the chain rule through output = f(z))."),
    "derivative at the output": (
        _backward_derivative_at_the_output,
        f"grad_input is wrong {WHERE_1}.",
        "the activation's derivative was taken at the output, f'(f(z)), instead of at the "
        "pre-activation z = x @ weights + bias: call activation.backward on the z that forward "
        "cached."),
}


@pytest.mark.parametrize("backward, first_line, diagnosis", LAYER_DIAGNOSES.values(),
                         ids=LAYER_DIAGNOSES.keys())
def test_check_layer_diagnosis_text(backward, first_line, diagnosis):
    text = failure(check_layer, student_layer("backward", backward))
    assert text.split("\n")[0] == f"check_layer: {first_line}"
    assert likely(text) == diagnosis


class Float32Layer(StudentLayer):
    """Right gradients, but a forward computed in float32: too coarse for central
    differences."""

    def forward(self, x):
        return StudentLayer.forward(self, x.astype(np.float32)).astype(np.float64)


class RoundedLayer(StudentLayer):
    """A forward with noise of 1e-11, far below what central differences resolve."""

    def forward(self, x):
        return np.round(StudentLayer.forward(self, x), 11)


def test_check_layer_checks_the_gradients_against_central_differences_of_your_forward(capsys):
    text = failure(check_layer, Float32Layer)
    assert text.split("\n")[0] == (f"check_layer: grad_input is wrong {WHERE_1}, against "
                                   "central differences of your forward.")
    passes(check_layer, RoundedLayer, capsys)


def test_check_layer_reports_parameters_it_cannot_set():
    class ReadOnlyWeights(StudentLayer):
        def __init__(self, input_size, output_size, activation):
            self._weights = np.zeros((input_size, output_size))
            self.bias, self.activation = np.zeros((1, output_size)), activation

        @property
        def weights(self):
            return self._weights

    text = failure(check_layer, ReadOnlyWeights)
    assert text.startswith("check_layer: setting layer.weights and layer.bias raised "
                           "AttributeError: ")


# -------------------------------------------------------------- cross-entropy, detail


def test_check_bce_gradient_draws_the_same_predictions_and_targets_every_run(capsys):
    runs = []
    for _ in range(2):
        seen = []

        def spy(y_pred, y_true, seen=seen):
            seen.append((y_pred.copy(), y_true.copy()))
            return bce_right(y_pred, y_true)

        passes(check_bce_gradient, spy, capsys)
        runs.append(seen)
    assert all(np.array_equal(a, c) and np.array_equal(b, d)
               for (a, b), (c, d) in zip(*runs))
    assert [p.shape for p, _ in runs[0]] == [(4, 1), (6, 1), (3, 2)]
    for p, y in runs[0]:
        assert 0.05 <= p.min() and p.max() <= 0.95 and len(np.unique(p)) == p.size
        assert y.dtype == np.float64 and set(np.unique(y)) <= {0.0, 1.0}


def test_check_bce_gradient_names_a_callable_object_and_a_local_function(capsys):
    class BceGradient:
        def __call__(self, y_pred, y_true):
            return bce_right(y_pred, y_true)

    def my_gradient(y_pred, y_true):
        return bce_right(y_pred, y_true)

    assert passes(check_bce_gradient, BceGradient(), capsys).startswith(
        "check_bce_gradient: BceGradient passed: ")
    assert passes(check_bce_gradient, my_gradient, capsys).startswith(
        "check_bce_gradient: my_gradient passed: ")


BCE_DIAGNOSES = {
    "missing 1/n": (
        lambda p, y: bce_right(p, y) * p.size, "(4, 1)",
        "the 1/n of the mean is missing (here n = 4, y_pred.size): the loss is the mean over "
        "the n outputs, so every entry of its gradient carries a factor 1/n."),
    "extra 1/n": (lambda p, y: bce_right(p, y) / p.size, "(4, 1)",
                  "an extra 1/n: the gradient was divided by n = 4 twice."),
    "rows, not outputs": (
        lambda p, y: -(y / p - (1 - y) / (1 - p)) / len(p), "(3, 2)",
        "divided by the number of rows, len(y_pred) = 3, instead of the number of outputs, "
        "y_pred.size = 6: the loss averages over every output."),
    "(1 - y) term missing": (
        lambda p, y: -(y / p) / p.size, "(4, 1)",
        "the (1 - y_true) / (1 - y_pred) term is missing: a target of 0 contributes through "
        "log(1 - y_pred)."),
    "dL/dz instead of dL/dp": (
        lambda p, y: (p - y) / p.size, "(4, 1)",
        "(y_pred - y_true) / n is dL/dz, the gradient with respect to the pre-activation of a "
        "sigmoid output (its derivative cancels); dL/dy_pred keeps the divisions by y_pred and "
        "1 - y_pred."),
    "sign error": (lambda p, y: -bce_right(p, y), "(4, 1)",
                   "a sign error: every value has the wrong sign."),
}


@pytest.mark.parametrize("fn, shape, diagnosis", BCE_DIAGNOSES.values(), ids=BCE_DIAGNOSES.keys())
def test_check_bce_gradient_diagnosis_text(fn, shape, diagnosis):
    text = failure(check_bce_gradient, fn)
    assert text.startswith(f"check_bce_gradient: dL/dy_pred is wrong for y_pred of shape "
                           f"{shape}.\n  y_pred:   [[")
    labels = [line[:12] for line in text.split("\n") if line.startswith("  ") and ":" in line]
    assert labels == ["  y_pred:   ", "  y_true:   ", "  expected: ", "  got:      "]
    assert all(shown(label, text) for label in ("y_pred", "y_true", "expected", "got"))
    assert likely(text) == diagnosis


def test_check_bce_gradient_a_reduced_gradient():
    for reduce in (np.mean, np.sum):
        text = failure(check_bce_gradient, lambda p, y, f=reduce: f(bce_right(p, y)))
        assert text.startswith("check_bce_gradient: dL/dy_pred has shape () for y_pred of "
                               "shape (4, 1), expected shape (4, 1).\n  y_pred:   [[")
        assert likely(text) == ("the gradient was reduced to one number (np.mean or np.sum): "
                                "dL/dy_pred has one entry per prediction, each divided by n.")


def test_check_bce_gradient_messages_for_none_a_pair_and_changed_arguments():
    assert failure(check_bce_gradient, lambda p, y: None) == (
        "check_bce_gradient: dL/dy_pred is None for y_pred of shape (4, 1): a missing return?")
    with pytest.raises(AssertionError) as caught:
        check_bce_gradient(lambda p, y: (bce_right(p, y), 0.5))  # the gradient and the loss
    assert str(caught.value) == (
        "check_bce_gradient: dL/dy_pred must be an array of numbers for y_pred of shape "
        "(4, 1), got a tuple of 2 item(s)")
    assert isinstance(caught.value.__cause__, ValueError)
    assert str(caught.value.__cause__).startswith("dL/dy_pred must be")

    def error_aliased(y_pred, y_true):
        error = y_pred
        error -= y_true
        return error

    def targets_to_signs(y_pred, y_true):
        y_true *= 2
        y_true -= 1
        return bce_right(y_pred, (y_true + 1) / 2)

    for fn, label in ((error_aliased, "y_pred"), (targets_to_signs, "y_true")):
        assert failure(check_bce_gradient, fn) == (
            f"check_bce_gradient: fn(y_pred, y_true) was called and {label} changed for y_pred "
            "of shape (4, 1). Compute a new array instead of changing the argument.")


def test_check_bce_gradient_hint_for_swapped_arguments():
    text = failure(check_bce_gradient, BCE_MISTAKES["arguments swapped"][0])
    assert text.startswith("check_bce_gradient: fn(y_pred, y_true) for y_pred of shape (4, 1) "
                           "raised FloatingPointError: divide by zero")
    assert likely(text) == "the checker calls fn(y_pred, y_true), predictions first"


def test_check_bce_gradient_wants_a_function_returning_dl_dy_pred():
    with pytest.raises(TypeError, match=r"^fn must be a function fn\(y_pred, y_true\) returning "
                                        r"dL/dy_pred, got None$"):
        check_bce_gradient(None)


# ----------------------------------------------------------- network backward, detail

NET_1 = re.escape("NeuralNetwork([3, 4, 2], [Tanh(), Sigmoid()]) on a batch of 5")
LABELS_1 = "[layers[0].weights, layers[0].bias, layers[1].weights, layers[1].bias]"


def test_check_network_backward_uses_the_same_two_networks_every_run(capsys):
    runs = []
    for _ in range(2):
        seen = []

        def spy(network, grad_output, seen=seen):
            seen.append((repr(network), grad_output.copy(),
                         [p.copy() for p in network.parameters()],
                         [layer.input.copy() for layer in network.layers]))
            return backward_loop(network, grad_output)

        passes(check_network_backward, spy, capsys)
        runs.append(seen)
    assert [(r, g.shape, x[0].shape) for r, g, _, x in runs[0]] == [
        ("NeuralNetwork([3, 4, 2], [Tanh(), Sigmoid()])", (5, 2), (5, 3)),
        ("NeuralNetwork([2, 5, 3, 1], [ReLU(), Tanh(), Sigmoid()])", (4, 1), (4, 2))]
    for a, b in zip(*runs):
        assert a[0] == b[0] and np.array_equal(a[1], b[1])
        assert all(np.array_equal(u, v) for u, v in zip(a[2] + a[3], b[2] + b[3]))


def test_a_large_wrong_array_is_summarised_by_its_largest_difference():
    right = {}

    def grad_input_negated(network, grad_output):
        gradients, grad_input = backward_loop(network, grad_output)
        right["grad_input"] = grad_input.copy()
        return gradients, -grad_input

    text = failure(check_network_backward, grad_input_negated)
    g = right["grad_input"]  # (5, 3): more than 12 numbers, not printed in full
    at = np.unravel_index(np.argmax(np.abs(g)), g.shape)
    assert text == (
        "check_network_backward: grad_input is wrong for NeuralNetwork([3, 4, 2], [Tanh(), "
        f"Sigmoid()]) on a batch of 5: the largest difference is {2 * abs(g[at]):.3g}, at index "
        f"({at[0]}, {at[1]}), where {g[at]:.6g} was expected and {-g[at]:.6g} came.\n"
        "Likely mistake: a sign error: every value has the wrong sign.")


NETWORK_DIAGNOSES = {
    "grad_input divided by n": (
        lambda net, g: (backward_loop(net, g)[0], backward_loop(net, g)[1] / len(g)),
        "grad_input is wrong",
        "an extra 1/n: the 1/n of a mean loss is already in grad_output; the backward loop "
        "adds none."),
    "gradients divided by n": (
        NETWORK_MISTAKES["extra 1/n"][0], r"the gradient of layers\[0\]\.weights is wrong",
        "an extra 1/n: the 1/n of a mean loss is already in grad_output; the backward loop "
        "adds none."),
    "grad_output returned as grad_input": (
        NETWORK_MISTAKES["grad_output returned as grad_input"][0],
        r"grad_input has shape \(5, 2\)",
        "grad_input is the grad_output you were given: return the gradient that comes out of "
        "the first layer, dL/dx for the network's input."),
    "gradients appended in backward order": (
        _appended, "the gradients are in the wrong order",
        f"the list must follow network.parameters(), {LABELS_1}: going through the layers last "
        "first, put each layer's pair in front, gradients[:0] = [grad_weights, grad_bias], or "
        "reverse by layer at the end."),
}


@pytest.mark.parametrize("fn, first, diagnosis", NETWORK_DIAGNOSES.values(),
                         ids=NETWORK_DIAGNOSES.keys())
def test_check_network_backward_diagnosis_text(fn, first, diagnosis):
    text = failure(check_network_backward, fn)
    assert re.match(rf"check_network_backward: {first} for {NET_1}[.:,]", text), text
    assert likely(text) == diagnosis


def test_check_network_backward_messages_for_what_fn_returns():
    assert failure(check_network_backward, NETWORK_MISTAKES["gradients without grad_input"][0]) \
        == ("check_network_backward: fn returned a list of 4 item(s) for NeuralNetwork([3, 4, "
            "2], [Tanh(), Sigmoid()]) on a batch of 5; expected a pair (gradients, grad_input), "
            "as NeuralNetwork.gradients returns: the list of parameter gradients and dL/dx.")
    text = failure(check_network_backward, lambda net, g: {"gradients": backward_loop(net, g)[0]})
    assert text.startswith("check_network_backward: fn returned {'gradients': [")
    assert failure(check_network_backward, NETWORK_MISTAKES["weights only"][0]) == (
        "check_network_backward: the list of gradients is a list of 2 item(s) for "
        "NeuralNetwork([3, 4, 2], [Tanh(), Sigmoid()]) on a batch of 5; expected 4 arrays, one "
        f"gradient per parameter, in the order of network.parameters(): {LABELS_1}.")

    def bias_gradient_forgotten(network, grad_output):
        gradients, grad_input = backward_loop(network, grad_output)
        gradients[1] = None
        return gradients, grad_input

    assert failure(check_network_backward, bias_gradient_forgotten) == (
        "check_network_backward: layers[0].bias is None for NeuralNetwork([3, 4, 2], [Tanh(), "
        "Sigmoid()]) on a batch of 5: a missing return?")


CHANGED_ADVICE = ("The backward loop only computes gradients, as NeuralNetwork.gradients does; "
                  "the update parameter -= learning_rate * gradient is the training loop's.")


def test_check_network_backward_messages_for_changed_arguments_and_parameters():
    def scaled_in_place(network, grad_output):
        grad_output /= len(grad_output)
        return backward_loop(network, grad_output)

    assert failure(check_network_backward, scaled_in_place) == (
        "check_network_backward: fn(network, grad_output) was called and grad_output changed "
        "for NeuralNetwork([3, 4, 2], [Tanh(), Sigmoid()]) on a batch of 5. " + CHANGED_ADVICE)
    assert failure(check_network_backward, _with_update) == (
        "check_network_backward: fn(network, grad_output) was called and "
        "network.layers[0].weights changed for NeuralNetwork([3, 4, 2], [Tanh(), Sigmoid()]) "
        "on a batch of 5. " + CHANGED_ADVICE)


def test_check_network_backward_hint_for_an_exception():
    text = failure(check_network_backward, _first_to_last)
    assert text.startswith("check_network_backward: fn(network, grad_output) raised ValueError: ")
    assert likely(text) == (
        "go through the layers last first, for layer in reversed(network.layers), giving each "
        "layer's backward the grad_input returned by the layer above it (the checker ran "
        "network.forward(x) just before).")


# ------------------------------------------------------------------- momentum, detail

MOMENTUM_PASSED = ("passed: 4 steps match SGD(learning_rate, momentum=momentum) for (0.1, 0.9) "
                   "and (0.05, 0.5).")


def test_check_momentum_takes_4_steps_on_the_same_parameters_every_run(capsys):
    runs = []
    for _ in range(2):
        seen = []

        def spy(parameters, gradients, velocities, learning_rate, momentum, seen=seen):
            seen.append(([p.copy() for p in parameters], [g.copy() for g in gradients],
                         learning_rate, momentum))
            momentum_step(parameters, gradients, velocities, learning_rate, momentum)

        passes(check_momentum, spy, capsys)
        runs.append(seen)
    assert [(lr, m) for _, _, lr, m in runs[0]] == [(0.1, 0.9)] * 4 + [(0.05, 0.5)] * 4
    for params, grads, _, _ in runs[0]:
        assert [p.shape for p in params] == [g.shape for g in grads] == [(3, 2), (1, 2)]
    for a, b in zip(*runs):
        assert all(np.array_equal(u, v) for u, v in zip(a[0] + a[1], b[0] + b[1]))


def test_check_momentum_passed_line_names_the_function_and_the_class(capsys):
    assert passes(check_momentum, momentum_step, capsys) == (
        f"check_momentum: momentum_step {MOMENTUM_PASSED}")
    assert passes(check_momentum, SGD, capsys) == f"check_momentum: SGD {MOMENTUM_PASSED}"


MOMENTUM_DIAGNOSES = {
    "velocity rebound": (
        _velocity_rebound, "parameters[0] is wrong after step 2 with learning_rate=0.1, "
                           "momentum=0.9.",
        "the velocity is not carried from one step to the next, so every step is plain "
        "gradient descent: update each velocity in place (velocity *= momentum, then velocity "
        "+= gradient), or keep it on the optimizer; velocity = momentum * velocity + gradient "
        "only rebinds a local name."),
    "parameter rebound": (
        _parameter_rebound, "parameters[0] is wrong after step 1 with learning_rate=0.1, "
                            "momentum=0.9.",
        "the parameters never changed: update them in place, parameter -= learning_rate * "
        "velocity; parameter = parameter - ... makes a new array that the caller never sees."),
    "(1 - momentum)": (
        MOMENTUM_MISTAKES["(1 - momentum)"][0],
        "parameters[0] is wrong after step 1 with learning_rate=0.1, momentum=0.9.",
        "the gradient was scaled by (1 - momentum), as in an exponential moving average "
        "(Adam's m): SGD's momentum adds the whole gradient, velocity = momentum * velocity "
        "+ gradient."),
    "sign error": (
        MOMENTUM_MISTAKES["sign error"][0],
        "parameters[0] is wrong after step 1 with learning_rate=0.1, momentum=0.9.",
        "a sign error: the step goes uphill; parameter -= learning_rate * velocity."),
    "velocity updated after the step": (
        MOMENTUM_MISTAKES["velocity updated after the step"][0],
        "parameters[0] is wrong after step 1 with learning_rate=0.1, momentum=0.9.",
        "each step used the velocity from before this step's gradient was added (so the first "
        "step did not move): update the velocity first, then the parameter."),
    "learning rate missing": (
        MOMENTUM_MISTAKES["learning rate missing"][0],
        "parameters[0] is wrong after step 1 with learning_rate=0.1, momentum=0.9.",
        "the learning rate is missing from the step: parameter -= learning_rate * velocity."),
    "Nesterov": (
        MOMENTUM_MISTAKES["Nesterov"][0],
        "parameters[0] is wrong after step 1 with learning_rate=0.1, momentum=0.9.",
        "this is Nesterov's look-ahead step, learning_rate * (gradient + momentum * velocity); "
        "plain momentum steps by learning_rate * velocity."),
}


@pytest.mark.parametrize("code, first, diagnosis", MOMENTUM_DIAGNOSES.values(),
                         ids=MOMENTUM_DIAGNOSES.keys())
def test_check_momentum_diagnosis_text(code, first, diagnosis):
    text = failure(check_momentum, code)
    lines = text.split("\n")
    assert lines[0] == f"check_momentum: {first}"
    assert lines[1].startswith("  expected: [[") and shown("expected", text)
    assert shown("got", text)
    assert likely(text) == diagnosis


def test_check_momentum_names_no_mistake_for_an_unknown_rule():
    def arguments_swapped(parameters, gradients, velocities, momentum, learning_rate):
        momentum_step(parameters, gradients, velocities, learning_rate, momentum)

    text = failure(check_momentum, arguments_swapped)
    assert text.startswith("check_momentum: parameters[0] is wrong after step 1 with "
                           "learning_rate=0.1, momentum=0.9.\n  expected: [[")
    assert likely(text) == "" and text.endswith("]]")


def test_check_momentum_messages_for_replaced_parameters_and_exceptions():
    assert failure(check_momentum, _list_item_replaced) == (
        "check_momentum: parameters[0] was replaced by another object at step 1; update the "
        "array in place (parameters[i] -= ..., or parameter -= ... in a loop): in training the "
        "list is a fresh one from network.parameters(), and the layer would never see a new "
        "array.")

    def momentum_step4(parameters, gradients, learning_rate, momentum):
        pass

    assert failure(check_momentum, momentum_step4).startswith(
        "check_momentum: momentum_step4(parameters, gradients, velocities, learning_rate, "
        "momentum) at step 1 raised TypeError: ")

    class MomentumSGD:
        def __init__(self, learning_rate, beta=0.9):
            self.learning_rate, self.beta = learning_rate, beta

        def step(self, parameters, gradients):
            pass

    text = failure(check_momentum, MomentumSGD)
    assert text.startswith("check_momentum: MomentumSGD(0.1, momentum=0.9) raised TypeError: ")
    assert likely(text) == ("the checker makes your optimizer as cls(learning_rate, "
                            "momentum=momentum), like scratchnet.SGD")


def test_check_momentum_type_error_shows_what_came():
    with pytest.raises(TypeError, match=r", got 0\.9$"):
        check_momentum(0.9)


# -------------------------------------------------------------------- softmax, detail


def test_check_softmax_uses_the_same_ordinary_logits_and_the_huge_ones_every_run(capsys):
    runs = []
    for _ in range(2):
        seen = []

        def spy(z, seen=seen):
            seen.append(z.copy())
            return stable_softmax(z)

        passes(check_softmax, spy, capsys)
        runs.append(seen)
    assert all(np.array_equal(a, b) for a, b in zip(*runs))
    assert [z.shape for z in runs[0]] == [(4, 3), (3, 3), (3, 3)]
    assert np.abs(runs[0][0]).max() < 100 and np.abs(runs[0][1]).max() < 100
    huge = runs[0][2]
    assert huge.max() == 1000 and huge.min() == -1000
    assert (huge.max(axis=-1) > 700).sum() == 2  # rows that overflow exp unless shifted
    assert (huge.max(axis=-1) < -700).sum() == 1  # a row whose exps all underflow


def test_check_softmax_tolerance_is_rounding_only():
    check_softmax(lambda z: stable_softmax(z) * (1 + 5e-7))
    text = failure(check_softmax, lambda z: stable_softmax(z) * (1 + 5e-6))
    assert text.startswith("check_softmax: fn(logits) is wrong for ordinary logits of shape "
                           "(4, 3).")

    def clipped(z):  # the zeros of the huge logits become 5e-9
        return np.clip(stable_softmax(z), 5e-9, 1.0)

    text = failure(check_softmax, clipped)
    assert text.startswith("check_softmax: fn(logits) is wrong for huge logits of shape (3, 3).")
    # alike to 4 decimals, so both are shown with every digit: the 5e-09 becomes visible
    expected, got = text.split("\n  expected: ")[1].split("\n  got:      ")
    assert "e-09" in got and "e-09" not in expected
    assert "0.21194155761708544" in expected


def test_a_near_miss_is_not_called_a_constant_factor():
    """A derivative 3e-5 too large is beyond the tolerance, but a factor of 1.00003 is
    imprecision: no "constant factor" diagnosis, and the digits that differ are shown."""
    class Imprecise(Tanh):
        @staticmethod
        def backward(x):
            return (1 - np.tanh(x) ** 2) * (1 + 3e-5)

    text = failure(check_activation, Imprecise)
    assert "Likely mistake" not in text and "times the right one" not in text
    expected, got = text.split("\n  expected: ")[1].split("\n  got:      ")
    assert expected != got and len(expected.split(",")[0]) > 10  # more than 4 decimals


def test_check_softmax_failure_shows_the_logits_expected_and_got():
    text = failure(check_softmax, SOFTMAX_MISTAKES["axis 0"][0])
    lines = text.split("\n")
    assert lines[0] == "check_softmax: fn(logits) is wrong for ordinary logits of shape (4, 3)."
    assert [line[:14] for line in lines[1:13:4]] == [
        "  logits:   [[", "  expected: [[", "  got:      [["]
    assert all(shown(label, text) for label in ("logits", "expected", "got"))
    assert likely(text) == ("the softmax ran over axis 0, down the columns: each row (the last "
                            "axis, axis=-1) holds one sample's scores.")


SOFTMAX_DIAGNOSES = {
    "not normalised": (SOFTMAX_MISTAKES["not normalised"][0],
                       "not normalised: divide by each row's sum so that every row sums to 1."),
    "normalised over the whole array": (
        SOFTMAX_MISTAKES["normalised over the whole array"][0],
        "normalised over the whole array: divide by each row's sum, e.sum(axis=-1, "
        "keepdims=True)."),
    "log-probabilities": (SOFTMAX_MISTAKES["log-probabilities"][0],
                          "log-probabilities: the softmax is exp of these."),
}


@pytest.mark.parametrize("fn, diagnosis", SOFTMAX_DIAGNOSES.values(), ids=SOFTMAX_DIAGNOSES.keys())
def test_check_softmax_diagnosis_text(fn, diagnosis):
    text = failure(check_softmax, fn)
    assert text.startswith("check_softmax: fn(logits) is wrong for ordinary logits of shape "
                           "(4, 3).\n  logits:   [[")
    assert likely(text) == diagnosis


UNDERFLOW = ("every exp of a row underflowed to 0, and 0 / 0 followed: subtract each row's own "
             "maximum, z.max(axis=-1, keepdims=True), not one maximum of the whole array.")
STABLE = ("exp overflows for large logits: subtract each row's maximum first, z - z.max(axis=-1, "
          "keepdims=True), which leaves the softmax unchanged and keeps every exp at most 1.")


def _log_sum_exp_one_maximum(z):
    shifted = z - z.max()
    return np.exp(shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True)))


def test_check_softmax_floating_point_errors_are_failures_with_a_hint():
    text = failure(check_softmax, SOFTMAX_MISTAKES["no maximum subtracted"][0])
    assert text.startswith("check_softmax: fn(logits) for huge logits of shape (3, 3) raised "
                           "FloatingPointError: overflow encountered in exp\n")
    assert likely(text) == STABLE
    text = failure(check_softmax, SOFTMAX_MISTAKES["one maximum for the whole array"][0])
    assert text.startswith("check_softmax: fn(logits) for huge logits of shape (3, 3) raised "
                           "FloatingPointError: invalid value encountered in divide\n")
    assert likely(text) == UNDERFLOW
    text = failure(check_softmax, _log_sum_exp_one_maximum)
    assert text.startswith("check_softmax: fn(logits) for huge logits of shape (3, 3) raised "
                           "FloatingPointError: divide by zero encountered in log\n")
    assert likely(text) == UNDERFLOW
    text = failure(check_softmax, SOFTMAX_MISTAKES["no keepdims"][0])
    assert text.startswith("check_softmax: fn(logits) for ordinary logits of shape (4, 3) raised "
                           "ValueError: operands could not be broadcast")
    assert likely(text) == ("a row's maximum or sum lost its axis: use keepdims=True, so that it "
                            "broadcasts along the row.")
    text = failure(check_softmax, lambda z: z.exp() / z.exp().sum(axis=-1, keepdims=True))
    assert text == ("check_softmax: fn(logits) for ordinary logits of shape (4, 3) raised "
                    "AttributeError: 'numpy.ndarray' object has no attribute 'exp'")


def test_check_softmax_messages_for_nan_none_and_changed_logits():
    text = failure(check_softmax, _naive_silenced)
    assert text.startswith("check_softmax: fn(logits) holds 7 NaN or infinite value(s) for huge "
                           "logits of shape (3, 3).\n  logits:   [[")
    assert likely(text) == STABLE
    assert failure(check_softmax, lambda z: None) == (
        "check_softmax: fn(logits) is None for ordinary logits of shape (4, 3): a missing return?")
    assert failure(check_softmax, _in_place) == (
        "check_softmax: fn(logits) was called and logits changed for ordinary logits of shape "
        "(4, 3). Compute new arrays: z = z - z.max(...) rather than z -= z.max(...).")


def _classes_axis_by_size(z, n_classes=3):
    """A softmax that finds the class axis by its length: right for (4, 3), not for (3, 3)."""
    axis = z.shape.index(n_classes)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_check_softmax_a_square_case_catches_an_axis_found_by_its_length():
    text = failure(check_softmax, _classes_axis_by_size)
    assert text.startswith("check_softmax: fn(logits) is wrong for ordinary logits of shape "
                           "(3, 3).\n  logits:   [[")
    assert likely(text).startswith("the softmax ran over axis 0")


# ---------------------------------------------------------------- every checker, again

SAME_MISTAKE_TWICE = [
    (check_activation, ACTIVATION_MISTAKES["output formula applied to x"][0]),
    (check_layer, student_layer("dz", lambda self, g: -StudentLayer.dz(self, g))),
    (check_bce_gradient, BCE_MISTAKES["missing 1/n"][0]),
    (check_network_backward, NETWORK_MISTAKES["sign error"][0]),
    (check_momentum, MOMENTUM_MISTAKES["sign error"][0]),
    (check_softmax, SOFTMAX_MISTAKES["axis 0"][0]),
]


@pytest.mark.parametrize("checker, code", SAME_MISTAKE_TWICE,
                         ids=[checker.__name__ for checker, _ in SAME_MISTAKE_TWICE])
def test_the_same_mistake_gives_the_same_message_with_its_numbers(checker, code):
    text = same_message_twice(checker, code)
    assert re.search(r"\n  expected: \[", text) and re.search(r"\n  got:      \[", text)
