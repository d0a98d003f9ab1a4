extension Tensor {
  /// `max(x, 0)` element-wise. Derivative: 1 where `x > 0`, else 0.
  public func relu() -> Tensor {
    let input = scalars
    let output = input.map { $0 > 0 ? $0 : 0 }
    return Tensor.recording(shape: shape, scalars: output, inputs: [self]) { gradient, _ in
      var g = gradient.scalars
      for i in 0..<g.count where input[i] <= 0 { g[i] = 0 }
      return [Tensor(shape: gradient.shape, scalars: g)]
    }
  }
}
