"""Writes the Keras summary of the layer-tour model (`similarity summary layer-tour`).

Run with the peer venv: ~/.cache/similarity-peers/venv/bin/python scripts/golden/layer_tour.py
It writes Tests/SimilarityLayersTests/Fixtures/layer_tour_summary.txt.
"""
import io
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tf_keras as keras
from tf_keras import layers

keras.backend.clear_session()
sequence = keras.Input(shape=(64, 8))
image = keras.Input(shape=(32, 32, 3))
volume = keras.Input(shape=(8, 16, 16, 2))

# 1-D branch
x = layers.Conv1D(16, 5, padding="same", activation="relu")(sequence)
x = layers.MaxPooling1D(2)(x)
x = layers.AveragePooling1D(2)(x)
x = layers.Flatten()(x)
x = layers.Dense(32, activation="relu")(x)

# 2-D branch with a residual connection
y = layers.Conv2D(16, 3, padding="same")(image)
y = layers.BatchNormalization()(y)
z = layers.DepthwiseConv2D(3, padding="same", activation="relu")(y)
z = layers.SeparableConv2D(16, 3, padding="same")(z)
y = layers.Add()([y, z])
y = layers.MaxPooling2D(2)(y)
y = layers.Conv2DTranspose(8, 3, strides=2, padding="same")(y)
y = layers.AveragePooling2D(2)(y)
y = layers.GlobalAveragePooling2D()(y)
y = layers.Dense(32, activation="relu")(y)

# 3-D branch
v = layers.Conv3D(8, 3, padding="same", activation="relu")(volume)
v = layers.MaxPooling3D(2)(v)
v = layers.Conv3DTranspose(4, 3, strides=2, padding="same")(v)
v = layers.AveragePooling3D(2)(v)
v = layers.Flatten()(v)
v = layers.Dense(32, activation="relu")(v)

merged = layers.Concatenate()([x, y, v])
merged = layers.Dropout(0.1)(merged)
output = layers.Dense(64)(merged)
model = keras.Model(inputs=[sequence, image, volume], outputs=output)

buffer = io.StringIO()
model.summary(print_fn=lambda line: buffer.write(line + "\n"))
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "Tests", "SimilarityLayersTests", "Fixtures", "layer_tour_summary.txt")
if len(sys.argv) > 1:
    out = sys.argv[1]
with open(out, "w") as f:
    f.write(buffer.getvalue())
print(buffer.getvalue())
