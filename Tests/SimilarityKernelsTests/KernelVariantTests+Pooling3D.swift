import CSimilarityKernels
import Testing

@testable import SimilarityKernels

/// The 3-D pooling kernels (`pooling3d.c`) of every level the CPU runs against the portable
/// code: bit-identical maxima, positions, means and mean gradients (the same operations in the
/// same order), over shapes whose channel counts fill vectors, leave tails and fall short of one.
extension KernelVariantTests {
  @Test func pooling3dAgreesWithThePortableCode() {
    var generator = SplitMix64(seed: 31)
    let shapes: [(input: [Int], pool: (Int, Int, Int), strides: (Int, Int, Int))] = [
      ([1, 4, 4, 4, 16], (2, 2, 2), (2, 2, 2)),
      ([1, 5, 6, 7, 3], (3, 2, 3), (2, 3, 2)),
      ([1, 3, 5, 4, 17], (2, 2, 3), (1, 2, 2)),
      ([1, 1, 1, 33, 64], (1, 1, 4), (1, 1, 3)),
      ([1, 2, 3, 3, 100], (2, 3, 3), (1, 1, 1)),
      ([2, 2, 4, 6, 5], (1, 2, 3), (1, 2, 3)),
    ]
    for shape in shapes {
      for padding in [Padding.valid, .same] {
        let g = Pooling3DGeometry(input: shape.input, poolSize: shape.pool, strides: shape.strides, padding: padding)
        // Ties (rounded values) and NaNs exercise the first-wins and NaN rules.
        let x = Self.random(g.volumeSize, &generator).map { $0 > 0.9 ? Float.nan : ($0 * 4).rounded() }
        let gradient = Self.random(g.outputVolumeSize, &generator)
        func run(_ level: InstructionSet) -> (max: [Float], positions: [Int32], mean: [Float], dx: [Float]) {
          var geometry = g.volume
          let n = g.outputVolumeSize
          var out = [Float](repeating: 0, count: n), positions = [Int32](repeating: -1, count: n)
          var mean = [Float](repeating: 0, count: n), dx = [Float](repeating: 0, count: g.volumeSize)
          let rows = g.outputRows
          // Two calls over split row ranges, as the tensor op makes them.
          for (r0, r1) in [(0, rows / 2), (rows / 2, rows)] {
            csim_max_pool3d_at(Int32(level.rawValue), &geometry, x, r0, r1, &out, &positions)
            csim_average_pool3d_at(Int32(level.rawValue), &geometry, x, r0, r1, &mean)
          }
          csim_average_pool3d_backward_at(Int32(level.rawValue), &geometry, gradient, 0, &dx)
          if g.tilesExactly {
            // Storing gives what adding to zeros gives, whatever was there before.
            var stored = [Float](repeating: .nan, count: g.volumeSize)
            csim_average_pool3d_backward_at(Int32(level.rawValue), &geometry, gradient, 1, &stored)
            #expect(stored == dx, "\(level) \(shape) assign")
            // The one-pass max gradient equals scattering onto zeros.
            var scattered = [Float](repeating: 0, count: g.volumeSize)
            for (i, position) in positions.enumerated() { scattered[Int(position)] += gradient[i] }
            var tiled = [Float](repeating: .nan, count: g.volumeSize)
            for (r0, r1) in [(0, rows / 2), (rows / 2, rows)] {
              csim_max_pool3d_backward_tiled_at(Int32(level.rawValue), &geometry, gradient, positions, r0, r1, &tiled)
            }
            #expect(tiled == scattered, "\(level) \(shape) tiled max gradient")
          }
          return (out, positions, mean, dx)
        }
        let portable = run(.portable)
        // The portable maximum is one of its window's values, at the position it names.
        #expect(zip(portable.max, portable.positions).allSatisfy { value, position in
          position >= 0 && (x[Int(position)] == value || (x[Int(position)].isNaN && value.isNaN))
        }, "\(shape) \(padding)")
        for level in InstructionSet.runnable {
          let got = run(level)
          let same = { (a: [Float], b: [Float]) in zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) } }
          #expect(got.positions == portable.positions, "\(level) \(shape) \(padding)")
          #expect(same(got.max, portable.max), "\(level) \(shape) \(padding)")
          #expect(same(got.mean, portable.mean), "\(level) \(shape) \(padding)")
          #expect(same(got.dx, portable.dx), "\(level) \(shape) \(padding)")
        }
      }
    }
  }
}
