extension Array where Element == Int {
  /// The product of the elements, or `nil` when it overflows or an element is negative: for
  /// sizes computed from shapes and counts read from files.
  public func checkedProduct() -> Int? {
    var total = 1
    for value in self {
      guard value >= 0 else { return nil }
      let (product, overflow) = total.multipliedReportingOverflow(by: value)
      if overflow { return nil }
      total = product
    }
    return total
  }

  /// The sum of the elements, or `nil` when it overflows or an element is negative.
  public func checkedSum() -> Int? {
    var total = 0
    for value in self {
      guard value >= 0 else { return nil }
      let (sum, overflow) = total.addingReportingOverflow(value)
      if overflow { return nil }
      total = sum
    }
    return total
  }
}
