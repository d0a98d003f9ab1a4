"""Writes the Keras summaries of the backbones of `similarity summary resnet50-sim`,
`efficientnet-b0-sim` … `-b2-sim` (tf_keras applications, weights=None, include_top=False,
pooling="avg", plus TF Similarity's MetricEmbedding(128) head, as one flat model) and
TF Similarity 0.17.1's own ResNet18Sim (32×32×3, embedding 128, avg pooling): its layer names
and parameter counts per layer, since its backbone is a nested model of SyncBatchNormalization
layers.

Run with the peer venv: ~/.cache/similarity-peers/venv/bin/python scripts/golden/backbone_summaries.py
It writes Tests/SimilarityModelsTests/Fixtures/{resnet50,efficientnetb0,efficientnetb1,
efficientnetb2}_sim_summary.txt and resnet18sim_layers.tsv.
"""
import io
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_USE_LEGACY_KERAS"] = "1"  # tf.keras is tf_keras, as TF Similarity expects
import tf_keras as keras
from tf_keras import layers
from tensorflow_similarity.architectures import ResNet18Sim
from tensorflow_similarity.layers import MetricEmbedding

fixtures = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "SimilarityModelsTests",
    "Fixtures")


def summary(model):
    buffer = io.StringIO()
    model.summary(print_fn=lambda line: buffer.write(line + "\n"))
    return buffer.getvalue()


def flat(application, name, side):
    keras.backend.clear_session()
    inputs = layers.Input(shape=(side, side, 3), name="input_1")
    base = application(include_top=False, weights=None, input_tensor=inputs, pooling="avg")
    outputs = MetricEmbedding(128)(base.output)
    return keras.Model(inputs, outputs, name=name)


models = {
    "resnet50": (keras.applications.ResNet50, 224),
    "efficientnetb0": (keras.applications.EfficientNetB0, 224),
    "efficientnetb1": (keras.applications.EfficientNetB1, 240),
    "efficientnetb2": (keras.applications.EfficientNetB2, 260),
}
for name, (application, side) in models.items():
    text = summary(flat(application, name, side))
    with open(os.path.join(fixtures, f"{name}_sim_summary.txt"), "w") as f:
        f.write(text)
    print(name, [l for l in text.splitlines() if l.startswith("Total params")])

keras.backend.clear_session()
model = ResNet18Sim((32, 32, 3), embedding_size=128, pooling="avg")
rows = []
for layer in model.layers:
    if isinstance(layer, keras.Model):
        for inner in layer.layers:
            rows.append((inner.name, inner.count_params()))
    else:
        rows.append((layer.name, layer.count_params()))
trainable = sum(int(w.shape.num_elements()) for w in model.trainable_weights)
with open(os.path.join(fixtures, "resnet18sim_layers.tsv"), "w") as f:
    f.write(f"#total\t{model.count_params()}\n#trainable\t{trainable}\n")
    for name, count in rows:
        f.write(f"{name}\t{count}\n")
print("resnet18sim", model.count_params(), trainable)

# TF Similarity's `trainable` options (weights=None, so no batch normalisation is frozen
# beyond what the option says): total and trainable counts with avg pooling and a 128-d head.
from tensorflow_similarity.architectures import EfficientNetSim, ResNet50Sim

with open(os.path.join(fixtures, "tfsim_trainable_counts.tsv"), "w") as f:
    for name, make in [
        ("resnet50-sim", lambda t: ResNet50Sim((224, 224, 3), 128, weights=None, trainable=t,
                                               pooling="avg")),
        ("efficientnet-b0-sim", lambda t: EfficientNetSim((224, 224, 3), 128, "B0", weights=None,
                                                          trainable=t, pooling="avg")),
    ]:
        for option in ["full", "partial", "frozen"]:
            keras.backend.clear_session()
            model = make(option)
            trainable = sum(int(w.shape.num_elements()) for w in model.trainable_weights)
            f.write(f"{name}\t{option}\t{model.count_params()}\t{trainable}\n")
            print(name, option, model.count_params(), trainable)
