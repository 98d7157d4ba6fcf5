"""Optimizers: the update rules against hand-written references, state, dtypes, checks."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scratchnet import NeuralNetwork, ReLU, Sigmoid
from scratchnet.optimizers import SGD, Adam, Optimizer, RMSProp

P0 = [[1.0, -2.0], [0.5, 3.0]]
GRADIENTS = [
    [[0.5, -1.0], [2.0, 0.0]],
    [[0.25, 0.5], [-1.0, 3.0]],
    [[-0.75, -0.5], [1.5, 1.0]],
]


# --------------------------------------------------------------------------- references
# One number at a time, in plain Python floats, straight from the formulas.


def ref_sgd(p, grads, lr, momentum=0.0, nesterov=False):
    v, out = 0.0, []
    for g in grads:
        if momentum == 0.0:
            p = p - lr * g
        else:
            v = momentum * v + g
            p = p - lr * (g + momentum * v) if nesterov else p - lr * v
        out.append(p)
    return out


def ref_rmsprop(p, grads, lr, rho, eps):
    s, out = 0.0, []
    for g in grads:
        s = rho * s + (1 - rho) * g**2
        p = p - lr * g / (math.sqrt(s) + eps)
        out.append(p)
    return out


def ref_adam(p, grads, lr, beta1, beta2, eps):
    m = v = 0.0
    out = []
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        p = p - lr * m_hat / (math.sqrt(v_hat) + eps)
        out.append(p)
    return out


CASES = {
    "sgd": (lambda: SGD(0.1), lambda p, g: ref_sgd(p, g, 0.1)),
    "momentum": (lambda: SGD(0.1, momentum=0.9), lambda p, g: ref_sgd(p, g, 0.1, 0.9)),
    "nesterov": (
        lambda: SGD(0.1, momentum=0.8, nesterov=True),
        lambda p, g: ref_sgd(p, g, 0.1, 0.8, nesterov=True),
    ),
    "rmsprop": (lambda: RMSProp(0.1), lambda p, g: ref_rmsprop(p, g, 0.1, 0.9, 1e-8)),
    "rmsprop-custom": (
        lambda: RMSProp(0.05, rho=0.5, eps=1e-3),
        lambda p, g: ref_rmsprop(p, g, 0.05, 0.5, 1e-3),
    ),
    "adam": (lambda: Adam(0.1), lambda p, g: ref_adam(p, g, 0.1, 0.9, 0.999, 1e-8)),
    "adam-custom": (
        lambda: Adam(0.05, beta1=0.5, beta2=0.8, eps=1e-3),
        lambda p, g: ref_adam(p, g, 0.05, 0.5, 0.8, 1e-3),
    ),
}
MAKERS = {name: make for name, (make, _) in CASES.items()}


def make_optimizer(name):
    return MAKERS[name]()


@pytest.mark.parametrize("name", CASES)
def test_first_three_steps_match_the_formulas(name):
    make, reference = CASES[name]
    expected = [[[0.0] * 2 for _ in range(2)] for _ in GRADIENTS]
    for i in range(2):
        for j in range(2):
            path = reference(P0[i][j], [g[i][j] for g in GRADIENTS])
            for step, value in enumerate(path):
                expected[step][i][j] = value

    optimizer = make()
    p = np.array(P0)
    for step, g in enumerate(GRADIENTS):
        optimizer.step([p], [np.array(g)])
        np.testing.assert_allclose(p, expected[step], rtol=1e-13, atol=1e-15)


def test_momentum_by_hand():
    # lr 0.1, momentum 0.9, gradient 1 three times: v = 1, 1.9, 2.71.
    p = np.full((2, 2), 1.0)
    optimizer = SGD(0.1, momentum=0.9)
    for expected in (0.9, 0.71, 0.439):
        optimizer.step([p], [np.ones((2, 2))])
        np.testing.assert_allclose(p, expected, rtol=1e-14)


def test_nesterov_by_hand():
    # lr 0.1, momentum 0.5, gradient 1: v = 1 then 1.5; steps 0.1 * 1.5 then 0.1 * 1.75.
    p = np.zeros((2, 2))
    optimizer = SGD(0.1, momentum=0.5, nesterov=True)
    for expected in (-0.15, -0.325):
        optimizer.step([p], [np.ones((2, 2))])
        np.testing.assert_allclose(p, expected, rtol=1e-14)


@pytest.mark.parametrize("scale", [1e-2, 1.0, 1e4])
def test_first_rmsprop_and_adam_steps_ignore_the_gradients_scale(scale):
    # RMSProp: s = 0.1 g**2, so the first step is lr / sqrt(0.1) in the gradient's sign.
    # Adam: m_hat = g and v_hat = g**2, so the first step is lr in the gradient's sign.
    g = scale * np.array([[1.0, -3.0], [0.5, -0.25]])
    p = np.zeros((2, 2))
    RMSProp(0.01).step([p], [g])
    np.testing.assert_allclose(p, -0.01 / math.sqrt(0.1) * np.sign(g), rtol=1e-4)
    p = np.zeros((2, 2))
    Adam(0.01).step([p], [g])
    np.testing.assert_allclose(p, -0.01 * np.sign(g), rtol=1e-4)


# --------------------------------------------------------------------------- plain SGD


@settings(max_examples=50, deadline=None)
@given(
    p=hnp.arrays(
        st.sampled_from([np.float32, np.float64]),
        hnp.array_shapes(max_dims=2, max_side=4),
        elements=st.floats(-1e3, 1e3, width=32),
    ),
    lr=st.floats(1e-4, 10.0),
    data=st.data(),
)
def test_plain_sgd_is_the_old_update_bit_for_bit_and_in_place(p, lr, data):
    g = data.draw(hnp.arrays(p.dtype, p.shape, elements=st.floats(-1e3, 1e3, width=32)))
    expected = p.copy()
    expected -= lr * g
    parameters = [p]
    SGD(lr).step(parameters, [g])
    assert parameters[0] is p
    assert p.dtype == expected.dtype
    np.testing.assert_array_equal(p, expected)


def test_backward_is_gradients_plus_an_sgd_step():
    def net():
        acts = [ReLU(), Sigmoid()]
        return NeuralNetwork([3, 5, 2], acts, rng=np.random.RandomState(7), init="he")

    rng = np.random.default_rng(1)
    x = rng.standard_normal((8, 3))
    a, b = net(), net()
    grad_a = a.forward(x) - 0.5
    grad_b = b.forward(x) - 0.5
    before = [p.copy() for p in a.parameters()]
    weights = a.layers[0].weights

    a.backward(grad_a, 0.3)
    gradients, _ = b.gradients(grad_b)
    SGD(0.3).step(b.parameters(), gradients)

    assert a.layers[0].weights is weights
    for p_a, p_b, p0, g in zip(a.parameters(), b.parameters(), before, gradients):
        np.testing.assert_array_equal(p_a, p_b)
        np.testing.assert_array_equal(p_a, p0 - 0.3 * g)
    assert not np.array_equal(a.parameters()[0], before[0])


# --------------------------------------------------------------------------- in place, dtypes


@pytest.mark.parametrize("name", CASES)
def test_every_optimizer_updates_in_place(name):
    p = np.array(P0)
    parameters = [p]
    make_optimizer(name).step(parameters, [np.array(GRADIENTS[0])])
    assert parameters[0] is p
    assert not np.array_equal(p, P0)


@pytest.mark.parametrize("grad_dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", CASES)
def test_float32_parameters_and_state_stay_float32(name, grad_dtype):
    rng = np.random.default_rng(0)
    parameters = [rng.standard_normal((3, 2)).astype(np.float32), np.zeros((1, 2), np.float32)]
    optimizer = make_optimizer(name)
    for _ in range(3):
        gradients = [rng.standard_normal(p.shape).astype(grad_dtype) for p in parameters]
        optimizer.step(parameters, gradients)
    assert [p.dtype for p in parameters] == [np.float32, np.float32]
    for slots in optimizer.state or []:
        for array in slots.values():
            assert array.dtype == np.float32


def test_float32_arithmetic_is_float32_even_with_numpy_hyperparameters():
    # A float64 NumPy scalar would make lr * g a float64 array (NumPy 2); the
    # optimizer keeps Python floats, so the product is rounded to float32 at once.
    rng = np.random.default_rng(2)
    p = rng.standard_normal(1000).astype(np.float32)
    g = rng.standard_normal(1000).astype(np.float32)
    expected = p - np.float32(0.1) * g
    SGD(np.float64(0.1)).step([p], [g])
    np.testing.assert_array_equal(p, expected)

    adam = Adam(np.float64(0.1), np.float64(0.9), np.float64(0.99), np.float64(1e-7))
    sgd = SGD(np.float32(0.1), momentum=np.float64(0.9), nesterov=np.True_)
    rms = RMSProp(np.float64(0.1), np.float64(0.9), np.float64(1e-7))
    for value in (
        adam.learning_rate, adam.beta1, adam.beta2, adam.eps,
        sgd.learning_rate, sgd.momentum, rms.learning_rate, rms.rho, rms.eps,
    ):
        assert type(value) is float
    assert sgd.nesterov is True


# --------------------------------------------------------------------------- state


@pytest.mark.parametrize("name", ["momentum", "nesterov", "rmsprop", "adam"])
def test_state_is_per_parameter(name):
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal(4)
    a_alone, b_alone = a.copy(), b.copy()
    together, only_a, only_b = (make_optimizer(name) for _ in range(3))
    for _ in range(3):
        ga, gb = rng.standard_normal(a.shape), 100.0 * rng.standard_normal(b.shape)
        together.step([a, b], [ga, gb])
        only_a.step([a_alone], [ga])
        only_b.step([b_alone], [gb])
    np.testing.assert_array_equal(a, a_alone)
    np.testing.assert_array_equal(b, b_alone)
    assert [next(iter(s.values())).shape for s in together.state] == [(2, 3), (4,)]


@pytest.mark.parametrize("name", ["momentum", "nesterov", "rmsprop", "adam"])
def test_state_starts_lazily_at_zero(name):
    optimizer = make_optimizer(name)
    assert optimizer.state is None
    p = np.array(P0)
    optimizer.step([p], [np.zeros((2, 2))])
    np.testing.assert_array_equal(p, P0)  # a zero gradient from zero state moves nothing
    assert set(optimizer.state[0]) == set(optimizer.state_names)
    for array in optimizer.state[0].values():
        np.testing.assert_array_equal(array, np.zeros((2, 2)))


def test_plain_sgd_keeps_no_state():
    optimizer = SGD(0.1)
    optimizer.step([np.ones(2)], [np.ones(2)])
    optimizer.step([np.ones(3)], [np.ones(3)])  # stateless: any parameters will do
    assert optimizer.state is None


@pytest.mark.parametrize("name", ["momentum", "nesterov", "rmsprop", "adam"])
def test_reset_starts_over(name):
    used, fresh = make_optimizer(name), make_optimizer(name)
    used.step([np.array(P0)], [np.array(GRADIENTS[0])])
    used.reset()
    assert used.state is None
    p_used, p_fresh = np.array(P0), np.array(P0)
    for g in GRADIENTS:
        used.step([p_used], [np.array(g)])
        fresh.step([p_fresh], [np.array(g)])
    np.testing.assert_array_equal(p_used, p_fresh)

    used.reset()
    used.step([np.ones(5)], [np.ones(5)])  # new shapes are fine after a reset


def test_adam_counts_steps_and_reset_zeroes_the_count():
    adam, w = Adam(), np.ones(2)
    for _ in range(3):
        adam.step([w], [np.ones(2)])
    assert adam.t == 3
    adam.reset()
    assert adam.t == 0


@pytest.mark.parametrize("name", ["momentum", "rmsprop", "adam"])
def test_changed_parameters_are_refused(name):
    optimizer = make_optimizer(name)
    w, b = np.ones((2, 2)), np.ones(3)
    optimizer.step([w, b], [np.ones((2, 2)), np.ones(3)])
    with pytest.raises(ValueError, match=r"parameters must be the 2 arrays .* got 1"):
        optimizer.step([w], [np.ones((2, 2))])
    with pytest.raises(ValueError, match=r"parameters\[1\] must be the array of the first step"):
        optimizer.step([w, np.ones(3)], [np.ones((2, 2)), np.ones(3)])
    optimizer.step([w, b], [np.ones((2, 2)), np.ones(3)])  # the same arrays go on
    optimizer.reset()
    optimizer.step([np.ones(4)], [np.ones(4)])  # after reset(), any arrays


@pytest.mark.parametrize("name", ["momentum", "rmsprop", "adam"])
def test_one_optimizer_cannot_train_two_networks(name):
    """Two networks of the same shapes stepped by one stateful optimizer would share its
    running averages: the second network is refused, and left untouched."""
    from scratchnet import NeuralNetwork, ReLU, Sigmoid

    first, second = (NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=seed) for seed in (0, 1))
    gradients = [np.ones_like(p) for p in first.parameters()]
    optimizer = make_optimizer(name)
    optimizer.step(first.parameters(), gradients)
    before = [p.copy() for p in second.parameters()]
    with pytest.raises(ValueError, match=r"parameters\[0\] .*another network's\?.*one optimizer per network"):
        optimizer.step(second.parameters(), gradients)
    assert all(np.array_equal(p, q) for p, q in zip(second.parameters(), before))


def test_plain_sgd_keeps_nothing_and_may_be_shared():
    sgd, u, v = SGD(0.5), np.ones(2), np.ones(2)
    sgd.step([u], [np.ones(2)])
    sgd.step([v], [np.ones(2)])
    np.testing.assert_array_equal(u, v)


# --------------------------------------------------------------------------- argument checks


@pytest.mark.parametrize("name", CASES)
def test_mismatched_gradients_are_refused_before_anything_moves(name):
    optimizer = make_optimizer(name)
    p, q = np.ones((2, 2)), np.ones((1, 2))
    with pytest.raises(ValueError, match=r"gradients must have one array per parameter: .* got 1"):
        optimizer.step([p, q], [np.ones((2, 2))])
    with pytest.raises(ValueError, match=r"gradients\[1\] .*\(1, 2\).* got \(2, 2\)"):
        optimizer.step([p, q], [np.ones((2, 2)), np.ones((2, 2))])  # would broadcast
    np.testing.assert_array_equal(p, 1.0)
    np.testing.assert_array_equal(q, 1.0)
    assert optimizer.state is None


@pytest.mark.parametrize(
    "make, error, name",
    [
        (lambda: SGD(0.0), ValueError, "learning_rate"),
        (lambda: SGD(-0.1), ValueError, "learning_rate"),
        (lambda: Adam(learning_rate=float("nan")), ValueError, "learning_rate"),
        (lambda: RMSProp(learning_rate="0.1"), TypeError, "learning_rate"),
        (lambda: SGD(0.1, momentum=1.0), ValueError, "momentum"),
        (lambda: SGD(0.1, momentum=-0.1), ValueError, "momentum"),
        (lambda: SGD(0.1, momentum=True), TypeError, "momentum"),
        (lambda: SGD(0.1, nesterov=True), ValueError, "nesterov"),
        (lambda: SGD(0.1, momentum=0.9, nesterov=1), TypeError, "nesterov"),
        (lambda: RMSProp(rho=1.0), ValueError, "rho"),
        (lambda: RMSProp(eps=0.0), ValueError, "eps"),
        (lambda: Adam(beta1=1.0), ValueError, "beta1"),
        (lambda: Adam(beta2=1.0), ValueError, "beta2"),
        (lambda: Adam(beta2=float("nan")), ValueError, "beta2"),
        (lambda: Adam(eps=0.0), ValueError, "eps"),
        (lambda: Adam(eps=-1e-8), ValueError, "eps"),
    ],
)
def test_invalid_hyperparameters_are_refused(make, error, name):
    with pytest.raises(error, match=name):
        make()


@pytest.mark.parametrize("name", CASES)
def test_repr_shows_the_hyperparameters_and_rebuilds_the_optimizer(name):
    optimizer = make_optimizer(name)
    rebuilt = eval(repr(optimizer), {"SGD": SGD, "RMSProp": RMSProp, "Adam": Adam})
    assert type(rebuilt) is type(optimizer)
    assert vars(rebuilt) == vars(optimizer)


def test_reprs_read_as_constructor_calls():
    assert repr(SGD()) == "SGD(learning_rate=0.01, momentum=0.0, nesterov=False)"
    assert repr(RMSProp()) == "RMSProp(learning_rate=0.001, rho=0.9, eps=1e-08)"
    assert repr(Adam()) == "Adam(learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-08)"


def test_a_subclass_only_names_its_state_and_writes_the_update():
    class SignSGD(Optimizer):
        state_names = ("steps",)

        def _update(self, parameters, gradients, state):
            for parameter, gradient, slots in zip(parameters, gradients, state):
                slots["steps"] += 1
                parameter -= self.learning_rate * np.sign(gradient)

    optimizer = SignSGD(0.5)
    p = np.zeros(3, np.float32)
    for _ in range(2):
        optimizer.step([p], [np.array([2.0, -3.0, 0.0], np.float32)])
    np.testing.assert_array_equal(p, [-1.0, 1.0, 0.0])
    np.testing.assert_array_equal(optimizer.state[0]["steps"], [2, 2, 2])
    assert optimizer.state[0]["steps"].dtype == np.float32
    assert repr(optimizer) == "SignSGD(learning_rate=0.5)"
    with pytest.raises(NotImplementedError):
        Optimizer(0.1).step([p], [p])


# --------------------------------------------------------------------------- convergence

A = np.array([[3.0, 1.0], [1.0, 2.0], [0.0, 1.0]])
B = np.array([1.0, -2.0, 0.5])


@pytest.mark.parametrize(
    "make, steps, tolerance",
    [
        pytest.param(lambda: SGD(0.05), 300, 1e-8, id="sgd"),
        pytest.param(lambda: SGD(0.05, momentum=0.9), 500, 1e-8, id="momentum"),
        pytest.param(lambda: SGD(0.05, momentum=0.9, nesterov=True), 300, 1e-8, id="nesterov"),
        # A constant learning rate leaves RMSProp circling the minimum about lr/2 away.
        pytest.param(lambda: RMSProp(0.01), 1000, 0.01, id="rmsprop"),
        pytest.param(lambda: Adam(0.05), 500, 1e-6, id="adam"),
    ],
)
def test_minimizes_a_least_squares_quadratic(make, steps, tolerance):
    # f(p) = 0.5 * ||A p - b||**2 has gradient A.T (A p - b) and its minimum at lstsq(A, b).
    minimum = np.linalg.lstsq(A, B, rcond=None)[0]
    optimizer = make()
    p = np.array([4.0, -3.0])
    assert np.abs(p - minimum).max() > 3.0
    for _ in range(steps):
        optimizer.step([p], [A.T @ (A @ p - B)])
    assert np.abs(p - minimum).max() < tolerance


@pytest.mark.parametrize("parameters, gradients, error, message", [
    ([1.0], [2.0], TypeError, r"parameters\[0\] must be a floating-point NumPy array .* got float$"),
    (np.ones(2), np.ones(2), TypeError, r"parameters must be a list of arrays .* got ndarray"),
    ([np.ones(2)], np.ones(2), TypeError, r"gradients must be a list of arrays .* got ndarray"),
    ([np.ones(2, dtype=int)], [np.ones(2)], TypeError, r"parameters\[0\] .* got ndarray of dtype int64$"),
    ([np.ones(2)], [np.array(["a", "b"])], TypeError, r"gradients\[0\] must be an array of real numbers"),
    ([np.ones(2)], [np.array([1.0, np.nan])], ValueError,
     r"^gradients\[0\] must be finite, got NaN or infinite values \(the step would spread them "
     r"into the parameters\)$"),
])
@pytest.mark.parametrize("name", CASES)
def test_step_refuses_what_it_cannot_update(name, parameters, gradients, error, message):
    with pytest.raises(error, match=message):
        make_optimizer(name).step(parameters, gradients)


@pytest.mark.parametrize("make", [lambda: SGD(1.0), lambda: SGD(1.0, momentum=0.5)],
                         ids=["sgd", "momentum"])
def test_a_float64_gradient_is_rounded_to_the_float32_parameter_before_the_step(make):
    # 2**-25 + 2**-50 rounds to 2**-25 in float32, and 1 - 2**-25 rounds (to even) to 1;
    # in float64, 1 - 2**-25 - 2**-50 would round down to the float32 below 1
    gradient = np.array([2.0**-25 + 2.0**-50])
    given, rounded = np.float32([1.0]), np.float32([1.0])
    make().step([given], [gradient])
    make().step([rounded], [gradient.astype(np.float32)])
    assert rounded[0] == np.float32(1.0)
    np.testing.assert_array_equal(given, rounded)


@pytest.mark.parametrize("make, name", [(Adam, "Adam"), (RMSProp, "RMSProp")])
def test_stepping_other_arrays_names_the_optimizer_that_keeps_their_averages(make, name):
    optimizer = make()
    optimizer.step([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match=rf"^parameters\[0\] must be the array of the first "
                                         rf"step, got another array: this {name} keeps running "
                                         r"averages of the arrays it first stepped"):
        optimizer.step([np.zeros(2)], [np.ones(2)])


def test_an_optimizer_without_an_update_says_what_is_missing():
    class Lazy(Optimizer):
        pass

    with pytest.raises(NotImplementedError) as error:
        Lazy(0.1).step([np.ones(2)], [np.ones(2)])
    assert str(error.value) == "Lazy must implement _update"


def test_step_takes_gradients_as_lists_in_the_parameters_dtype():
    w = np.ones(2, dtype=np.float32)
    SGD(0.5).step([w], [[1.0, 2.0]])
    assert w.dtype == np.float32
    np.testing.assert_array_equal(w, [0.5, 0.0])
