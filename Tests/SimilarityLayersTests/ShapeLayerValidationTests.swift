import Foundation
import Testing

@testable import SimilarityLayers

/// Bad hyper-parameters of the issue-15 single-input layers, from a configuration or a file,
/// end in an ``ArchitectureError`` naming the layer and the values; nothing traps.
@Suite struct ShapeLayerValidationTests {
  private func plan(input: [Int], _ layer: LayerConfiguration) -> String? {
    let configuration = Sequential.Configuration(
      name: "m", seed: 0, layers: [.input(Input.Configuration(name: "input", shape: input)), layer])
    do {
      _ = try ArchitecturePlan(configuration)
      _ = try Sequential(configuration: configuration)
      return nil
    } catch {
      return error.description
    }
  }

  /// Expects planning to fail with a message that contains every one of `parts`.
  private func expectRefused(
    input: [Int], _ layer: LayerConfiguration, _ parts: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let message = plan(input: input, layer) else {
      Issue.record("accepted \(layer) on \(input)", sourceLocation: sourceLocation)
      return
    }
    for part in parts {
      #expect(message.contains(part), "\(message) lacks \(part)", sourceLocation: sourceLocation)
    }
  }

  @Test func poolingRefusesBadWindowsAndRanks() {
    let p1 = { (pool: Int, stride: Int, padding: Padding) in
      LayerConfiguration.maxPooling1D(Pooling1DConfiguration(name: "p1", poolSize: pool, strides: stride, padding: padding))
    }
    expectRefused(input: [8, 3], p1(0, 1, .valid), ["MaxPooling1D 'p1'", "poolSize 0"])
    expectRefused(input: [8, 3], p1(2, -1, .same), ["MaxPooling1D 'p1'", "strides -1"])
    expectRefused(input: [3, 3], p1(4, 1, .valid), ["MaxPooling1D 'p1'", "window of 4", "steps 3"])
    expectRefused(input: [8, 3, 2], p1(2, 2, .valid), ["MaxPooling1D 'p1'", "[steps, channels]", "[8, 3, 2]"])
    #expect(plan(input: [3, 3], p1(4, 1, .same)) == nil)
    let p3 = { (pool: [Int], strides: [Int]) in
      LayerConfiguration.averagePooling3D(Pooling3DConfiguration(name: "p3", poolSize: pool, strides: strides, padding: .valid))
    }
    expectRefused(input: [4, 4, 4, 2], p3([2, 2], [2, 2, 2]), ["AveragePooling3D 'p3'", "poolSize [2, 2]"])
    expectRefused(input: [4, 4, 4, 2], p3([2, 2, 0], [2, 2, 2]), ["AveragePooling3D 'p3'", "poolSize [2, 2, 0]"])
    expectRefused(input: [4, 1, 4, 2], p3([2, 2, 2], [1, 1, 1]), ["AveragePooling3D 'p3'", "height window of 2", "height 1"])
    expectRefused(input: [4, 4, 2], p3([2, 2, 2], [1, 1, 1]), ["AveragePooling3D 'p3'", "[4, 4, 2]"])
    expectRefused(input: [4, 4], .globalMaxPooling2D(GlobalPoolingConfiguration(name: "g")), ["GlobalMaxPooling2D 'g'", "[4, 4]"])
  }

  @Test func spatialLayersRefuseBadSizes() {
    expectRefused(input: [5, 2], .zeroPadding1D(ZeroPaddingConfiguration(name: "z", padding: [[1, -1]])), ["ZeroPadding1D 'z'", "[[1, -1]]"])
    expectRefused(input: [5, 5, 2], .zeroPadding2D(ZeroPaddingConfiguration(name: "z", padding: [[1, 1]])), ["ZeroPadding2D 'z'", "2 [before, after] pairs"])
    expectRefused(input: [5, 2], .cropping1D(CroppingConfiguration(name: "c", cropping: [[3, 2]])), ["Cropping1D 'c'", "cropping [3, 2]", "extent 5"])
    expectRefused(input: [5, 4, 2], .cropping2D(CroppingConfiguration(name: "c", cropping: [[0, 0], [2, 2]])), ["Cropping2D 'c'", "[2, 2]", "extent 4"])
    expectRefused(input: [5, 2], .upSampling1D(UpSampling1D.Configuration(name: "u", size: 0)), ["UpSampling1D 'u'", "size 0"])
    expectRefused(input: [5, 5, 2], .upSampling2D(UpSampling2D.Configuration(name: "u", size: [2], interpolation: .nearest)), ["UpSampling2D 'u'", "size [2]"])
    expectRefused(input: [1 << 12, 1 << 11, 2], .upSampling2D(UpSampling2D.Configuration(name: "u", size: [1 << 20, 1 << 20], interpolation: .nearest)), ["UpSampling2D 'u'", "elements per example"])
  }

  @Test func reshapePermuteNormalizationAndEmbeddingRefuseBadValues() {
    let reshape = { (target: [Int]) in LayerConfiguration.reshape(Reshape.Configuration(name: "r", targetShape: target)) }
    expectRefused(input: [4, 3], reshape([5, 2]), ["Reshape 'r'", "12 elements", "[5, 2]"])
    expectRefused(input: [4, 3], reshape([-1, -1]), ["Reshape 'r'", "at most one of them -1"])
    expectRefused(input: [4, 3], reshape([-1, 5]), ["Reshape 'r'", "[-1, 5]"])
    expectRefused(input: [4, 3], reshape([0, 12]), ["Reshape 'r'", "[0, 12]"])
    #expect(plan(input: [4, 3], reshape([2, -1, 3])) == nil)
    let permute = { (dims: [Int]) in LayerConfiguration.permute(Permute.Configuration(name: "p", dims: dims)) }
    expectRefused(input: [4, 3], permute([1, 1]), ["Permute 'p'", "[1, 1]", "permutation"])
    expectRefused(input: [4, 3], permute([0, 1]), ["Permute 'p'", "[0, 1]"])
    expectRefused(input: [4, 3], permute([2, 3, 1]), ["Permute 'p'", "[2, 3, 1]", "[4, 3]"])
    let norm = { (axis: [Int], epsilon: Float) in
      LayerConfiguration.layerNormalization(LayerNormalization.Configuration(name: "n", axis: axis, epsilon: epsilon, center: true, scale: true))
    }
    expectRefused(input: [4, 3], norm([0], 1e-3), ["LayerNormalization 'n'", "axis [0]"])
    expectRefused(input: [4, 3], norm([3], 1e-3), ["LayerNormalization 'n'", "axis [3]"])
    expectRefused(input: [4, 3], norm([-1, 2], 1e-3), ["LayerNormalization 'n'", "axis [-1, 2]"])
    expectRefused(input: [4, 3], norm([-1], 0), ["LayerNormalization 'n'", "epsilon 0"])
    expectRefused(input: [4, 3], norm([-1], .nan), ["LayerNormalization 'n'", "epsilon nan"])
    expectRefused(input: [4], .embedding(Embedding.Configuration(name: "e", inputDim: 0, outputDim: 4)), ["Embedding 'e'", "inputDim 0"])
    expectRefused(input: [4], .embedding(Embedding.Configuration(name: "e", inputDim: 1 << 20, outputDim: 1 << 20)), ["Embedding 'e'", "parameters"])
    let bn = { (axis: Int) in
      LayerConfiguration.batchNormalization(BatchNormalization.Configuration(name: "b", momentum: 0.99, epsilon: 1e-3, axis: axis))
    }
    expectRefused(input: [4, 3], bn(0), ["BatchNormalization 'b'", "axis 0"])
    expectRefused(input: [4, 3], bn(-3), ["BatchNormalization 'b'", "axis -3"])
    #expect(plan(input: [4, 3], bn(1)) == nil && plan(input: [4, 3], bn(-2)) == nil)
    expectRefused(input: [4], .activation(ActivationLayer.Configuration(name: "a", activation: .elu(alpha: .infinity))), ["Activation 'a'", "elu alpha"])
  }

  @Test func architectureFilesWithBadValuesAreRefusedByName() throws {
    func decode(_ json: String) -> String? {
      do {
        let layer = try JSONDecoder().decode(LayerConfiguration.self, from: Data(json.utf8))
        _ = try layer.makeLayer()
        return nil
      } catch {
        return "\(error)"
      }
    }
    #expect(decode(#"{"type": "MaxPooling3D", "config": {"name": "m", "poolSize": [2, 2, 2], "strides": [2, 0, 2], "padding": "valid"}}"#)?.contains("MaxPooling3D 'm'") == true)
    #expect(decode(#"{"type": "Permute", "config": {"name": "p", "dims": [2, 2]}}"#)?.contains("dims [2, 2]") == true)
    #expect(decode(#"{"type": "Activation", "config": {"name": "a", "activation": "hard_swish"}}"#) == nil)
    #expect(decode(#"{"type": "Activation", "config": {"name": "a", "activation": "silu"}}"#) == nil)
    #expect(decode(#"{"type": "Activation", "config": {"name": "a", "activation": "swishy"}}"#)?.contains("hard_sigmoid") == true)
    // BatchNormalization files written before center/scale/axis existed still load.
    let old = try JSONDecoder().decode(LayerConfiguration.self, from: Data(#"{"type": "BatchNormalization", "config": {"name": "b", "momentum": 0.9, "epsilon": 0.001}}"#.utf8))
    #expect(old == .batchNormalization(BatchNormalization.Configuration(name: "b", momentum: 0.9, epsilon: 0.001)))
  }
}
