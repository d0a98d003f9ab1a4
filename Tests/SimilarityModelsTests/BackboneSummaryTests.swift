import Testing

@testable import SimilarityModels

/// The Keras backbones against tf_keras' own applications with TF Similarity's head
/// (`scripts/golden/backbone_summaries.py`): the same summary, byte for byte — names, types,
/// shapes, per-layer parameter counts, connections and totals.
@Suite struct BackboneSummaryTests {
  static let embedding = BackboneTop.embedding(size: 128, pooling: .average, l2Normalize: true)

  /// Compares line by line and reports the first difference.
  static func expectSameSummary(_ model: Functional, fixture: String) throws {
    let want = try ModelFixtures.text(fixture).split(separator: "\n", omittingEmptySubsequences: false)
    let got = model.summary(style: .withMemory).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(got.count == want.count, "\(fixture): \(got.count) lines, Keras \(want.count)")
    for (index, (a, b)) in zip(got, want).enumerated() where a != b {
      Issue.record("\(fixture) line \(index + 1):\n got  |\(a)|\n want |\(b)|")
      break
    }
  }

  @Test func resNet50EqualsKeras() throws {
    let model = try Functional.resNet50(top: Self.embedding)
    try Self.expectSameSummary(model, fixture: "resnet50_sim_summary.txt")
    #expect(model.parameterCount == 23_849_984)
    #expect(model.summary().contains("Total params: 23,849,984\n"))
  }

  @Test(arguments: EfficientNetVariant.allCases)
  func efficientNetEqualsKeras(variant: EfficientNetVariant) throws {
    let model = try Functional.efficientNet(variant, top: Self.embedding)
    try Self.expectSameSummary(model, fixture: "\(variant.modelName)_sim_summary.txt")
  }

  @Test func efficientNetB0Totals() throws {
    let model = try Functional.efficientNet(.b0, top: Self.embedding)
    #expect(model.parameterCount == 4_213_539)
    #expect(model.layer(named: "normalization")?.parameters.map(\.value.count) == [3, 3, 1])
  }

  /// TF Similarity's ResNet18Sim: every layer's parameter count and the totals.
  @Test func resNet18EqualsTFSimilarity() throws {
    let model = try Functional.resNet18(top: Self.embedding)
    var totals: [String: Int] = [:]
    var layers: [String: Int] = [:]
    for line in try ModelFixtures.text("resnet18sim_layers.tsv").split(separator: "\n") {
      let fields = line.split(separator: "\t")
      if fields[0].hasPrefix("#") {
        totals[String(fields[0].dropFirst())] = Int(fields[1])
      } else {
        layers[String(fields[0])] = Int(fields[1])
      }
    }
    #expect(model.parameterCount == totals["total"])
    #expect(model.trainableParameterCount == totals["trainable"])
    // TF Similarity nests its backbone (inputs input_1 and input_2); ours is flat.
    let ours = Dictionary(uniqueKeysWithValues: model.layers.map {
      ($0.name, $0.parameters.reduce(0) { $0 + $1.value.count })
    })
    #expect(Set(ours.keys) == Set(layers.keys).subtracting(["input_2"]))
    for (name, count) in ours { #expect(layers[name] == count, "\(name)") }
  }
}
