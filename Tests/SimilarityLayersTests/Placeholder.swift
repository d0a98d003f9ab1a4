import Testing

@testable import SimilarityLayers
