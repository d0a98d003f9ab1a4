import Foundation
import Testing

@testable import SimilarityLayers

/// Bad hyper-parameters of the convolution layers of issue #15 end in an ``ArchitectureError``
/// naming the layer and the values, from a configuration or from `architecture.json`; nothing
/// traps.
@Suite struct ConvolutionValidationTests {
  static func model(_ input: [Int], _ layer: LayerConfiguration) -> Sequential.Configuration {
    Sequential.Configuration(
      name: "m", seed: 0, layers: [.input(Input.Configuration(name: "input", shape: input)), layer])
  }

  /// The error planning `layer` on examples of `input` throws, or nil.
  static func error(_ input: [Int], _ layer: LayerConfiguration) -> String? {
    do {
      _ = try ArchitecturePlan(model(input, layer))
      return nil
    } catch {
      return error.description
    }
  }

  static func conv1D(
    filters: Int = 4, kernel: [Int] = [3], strides: [Int] = [1], padding: Padding = .valid,
    groups: Int = 1
  ) -> LayerConfiguration {
    .conv1D(
      Conv1D.Configuration(
        name: "c1", filters: filters, kernelSize: kernel, strides: strides, padding: padding,
        dilationRate: [1], groups: groups, activation: .linear, useBias: true,
        kernelInitializer: .glorotUniform, biasInitializer: .zeros))
  }

  static func conv3D(kernel: [Int] = [3, 3, 3], dilation: [Int] = [1, 1, 1]) -> LayerConfiguration {
    .conv3D(
      Conv3D.Configuration(
        name: "c3", filters: 2, kernelSize: kernel, strides: [1, 1, 1], padding: .valid,
        dilationRate: dilation, activation: .relu, useBias: true, kernelInitializer: .glorotUniform,
        biasInitializer: .zeros))
  }

  static func transposed(
    kernel: [Int] = [4, 4], strides: [Int] = [2, 2], padding: Padding = .same, outputPadding: [Int]? = nil
  ) -> LayerConfiguration {
    .conv2DTranspose(
      Conv2DTranspose.Configuration(
        name: "t2", filters: 3, kernelSize: kernel, strides: strides, padding: padding,
        outputPadding: outputPadding, dilationRate: [1, 1], activation: .linear, useBias: true,
        kernelInitializer: .glorotUniform, biasInitializer: .zeros))
  }

  static func transposed3D(outputPadding: [Int]?, strides: [Int] = [2, 2, 2]) -> LayerConfiguration {
    .conv3DTranspose(
      Conv3DTranspose.Configuration(
        name: "t3", filters: 3, kernelSize: [2, 2, 2], strides: strides, padding: .valid,
        outputPadding: outputPadding, activation: .linear, useBias: true,
        kernelInitializer: .glorotUniform, biasInitializer: .zeros))
  }

  static func depthwise(kernel: [Int] = [3, 3], strides: [Int] = [1, 1], multiplier: Int = 1) -> LayerConfiguration {
    .depthwiseConv2D(
      DepthwiseConv2D.Configuration(
        name: "dw", kernelSize: kernel, strides: strides, padding: .valid,
        depthMultiplier: multiplier, dilationRate: [1, 1], activation: .linear, useBias: true,
        depthwiseInitializer: .glorotUniform, biasInitializer: .zeros))
  }

  static func separable(filters: Int = 4, multiplier: Int = 1, dilation: [Int] = [1, 1]) -> LayerConfiguration {
    .separableConv2D(
      SeparableConv2D.Configuration(
        name: "sep", filters: filters, kernelSize: [3, 3], strides: [1, 1], padding: .valid,
        dilationRate: dilation, depthMultiplier: multiplier, activation: .linear, useBias: true,
        depthwiseInitializer: .glorotUniform, pointwiseInitializer: .glorotUniform,
        biasInitializer: .zeros))
  }

  static func grouped(groups: Int, filters: Int = 6) -> LayerConfiguration {
    .conv2D(
      Conv2D.Configuration(
        name: "g2", filters: filters, kernelSize: [3, 3], strides: [1, 1], padding: .same,
        dilationRate: [1, 1], activation: .linear, useBias: true, kernelInitializer: .glorotUniform,
        biasInitializer: .zeros, groups: groups))
  }

  @Test func nonPositiveSizesAreRefusedByName() {
    #expect(Self.error([8, 2], Self.conv1D(filters: 0)) == "invalid Conv1D 'c1' configuration: filters 0 must be in 1…1048576")
    #expect(Self.error([8, 2], Self.conv1D(kernel: [0])) == "invalid Conv1D 'c1' configuration: kernelSize [0] must be 1 integer in 1…1048576")
    #expect(Self.error([8, 2], Self.conv1D(strides: [-2])) == "invalid Conv1D 'c1' configuration: strides [-2] must be 1 integer in 1…1048576")
    #expect(Self.error([8, 2], Self.conv1D(kernel: [3, 3])) == "invalid Conv1D 'c1' configuration: kernelSize [3, 3] must be 1 integer in 1…1048576")
    #expect(Self.error([4, 4, 4, 2], Self.conv3D(kernel: [3, 0, 3])) == "invalid Conv3D 'c3' configuration: kernelSize [3, 0, 3] must be 3 integers in 1…1048576")
    #expect(Self.error([6, 6, 2], Self.depthwise(multiplier: 0)) == "invalid DepthwiseConv2D 'dw' configuration: depthMultiplier 0 must be in 1…1048576")
    #expect(Self.error([6, 6, 2], Self.depthwise(strides: [1, 0])) == "invalid DepthwiseConv2D 'dw' configuration: strides [1, 0] must be 2 integers in 1…1048576")
    #expect(Self.error([6, 6, 2], Self.separable(filters: -1)) == "invalid SeparableConv2D 'sep' configuration: filters -1 must be in 1…1048576")
    #expect(Self.error([6, 6, 2], Self.separable(multiplier: 1 << 40)) == "invalid SeparableConv2D 'sep' configuration: depthMultiplier 1099511627776 must be in 1…1048576")
  }

  @Test func windowsLargerThanTheInputAreRefused() {
    #expect(Self.error([2, 2], Self.conv1D()) == "invalid Conv1D 'c1' configuration: a steps window of 3 (dilation included) does not fit the input steps 2")
    #expect(Self.error([5, 4, 4, 1], Self.conv3D(dilation: [1, 2, 1])) == "invalid Conv3D 'c3' configuration: a height window of 5 (dilation included) does not fit the input height 4")
    #expect(Self.error([2, 9, 1], Self.depthwise()) == "invalid DepthwiseConv2D 'dw' configuration: a height window of 3 (dilation included) does not fit the input height 2")
    #expect(Self.error([8, 8, 1], Self.separable(dilation: [4, 1])) == "invalid SeparableConv2D 'sep' configuration: a height window of 9 (dilation included) does not fit the input height 8")
    // `same` padding fits any window, as in Keras.
    #expect(Self.error([2, 1], Self.conv1D(kernel: [5], padding: .same)) == nil)
  }

  @Test func wrongRanksAreRefused() {
    #expect(Self.error([8, 8, 2], Self.conv1D()) == "invalid Conv1D 'c1' configuration: needs [steps, channels] inputs, found [8, 8, 2]")
    #expect(Self.error([8, 8, 2], Self.conv3D()) == "invalid Conv3D 'c3' configuration: needs [depth, height, width, channels] inputs, found [8, 8, 2]")
    #expect(Self.error([8, 2], Self.transposed()) == "invalid Conv2DTranspose 't2' configuration: needs [height, width, channels] inputs, found [8, 2]")
    #expect(Self.error([8], Self.depthwise()) == "invalid DepthwiseConv2D 'dw' configuration: needs [height, width, channels] inputs, found [8]")
    #expect(Self.error([4, 4, 4, 2], Self.separable()) == "invalid SeparableConv2D 'sep' configuration: needs [height, width, channels] inputs, found [4, 4, 4, 2]")
  }

  @Test func groupsMustDivideChannelsAndFilters() {
    #expect(Self.error([8, 6], Self.conv1D(groups: 3)) == "invalid Conv1D 'c1' configuration: groups 3 must be in 1…1048576 and divide filters 4")
    #expect(Self.error([8, 5], Self.conv1D(groups: 2)) == "invalid Conv1D 'c1' configuration: input channels 5 are not divisible by groups 2")
    #expect(Self.error([6, 6, 4], Self.grouped(groups: 3)) == "invalid Conv2D 'g2' configuration: input channels 4 are not divisible by groups 3")
    #expect(Self.error([6, 6, 4], Self.grouped(groups: 0)) == "invalid Conv2D 'g2' configuration: groups 0 must be in 1…1048576 and divide filters 6")
    #expect(Self.error([6, 6, 6], Self.grouped(groups: 3)) == nil)
  }

  @Test func transposedSizesMustConvolveBack() {
    #expect(Self.error([5, 5, 2], Self.transposed(outputPadding: [2, 0])) == "invalid Conv2DTranspose 't2' configuration: outputPadding [2, 0] must be 2 integers, each ≥ 0 and below its stride in [2, 2]")
    #expect(Self.error([5, 5, 2], Self.transposed(outputPadding: [-1, 0])) != nil)
    #expect(Self.error([5, 5, 2], Self.transposed(outputPadding: [1])) != nil)
    // An even kernel with `same` padding and output padding 0 gives 2n − 2 rows, whose
    // convolution has n − 1 rows (TensorFlow refuses it when run).
    #expect(Self.error([5, 5, 2], Self.transposed(outputPadding: [0, 0])) == "invalid Conv2DTranspose 't2' configuration: an output height of 8 (kernel 4, stride 2, outputPadding 0, same) does not convolve back to the input height 5")
    #expect(Self.error([5, 5, 2], Self.transposed(outputPadding: [1, 1])) == nil)
    #expect(Self.error([2, 2, 2, 1], Self.transposed3D(outputPadding: [1, 2, 0])) == "invalid Conv3DTranspose 't3' configuration: outputPadding [1, 2, 0] must be 3 integers, each ≥ 0 and below its stride in [2, 2, 2]")
    #expect(Self.error([2, 2, 2, 1], Self.transposed3D(outputPadding: nil, strides: [2, 0, 2])) != nil)
    #expect(Self.error([2, 2, 2, 1], Self.transposed3D(outputPadding: [1, 1, 0])) == nil)
  }

  /// Hostile values in `architecture.json` are refused by `makeLayer`, before any layer exists.
  @Test func decodedConfigurationsAreValidatedBeforeTheLayerIsMade() throws {
    let json = #"{"type":"DepthwiseConv2D","config":{"name":"dw","kernelSize":[3,3],"strides":[1,1],"padding":"same","depthMultiplier":-4,"dilationRate":[1,1],"activation":"linear","useBias":true,"depthwiseInitializer":"glorot_uniform","biasInitializer":"zeros"}}"#
    let configuration = try JSONDecoder().decode(LayerConfiguration.self, from: Data(json.utf8))
    #expect(throws: ArchitectureError.invalidConfiguration(type: "DepthwiseConv2D 'dw'", reason: "depthMultiplier -4 must be in 1…1048576")) {
      _ = try configuration.makeLayer()
    }
    let conv2D = #"{"type":"Conv2D","config":{"name":"c","filters":4,"kernelSize":[3,3],"strides":[1,1],"padding":"same","dilationRate":[1,1],"activation":"linear","useBias":true,"kernelInitializer":"glorot_uniform","biasInitializer":"zeros","groups":3}}"#
    let grouped = try JSONDecoder().decode(LayerConfiguration.self, from: Data(conv2D.utf8))
    #expect(throws: ArchitectureError.self) { _ = try grouped.makeLayer() }
    // A Conv2D written before groups existed still reads, with one group, and is written back
    // without the key.
    let old = conv2D.replacingOccurrences(of: #","groups":3"#, with: "")
    let decoded = try JSONDecoder().decode(LayerConfiguration.self, from: Data(old.utf8))
    guard case .conv2D(let c) = decoded else { Issue.record("not a Conv2D"); return }
    #expect(c.groups == 1)
    #expect(!String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self).contains("groups"))
    // The convolution family is registered together (later layers append after it).
    let family = [
      "Conv1D", "Conv3D", "Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv2D", "SeparableConv2D",
    ]
    let names = LayerConfiguration.knownTypeNames
    let start = try #require(names.firstIndex(of: "Conv1D"))
    #expect(Array(names[start..<min(start + 6, names.count)]) == family)
  }
}
