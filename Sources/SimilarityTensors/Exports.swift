// Code that uses tensors also needs the generator (`SplitMix64`), `Padding`, `GEMM` and the
// `ThreadPool`; importing SimilarityTensors brings them along.
@_exported import SimilarityKernels
