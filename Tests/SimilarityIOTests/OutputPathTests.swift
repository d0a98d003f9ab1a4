import Foundation
import Testing

@testable import SimilarityIO

#if canImport(Glibc)
  import Glibc
#endif

/// An output may not be one of the command's inputs, however it is spelled.
@Suite struct OutputPathTests {
  @Test func anInputIsRecognisedUnderAnyName() throws {
    let folder = try Scratch.folder()
    defer { Scratch.remove(folder) }
    let vectors = folder + "/x.npy"
    try Scratch.put("vectors", vectors)
    #expect(symlink("x.npy", folder + "/link.npy") == 0)
    #expect(link(vectors, folder + "/hard.npy") == 0)
    let inputs = [(label: "--labels", path: folder + "/y.npy"), (label: "--vectors", path: vectors)]
    for output in [vectors, folder + "/./x.npy", folder + "/../\(PathText.name(of: folder))/x.npy",
                   folder + "/link.npy", folder + "/hard.npy"] {
      #expect(throws: FileWriteError(path: output, problem: .sameAsInput("--vectors \(vectors)"))) {
        try OutputPath.refuseIfInput(output, inputs: inputs)
      }
    }
    // An input that does not exist yet is compared by its path.
    #expect(throws: FileWriteError(path: folder + "/y.npy", problem: .sameAsInput("--labels \(folder)/y.npy"))) {
      try OutputPath.refuseIfInput(folder + "/y.npy", inputs: inputs)
    }
    try OutputPath.refuseIfInput(folder + "/out.simx", inputs: inputs)
    let message = FileWriteError(path: "x.npy", problem: .sameAsInput("--vectors x.npy")).description
    #expect(message == "x.npy: is also the input --vectors x.npy; expected an output that is none of the inputs")
    #expect(Scratch.text(vectors) == "vectors")
  }

  @Test func checkResolvesALinkAndRefusesAnInput() throws {
    let folder = try Scratch.folder()
    defer { Scratch.remove(folder) }
    try Scratch.put("index", folder + "/target.simx")
    #expect(symlink("target.simx", folder + "/link.simx") == 0)
    #expect(try OutputPath.check(folder + "/link.simx") == PathText.real(folder + "/target.simx"))
    #expect(try OutputPath.check(folder + "/new.simx") == folder + "/new.simx")
    #expect(throws: FileWriteError.self) {
      try OutputPath.check(folder + "/link.simx", inputs: [("--vectors", folder + "/target.simx")])
    }
  }
}
