import Foundation
import Testing

@testable import SimilaritySearch

@Suite struct SlotMapTests {
  @Test func staysTheIdentityForAutomaticIdsAndMaterialisesOnTheFirstOtherChange() {
    var map = SlotMap()
    for slot in 0..<5 { map[slot] = slot }
    #expect(map.isIdentity && map.count == 5)
    #expect(map[3] == 3 && map[5] == nil && map[-1] == nil)
    map[9] = 5  // an id that is not its slot
    #expect(!map.isIdentity && map.count == 6)
    #expect((0..<5).allSatisfy { map[$0] == $0 } && map[9] == 5 && map[5] == nil)

    var removal = SlotMap()
    for slot in 0..<3 { removal[slot] = slot }
    removal[1] = nil
    #expect(!removal.isIdentity && removal.count == 2 && removal[1] == nil && removal[2] == 2)
  }

  @Test func indexesWithAutomaticIdsKeepTheIdentityMapThroughSaveAndLoad() throws {
    let data = TestData.gaussian(count: 50, dimension: 3, seed: 1)
    let index = HNSWIndex(dimension: 3, distance: .euclidean, seed: 1)
    try index.add(vectors: data)
    #expect(index.items.slotOfID.isIdentity)
    let path = TestData.temporaryPath("slotmap")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try index.write(to: path)
    let loaded = try HNSWIndex(contentsOf: path)
    #expect(loaded.items.slotOfID.isIdentity && loaded.checkInvariants().isEmpty)
    try loaded.remove(id: 7)
    #expect(!loaded.items.slotOfID.isIdentity && loaded.checkInvariants().isEmpty)
    #expect(try loaded.search(TestData.row(data, 7, 3), k: 1).first?.id != 7)
  }

  @Test func anOptionalColumnStoresNothingUntilItsFirstValue() {
    var column = OptionalColumn<Int>()
    for _ in 0..<4 { column.append(nil) }
    #expect(column.count == 4 && column.capacity == 0 && column[2] == nil)
    column[2] = nil
    #expect(column.capacity == 0)
    column[1] = 7
    #expect(column.capacity >= 4 && column[1] == 7 && column[0] == nil && column[3] == nil)
    column.append(9)
    column.append(nil)
    #expect(column.count == 6 && column[4] == 9 && column[5] == nil)
    column.removeLast()
    #expect(column.count == 5 && column.reduce(0) { $0 + ($1 ?? 0) } == 16)
    var later = OptionalColumn<[UInt8]>()
    later.append(nil)
    later.append([1, 2])
    #expect(later[0] == nil && later[1] == [1, 2] && later.count == 2)
    var first = OptionalColumn<Int>()  // a value in the very first slot
    first.append(5)
    first.append(nil)
    #expect(first[0] == 5 && first[1] == nil && first.count == 2)
  }
}
