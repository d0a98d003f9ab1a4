import Testing

@testable import SimilarityLayers

/// Graph models compute what the same layers called by hand compute, share weights between
/// the calls of one layer, and differentiate through merges.
@Suite struct FunctionalTests {
  private func layer<T: Layer>(_ model: Functional, _ name: String, as _: T.Type) throws -> T {
    try #require(model.layer(named: name) as? T)
  }

  @Test func residualBlockEqualsTheHandWrittenComputation() throws {
    let model = try GraphModels.residualBlock(seed: 3)
    let conv = try layer(model, "conv2d", as: Conv2D.self)
    let conv1 = try layer(model, "conv2d_1", as: Conv2D.self)
    let norm = try layer(model, "batch_normalization", as: BatchNormalization.self)
    let norm1 = try layer(model, "batch_normalization_1", as: BatchNormalization.self)
    // Non-trivial moving statistics, so inference normalisation is exercised.
    norm.movingMean!.value = randomTensor([16], seed: 4)
    norm1.movingVariance!.value = randomTensor([16], seed: 5).abs() + 0.5
    let x = randomTensor([2, 8, 8, 16], seed: 6)
    let expected = (norm1(conv1(norm(conv(x)).relu())) + x).relu()
    #expect(allClose(model(x).scalars, expected.scalars))
    #expect(model.layers.map(\.name) == [
      "input_1", "conv2d", "batch_normalization", "activation", "conv2d_1",
      "batch_normalization_1", "add", "activation_1",
    ])
  }

  @Test func twoInputsGiveTwoOutputs() throws {
    let model = try GraphModels.twoInputsTwoOutputs(seed: 2)
    let a = randomTensor([3, 16], seed: 1)
    let b = randomTensor([3, 8], seed: 2)
    let outputs = model([a, b])
    let dense = try layer(model, "dense", as: Dense.self)
    let dense1 = try layer(model, "dense_1", as: Dense.self)
    let merged = Tensor.concatenated([dense(a), dense1(b)], alongAxis: 1)
    #expect(outputs.count == 2)
    #expect(outputs[0].shape == [3, 3] && outputs[1].shape == [3, 1])
    #expect(allClose(outputs[0].scalars, try layer(model, "dense_2", as: Dense.self)(merged).scalars))
    #expect(allClose(outputs[1].scalars, try layer(model, "dense_3", as: Dense.self)(merged).scalars))
    #expect(model.inputShapes == [[16], [8]])
    #expect(model.outputShapes == [[nil, 3], [nil, 1]])
  }

  @Test func aSharedLayerHasOneSetOfWeights() throws {
    let model = try GraphModels.sharedLayer(seed: 5)
    let names = model.namedParameters.map(\.name)
    #expect(names == ["dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias"])
    let tower = try layer(model, "dense", as: Dense.self)
    let x = randomTensor([4, 10], seed: 1)
    let y = randomTensor([4, 10], seed: 2)
    let (a, b) = (tower(x), tower(y))
    let merged = Tensor.concatenated([a - b, a * b, a.maximum(b)], alongAxis: 1)
    let expected = try layer(model, "dense_1", as: Dense.self)((merged + merged) / 2)
    #expect(allClose(model([x, y])[0].scalars, expected.scalars))
  }

  @Test func nestedModelsRunAsLayers() throws {
    let model = try GraphModels.nestedModel(seed: 1)
    let inner = try layer(model, "model", as: Functional.self)
    let head = try layer(model, "sequential", as: Sequential.self)
    let x = randomTensor([5, 6], seed: 9)
    let features = inner(x)
    let expected = try layer(model, "dense_3", as: Dense.self)(features + head(features))
    #expect(allClose(model(x).scalars, expected.scalars))
    #expect(model.namedParameters.map(\.name).prefix(2) == ["model.dense.kernel", "model.dense.bias"])
    model.isTraining = true
    #expect(head.isTraining && model.isTraining)
    model.isTraining = false
    #expect(!head.isTraining)
  }

  @Test func gradientsThroughASharedLayerAndAResidualAddMatchFiniteDifferences() throws {
    let inputs = SymbolicTensor.input(shape: [4])
    let shared = Dense(units: 4, activation: .tanh)
    let twice = shared(shared(inputs))
    let residual = try Add()([twice, inputs])
    let outputs = Dense(units: 3)(residual)
    let model = try Functional(inputs: inputs, outputs: outputs, seed: 7)
    // The input as a parameter too, so its gradient (through both calls and the shortcut) is
    // checked with the weights'.
    let x = Parameter(randomTensor([3, 4], seed: 8))
    expectGradientsMatchFiniteDifferences(of: model.trainableParameters + [x]) {
      weightedSum(model(x.value))
    }
  }

  @Test func gradientsThroughTheMergesMatchFiniteDifferences() throws {
    let left = SymbolicTensor.input(shape: [5])
    let right = SymbolicTensor.input(shape: [5])
    let tower = Dense(units: 4, activation: .tanh)
    let (a, b) = (tower(left), tower(right))
    let merged = try Concatenate()([try Subtract()([a, b]), try Multiply()([a, b]), try Add()([a, b])])
    let outputs = Dense(units: 2)(try Average()([merged, merged]))
    let model = try Functional(inputs: [left, right], outputs: [outputs], seed: 11)
    let x = randomTensor([3, 5], seed: 12)
    let y = randomTensor([3, 5], seed: 13)
    expectGradientsMatchFiniteDifferences(of: model.trainableParameters) {
      weightedSum(model([x, y])[0])
    }
  }

  @Test func maximumSendsTheGradientToTheLargerInput() {
    // Values at least 0.2 apart, so central differences never cross a tie.
    let p = Parameter(Tensor(shape: [2, 3], scalars: [0.1, 0.9, -0.5, 1.2, -1, 0.4]))
    let q = Parameter(Tensor(shape: [2, 3], scalars: [0.5, 0.2, -0.1, 0.7, -0.6, 0.9]))
    expectGradientsMatchFiniteDifferences(of: [p, q]) {
      weightedSum(Maximum()([p.value, q.value]))
    }
  }

  @Test func mergeLayersBroadcastAndConcatenateOnAnyAxis() throws {
    let a = randomTensor([2, 3, 4], seed: 1)
    let b = randomTensor([2, 1, 4], seed: 2)
    #expect(try Add().outputShape(forInputShapes: [[nil, 3, 4], [nil, 1, 4]]) == [nil, 3, 4])
    #expect(allClose(Add()([a, b]).scalars, (a + b).scalars))
    #expect(allClose(Average()([a, a, b]).scalars, ((a + a + b) / 3).scalars))
    let c = randomTensor([2, 5, 4], seed: 3)
    let middle = Concatenate(axis: 1)
    #expect(try middle.outputShape(forInputShapes: [[nil, 3, 4], [nil, 5, 4]]) == [nil, 8, 4])
    #expect(middle([a, c]).shape == [2, 8, 4])
    #expect(Concatenate(axis: -2)([a, c]).scalars == middle([a, c]).scalars)
  }

  @Test func aFrozenLayerLeavesTheTrainableParametersAndStaysPut() throws {
    let model = try GraphModels.residualBlock(seed: 2)
    let norm = try layer(model, "batch_normalization", as: BatchNormalization.self)
    let conv = try layer(model, "conv2d", as: Conv2D.self)
    #expect(model.trainableParameterCount == 4704)
    conv.trainable = false
    norm.trainable = false
    #expect(!conv.trainable && !norm.trainable && model.trainable)
    #expect(model.trainableParameterCount == 4704 - 2320 - 32)
    #expect(model.summary().contains("Non-trainable params: 2,416\n"))
    // A frozen BatchNormalization uses and keeps its moving statistics while training.
    norm.movingMean!.value = randomTensor([16], seed: 4)
    let mean = norm.movingMean!.value
    let x = randomTensor([2, 8, 8, 16], seed: 3)
    let inference = norm(x)
    model.isTraining = true
    #expect(norm.isTraining)
    _ = model(x)
    let training = norm(x)
    #expect(norm.movingMean!.value.scalars == mean.scalars)
    let same = allClose(training.scalars, inference.scalars)
    #expect(same)
    model.isTraining = false
    // Optimizers skip frozen parameters.
    let kernel = conv.kernel!.value
    let parameters = model.parameters
    let gradients = parameters.map { Tensor.ones($0.shape) }
    SGD(learningRate: 0.1).update(parameters, gradients: gradients)
    #expect(conv.kernel!.value.scalars == kernel.scalars)
    conv.trainable = true
    #expect(conv.trainable && model.trainableParameterCount == 4704 - 32)
  }
}
