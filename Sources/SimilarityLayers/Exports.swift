// Layers are used with tensors, parameters and the generator, so importing SimilarityLayers
// brings SimilarityTensors (which re-exports SimilarityKernels) with it.
@_exported import SimilarityTensors
