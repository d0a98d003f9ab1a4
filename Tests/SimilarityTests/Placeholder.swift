import Testing

@testable import Similarity
