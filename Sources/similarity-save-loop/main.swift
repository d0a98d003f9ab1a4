import Foundation

#if canImport(Glibc)
  import Glibc
#endif

// similarity-save-loop KIND PATH once VERSION | loop | verify
//
// The child process of the crash-safety test (Tests/SimilarityCLITests/CrashSafetyTests.swift)
// and of scripts/crash-safety.sh: `once` saves one version of KIND (model, index, checkpoint,
// report) to PATH, `loop` saves the other version than PATH holds, then alternates, until it is
// killed (it prints `looping` when the first save starts), and `verify` loads PATH, checks that it is one whole version and
// prints `version N` (exit 1 with the reason otherwise).

let arguments = CommandLine.arguments
let usage = "usage: similarity-save-loop model|index|checkpoint|report PATH once 0|1 | loop | verify"
guard arguments.count >= 4, let kind = SaveKind(rawValue: arguments[1]) else {
  FileHandle.standardError.write(Data((usage + "\n").utf8))
  exit(2)
}
let path = arguments[2]
do {
  switch arguments[3] {
  case "once":
    guard arguments.count == 5, let number = Int(arguments[4]), (0...1).contains(number) else {
      FileHandle.standardError.write(Data((usage + "\n").utf8))
      exit(2)
    }
    try kind.version(number).save(path)
  case "loop":
    let versions = try [kind.version(0), kind.version(1)]
    // Start with the version PATH does not hold, so that the first save changes every file.
    var number = (try? kind.verify(path)).map { 1 - $0 } ?? 0
    FileHandle.standardOutput.write(Data("looping\n".utf8))
    while true {
      try versions[number].save(path)
      number = 1 - number
    }
  case "verify":
    print("version \(try kind.verify(path))")
  default:
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(2)
  }
} catch {
  FileHandle.standardError.write(Data("similarity-save-loop: \(kind.rawValue) \(path): \(error)\n".utf8))
  exit(1)
}
