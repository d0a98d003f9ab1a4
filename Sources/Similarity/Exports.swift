// `import Similarity` is the library a model's user touches: the model with layers and
// optimizers, losses and pairs, the indexes, evaluation and datasets. Figures stay in
// SimilarityVisualization (its TrainingHistory is not SimilarityMetricLearning's); each module
// can still be imported alone.
@_exported import SimilarityDatasets
@_exported import SimilarityEvaluation
@_exported import SimilarityLayers
@_exported import SimilarityMetricLearning
@_exported import SimilaritySearch
