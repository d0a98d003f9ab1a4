// Masks: element-wise comparisons with broadcasting, returned as 0/1 Float tensors that do
// not take part in differentiation.
extension Tensor {
  /// 1 where `self > other`, else 0 (broadcasting; not differentiable).
  public func isGreater(than other: Tensor) -> Tensor {
    compare(other, "isGreater(than:)") { $0 > $1 }
  }

  /// 1 where `self > value`, else 0.
  public func isGreater(than value: Float) -> Tensor {
    Tensor(shape: shape, scalars: Tensor.map(scalars, grain: ParallelGrain.cheap) { $0 > value ? 1 : 0 })
  }

  /// 1 where `self < other`, else 0 (broadcasting; not differentiable).
  public func isLess(than other: Tensor) -> Tensor {
    compare(other, "isLess(than:)") { $0 < $1 }
  }

  /// 1 where `self < value`, else 0.
  public func isLess(than value: Float) -> Tensor {
    Tensor(shape: shape, scalars: Tensor.map(scalars, grain: ParallelGrain.cheap) { $0 < value ? 1 : 0 })
  }

  /// 1 where `self == other`, else 0 (broadcasting; not differentiable).
  public func isEqual(to other: Tensor) -> Tensor {
    compare(other, "isEqual(to:)") { $0 == $1 }
  }

  /// 1 where `self == value`, else 0.
  public func isEqual(to value: Float) -> Tensor {
    Tensor(shape: shape, scalars: Tensor.map(scalars, grain: ParallelGrain.cheap) { $0 == value ? 1 : 0 })
  }

  @inline(__always)
  private func compare(
    _ other: Tensor, _ op: String, _ predicate: (Float, Float) -> Bool
  ) -> Tensor {
    let shape = Tensor.broadcastShape(self.shape, other.shape, op)
    let output = withoutActuallyEscaping(predicate) { predicate in
      Tensor.broadcastBinary(
        self, other, outShape: shape, grain: ParallelGrain.cheap,
        BinaryClosure { predicate($0, $1) ? 1 : 0 })
    }
    return Tensor(shape: shape, scalars: output)
  }

  /// `a` where `condition` is non-zero, else `b`, element-wise with broadcasting of all three.
  /// Derivative: the gradient goes to `a` where the condition holds and to `b` elsewhere
  /// (the condition is not differentiable).
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = broadcastShape(
      broadcastShape(condition.shape, a.shape, "where"), b.shape, "where")
    let mask = condition.broadcastScalars(to: shape)
    let (x, y) = (a.broadcast(to: shape), b.broadcast(to: shape))
    let output = zipMap(mask, x.scalars, y.scalars, grain: ParallelGrain.cheap) { $0 != 0 ? $1 : $2 }
    return recording(shape: shape, scalars: output, inputs: [x, y]) { g, needed in
      [
        needed[0] ? Tensor(shape: shape, scalars: zipMap(mask, g.scalars, grain: ParallelGrain.cheap) { $0 != 0 ? $1 : 0 }) : nil,
        needed[1] ? Tensor(shape: shape, scalars: zipMap(mask, g.scalars, grain: ParallelGrain.cheap) { $0 != 0 ? 0 : $1 }) : nil,
      ]
    }
  }
}
