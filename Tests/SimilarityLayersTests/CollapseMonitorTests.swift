import Foundation
import SimilarityLayers
import Testing

@Suite struct CollapseMonitorTests {
  @Test func passesTheInputThroughAndRecordsTheStatistic() {
    // Rows (after L2 normalisation) [1, 0] and [0, 1]: per-feature std 0.5, mean 0.5.
    let monitor = CollapseMonitor()
    #expect(monitor.lastValue == nil)
    let input = Tensor(rows: [[3, 0], [0, 2]])
    let output = monitor(input)
    #expect(output.scalars == input.scalars && output.shape == input.shape)
    #expect(abs((monitor.lastValue ?? -1) - 0.5) < 1e-6)
  }

  @Test func collapsedEmbeddingsGiveZero() {
    let monitor = CollapseMonitor()
    _ = monitor(Tensor(rows: [[1, 2, 3], [2, 4, 6], [0.5, 1, 1.5]]))
    #expect(abs(monitor.lastValue ?? -1) < 1e-6)
  }

  @Test func gradientPassesStraightThrough() {
    let x = Parameter(randomTensor([4, 3], seed: 2))
    let monitor = CollapseMonitor()
    let gradient = valueWithGradient(at: [x]) { monitor(x.value).sum() }.gradients[0]
    #expect(gradient.scalars.allSatisfy { $0 == 1 })
  }

  @Test func configurationRoundTrips() throws {
    let configuration = try #require(CollapseMonitor(name: "std").configuration)
    let json = try JSONEncoder().encode(configuration)
    let layer = try JSONDecoder().decode(LayerConfiguration.self, from: json).makeLayer()
    #expect(layer is CollapseMonitor && layer.name == "std")
    #expect(String(decoding: json, as: UTF8.self).contains("ActivationStdLoggingLayer"))
  }
}
