import SimilarityLayers
import Testing

@Suite struct TrainingTests {
  /// Two Gaussian blobs in 2-D (centres (−1, −1) and (1, 1), σ = 0.5) plus the XOR corners,
  /// labelled by blob: a small MLP must separate them.
  private func blobs(count: Int, seed: UInt64) -> (Tensor, [Int]) {
    var generator = SplitMix64(seed: seed)
    var scalars: [Float] = []
    var labels: [Int] = []
    for i in 0..<count {
      let label = i % 2
      let centre: Float = label == 0 ? -1 : 1
      scalars += [centre + 0.5 * generator.nextNormal(), centre + 0.5 * generator.nextNormal()]
      labels.append(label)
    }
    return (Tensor(shape: [count, 2], scalars: scalars), labels)
  }

  @Test(arguments: ["sgd", "rmsprop", "adam", "adamw"])
  func aSmallClassifierLearnsXOR(name: String) {
    let optimizer: any Optimizer =
      switch name {
      case "sgd": SGD(learningRate: 0.3, momentum: 0.9)
      case "rmsprop": RMSprop(learningRate: 0.01)
      case "adam": Adam(learningRate: 0.02)
      default: AdamW(learningRate: 0.02)
      }
    let model = Sequential(seed: 12) {
      Input(shape: [2])
      Dense(units: 8, activation: .tanh)
      Dense(units: 2)
    }
    let x = Tensor(rows: [[0, 0], [0, 1], [1, 0], [1, 1]])
    let labels = [0, 1, 1, 0]
    for _ in 0..<400 {
      let (_, gradients) = valueWithGradient(at: model.trainableParameters) {
        Tensor.softmaxCrossEntropy(logits: model(x), labels: labels)
      }
      optimizer.update(model.trainableParameters, gradients: gradients)
    }
    let loss = Tensor.softmaxCrossEntropy(logits: model(x), labels: labels).item
    #expect(model(x).argmax(alongAxis: 1) == labels, "\(name): loss \(loss)")
    #expect(loss < 0.1, "\(name)")
  }

  @Test func aClassifierWithBatchNormAndDropoutSeparatesTwoBlobs() {
    let (train, trainLabels) = blobs(count: 128, seed: 1)
    let (test, testLabels) = blobs(count: 200, seed: 2)
    let model = Sequential(seed: 3) {
      Input(shape: [2])
      Dense(units: 16, activation: .relu)
      BatchNormalization()
      Dropout(rate: 0.1, seed: 4)
      Dense(units: 2)
    }
    let optimizer = Adam(learningRate: 0.01)
    model.isTraining = true
    for _ in 0..<150 {
      let (_, gradients) = valueWithGradient(at: model.trainableParameters) {
        Tensor.softmaxCrossEntropy(logits: model(train), labels: trainLabels)
      }
      optimizer.update(model.trainableParameters, gradients: gradients)
    }
    model.isTraining = false
    let predictions = model(test).argmax(alongAxis: 1)
    let correct = zip(predictions, testLabels).filter { $0 == $1 }.count
    // The blobs overlap a little (σ = 0.5 at distance 2√2): the Bayes accuracy is ≈ 99.5 %.
    #expect(correct >= 190, "\(correct) / 200")
  }
}
