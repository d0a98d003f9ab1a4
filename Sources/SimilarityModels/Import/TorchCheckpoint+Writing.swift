import SimilarityIO

extension TorchCheckpoint {
  /// The bytes of a zip-format PyTorch checkpoint (what `torch.save(state_dict, path)` writes
  /// since PyTorch 1.6) holding `tensors` as float32, each in its own contiguous storage:
  /// `<archiveName>/data.pkl` (a protocol-2 pickle of an `OrderedDict` of
  /// `torch._utils._rebuild_tensor_v2` calls over persistent-id storages),
  /// `<archiveName>/data/<index>`, `<archiveName>/byteorder` (`little`) and
  /// `<archiveName>/version` (`3`); every entry stored, with its CRC-32.
  ///
  /// - Parameter tensors: names, PyTorch shapes and C-order values
  ///   (`values.count == shape.product`).
  public static func zipBytes(
    _ tensors: [(name: String, shape: [Int], values: [Float])], archiveName: String = "archive"
  ) -> [UInt8] {
    var entries: [(String, [UInt8])] = [
      ("\(archiveName)/data.pkl", statePickle(tensors)),
      ("\(archiveName)/byteorder", Array("little".utf8)),
    ]
    for (index, tensor) in tensors.enumerated() {
      precondition(
        tensor.shape.checkedProduct() == tensor.values.count,
        "TorchCheckpoint.zipBytes: '\(tensor.name)' has \(tensor.values.count) values for shape \(tensor.shape)"
      )
      var data = [UInt8]()
      data.reserveCapacity(tensor.values.count * 4)
      for value in tensor.values { data += littleEndian(UInt64(value.bitPattern), 4) }
      entries.append(("\(archiveName)/data/\(index)", data))
    }
    entries.append(("\(archiveName)/version", Array("3\n".utf8)))
    return ZipArchive.storedArchive(entries)
  }

  /// Writes ``zipBytes(_:archiveName:)`` to `path` through SimilarityIO's atomic writer.
  public static func writeZip(
    _ tensors: [(name: String, shape: [Int], values: [Float])], to path: String
  ) throws(FileWriteError) {
    try AtomicFile.write(zipBytes(tensors), to: path)
  }

  /// The pickle torch writes for a state dict of float tensors (protocol 2).
  static func statePickle(_ tensors: [(name: String, shape: [Int], values: [Float])]) -> [UInt8] {
    func text(_ value: String) -> [UInt8] {
      let utf8 = Array(value.utf8)
      return [0x58] + littleEndian(UInt64(utf8.count), 4) + utf8  // BINUNICODE
    }
    func integer(_ value: Int) -> [UInt8] {
      precondition(value >= 0 && value < 1 << 31, "TorchCheckpoint: \(value) does not fit BININT")
      return [0x4A] + littleEndian(UInt64(value), 4)  // BININT
    }
    func tuple(_ items: [Int]) -> [UInt8] { [0x28] + items.flatMap(integer) + [0x74] }
    let orderedDict = Array("ccollections\nOrderedDict\n".utf8) + [0x29, 0x52]  // GLOBAL () REDUCE
    var bytes: [UInt8] = [0x80, 0x02] + orderedDict + [0x28]  // PROTO 2, OrderedDict(), MARK
    for (index, tensor) in tensors.enumerated() {
      var strides = [Int](repeating: 1, count: tensor.shape.count)
      for axis in stride(from: tensor.shape.count - 2, through: 0, by: -1) {
        strides[axis] = strides[axis + 1] * tensor.shape[axis + 1]
      }
      bytes += text(tensor.name)
      bytes += Array("ctorch._utils\n_rebuild_tensor_v2\n".utf8) + [0x28]
      bytes += [0x28] + text("storage") + Array("ctorch\nFloatStorage\n".utf8)
      bytes += text(String(index)) + text("cpu") + integer(tensor.values.count) + [0x74, 0x51]
      bytes += integer(0) + tuple(tensor.shape) + tuple(strides) + [0x89] + orderedDict
      bytes += [0x74, 0x52]  // TUPLE, REDUCE
    }
    return bytes + [0x75, 0x2E]  // SETITEMS, STOP
  }

  static func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }
}

extension ZipArchive {
  /// A zip archive of `entries` (name, bytes), all stored, with CRC-32s, no ZIP64.
  static func storedArchive(_ entries: [(String, [UInt8])]) -> [UInt8] {
    func le(_ value: Int, _ count: Int) -> [UInt8] {
      TorchCheckpoint.littleEndian(UInt64(value), count)
    }
    var archive: [UInt8] = []
    var directory: [UInt8] = []
    for (name, data) in entries {
      precondition(archive.count < 0xFFFF_FFFF && data.count < 0xFFFF_FFFF, "ZIP64 is not written")
      let nameBytes = Array(name.utf8)
      let crc = crc32(data)
      // version 2.0, no flags, stored, time/date 0, CRC, sizes, name length, no extra field
      let common =
        le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(crc, 4) + le(data.count, 4)
        + le(data.count, 4) + le(nameBytes.count, 2) + le(0, 2)
      directory +=
        le(0x0201_4B50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2)
        + le(0, 4) + le(archive.count, 4) + nameBytes
      archive += le(0x0403_4B50, 4) + common + nameBytes + data
    }
    let directoryStart = archive.count
    return archive + directory + le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(entries.count, 2)
      + le(entries.count, 2) + le(directory.count, 4) + le(directoryStart, 4) + le(0, 2)
  }

  /// The CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) of `data`.
  static func crc32(_ data: [UInt8]) -> Int {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data {
      crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
    }
    return Int(crc ^ 0xFFFF_FFFF)
  }

  /// The CRC-32 of every byte value.
  private static let crcTable: [UInt32] = (0..<256).map { (value: Int) -> UInt32 in
    var crc = UInt32(value)
    for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    return crc
  }
}
