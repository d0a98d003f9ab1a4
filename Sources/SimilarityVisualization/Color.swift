/// An 8-bit sRGB colour with straight (non-premultiplied) alpha.
public struct Color: Hashable, Sendable, CustomStringConvertible {
  /// Red, 0…255.
  public var red: UInt8
  /// Green, 0…255.
  public var green: UInt8
  /// Blue, 0…255.
  public var blue: UInt8
  /// Opacity, 0 (transparent) … 255 (opaque).
  public var alpha: UInt8

  /// Creates a colour from its components.
  public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
    self.red = red
    self.green = green
    self.blue = blue
    self.alpha = alpha
  }

  /// Creates an opaque colour from `0xRRGGBB`.
  public init(rgb: UInt32) {
    self.init(
      red: UInt8((rgb >> 16) & 0xFF), green: UInt8((rgb >> 8) & 0xFF), blue: UInt8(rgb & 0xFF))
  }

  /// Creates an opaque grey.
  public init(gray: UInt8) {
    self.init(red: gray, green: gray, blue: gray)
  }

  public static let white = Color(gray: 255)
  public static let black = Color(gray: 0)
  public static let transparent = Color(red: 0, green: 0, blue: 0, alpha: 0)
  /// Frame of a neighbour with the wrong label.
  public static let wrong = Color(rgb: 0xD62728)
  /// Frame of a neighbour with the right label.
  public static let right = Color(rgb: 0x2CA02C)
  /// Axis lines and text of charts.
  public static let ink = Color(rgb: 0x333333)
  /// Grid lines of charts.
  public static let grid = Color(rgb: 0xE3E3E3)

  /// `#rrggbb` for HTML and SVG (alpha is dropped).
  public var hex: String {
    let digits = Array("0123456789abcdef")
    var text = "#"
    for component in [red, green, blue] {
      text.append(digits[Int(component >> 4)])
      text.append(digits[Int(component & 0xF)])
    }
    return text
  }

  public var description: String { alpha == 255 ? hex : "\(hex) alpha \(alpha)" }

  /// Relative luminance in 0…1 (Rec. 709 weights on the 8-bit values), used to choose black or
  /// white text on a coloured cell.
  public var luminance: Double {
    (0.2126 * Double(red) + 0.7152 * Double(green) + 0.0722 * Double(blue)) / 255
  }

  /// The colour `fraction` (0…1) of the way from `self` to `other`, component by component.
  public func mixed(with other: Color, fraction: Double) -> Color {
    let t = min(max(fraction.isNaN ? 0 : fraction, 0), 1)
    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
      UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded())
    }
    return Color(
      red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue),
      alpha: mix(alpha, other.alpha))
  }
}
