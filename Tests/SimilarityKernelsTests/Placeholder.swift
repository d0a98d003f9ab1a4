import Testing

@testable import SimilarityKernels
