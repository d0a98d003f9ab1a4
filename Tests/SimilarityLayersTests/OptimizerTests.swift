import Foundation
import Testing

@testable import SimilarityLayers

@Suite struct OptimizerTests {
  private func step(_ optimizer: any Optimizer, from w: [Float], gradients: [[Float]]) -> [Float] {
    let parameter = Parameter(Tensor(shape: [w.count], scalars: w))
    for g in gradients {
      optimizer.update([parameter], gradients: [Tensor(shape: [g.count], scalars: g)])
    }
    return parameter.value.scalars
  }

  @Test func sgdFollowsKerasFormulas() {
    // Plain: w = 1 − 0.1·2 = 0.8.
    #expect(allClose(step(SGD(learningRate: 0.1), from: [1], gradients: [[2]]), [0.8]))
    // Momentum 0.9: v1 = −0.2, w1 = 0.8; v2 = 0.9·(−0.2) − 0.1·1 = −0.28, w2 = 0.52.
    #expect(
      allClose(
        step(SGD(learningRate: 0.1, momentum: 0.9), from: [1], gradients: [[2], [1]]), [0.52]))
    // Nesterov: v1 = −0.2, w1 = 1 + 0.9·(−0.2) − 0.2 = 0.62;
    // v2 = −0.28, w2 = 0.62 + 0.9·(−0.28) − 0.1 = 0.268.
    #expect(
      allClose(
        step(
          SGD(learningRate: 0.1, momentum: 0.9, nesterov: true), from: [1], gradients: [[2], [1]]),
        [0.268]))
  }

  @Test func rmspropFollowsKeras3() {
    // s1 = 0.1·4 = 0.4; w1 = 1 − 0.01·2/√(0.4 + 1e-7) = 0.9683772.
    // s2 = 0.9·0.4 + 0.1·1 = 0.46; w2 = w1 − 0.01·1/√(0.46 + 1e-7) = 0.9536330.
    let w = step(RMSprop(learningRate: 0.01), from: [1], gradients: [[2], [1]])
    #expect(allClose(w, [0.9536330], tolerance: 1e-6))
    // ε sits inside the root: with g = 1e-3, s = 1e-7 and the step is
    // 0.01·1e-3/√(2e-7) = 0.0223607 (it would be 0.0316218 with √s + ε).
    #expect(
      allClose(
        step(RMSprop(learningRate: 0.01), from: [0], gradients: [[1e-3]]), [-0.0223607],
        tolerance: 1e-5))
    // Centered: ḡ1 = 0.2, d = 0.4 − 0.04 + ε = 0.36; w1 = 1 − 0.01·2/0.6 = 0.9666667.
    #expect(
      allClose(
        step(RMSprop(learningRate: 0.01, centered: true), from: [1], gradients: [[2]]), [0.9666667])
    )
    // Momentum 0.5: m1 = 0.0316228, m2 = 0.5·m1 + 0.0147442 = 0.0305556; w2 = 1 − m1 − m2.
    let withMomentum = step(
      RMSprop(learningRate: 0.01, momentum: 0.5), from: [1], gradients: [[2], [1]])
    #expect(allClose(withMomentum, [1 - 0.0316228 - 0.0305556], tolerance: 1e-6))
  }

  @Test func adamFollowsKerasFormulas() {
    // t = 1: m = 0.1·g, v = 0.001·g², α = η·√0.001/0.1, step = α·m/(√v + ε) ≈ η·sign(g).
    let first = step(Adam(learningRate: 0.1), from: [1, -1], gradients: [[0.5, -3]])
    #expect(allClose(first, [0.9, -0.9], tolerance: 1e-5))
    // t = 2 with g2 = 1 (from g1 = 0.5): m = 0.045 + 0.1 = 0.145, v = 0.00024975 + 0.001 =
    // 0.00124975, α = 0.1·√(1 − 0.999²)/(1 − 0.9²) = 0.0235317;
    // w2 = 0.9000006 − α·m/(√v + 1e-7) = 0.8034827.
    let second = step(Adam(learningRate: 0.1), from: [1], gradients: [[0.5], [1]])
    #expect(allClose(second, [0.8034827], tolerance: 1e-6))
  }

  @Test func adamWDecaysWeightsBeforeTheAdamStep() {
    // w = 2 − 2·0.004·0.1 = 1.9992, then the Adam step of −η·sign(g) = −0.1.
    let w = step(AdamW(learningRate: 0.1), from: [2], gradients: [[1]])
    #expect(allClose(w, [1.8992], tolerance: 1e-5))
  }

  @Test func nonTrainableParametersAreLeftAlone() {
    let frozen = Parameter(Tensor(shape: [1], scalars: [5]), isTrainable: false)
    let trained = Parameter(Tensor(shape: [1], scalars: [5]))
    let optimizer = SGD(learningRate: 1.0)
    optimizer.update(
      [frozen, trained],
      gradients: [Tensor(shape: [1], scalars: [1]), Tensor(shape: [1], scalars: [1])])
    #expect(frozen.value.scalars == [5])
    #expect(trained.value.scalars == [4])
    #expect(optimizer.iterations == 1)
  }

  @Test(arguments: ["sgd", "momentum", "rmsprop", "adam", "adamw"])
  func everyOptimizerMinimisesAQuadratic(name: String) {
    // f(w) = Σ (w − target)², gradient 2(w − target).
    let optimizer: any Optimizer =
      switch name {
      case "sgd": SGD(learningRate: 0.1)
      case "momentum": SGD(learningRate: 0.05, momentum: 0.9)
      case "rmsprop": RMSprop(learningRate: 0.05)
      case "adam": Adam(learningRate: 0.1)
      default: AdamW(learningRate: 0.1, weightDecay: 0)
      }
    let target = Tensor(shape: [3], scalars: [1, -2, 0.5])
    let w = Parameter(Tensor.zeros([3]))
    for _ in 0..<300 {
      let (_, gradients) = valueWithGradient(at: [w]) { (w.value - target).squared().sum() }
      optimizer.update([w], gradients: gradients)
    }
    #expect(
      allClose(w.value.scalars, target.scalars, tolerance: 2e-2), "\(name): \(w.value.scalars)")
  }

  @Test func stateIsKeptPerParameter() {
    let optimizer = SGD(learningRate: 0.1, momentum: 0.9)
    let a = Parameter(Tensor(shape: [1], scalars: [0]))
    let b = Parameter(Tensor(shape: [1], scalars: [0]))
    optimizer.update([a], gradients: [Tensor(shape: [1], scalars: [1])])
    optimizer.update([b], gradients: [Tensor(shape: [1], scalars: [1])])
    // b's first step has no momentum from a's.
    #expect(allClose(a.value.scalars, b.value.scalars))
  }
}

@Suite struct LearningRateScheduleTests {
  @Test func schedulesMatchKerasDefinitions() {
    #expect(LearningRateSchedule.constant(0.1)(step: 1000) == 0.1)
    let piecewise = LearningRateSchedule.piecewiseConstant(
      boundaries: [10, 20], values: [1, 0.5, 0.1])
    #expect([0, 10, 11, 20, 21].map { piecewise(step: $0) } == [1, 1, 0.5, 0.5, 0.1])
    let exponential = LearningRateSchedule.exponentialDecay(
      initial: 1, decaySteps: 10, decayRate: 0.5, staircase: false)
    #expect(abs(exponential(step: 5) - 0.70710678) < 1e-6)
    let stepDecay = LearningRateSchedule.stepDecay(initial: 1, factor: 0.5, every: 10)
    #expect([0, 9, 10, 25].map { stepDecay(step: $0) } == [1, 1, 0.5, 0.25])
    let cosine = LearningRateSchedule.cosineDecay(initial: 2, decaySteps: 100, alpha: 0.1)
    #expect(abs(cosine(step: 0) - 2) < 1e-6)
    #expect(abs(cosine(step: 50) - 2 * (0.9 * 0.5 + 0.1)) < 1e-6)
    #expect(abs(cosine(step: 500) - 0.2) < 1e-6)
  }

  @Test func warmupCosineRampsLinearlyThenDecays() {
    let schedule = LearningRateSchedule.warmupCosineDecay(
      initial: 1, decaySteps: 100, warmupSteps: 10, warmupLearningRate: 0, alpha: 0)
    #expect(schedule(step: 0) == 0)
    // Step 5: half the warmup times the cosine factor ½(1 + cos(π·0.05)).
    let cosine5 = Float(0.5 * (1 + cos(Double.pi * 0.05)))
    #expect(abs(schedule(step: 5) - 0.5 * cosine5) < 1e-6)
    #expect(abs(schedule(step: 100)) < 1e-6)
  }

  @Test func optimizersReadTheScheduleAtTheirIterationCount() {
    let optimizer = SGD(learningRate: .piecewiseConstant(boundaries: [0], values: [1, 0.1]))
    let w = Parameter(Tensor(shape: [1], scalars: [0]))
    optimizer.update([w], gradients: [Tensor(shape: [1], scalars: [1])])  // step 0: rate 1
    optimizer.update([w], gradients: [Tensor(shape: [1], scalars: [1])])  // step 1: rate 0.1
    #expect(allClose(w.value.scalars, [-1.1]))
  }
}
