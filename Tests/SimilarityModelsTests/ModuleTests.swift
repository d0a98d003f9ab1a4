import SimilarityModels
import Testing

@Test func modelsModuleReexportsLayers() {
  // The module's users build graph models without importing SimilarityLayers themselves.
  let input = SymbolicTensor.input(shape: [4])
  #expect(input.shape.last == 4)
}
