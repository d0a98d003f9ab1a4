// `SimilarityFuzz --write-seeds DIR`: small valid files of the kinds the library writes, one
// folder per target (the script adds IDX, gzip and PNG seeds with python3). Each is checked to
// load with the reader under test, so every seed starts from a valid file.
import Foundation
import Similarity
import SimilarityIO
import SimilarityModels

func writeSeeds(to root: URL) throws {
  func folder(_ target: FuzzTarget) throws -> URL {
    let url = root.appendingPathComponent(target.rawValue)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
  func save(_ bytes: [UInt8], _ target: FuzzTarget, _ name: String) throws {
    try Data(bytes).write(to: try folder(target).appendingPathComponent(name))
  }
  func copy(_ file: URL, _ target: FuzzTarget) throws {
    try save(Array(try Data(contentsOf: file)), target, file.lastPathComponent)
  }

  // .npy
  let arrays = [
    try NPYArray(shape: [2, 3], floats: [0, 1.5, -2, 3, 4e-3, 5]),
    try NPYArray(shape: [4], int64s: [1, -2, 3, 1 << 40]),
    try NPYArray(shape: [2, 2, 1], storage: .float64([1, 2, 3, 4])),
    try NPYArray(shape: [3], storage: .int32([7, 8, 9])),
  ]
  for (i, array) in arrays.enumerated() {
    let bytes = Array(NPYFile.encode(array))
    _ = try NPYFile.decode(Data(bytes), file: "seed")
    try save(bytes, .npy, "seed\(i).npy")
  }

  // .simx: an HNSW index with removed items, an exact one with labels and payloads.
  let hnsw = HNSWIndex(dimension: 3, distance: .euclidean, maxConnections: 3, efConstruction: 10)
  let exact = ExactIndex(dimension: 3, distance: .manhattan)
  for i in 0..<40 {
    let vector = [Float(i % 7), Float(i % 5) - 2, Float(i) / 10]
    _ = try hnsw.add(vector, id: nil, label: i % 3, payload: nil)
    _ = try exact.add(vector, id: nil, label: i % 4, payload: i % 2 == 0 ? [UInt8(i), 1, 2] : nil)
  }
  try hnsw.remove(id: 3)
  try hnsw.remove(id: 7)
  let temporary = URL(fileURLWithPath: shm + "/seed.simx")
  try hnsw.write(to: temporary.path)
  try copy(temporary, .simx)
  try FileManager.default.moveItem(
    at: root.appendingPathComponent("simx/seed.simx"), to: root.appendingPathComponent("simx/hnsw.simx"))
  try exact.write(to: temporary.path)
  try copy(temporary, .simx)
  try FileManager.default.moveItem(
    at: root.appendingPathComponent("simx/seed.simx"), to: root.appendingPathComponent("simx/exact.simx"))

  // safetensors, architecture, manifest, calibration: the fixed folders' files and more.
  let tensors: [(name: String, tensor: Tensor)] = [
    ("a.kernel", Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])),
    ("a.bias", Tensor(shape: [3], scalars: [0, -1, 1])),
    ("scalar", Tensor(shape: [], scalars: [7])),
  ]
  try save(Safetensors.encode(tensors, metadata: ["kind": "seed"]), .safetensors, "seed.safetensors")
  try copy(Fixture.architectureFolder.appendingPathComponent(Checkpoint.weightsFileName), .safetensors)
  try copy(Fixture.architectureFolder.appendingPathComponent(Checkpoint.architectureFileName), .architecture)
  let conv = Fixture.architectureFolder.appendingPathComponent("conv.json")
  try Checkpoint.writeArchitecture(of: .tfSimilarityMNISTConv(embeddingSize: 8), to: conv)
  try copy(conv, .architecture)
  try FileManager.default.removeItem(at: conv)
  let tower = Fixture.architectureFolder.appendingPathComponent("tower.json")
  try Checkpoint.writeArchitecture(of: .kerasSiameseTower(), to: tower)
  try copy(tower, .architecture)
  try FileManager.default.removeItem(at: tower)
  // The single-input layers of the layer tour, chained (as ShapeLayerTests' tour model).
  let tour = Fixture.architectureFolder.appendingPathComponent("tour.json")
  let tourModel = Sequential(name: "tour", seed: 3) {
    Input(shape: [64])
    Embedding(inputDim: 50, outputDim: 4)
    Reshape(targetShape: [8, 8, 4])
    ZeroPadding2D(padding: ((1, 1), (2, 0)))
    Cropping2D(cropping: ((1, 1), (0, 2)))
    UpSampling2D(size: (2, 2), interpolation: .bilinear)
    Reshape(targetShape: [2, 16, 16, 2])
    ZeroPadding3D(padding: ((0, 1), (0, 0), (1, 1)))
    MaxPooling3D(poolSize: (1, 2, 2))
    AveragePooling3D(poolSize: (2, 2, 2), padding: .same)
    BatchNormalization(axis: 1, center: false)
    Reshape(targetShape: [-1, 2])
    ZeroPadding1D(padding: (1, 1))
    Cropping1D(cropping: (2, 0))
    UpSampling1D(size: 2)
    MaxPooling1D(poolSize: 3, strides: 2, padding: .same)
    AveragePooling1D(poolSize: 2)
    LayerNormalization()
    Permute(dims: [2, 1])
    ActivationLayer(.hardSwish)
    Permute(dims: [2, 1])
    Dense(units: 3, activation: .elu(alpha: 0.5))
    GlobalMaxPooling1D(keepdims: true)
    GlobalAveragePooling1D()
  }
  try Checkpoint.writeArchitecture(of: tourModel, to: tour)
  try copy(tour, .architecture)
  try FileManager.default.removeItem(at: tour)
  // The layer tour as a graph: every convolution layer, Add, Concatenate, three inputs.
  let graph = Fixture.architectureFolder.appendingPathComponent("graph.json")
  try Checkpoint.writeArchitecture(of: try Functional.layerTour(seed: 5), to: graph)
  try copy(graph, .architecture)
  try FileManager.default.removeItem(at: graph)
  try copy(Fixture.modelFolder.appendingPathComponent("manifest.json"), .manifest)
  try copy(Fixture.modelFolder.appendingPathComponent("calibration.json"), .calibration)
  _ = try SimilarityModel.load(from: Fixture.modelFolder)

  // run.json and siamese.json, as the commands write them.
  let decoder = JSONDecoder()
  let history = try decoder.decode(
    FitHistory.self,
    from: Data(#"{"epochs":[{"epoch":1,"loss":0.5,"seconds":1.5},{"epoch":2,"loss":0.25,"seconds":1.25,"validation":{"recall@1":0.875}}]}"#.utf8))
  let run = TrainingRun(
    dataset: .fashionMNIST, trainClasses: [0, 1, 2, 3, 4], loss: .multiSimilarity, epochs: 3,
    stepsPerEpoch: 10, classesPerBatch: 4, examplesPerClass: 4, learningRate: 0.001, seed: 7,
    history: history, indexed: IndexedExamples(split: .test, perClass: 5, classes: [5, 6]))
  try run.write(to: Fixture.runFolder)
  _ = try TrainingRun.read(from: Fixture.runFolder)
  try copy(Fixture.runFolder.appendingPathComponent(TrainingRun.fileName), .run)
  let towerHistory = try decoder.decode(
    TrainingHistory.self,
    from: Data(#"{"epochs":[{"epoch":1,"loss":0.3,"accuracy":0.8,"validationLoss":0.35,"validationAccuracy":0.75,"seconds":2.5}]}"#.utf8))
  let report = SiameseReport(
    dataset: "MNIST", trainPairs: 120, testPairs: 40, trainAccuracy: 0.9, testAccuracy: 0.85,
    trainLoss: 0.1, testLoss: 0.2, history: towerHistory, embeddingsPerSecond: 1000,
    blasKernel: "Zen")
  let siamese = SiameseRun(
    dataset: .mnist, limit: 200, seed: 1, batchSize: 32, margin: 1, learningRate: 0.001,
    threshold: 0.5, epochs: 1, report: report)
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
  let siameseBytes = Array(try encoder.encode(siamese))
  try save(siameseBytes, .siamese, SiameseRun.fileName)
  put(siameseBytes, at: Fixture.runFolder.appendingPathComponent(SiameseRun.fileName).path)
  _ = try SiameseRun.read(from: Fixture.runFolder)

  // PyTorch zip checkpoints (the legacy and zip fixtures of the tests are copied by fuzz.sh).
  let torchSeed = TorchCheckpoint.zipBytes([
    ("conv.weight", [2, 1, 1, 3], [1, 2, 3, 4, 5, 6]), ("conv.bias", [2], [0, -1]), ("n", [], [3]),
  ])
  _ = try TorchCheckpoint(bytes: torchSeed, file: "seed")
  try save(torchSeed, .torch, "seed.pt")
}
