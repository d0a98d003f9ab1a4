import Foundation
import Testing

@Suite struct SiameseCommandTests {
  @Test func summaryPrintsTheKerasTowerTable() throws {
    let result = try CLI.run(["summary", "keras-siamese"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("Total params: 133,504"))
    #expect(result.stdout.contains(" dense_2 (Dense)             (None, 128)               16512"))
  }

  @Test func summaryPrintsTheLayerTour() throws {
    let result = try CLI.run(["summary", "layer-tour"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Total params: 51,732\n"))
    #expect(result.stdout.contains(" conv3d_transpose (Conv3DTr  (None, 8, 16, 16, 4)         868"))
    let sized = try CLI.run(["summary", "layer-tour", "--with-memory"])
    #expect(sized.stdout.contains("Total params: 51732 (202.08 KB)\n"))
  }

  @Test func aSavedRunReloadsWithIdenticalScores() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let trained = try CLI.run([
      "siamese", "--dataset", "fashion-mnist", "--limit", "600", "--epochs", "1", "--seed", "3",
      "--out", directory.path,
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    #expect(trained.stdout.contains("Total params: 133,504"))
    let accuracyLines = trained.stdout.split(separator: "\n").filter { $0.contains("Accuracy on") }
    #expect(accuracyLines.count == 2)
    for file in ["model.safetensors", "architecture.json", "siamese.json"] {
      #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path))
    }
    let rescored = try CLI.run(["siamese", "--evaluate", directory.path])
    #expect(rescored.status == 0, "\(rescored.stderr)")
    let again = rescored.stdout.split(separator: "\n").filter { $0.contains("Accuracy on") }
    #expect(again == accuracyLines)
  }

  @Test func badArgumentsAreRejectedWithTheValue() throws {
    let margin = try CLI.run(["siamese", "--margin=-1"])
    #expect(margin.status != 0)
    #expect(margin.stderr.contains("--margin: expected a positive finite number, found -1.0"))
    let epochs = try CLI.run(["siamese", "--epochs", "0"])
    #expect(epochs.status != 0)
    #expect(epochs.stderr.contains("--epochs: expected a positive integer, found 0"))
  }

  @Test func aMissingDataDirectorySaysWhereItLookedAndHowToGetTheData() throws {
    let empty = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: empty) }
    let result = try CLI.run(["siamese", "--dataset", "fashion-mnist", "--data-dir", empty.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains(empty.path))
    #expect(result.stderr.contains("apt-get install dataset-fashion-mnist"))
  }

  @Test func evaluatingADirectoryWithoutARunNamesTheMissingFile() throws {
    let empty = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: empty) }
    let result = try CLI.run(["siamese", "--evaluate", empty.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("siamese.json is missing"))
  }
}
