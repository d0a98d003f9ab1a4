import Foundation
import Testing

/// `similarity summary <backbone>` against Keras' counts (issue #16's acceptance lines) and
/// its refusals of bad options.
@Suite struct BackboneSummaryCommandTests {
  @Test func resNet50SimPrintsKerasTotal() throws {
    let result = try CLI.run(["summary", "resnet50-sim", "--embedding-size", "128"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Total params: 23,849,984\n"))
    #expect(result.stdout.contains(" conv5_block3_out (Activati  (None, 7, 7, 2048)"))
  }

  @Test func efficientNetB0SimPrintsKerasTotal() throws {
    let result = try CLI.run(["summary", "efficientnet-b0-sim", "--embedding-size", "128"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Total params: 4,213,539\n"))
  }

  /// The options reach the model: input size, pooling, head, trainability.
  @Test func optionsShapeTheModel() throws {
    let result = try CLI.run([
      "summary", "efficientnet-lite0-sim", "--embedding-size", "64", "--input-size", "64,96",
      "--pooling", "max", "--no-l2-normalize", "--trainable", "frozen",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains(" input_1 (InputLayer)        [(None, 64, 96, 3)]"))
    #expect(result.stdout.contains(" max_pool (GlobalMaxPooling  (None, 1280)"))
    // Frozen: only the 1280 × 64 + 64 dense head trains.
    #expect(result.stdout.contains(" dense (Dense)               (None, 64)                   81984 "))
    #expect(result.stdout.contains("Trainable params: 81,984\n"))
  }

  @Test(arguments: [
    (["--input-size", "0,32"], "--input-size 0,32"),
    (["--input-size", "32"], "--input-size 32"),
    (["--input-size", "600,600"], "1…512"),
    (["--embedding-size", "0"], "--embedding-size 0"),
    (["--gem-p", "nan"], "--gem-p nan"),
    (["--trainable", "partial"], "resnet18-sim has no trainable option"),
  ])
  func badOptionsAreRefused(options: [String], message: String) throws {
    let result = try CLI.run(["summary", "resnet18-sim"] + options)
    #expect(result.status != 0)
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func fixedModelsRefuseBackboneOptions() throws {
    let result = try CLI.run(["summary", "keras-siamese", "--embedding-size", "64"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("keras-siamese is a fixed model"), "\(result.stderr)")
  }
}
