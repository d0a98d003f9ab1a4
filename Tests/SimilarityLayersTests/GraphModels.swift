import SimilarityLayers

/// The graph models of `scripts/golden/graph_summaries.py`, written with ``Functional``
/// (names given where Keras' per-session counters differ from per-model ones).
enum GraphModels {
  /// Conv2D → BatchNormalization → ReLU → Conv2D → BatchNormalization, + input, ReLU.
  static func residualBlock(seed: UInt64 = 0) throws -> Functional {
    let inputs = SymbolicTensor.input(shape: [8, 8, 16])
    var x = Conv2D(filters: 16, kernelSize: (3, 3), padding: .same)(inputs)
    x = BatchNormalization()(x)
    x = ActivationLayer(.relu)(x)
    x = Conv2D(filters: 16, kernelSize: (3, 3), padding: .same)(x)
    x = BatchNormalization()(x)
    x = try Add()([x, inputs])
    return try Functional(inputs: inputs, outputs: ActivationLayer(.relu)(x), seed: seed)
  }

  /// Two inputs, a Dense each, Concatenate, two Dense heads.
  static func twoInputsTwoOutputs(seed: UInt64 = 0) throws -> Functional {
    let first = SymbolicTensor.input(shape: [16])
    let second = SymbolicTensor.input(shape: [8])
    let a = Dense(units: 12, activation: .relu)(first)
    let b = Dense(units: 12, activation: .relu)(second)
    let merged = try Concatenate()([a, b])
    return try Functional(
      inputs: [first, second], outputs: [Dense(units: 3)(merged), Dense(units: 1)(merged)],
      name: "two_heads", seed: seed)
  }

  /// One Dense called on two inputs, then Subtract, Multiply, Maximum, Concatenate, Average.
  static func sharedLayer(seed: UInt64 = 0) throws -> Functional {
    let left = SymbolicTensor.input(shape: [10])
    let right = SymbolicTensor.input(shape: [10])
    let tower = Dense(units: 8, activation: .tanh)
    let a = tower(left)
    let b = tower(right)
    let difference = try Subtract()([a, b])
    let product = try Multiply()([a, b])
    let merged = try Concatenate(axis: -1)([difference, product, try Maximum()([a, b])])
    let outputs = Dense(units: 1)(try Average()([merged, merged]))
    return try Functional(inputs: [left, right], outputs: [outputs], name: "shared", seed: seed)
  }

  /// A Functional and a Sequential used as layers of another model; the first frozen.
  static func nestedModel(seed: UInt64 = 0) throws -> Functional {
    let innerInput = SymbolicTensor.input(shape: [6])
    let hidden = Dense(units: 8, activation: .relu)(innerInput)
    let inner = try Functional(inputs: innerInput, outputs: Dense(units: 4)(hidden), seed: seed)
    let head = Sequential(seed: seed + 1) {
      Input(shape: [4])
      Dense(units: 4)
      BatchNormalization()
    }
    let inputs = SymbolicTensor.input(shape: [6], name: "input_3")
    let features = inner(inputs)
    let residual = try Add()([features, head(features)])
    let outputs = Dense(units: 2, name: "dense_3")(residual)
    let model = try Functional(inputs: inputs, outputs: outputs, name: "outer", seed: seed + 2)
    inner.trainable = false
    return model
  }

  /// A nested model with two outputs, and a Conv2D shared by inputs of two sizes (its
  /// output shape prints as `multiple`).
  static func multipleOutputs(seed: UInt64 = 0) throws -> Functional {
    let innerInput = SymbolicTensor.input(shape: [6])
    let inner = try Functional(
      inputs: [innerInput], outputs: [Dense(units: 3)(innerInput), Dense(units: 2)(innerInput)],
      name: "splitter", seed: seed)
    let vectors = SymbolicTensor.input(shape: [6], name: "input_2")
    let large = SymbolicTensor.input(shape: [4, 4, 2], name: "input_3")
    let small = SymbolicTensor.input(shape: [2, 2, 2], name: "input_4")
    let split = try inner([vectors])
    let mixer = Conv2D(filters: 3, kernelSize: (1, 1))
    let flatLarge = Flatten()(mixer(large))
    let flatSmall = Flatten()(mixer(small))
    let merged = try Concatenate(axis: 1)([split[0], split[1], flatLarge, flatSmall])
    return try Functional(
      inputs: [vectors, large, small], outputs: [merged], name: "multiple_outputs", seed: seed)
  }

  /// A plain chain, which Keras prints in the sequential layout.
  static func chain(seed: UInt64 = 0) throws -> Functional {
    let inputs = SymbolicTensor.input(shape: [28, 28, 1])
    var x = Conv2D(filters: 8, kernelSize: (3, 3), activation: .relu)(inputs)
    x = MaxPooling2D()(x)
    x = Flatten()(x)
    return try Functional(inputs: inputs, outputs: Dense(units: 10)(x), seed: seed)
  }
}
