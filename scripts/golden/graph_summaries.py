"""Writes the Keras functional-model summaries the graph-model tests compare with.

Run once with the peer venv (TF 2.21 + tf_keras 2.21):

    ~/.cache/similarity-peers/venv/bin/python scripts/golden/graph_summaries.py

Each model is built in a fresh session (`tf_keras.backend.clear_session()`), so default
names (`input_1`, `dense`, `dense_1`, `model`, …) are those of a new process. The texts go to
`Tests/SimilarityLayersTests/Fixtures/graph_summary_<name>.txt`, exactly as `model.summary()`
prints them (one newline after every line). The Swift tests build the same models with
`Functional` and compare `summary()` byte for byte.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tf_keras  # noqa: E402
from tf_keras import layers  # noqa: E402

FIXTURES = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..",
    "Tests", "SimilarityLayersTests", "Fixtures")


def residual_block():
    """Conv2D → BatchNormalization → Activation → Conv2D → BatchNormalization, + input, ReLU."""
    inputs = tf_keras.Input(shape=(8, 8, 16))
    x = layers.Conv2D(16, 3, padding="same")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(16, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Add()([x, inputs])
    outputs = layers.Activation("relu")(x)
    return tf_keras.Model(inputs, outputs)


def two_inputs_two_outputs():
    """Two inputs, one Dense each, Concatenate, two Dense heads."""
    first = tf_keras.Input(shape=(16,))
    second = tf_keras.Input(shape=(8,))
    a = layers.Dense(12, activation="relu")(first)
    b = layers.Dense(12, activation="relu")(second)
    merged = layers.Concatenate()([a, b])
    scores = layers.Dense(3)(merged)
    value = layers.Dense(1)(merged)
    return tf_keras.Model([first, second], [scores, value], name="two_heads")


def shared_layer():
    """One Dense called on two inputs (two nodes, one set of weights), then merges."""
    left = tf_keras.Input(shape=(10,))
    right = tf_keras.Input(shape=(10,))
    tower = layers.Dense(8, activation="tanh")
    a = tower(left)
    b = tower(right)
    difference = layers.Subtract()([a, b])
    product = layers.Multiply()([a, b])
    merged = layers.Concatenate(axis=-1)([difference, product, layers.Maximum()([a, b])])
    outputs = layers.Dense(1)(layers.Average()([merged, merged]))
    return tf_keras.Model([left, right], outputs, name="shared")


def nested_model():
    """A functional model and a Sequential used as layers of another model; one frozen."""
    inner_input = tf_keras.Input(shape=(6,))
    hidden = layers.Dense(8, activation="relu")(inner_input)
    inner = tf_keras.Model(inner_input, layers.Dense(4)(hidden))
    head = tf_keras.Sequential(
        [tf_keras.Input(shape=(4,)), layers.Dense(4), layers.BatchNormalization()])
    inputs = tf_keras.Input(shape=(6,))
    features = inner(inputs)
    residual = layers.Add()([features, head(features)])
    outputs = layers.Dense(2)(residual)
    inner.trainable = False
    return tf_keras.Model(inputs, outputs, name="outer")


def multiple_outputs():
    """A nested model with two outputs, and a layer shared by inputs of two sizes."""
    inner_input = tf_keras.Input(shape=(6,))
    inner = tf_keras.Model(
        inner_input, [layers.Dense(3)(inner_input), layers.Dense(2)(inner_input)],
        name="splitter")
    vectors = tf_keras.Input(shape=(6,))
    large = tf_keras.Input(shape=(4, 4, 2))
    small = tf_keras.Input(shape=(2, 2, 2))
    first, second = inner(vectors)
    mixer = layers.Conv2D(3, 1)
    flat_large = layers.Flatten()(mixer(large))
    flat_small = layers.Flatten()(mixer(small))
    merged = layers.Concatenate(axis=1)([first, second, flat_large, flat_small])
    return tf_keras.Model([vectors, large, small], merged, name="multiple_outputs")


def chain():
    """A functional model that is a plain chain: Keras prints it in the sequential layout."""
    inputs = tf_keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(10)(x)
    return tf_keras.Model(inputs, outputs)


def main():
    for name, build in [
        ("residual_block", residual_block),
        ("two_inputs_two_outputs", two_inputs_two_outputs),
        ("shared_layer", shared_layer),
        ("nested_model", nested_model),
        ("chain", chain),
        ("multiple_outputs", multiple_outputs),
    ]:
        tf_keras.backend.clear_session()
        model = build()
        lines = []
        model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
        path = os.path.join(FIXTURES, f"graph_summary_{name}.txt")
        with open(path, "w", encoding="utf-8") as file:
            file.write("\n".join(lines) + "\n")
        print(path, model.count_params())


if __name__ == "__main__":
    main()
