import Testing

@testable import SimilaritySearch
