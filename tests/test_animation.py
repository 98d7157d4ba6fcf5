"""Animations (scratchnet.animation): snapshots, frame choice, drawing and the player.

No book build: the players are made here, from short runs, and their HTML is read back
as a browser would (the frames decoded, the controls parsed).
"""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from scratchnet import (  # noqa: E402
    Identity, NeuralNetwork, Recorder, ReLU, SGD, Sigmoid, SoftmaxCrossEntropy, Tanh, fit,
    spirals, train, xor,
)
from scratchnet.animation import (  # noqa: E402
    BUTTON_LABELS, Player, Snapshots, _xor_run_figure, animate_training, animate_xor_run,
    fit_snapshots, frame_indices, player,
)

X, Y = xor()
BUDGET = 2 * 1024 * 1024  # bytes of HTML per animation in a page
FRAME = re.compile(r'frames\[(\d+)\] = "data:image/png;base64,([^"]*)"')


def chapter_run(epochs: int, every: int = 10, seed: int = 42):
    """The chapter's network trained with a Snapshots callback: (snapshots, losses)."""
    snapshots = Snapshots(every=every)
    net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(seed))
    return snapshots, train(net, X, Y, epochs=epochs, learning_rate=0.1, callback=snapshots)


def frames_of(html: str) -> list[np.ndarray]:
    """The frames a player embeds, decoded to RGB arrays, in order."""
    found = sorted((int(i), data) for i, data in FRAME.findall(html))
    assert [i for i, _ in found] == list(range(len(found)))
    return [decode(base64.b64decode(data.replace("\\\n", ""))) for _, data in found]


def decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


class Controls(HTMLParser):
    """The elements of a player a reader (or a keyboard) can reach."""

    def __init__(self) -> None:
        super().__init__()
        self.buttons: list[dict] = []
        self.ranges: list[dict] = []
        self.images: list[dict] = []
        self.ids: list[str] = []
        self._button: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "button":
            self._button = {**attrs, "text": ""}
            self.buttons.append(self._button)
        elif tag == "input" and attrs.get("type") == "range":
            self.ranges.append(attrs)
        elif tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag == "button":
            self._button = None

    def handle_data(self, data):
        if self._button is not None:
            self._button["text"] += data.strip()


def controls(html: str) -> Controls:
    parser = Controls()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def xor_run():
    """A run long enough for the outputs to split (2,000 epochs, a snapshot every 10)."""
    return chapter_run(2000)


@pytest.fixture(scope="module")
def shown(xor_run) -> Player:
    """The chapter page's kind of animation: 30 frames of a run, at the default size."""
    snapshots, losses = xor_run
    frames = frame_indices(len(snapshots.epochs), 30)
    return player(animate_xor_run(snapshots, X, Y, frames, losses=losses), name="run",
                  alt="A run, frame by frame.")


# ------------------------------------------------------------------------- Snapshots


def test_snapshots_record_what_a_recorder_records_and_the_weights():
    """Everything a Recorder keeps, the same; and the network at each snapshot, rebuilt
    from the copied weights, computes exactly the recorded outputs."""
    recorder, snapshots = Recorder(every=7), Snapshots(every=7)

    def both(epoch, network):
        recorder(epoch, network)
        snapshots(epoch, network)

    net = NeuralNetwork([2, 3, 1], [Tanh(), Sigmoid()], init="xavier", rng=1)
    train(net, X, Y, epochs=50, learning_rate=0.5, callback=both)
    np.testing.assert_array_equal(snapshots.epochs, recorder.epochs)
    for mine, theirs in zip(snapshots.activations + snapshots.pre_activations,
                            recorder.activations + recorder.pre_activations):
        np.testing.assert_array_equal(mine, theirs)
    for i in range(len(snapshots.epochs)):
        then = snapshots.network_at(i)
        assert isinstance(then, NeuralNetwork) and then.layer_sizes == [2, 3, 1]
        np.testing.assert_array_equal(then.forward(X), snapshots.activations[-1][i])
    last = snapshots.network_at(-1)  # the weights before the last update, not after it
    assert not np.array_equal(last.layers[0].weights, net.layers[0].weights)


def test_network_at_is_a_copy():
    snapshots, _ = chapter_run(30)
    then = snapshots.network_at(0)
    then.layers[0].weights += 1.0
    assert not np.array_equal(snapshots.network_at(0).layers[0].weights,
                              then.layers[0].weights)


@pytest.mark.parametrize("index, error", [(3, ValueError), (-4, ValueError),
                                          (1.0, TypeError), ("0", TypeError)])
def test_network_at_refuses_bad_indices(index, error):
    snapshots, _ = chapter_run(30)  # 3 snapshots
    with pytest.raises(error, match="index"):
        snapshots.network_at(index)


# ------------------------------------------------------------------------- fit_snapshots


def spiral_data():
    X_s, labels = spirals(120, n_classes=3, noise=0.2, rng=0)
    return X_s, labels


def spiral_net():
    return NeuralNetwork([2, 16, 3], [ReLU(), Identity()], init="he", rng=np.random.default_rng(1))


def test_fit_snapshots_is_one_fit_call_with_stops():
    """Stopping for snapshots changes nothing: the same weights and losses, to the last
    bit, as one fit call (mini-batches in a random order, and momentum, whose state
    carries over from one stop to the next)."""
    X_s, labels = spiral_data()
    options = dict(loss=SoftmaxCrossEntropy(), batch_size=16)
    once = spiral_net()
    history = fit(once, X_s, labels, optimizer=SGD(0.1, momentum=0.9), epochs=20,
                  rng=np.random.default_rng(2), **options)
    stopped = spiral_net()
    replay, snapshots = fit_snapshots(stopped, X_s, labels, [0, 1, 5, 6, 20],
                                      optimizer=SGD(0.1, momentum=0.9),
                                      rng=np.random.default_rng(2), **options)
    for a, b in zip(once.parameters(), stopped.parameters()):
        np.testing.assert_array_equal(a, b)
    assert replay.loss == history.loss and replay.accuracy == history.accuracy
    assert len(replay.seconds) == 20 and np.all(np.diff(replay.seconds) >= 0)
    np.testing.assert_array_equal(snapshots.epochs, [0, 1, 5, 6, 20])
    start = spiral_net()
    np.testing.assert_array_equal(snapshots.network_at(0).forward(X_s), start.forward(X_s))
    np.testing.assert_array_equal(snapshots.network_at(-1).forward(X_s), once.forward(X_s))


@pytest.mark.parametrize("epochs, error", [
    ([0, 5, 5], ValueError), ([5, 1], ValueError), ([-1, 3], ValueError), ([0], ValueError),
    ([0.0, 2.0], TypeError), ("0 5", TypeError), ([], TypeError), ([[0, 5]], TypeError),
])
def test_fit_snapshots_refuses_bad_epochs(epochs, error):
    X_s, labels = spiral_data()
    with pytest.raises(error, match="epochs"):
        fit_snapshots(spiral_net(), X_s, labels, epochs, loss=SoftmaxCrossEntropy())


# ------------------------------------------------------------------------- frame_indices


@pytest.mark.parametrize("snapshots, frames, power", [
    (1000, 30, 2.0), (1000, 1000, 2.0), (201, 30, 2.0), (31, 30, 3.0), (5, 1, 2.0),
    (50, 10, 1.0), (50, 10, 0.5), (2, 2, 2.0),
])
def test_frame_indices_pick_distinct_snapshots_in_order(snapshots, frames, power):
    index = frame_indices(snapshots, frames, power)
    assert len(index) == frames and index.dtype.kind == "i"
    assert index[0] == 0 and (frames == 1 or index[-1] == snapshots - 1)
    assert np.all(np.diff(index) > 0) and index.max() < snapshots


def test_frame_indices_spacing():
    """Even with power 1; with power 2 the gaps grow (more frames early)."""
    np.testing.assert_array_equal(frame_indices(101, 11, power=1), np.arange(0, 101, 10))
    gaps = np.diff(frame_indices(1000, 30))
    assert gaps[0] < gaps[-1] and np.all(np.diff(gaps) >= -1)


@pytest.mark.parametrize("args, error, name", [
    ((10, 11), ValueError, "frames"), ((10, 0), ValueError, "frames"),
    ((0, 1), ValueError, "snapshots"), ((10.0, 3), TypeError, "snapshots"),
    ((10, "3"), TypeError, "frames"), ((10, 3, 0.0), ValueError, "power"),
    ((10, 3, float("nan")), ValueError, "power"), ((10, 3, "2"), TypeError, "power"),
])
def test_frame_indices_refuses_bad_arguments(args, error, name):
    with pytest.raises(error, match=name):
        frame_indices(*args)


# ------------------------------------------------------------------------- the player


def test_player_has_the_frames_asked_for(shown, xor_run):
    """As many embedded frames as frames asked for, each a PNG of the figure's size."""
    assert shown.frames == 30
    assert re.search(r"var frames = new Array\(30\);", shown.html)
    frames = frames_of(shown.html)
    assert len(frames) == 30
    assert {f.shape for f in frames} == {(280, 920, 3)}  # 11.5 x 3.5 inches at 80 dpi
    assert len({f.tobytes() for f in frames}) == 30  # no two frames alike


def test_player_controls_are_real_buttons_and_a_slider(shown):
    """Play, pause and the other steps are <button> elements, each with a text label and
    an accessible name; the frame slider is an <input type=range> with an accessible
    name; the image has an alt text. All of them reachable from the keyboard (none is
    taken out of the tab order)."""
    parsed = controls(shown.html)
    names = [b.get("aria-label") for b in parsed.buttons]
    assert names == ["Decrease speed", "First frame", "Previous frame", "Play backwards",
                     "Pause", "Play", "Next frame", "Last frame", "Increase speed"]
    assert all(b["text"] and b.get("title") == b["aria-label"] for b in parsed.buttons)
    assert [b["text"] for b in parsed.buttons] == list(BUTTON_LABELS.values())
    (slider,) = parsed.ranges
    assert slider["id"] == "_anim_slider_run" and "anim-slider" in slider["class"]
    assert slider.get("aria-label") and "set_frame" in slider["oninput"]
    (image,) = parsed.images
    assert image["id"] == "_anim_img_run" and image["alt"] == "A run, frame by frame."
    every = parsed.buttons + parsed.ranges
    assert not any("tabindex" in element or "disabled" in element for element in every)
    assert len(parsed.ids) == len(set(parsed.ids))
    assert all(i.endswith("_run") or "_run" in i for i in parsed.ids)


def test_player_requests_nothing_from_another_origin(shown):
    """No http(s) URL at all (matplotlib's player links Font Awesome on a CDN), no icon
    element left, and every image a data: URI."""
    assert not re.search(r"https?://", shown.html)
    assert "font-awesome" not in shown.html and "<i " not in shown.html
    assert all(src.startswith("data:image/png;base64,")
               for src in re.findall(r'src="([^"]*)"', shown.html))


def test_player_is_within_the_size_budget(shown):
    size = len(shown.html.encode("utf-8"))
    assert size < BUDGET / 2, f"{size / 1024:.0f} KB for 30 frames"


def test_first_frame_is_the_initial_state(shown, xor_run):
    """The first frame is the run at epoch 0: it matches the figure drawn at snapshot 0
    in one full draw (not frame by frame), to within the colours the palette merges,
    and is far from the figure at the last snapshot. The page shows it before any
    script runs (the image's src), and it is what the player shows for frame 0."""
    snapshots, losses = xor_run
    frames = frames_of(shown.html)
    src = re.search(r'<img id="_anim_img_run"[^>]* src="data:image/png;base64,([^"]*)"',
                    shown.html).group(1)
    np.testing.assert_array_equal(decode(base64.b64decode(src)), frames[0])
    np.testing.assert_array_equal(decode(shown.first_frame), frames[0])
    inputs = ("(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)")
    fig, show = _xor_run_figure(snapshots, X, Y, losses, inputs, 121, (11.5, 3.5))
    fig.set_dpi(80)
    canvas = FigureCanvasAgg(fig)

    def full_draw(i):
        show(i)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[:, :, :3].astype(float)

    start, end = full_draw(0), full_draw(len(snapshots.epochs) - 1)
    assert np.abs(frames[0] - start).mean() < 1.0  # of 255: the palette's rounding
    assert np.abs(frames[0] - end).mean() > 5 * np.abs(frames[0] - start).mean()
    assert np.abs(frames[-1] - end).mean() < 1.0


def test_player_is_the_same_every_time():
    """Two renderings of the same run give the same page (no random ids)."""
    snapshots, losses = chapter_run(60)
    pages = [player(animate_xor_run(snapshots, X, Y, [0, 3, 5], losses=losses, dpi=30),
                    name="again", alt="The run.").html for _ in range(2)]
    assert pages[0] == pages[1]


def test_player_keeps_matplotlib_pngs_without_a_palette():
    snapshots, _ = chapter_run(40)
    anim = animate_xor_run(snapshots, X, Y, [0, 3], dpi=30)
    kept = player(anim, name="kept", alt="The run.", colors=None)
    assert Image.open(io.BytesIO(kept.first_frame)).mode == "RGBA"
    anim = animate_xor_run(snapshots, X, Y, [0, 3], dpi=30)
    few = player(anim, name="few", alt="The run.", colors=64)
    assert Image.open(io.BytesIO(few.first_frame)).mode == "P"
    assert len(Image.open(io.BytesIO(few.first_frame)).getcolors()) <= 64
    kept, few = decode(kept.first_frame), decode(few.first_frame)
    assert np.abs(kept - few).mean() < 1.0
    assert np.array_equal(few[0, 0], [255, 255, 255])  # white stays white


def test_player_displays_itself_as_html_and_as_its_first_frame(shown):
    assert shown._repr_html_() == shown.html
    assert shown._repr_png_() == shown.first_frame
    assert shown.first_frame.startswith(b"\x89PNG")


def test_player_works_for_any_matplotlib_animation():
    fig = Figure(figsize=(1, 1), dpi=20)
    (dot,) = fig.subplots().plot([0], [0], "o")
    anim = FuncAnimation(fig, lambda i: dot.set_data([i], [i]), frames=4)
    shown = player(anim, name="dot", alt="A dot.")
    assert shown.frames == 4 and len(frames_of(shown.html)) == 4


def dot_animation():
    fig = Figure(figsize=(1, 1), dpi=20)
    (dot,) = fig.subplots().plot([0], [0], "o")
    return FuncAnimation(fig, lambda i: dot.set_data([i], [i]), frames=2)


@pytest.mark.parametrize("kwargs, error, name", [
    (dict(name="my player"), ValueError, "name"), (dict(name="3d"), ValueError, "name"),
    (dict(name=""), ValueError, "name"), (dict(name=7), TypeError, "name"),
    (dict(alt=""), ValueError, "alt"), (dict(alt="  "), ValueError, "alt"),
    (dict(alt=None), TypeError, "alt"), (dict(fps=0), ValueError, "fps"),
    (dict(fps="4"), TypeError, "fps"), (dict(colors=1), ValueError, "colors"),
    (dict(colors=257), ValueError, "colors"), (dict(colors=1.5), TypeError, "colors"),
])
def test_player_refuses_bad_arguments(kwargs, error, name):
    anim = dot_animation()
    arguments = dict(name="ok", alt="A dot.") | kwargs
    with pytest.raises(error, match=name):
        player(anim, **arguments)
    player(anim, name="ok", alt="A dot.")  # rendered, so the animation was used


@pytest.mark.parametrize("anim", [None, "anim", Figure()])
def test_player_refuses_what_is_not_an_animation(anim):
    with pytest.raises(TypeError, match="anim"):
        player(anim, name="ok", alt="A dot.")


def test_player_escapes_the_alt_text():
    shown = player(dot_animation(), name="ok", alt='Two "quoted" <words> & more.')
    assert 'alt="Two &quot;quoted&quot; &lt;words&gt; &amp; more."' in shown.html


# ------------------------------------------------------------------------- drawing


def test_animate_training_draws_each_run_and_its_loss():
    """Two runs side by side: one frame per snapshot asked for, each a different picture;
    a run's frames differ from one frame to the next."""
    runs, losses = {}, {}
    for name, hidden in [("ReLU", ReLU()), ("tanh", Tanh())]:
        runs[name] = Snapshots(every=20)
        net = NeuralNetwork([2, 4, 1], [hidden, Sigmoid()], rng=np.random.RandomState(42))
        losses[name] = train(net, X, Y, epochs=200, learning_rate=0.5, callback=runs[name])
    shown = player(animate_training(runs, X, Y, [0, 4, 9], losses, dpi=30), name="pair",
                   alt="Two runs.")
    frames = frames_of(shown.html)
    assert len(frames) == 3 and frames[0].shape == (108, 360, 3)  # 12 x 3.6 inches
    assert not np.array_equal(frames[0], frames[1])


def test_animate_training_with_classes_and_a_history():
    """Several outputs: the plane shows the predicted class; a History's losses start at
    epoch 1."""
    X_s, labels = spiral_data()
    history, snapshots = fit_snapshots(spiral_net(), X_s, labels, [0, 2, 5],
                                       loss=SoftmaxCrossEntropy(), optimizer=SGD(0.1),
                                       batch_size=30, rng=0)
    anim = animate_training({"net": snapshots}, X_s, labels, [0, 1, 2],
                            {"net": history.loss}, losses_from=1, size=(6, 3), dpi=30)
    assert player(anim, name="spiral", alt="A net.").frames == 3


def run_errors():
    snapshots, losses = chapter_run(50)  # 5 snapshots
    other, _ = chapter_run(50, every=5)
    X3 = np.zeros((3, 2))
    return [
        ("snapshots", TypeError, lambda: animate_xor_run(Recorder(), X, Y, [0])),
        ("snapshots", ValueError, lambda: animate_xor_run(Snapshots(), X, Y, [0])),
        ("frames", ValueError, lambda: animate_xor_run(snapshots, X, Y, [0, 0, 2])),
        ("frames", ValueError, lambda: animate_xor_run(snapshots, X, Y, [0, 5])),
        ("frames", ValueError, lambda: animate_xor_run(snapshots, X, Y, [-1, 2])),
        ("frames", TypeError, lambda: animate_xor_run(snapshots, X, Y, [0.0, 1.0])),
        ("frames", TypeError, lambda: animate_xor_run(snapshots, X, Y, [])),
        ("X", ValueError, lambda: animate_xor_run(snapshots, X3, Y, [0])),
        ("losses", ValueError, lambda: animate_xor_run(snapshots, X, Y, [0], losses[:10])),
        ("losses", TypeError, lambda: animate_xor_run(snapshots, X, Y, [0], ["a"] * 50)),
        ("resolution", ValueError, lambda: animate_xor_run(snapshots, X, Y, [0], resolution=0)),
        ("size", TypeError, lambda: animate_xor_run(snapshots, X, Y, [0], size=5)),
        ("dpi", ValueError, lambda: animate_xor_run(snapshots, X, Y, [0], dpi=-1)),
        ("runs", TypeError, lambda: animate_training([snapshots], X, Y, [0], {})),
        ("runs", TypeError, lambda: animate_training({}, X, Y, [0], {})),
        ("runs", TypeError, lambda: animate_training({"a": losses}, X, Y, [0], {"a": losses})),
        ("runs", ValueError, lambda: animate_training({"a": snapshots, "b": other}, X, Y, [0],
                                                      {"a": losses, "b": losses})),
        ("losses", TypeError, lambda: animate_training({"a": snapshots}, X, Y, [0],
                                                       {"b": losses})),
        ("losses", TypeError, lambda: animate_training({"a": snapshots}, X, Y, [0], losses)),
        ("losses", ValueError, lambda: animate_training({"a": snapshots}, X, Y, [0],
                                                        {"a": [np.nan] * 50})),
        ("losses_from", ValueError, lambda: animate_training(
            {"a": snapshots}, X, Y, [0], {"a": losses}, losses_from=-1)),
        ("X", ValueError, lambda: animate_training({"a": snapshots}, np.zeros((4, 3)), Y, [0],
                                                   {"a": losses})),
    ]


@pytest.mark.parametrize("index", range(len(run_errors())))
def test_animations_refuse_bad_arguments_naming_them(index):
    name, error, call = run_errors()[index]
    with pytest.raises(error, match=re.escape(name)):
        call()
