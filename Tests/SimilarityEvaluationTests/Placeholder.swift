import Testing

@testable import SimilarityEvaluation
