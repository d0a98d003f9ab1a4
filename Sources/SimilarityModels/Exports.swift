// SimilarityModels holds ready-made architectures (TF Similarity's ResNet and EfficientNet
// embedding models) and the readers that import pre-trained weights from other frameworks
// (PyTorch checkpoints, ONNX graphs, Keras weight files) into them. Importing it brings the
// layers and models with it.
@_exported import SimilarityLayers
