import Testing

@testable import SimilarityLayers

/// `Functional.summary()` against the text `tf_keras` 2.21 prints for the same models
/// (`scripts/golden/graph_summaries.py`), byte for byte.
@Suite struct FunctionalSummaryTests {
  @Test(arguments: [
    ("residual_block", GraphModels.residualBlock),
    ("two_inputs_two_outputs", GraphModels.twoInputsTwoOutputs),
    ("shared_layer", GraphModels.sharedLayer),
    ("nested_model", GraphModels.nestedModel),
    ("chain", GraphModels.chain),
    ("multiple_outputs", GraphModels.multipleOutputs),
  ] as [(String, @Sendable (UInt64) throws -> Functional)])
  func summaryEqualsKeras(name: String, build: @Sendable (UInt64) throws -> Functional) throws {
    let expected = try LayerFixtures.text("graph_summary_\(name).txt")
    let summary = try build(0).summary(style: .withMemory)
    #expect(summary == expected)
    if summary != expected {
      let got = summary.split(separator: "\n", omittingEmptySubsequences: false)
      let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
      for (index, (a, b)) in zip(got, want).enumerated() where a != b {
        Issue.record("line \(index + 1):\n got  |\(a)|\n want |\(b)|")
        break
      }
    }
  }

  @Test func parameterCountsEqualKeras() throws {
    #expect(try GraphModels.residualBlock().parameterCount == 4768)
    #expect(try GraphModels.residualBlock().trainableParameterCount == 4704)
    #expect(try GraphModels.twoInputsTwoOutputs().parameterCount == 412)
    #expect(try GraphModels.sharedLayer().parameterCount == 113)
    let nested = try GraphModels.nestedModel()
    #expect(nested.parameterCount == 138)
    #expect(nested.trainableParameterCount == 38)
    #expect(try GraphModels.chain().parameterCount == 13610)
  }

  @Test func rowsBreakAfterClosingBracketsAsKeras() {
    let rows = KerasSummaryRow.lines(
      ["add (Add)", "(None, 4)", "0", "['model[0][0]', 'sequential[0][0]']"],
      stops: [29, 58, 68, 98])
    #expect(rows.count == 2)
    #expect(rows[1].hasSuffix("'sequential[0][0]']          "))
  }

  @Test func memorySizesReadAsKeras() {
    #expect(SummaryStyle.memoryText(0) == "0.00 Byte")
    #expect(SummaryStyle.memoryText(113) == "452.00 Byte")
    #expect(SummaryStyle.memoryText(4768) == "18.62 KB")
    #expect(SummaryStyle.memoryText(1 << 20) == "4.00 MB")
  }

  @Test func sequentialSummaryIsUnchanged() {
    #expect(Sequential.kerasSiameseTower().summary().contains("Total params: 133,504\n"))
  }

  /// The default totals are tf.keras 2.12's (grouped digits, no sizes); the table is the same.
  @Test func defaultTotalsAreGrouped() throws {
    let model = try GraphModels.residualBlock()
    let grouped = model.summary()
    #expect(grouped.contains("Total params: 4,768\nTrainable params: 4,704\nNon-trainable params: 64\n"))
    let expected = try LayerFixtures.text("graph_summary_residual_block.txt")
    let table = { (text: String) in text.components(separatedBy: "Total params:")[0] }
    #expect(table(grouped) == table(expected))
    #expect(Sequential.kerasSiameseTower().summary(style: .withMemory)
      .contains("Total params: 133504 (521.50 KB)\n"))
  }
}
