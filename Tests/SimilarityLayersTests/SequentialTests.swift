import Testing

@testable import SimilarityLayers

@Suite struct SequentialTests {
  @Test func kerasSiameseTowerSummaryMatchesKeras() {
    let summary = Sequential.kerasSiameseTower().summary()
    // Keras (tf.keras 2.12) prints exactly this, trailing spaces included.
    let blank = String(repeating: " ", count: 65)
    let expected =
      [
        "Model: \"sequential\"",
        String(repeating: "_", count: 65),
        " Layer (type)                Output Shape              Param #   ",
        String(repeating: "=", count: 65),
        " flatten (Flatten)           (None, 784)               0         ", blank,
        " dense (Dense)               (None, 128)               100480    ", blank,
        " dropout (Dropout)           (None, 128)               0         ", blank,
        " dense_1 (Dense)             (None, 128)               16512     ", blank,
        " dropout_1 (Dropout)         (None, 128)               0         ", blank,
        " dense_2 (Dense)             (None, 128)               16512     ", blank,
        String(repeating: "=", count: 65),
        "Total params: 133,504",
        "Trainable params: 133,504",
        "Non-trainable params: 0",
        String(repeating: "_", count: 65),
      ].joined(separator: "\n") + "\n"
    #expect(summary == expected)
  }

  @Test func tfSimilarityMNISTConvHas327200Parameters() {
    // 28×28×1 → conv 3×3 (valid) 26×26×32: 3·3·1·32 + 32 = 320
    //         → conv 24×24×32: 3·3·32·32 + 32 = 9,248
    //         → max-pool 12×12×32
    //         → conv 10×10×64: 3·3·32·64 + 64 = 18,496
    //         → conv 8×8×64: 3·3·64·64 + 64 = 36,928
    //         → flatten 4,096 → metric embedding: 4,096·64 + 64 = 262,208
    // Total 320 + 9,248 + 18,496 + 36,928 + 262,208 = 327,200.
    let model = Sequential.tfSimilarityMNISTConv()
    #expect(model.parameterCount == 327_200)
    #expect(model.trainableParameterCount == 327_200)
    #expect(
      model.layerOutputShapes == [
        [nil, 28, 28, 1], [nil, 26, 26, 32], [nil, 24, 24, 32], [nil, 12, 12, 32],
        [nil, 10, 10, 64], [nil, 8, 8, 64], [nil, 4096], [nil, 64],
      ])
    let summary = model.summary()
    #expect(summary.contains(" conv2d_3 (Conv2D)           (None, 8, 8, 64)          36928     \n"))
    #expect(summary.contains(" metric_embedding (MetricEm  (None, 64)                262208    \n"))
    #expect(
      summary.contains(
        "\nTotal params: 327,200\nTrainable params: 327,200\nNon-trainable params: 0\n"))
  }

  @Test func longLayerNamesWrapOntoAContinuationLine() {
    // "metric_embedding (MetricEmbedding)" is 34 characters; the first column holds 26.
    let model = Sequential.tfSimilarityMNISTConv()
    #expect(
      model.summary().contains(
        "\n bedding)                                                        \n"))
  }

  @Test func nonTrainableParametersAreCountedSeparately() {
    let model = Sequential {
      Input(shape: [4])
      Dense(units: 3)
      BatchNormalization()
    }
    #expect(
      model.summary().hasSuffix(
        "Total params: 27\nTrainable params: 21\nNon-trainable params: 6\n"
          + String(repeating: "_", count: 65) + "\n"))
  }

  @Test func parametersAreNamedByLayerForCheckpoints() {
    let model = Sequential.kerasSiameseTower()
    #expect(
      model.namedParameters.map(\.name) == [
        "dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias", "dense_2.kernel",
        "dense_2.bias",
      ])
    #expect(model.namedParameters[0].parameter.shape == [784, 128])
  }

  @Test func theSameSeedGivesTheSameWeights() {
    let a = Sequential.kerasSiameseTower(seed: 3).parameters.map(\.value.scalars)
    let b = Sequential.kerasSiameseTower(seed: 3).parameters.map(\.value.scalars)
    let c = Sequential.kerasSiameseTower(seed: 4).parameters.map(\.value.scalars)
    #expect(a == b)
    #expect(a != c)
  }

  @Test func isTrainingReachesNestedLayersOfUserModels() throws {
    final class Siamese: Model {
      let tower = Sequential.kerasSiameseTower()
      let head = Dense(units: 1)
    }
    let siamese = Siamese()
    #expect(!siamese.isTraining)
    siamese.isTraining = true
    let dropout = try #require(siamese.tower.layers[2] as? Dropout)
    #expect(dropout.isTraining)
    // Parameters found by the Mirror walk: the tower's (prefixed) then the unbuilt head's.
    #expect(siamese.namedParameters.first?.name == "tower.dense.kernel")
    #expect(siamese.namedParameters.count == 6)
    siamese.isTraining = false
    #expect(!dropout.isTraining)
  }

  @Test func arraysOfLayersInUserModelsArePrefixedWithLayerNames() {
    final class Blocks: Model {
      let blocks: [Dense] = [Dense(units: 2, name: "first"), Dense(units: 3, name: "second")]
      let scale = Parameter(Tensor(1))
      init() {
        blocks[0].build(inputShape: [nil, 4], seed: 1)
        blocks[1].build(inputShape: [nil, 2], seed: 2)
      }
    }
    let model = Blocks()
    #expect(
      model.namedParameters.map(\.name) == [
        "first.kernel", "first.bias", "second.kernel", "second.bias", "scale",
      ])
    #expect(model.parameterCount == 4 * 2 + 2 + 2 * 3 + 3 + 1)
  }

  @Test func aSharedTowerGivesTheSameEmbeddingToTheSameInput() {
    let tower = Sequential.kerasSiameseTower(seed: 1)
    let x = randomTensor([3, 28, 28], seed: 2)
    let a = tower(x)
    let b = tower(x)
    #expect(a.shape == [3, 128])
    #expect(a.scalars == b.scalars)
  }

  @Test func sequentialGradientsFlowThroughEveryLayer() {
    let model = Sequential(seed: 5) {
      Input(shape: [3])
      Dense(units: 4, activation: .tanh)
      BatchNormalization()
      Dense(units: 2)
      L2Normalization()
    }
    let input = Parameter(randomTensor([5, 3], seed: 6))
    expectGradientsMatchFiniteDifferences(of: model.trainableParameters + [input]) {
      weightedSum(model(input.value))
    }
  }
}
