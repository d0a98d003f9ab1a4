import Testing

@testable import SimilarityLayers

/// `Functional.layerTour()` against the model `scripts/golden/layer_tour.py` builds with
/// tf_keras 2.21: the same summary, byte for byte, and the same parameter counts.
@Suite struct LayerTourTests {
  @Test func summaryEqualsKeras() throws {
    let expected = try LayerFixtures.text("layer_tour_summary.txt")
    let summary = try Functional.layerTour().summary(style: .withMemory)
    let got = summary.split(separator: "\n", omittingEmptySubsequences: false)
    let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(got.count == want.count)
    for (index, (a, b)) in zip(got, want).enumerated() where a != b {
      Issue.record("line \(index + 1):\n got  |\(a)|\n want |\(b)|")
      break
    }
  }

  @Test func parameterCountsEqualKeras() throws {
    let model = try Functional.layerTour()
    #expect(model.parameterCount == 51_732)
    #expect(model.trainableParameterCount == 51_700)
    #expect(model.summary().contains("Total params: 51,732\n"))
  }

  /// Every layer type of the tour is in the model, so the table shows the whole tour.
  @Test func everyTourLayerIsPresent() throws {
    let types = Set(try Functional.layerTour().layers.map(\.typeName))
    for type in [
      "InputLayer", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
      "BatchNormalization", "Conv1D", "Conv2D", "Conv2DTranspose", "Conv3D", "Conv3DTranspose",
      "Dense", "Dropout", "Flatten", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
      "SeparableConv2D", "DepthwiseConv2D", "GlobalAveragePooling2D", "Add", "Concatenate",
    ] {
      #expect(types.contains(type), "\(type) is missing from the tour")
    }
  }

  /// The tour runs forward and backward on a batch and survives save → load.
  @Test func runsAndRoundTripsThroughItsConfiguration() throws {
    let model = try Functional.layerTour(seed: 3)
    let inputs = [
      randomTensor([2, 64, 8], seed: 1), randomTensor([2, 32, 32, 3], seed: 2),
      randomTensor([2, 8, 16, 16, 2], seed: 3),
    ]
    let output = model(inputs)[0]
    #expect(output.shape == [2, 64])
    #expect(output.scalars.allSatisfy { $0.isFinite })
    let configuration = try #require(model.configuration)
    let loaded = try configuration.makeLayer()
    guard let reloaded = loaded as? Functional else {
      Issue.record("the configuration made a \(type(of: loaded))")
      return
    }
    #expect(reloaded.summary() == model.summary())
  }
}
