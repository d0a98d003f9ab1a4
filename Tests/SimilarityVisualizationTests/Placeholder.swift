import Testing

@testable import SimilarityVisualization
