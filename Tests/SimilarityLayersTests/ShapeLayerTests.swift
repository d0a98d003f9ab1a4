import Foundation
import Testing

@testable import SimilarityLayers

/// The single-input layers of issue 15 against naive loops, their gradients (inputs and
/// parameters) against finite differences, Keras' parameter counts, and Embedding's handling
/// of ids outside its table.
@Suite struct ShapeLayerTests {
  /// Example `i` of `[batch, …]` at the multi-index `index` (row-major).
  static func at(_ t: Tensor, _ index: [Int]) -> Float {
    var offset = 0
    for (axis, i) in index.enumerated() { offset = offset * t.shape[axis] + i }
    return t.scalars[offset]
  }

  /// Every multi-index of `shape`, row-major.
  static func indices(_ shape: [Int]) -> [[Int]] {
    shape.reduce([[]]) { partial, extent in partial.flatMap { prefix in (0..<extent).map { prefix + [$0] } } }
  }

  @Test func globalPoolingEqualsNaiveLoops() {
    let x = randomTensor([2, 3, 4, 2, 5], seed: 1)
    for keepdims in [false, true] {
      let average = GlobalAveragePooling3D(keepdims: keepdims)(x)
      let maximum = GlobalMaxPooling3D(keepdims: keepdims)(x)
      #expect(average.shape == (keepdims ? [2, 1, 1, 1, 5] : [2, 5]))
      for b in 0..<2 {
        for c in 0..<5 {
          let values = Self.indices([3, 4, 2]).map { Self.at(x, [b] + $0 + [c]) }
          #expect(abs(average.scalars[b * 5 + c] - values.reduce(0, +) / 24) < 1e-6)
          #expect(maximum.scalars[b * 5 + c] == values.max()!)
        }
      }
    }
    let steps = randomTensor([3, 4, 2], seed: 2)
    let pooled = GlobalMaxPooling1D()(steps)
    #expect(pooled.scalars == (0..<6).map { i in (0..<4).map { Self.at(steps, [i / 2, $0, i % 2]) }.max()! })
    #expect(GlobalAveragePooling2D(keepdims: true)(randomTensor([2, 3, 3, 4], seed: 3)).shape == [2, 1, 1, 4])
  }

  @Test func paddingCroppingPermuteAndReshapeEqualNaiveLoops() {
    let x = randomTensor([2, 3, 4, 2], seed: 4)
    let padded = ZeroPadding2D(padding: ((1, 2), (0, 3)))(x)
    #expect(padded.shape == [2, 6, 7, 2])
    for index in Self.indices(padded.shape) {
      let (h, w) = (index[1] - 1, index[2])
      let want = h >= 0 && h < 3 && w < 4 ? Self.at(x, [index[0], h, w, index[3]]) : 0
      #expect(Self.at(padded, index) == want)
    }
    let cropped = Cropping2D(cropping: ((1, 0), (1, 2)))(x)
    #expect(cropped.shape == [2, 2, 1, 2])
    for index in Self.indices(cropped.shape) {
      #expect(Self.at(cropped, index) == Self.at(x, [index[0], index[1] + 1, index[2] + 1, index[3]]))
    }
    let permuted = Permute(dims: [3, 1, 2])(x)
    #expect(permuted.shape == [2, 2, 3, 4])
    for index in Self.indices(permuted.shape) {
      #expect(Self.at(permuted, index) == Self.at(x, [index[0], index[2], index[3], index[1]]))
    }
    let reshaped = Reshape(targetShape: [-1, 6])(x)
    #expect(reshaped.shape == [2, 4, 6] && reshaped.scalars == x.scalars)
    let volume = randomTensor([1, 2, 2, 2, 1], seed: 5)
    #expect(ZeroPadding3D(padding: ((1, 0), (0, 1), (1, 1)))(volume).shape == [1, 3, 3, 4, 1])
    #expect(Cropping1D(cropping: (1, 1))(randomTensor([2, 5, 3], seed: 6)).shape == [2, 3, 3])
    let steps = randomTensor([1, 3, 2], seed: 7)
    let up = UpSampling1D(size: 2)(steps)
    #expect(up.shape == [1, 6, 2])
    for index in Self.indices(up.shape) {
      #expect(Self.at(up, index) == Self.at(steps, [0, index[1] / 2, index[2]]))
    }
  }

  @Test func layerNormalizationEqualsNaiveLoops() {
    let x = randomTensor([3, 4, 5], seed: 8)
    let layer = LayerNormalization(axis: [1, 2], epsilon: 1e-3)
    layer.build(inputShape: [nil, 4, 5], seed: 0)
    layer.gamma!.value = randomTensor([4, 5], seed: 9)
    layer.beta!.value = randomTensor([4, 5], seed: 10)
    let y = layer(x)
    for b in 0..<3 {
      let values = (0..<20).map { Double(x.scalars[b * 20 + $0]) }
      let mean = values.reduce(0, +) / 20
      let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20
      for i in 0..<20 {
        let want = (values[i] - mean) / (variance + 1e-3).squareRoot() * Double(layer.gamma!.value.scalars[i]) + Double(layer.beta!.value.scalars[i])
        #expect(abs(Double(y.scalars[b * 20 + i]) - want) < 1e-5)
      }
    }
  }

  @Test func batchNormalizationAxisCenterAndScaleEqualNaiveLoops() {
    let x = randomTensor([2, 3, 4], seed: 30)
    for (center, scale) in [(false, true), (true, false), (false, false)] {
      let layer = BatchNormalization(epsilon: 1e-3, axis: 1, center: center, scale: scale)
      layer.build(inputShape: [nil, 3, 4], seed: 0)
      #expect((layer.gamma != nil) == scale && (layer.beta != nil) == center)
      #expect(layer.namedParameters.map(\.name) == (scale ? ["gamma"] : []) + (center ? ["beta"] : []) + ["moving_mean", "moving_variance"])
      layer.gamma?.value = Tensor(shape: [3], scalars: [2, 0.5, -1])
      layer.beta?.value = Tensor(shape: [3], scalars: [0.1, 0.2, 0.3])
      layer.movingMean!.value = Tensor(shape: [3], scalars: [0.5, -0.5, 0])
      layer.movingVariance!.value = Tensor(shape: [3], scalars: [1, 2, 0.5])
      let y = layer(x)
      for index in Self.indices([2, 3, 4]) {
        let c = index[1]
        let gamma = scale ? layer.gamma!.value.scalars[c] : 1, beta = center ? layer.beta!.value.scalars[c] : 0
        let want = (Self.at(x, index) - layer.movingMean!.value.scalars[c]) / (layer.movingVariance!.value.scalars[c] + 1e-3).squareRoot() * gamma + beta
        #expect(abs(Self.at(y, index) - want) < 1e-5)
      }
      // Training: statistics over the batch and the last axis, per channel of axis 1.
      layer.isTraining = true
      let trained = layer(x)
      for c in 0..<3 {
        let values = Self.indices([2, 4]).map { Double(Self.at(x, [$0[0], c, $0[1]])) }
        let mean = values.reduce(0, +) / 8
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8
        for index in Self.indices([2, 4]) {
          let gamma = scale ? Double(layer.gamma!.value.scalars[c]) : 1, beta = center ? Double(layer.beta!.value.scalars[c]) : 0
          let want = (Double(Self.at(x, [index[0], c, index[1]])) - mean) / (variance + 1e-3).squareRoot() * gamma + beta
          #expect(abs(Double(Self.at(trained, [index[0], c, index[1]])) - want) < 1e-5)
        }
      }
    }
  }

  @Test func embeddingTruncatesIdsAndReadsZerosOutsideItsTable() {
    let layer = Embedding(inputDim: 4, outputDim: 2)
    layer.build(inputShape: [nil, 3], seed: 1)
    let table = layer.embeddings!.value.scalars
    let ids: [Float] = [0, 3, 2.9, -0.5, 4, -1, .nan, .infinity, 1e20]
    let rows: [Int?] = [0, 3, 2, 0, nil, nil, nil, nil, nil]
    let y = layer(Tensor(shape: [3, 3], scalars: ids))
    #expect(y.shape == [3, 3, 2])
    for (i, row) in rows.enumerated() {
      let want = row.map { Array(table[($0 * 2)..<($0 * 2 + 2)]) } ?? [0, 0]
      #expect(Array(y.scalars[(i * 2)..<(i * 2 + 2)]) == want, "id \(ids[i])")
    }
    // Keras' "uniform" initialiser: within ±0.05.
    #expect(table.allSatisfy { abs($0) <= 0.05 })
  }

  @Test func gradientsMatchFiniteDifferences() {
    func check(_ layer: any Layer, input shape: [Int], seed: UInt64, scale: Float = 1) {
      let input = Parameter(randomTensor(shape, seed: seed) * scale)
      layer.build(inputShape: [nil] + shape.dropFirst().map { $0 }, seed: seed)
      for (_, parameter) in layer.namedParameters where parameter.isTrainable {
        parameter.value = parameter.value + randomTensor(parameter.shape, seed: seed + 1) * 0.3
      }
      let parameters = [input] + layer.namedParameters.map(\.parameter).filter(\.isTrainable)
      expectGradientsMatchFiniteDifferences(of: parameters, step: 1e-2, tolerance: 2e-2) {
        weightedSum(layer(input.value))
      }
    }
    check(LayerNormalization(), input: [2, 3, 4], seed: 11)
    check(LayerNormalization(axis: [1, 2], center: false), input: [2, 3, 4], seed: 12)
    check(LayerNormalization(axis: [1], scale: false), input: [2, 3, 4], seed: 13)
    for (axis, center, scale) in [(-1, true, true), (1, false, true), (2, true, false), (1, false, false)] {
      let bn = BatchNormalization(axis: axis, center: center, scale: scale)
      bn.isTraining = true
      check(bn, input: [4, 3, 2], seed: 14)
    }
    check(GlobalAveragePooling2D(), input: [2, 3, 3, 2], seed: 15)
    check(GlobalMaxPooling1D(keepdims: true), input: [2, 5, 3], seed: 16)
    check(ZeroPadding1D(padding: (2, 1)), input: [2, 3, 2], seed: 17)
    check(Cropping2D(cropping: ((1, 0), (0, 1))), input: [1, 3, 3, 2], seed: 18)
    check(UpSampling2D(size: (2, 3), interpolation: .bilinear), input: [1, 2, 3, 2], seed: 19)
    check(UpSampling2D(size: (2, 2)), input: [1, 2, 2, 1], seed: 20)
    check(Permute(dims: [2, 1]), input: [2, 3, 4], seed: 21)
    check(Reshape(targetShape: [-1]), input: [2, 3, 4], seed: 22)
    check(AveragePooling3D(poolSize: (2, 2, 2), strides: (1, 2, 1), padding: .same), input: [1, 3, 4, 3, 2], seed: 23)
    // The embedding table's gradient (ids are data, not differentiable).
    let embedding = Embedding(inputDim: 5, outputDim: 3)
    embedding.build(inputShape: [nil, 4], seed: 24)
    let ids = Tensor(shape: [2, 4], scalars: [0, 4, 4, 1, 2, 7, -1, 0])
    expectGradientsMatchFiniteDifferences(of: [embedding.embeddings!]) { weightedSum(embedding(ids)) }
  }

  /// Every new single-input layer in one chain: plans, builds, trains a step, summarises, and
  /// comes back from a checkpoint with identical outputs.
  @Test func tourModelPlansTrainsSavesAndLoads() throws {
    let model = Sequential(name: "tour", seed: 3) {
      Input(shape: [64])
      Embedding(inputDim: 50, outputDim: 4)  // [64, 4]
      Reshape(targetShape: [8, 8, 4])
      ZeroPadding2D(padding: ((1, 1), (2, 0)))  // [10, 10, 4]
      Cropping2D(cropping: ((1, 1), (0, 2)))  // [8, 8, 4]
      UpSampling2D(size: (2, 2), interpolation: .bilinear)  // [16, 16, 4]
      Reshape(targetShape: [2, 16, 16, 2])
      ZeroPadding3D(padding: ((0, 1), (0, 0), (1, 1)))  // [3, 16, 18, 2]
      MaxPooling3D(poolSize: (1, 2, 2))  // [3, 8, 9, 2]
      AveragePooling3D(poolSize: (2, 2, 2), padding: .same)  // [2, 4, 5, 2]
      BatchNormalization(axis: 1, center: false)
      Reshape(targetShape: [-1, 2])  // [40, 2]
      ZeroPadding1D(padding: (1, 1))
      Cropping1D(cropping: (2, 0))  // [40, 2]
      UpSampling1D(size: 2)  // [80, 2]
      MaxPooling1D(poolSize: 3, strides: 2, padding: .same)  // [40, 2]
      AveragePooling1D(poolSize: 2)  // [20, 2]
      LayerNormalization()
      Permute(dims: [2, 1])  // [2, 20]
      ActivationLayer(.hardSwish)
      Permute(dims: [2, 1])  // [20, 2]
      Dense(units: 3, activation: .selu)
      GlobalMaxPooling1D(keepdims: true)  // [1, 3]
      GlobalAveragePooling1D()  // [3]
      Dense(units: 2, activation: .swish)
    }
    let plan = try ArchitecturePlan(try model.sequentialConfiguration())
    #expect(plan.outputShape == [2] && model.outputShape == [nil, 2])
    #expect(plan.parameterCount == model.parameterCount)
    #expect(model.summary().contains("Total params: \(SummaryTable.grouped(model.parameterCount))"))
    let ids = Tensor(shape: [3, 64], scalars: (0..<192).map { Float(($0 * 7) % 53) })  // some ≥ 50
    model.isTraining = true
    let (_, gradients) = valueWithGradient(at: model.trainableParameters) { weightedSum(model(ids)) }
    #expect(gradients.allSatisfy { $0.scalars.allSatisfy(\.isFinite) })
    model.isTraining = false
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tour-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try Checkpoint.save(model, to: directory)
    let loaded = try Checkpoint.loadSequential(from: directory)
    #expect(loaded(ids).scalars == model(ids).scalars)
    #expect(loaded.summary() == model.summary())
    // Keras' default names, output shapes and parameter counts for the same chain
    // (scripts/golden/shape_layers.py, "tour").
    let keras = try LayerFixtures.decode(KerasTour.self, from: "shape_layers.json").tour
    #expect(keras.map(\.name) == model.layers.map(\.name))
    #expect(keras.map(\.outputShape) == model.layerOutputShapes.map { $0.dropFirst().map { $0! } })
    #expect(keras.map(\.params) == model.layers.map(\.parameterCount))
    #expect(keras.map(\.trainable) == model.layers.map(\.trainableParameterCount))
  }

  struct KerasTour: Decodable {
    struct Layer: Decodable {
      let name: String
      let outputShape: [Int]
      let params: Int
      let trainable: Int
    }
    let tour: [Layer]
  }

  /// Keras' parameter counts: LayerNormalization 2·features, Embedding inputDim·outputDim,
  /// BatchNormalization 4, 3 or 2 per channel with center / scale off (moving statistics
  /// non-trainable).
  @Test func parameterCountsEqualKeras() {
    let model = Sequential(seed: 0) {
      Input(shape: [10])
      Embedding(inputDim: 1000, outputDim: 64)  // 64,000
      LayerNormalization()  // 128
      BatchNormalization(center: false)  // 192 (64 trainable)
      BatchNormalization(center: false, scale: false)  // 128 (0 trainable)
      BatchNormalization(axis: 1, scale: false)  // 30 (10 trainable)
      GlobalAveragePooling1D()
    }
    #expect(model.parameterCount == 64_000 + 128 + 192 + 128 + 30)
    #expect(model.trainableParameterCount == 64_000 + 128 + 64 + 0 + 10)
    let summary = model.summary()
    #expect(summary.contains("Total params: 64,478"), "\(summary)")
    #expect(summary.contains("Trainable params: 64,202"), "\(summary)")
    #expect(summary.contains("Non-trainable params: 276"), "\(summary)")
    #expect(model.outputShape == [nil, 64])
  }
}
