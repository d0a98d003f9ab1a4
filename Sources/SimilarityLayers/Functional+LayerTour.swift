extension Functional {
  /// The layer tour of the project brief as one graph model: every layer of TensorFlow's
  /// layers module that the brief walks through (input, average and max pooling in 1-D, 2-D
  /// and 3-D, batch normalization, conv1d/2d/3d, conv2d/3d transpose, dense, dropout, flatten,
  /// separable conv2d) plus DepthwiseConv2D, GlobalAveragePooling2D, Add and Concatenate, so a
  /// reader sees the whole tour in one summary (`similarity summary layer-tour`).
  ///
  /// Three inputs — a sequence `[64, 8]`, an image `[32, 32, 3]` and a volume
  /// `[8, 16, 16, 2]` — go through a 1-D, a 2-D (with a residual `Add`) and a 3-D branch,
  /// each ending in a 32-unit `Dense`; the branches are concatenated, dropped out and mapped
  /// to 64 outputs. 51,732 parameters (32 of them BatchNormalization's moving statistics),
  /// as Keras counts them for the same model (`scripts/golden/layer_tour.py`).
  public static func layerTour(seed: UInt64 = 0) throws(ArchitectureError) -> Functional {
    let sequence = SymbolicTensor.input(shape: [64, 8], name: "input_1")
    let image = SymbolicTensor.input(shape: [32, 32, 3], name: "input_2")
    let volume = SymbolicTensor.input(shape: [8, 16, 16, 2], name: "input_3")

    var x = Conv1D(filters: 16, kernelSize: 5, padding: .same, activation: .relu)(sequence)
    x = MaxPooling1D(poolSize: 2)(x)
    x = AveragePooling1D(poolSize: 2)(x)
    x = Flatten()(x)
    x = Dense(units: 32, activation: .relu, name: "dense")(x)

    var y = Conv2D(filters: 16, kernelSize: (3, 3), padding: .same)(image)
    y = BatchNormalization()(y)
    var z = DepthwiseConv2D(kernelSize: (3, 3), padding: .same, activation: .relu)(y)
    z = SeparableConv2D(filters: 16, kernelSize: (3, 3), padding: .same)(z)
    y = try Add()([y, z])
    y = MaxPooling2D(poolSize: (2, 2))(y)
    y = Conv2DTranspose(filters: 8, kernelSize: (3, 3), strides: (2, 2), padding: .same)(y)
    y = AveragePooling2D(poolSize: (2, 2))(y)
    y = GlobalAveragePooling2D()(y)
    y = Dense(units: 32, activation: .relu, name: "dense_1")(y)

    var v = Conv3D(filters: 8, kernelSize: (3, 3, 3), padding: .same, activation: .relu)(volume)
    v = MaxPooling3D(poolSize: (2, 2, 2))(v)
    v = Conv3DTranspose(
      filters: 4, kernelSize: (3, 3, 3), strides: (2, 2, 2), padding: .same)(v)
    v = AveragePooling3D(poolSize: (2, 2, 2))(v)
    v = Flatten(name: "flatten_1")(v)
    v = Dense(units: 32, activation: .relu, name: "dense_2")(v)

    var merged = try Concatenate()([x, y, v])
    merged = Dropout(rate: 0.1, seed: seed &+ 1)(merged)
    let output = Dense(units: 64, name: "dense_3")(merged)
    return try Functional(inputs: [sequence, image, volume], outputs: [output], seed: seed)
  }
}
