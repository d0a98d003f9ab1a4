import Testing

@testable import SimilarityDatasets
