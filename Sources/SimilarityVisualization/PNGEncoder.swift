import CSimilarityPNG
import Foundation

/// Encodes a ``Raster`` as PNG with libpng (`png_create_write_struct`, a memory write callback).
///
/// Opaque rasters are written as 8-bit RGB (colour type 2), others as 8-bit RGBA (colour
/// type 6); compression level 6 with libpng's adaptive filters. The raster's size is checked
/// when it is created, so encoding in memory cannot fail for bad input; libpng's own errors
/// (out of memory) stop the process.
public enum PNGEncoder {
  /// The PNG file signature.
  public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// The PNG bytes of `raster`.
  public static func encode(_ raster: Raster) -> [UInt8] {
    // libpng's default limit on each side; a larger raster is a programming error here.
    precondition(
      raster.width <= 1_000_000 && raster.height <= 1_000_000,
      "PNGEncoder: \(raster.width)×\(raster.height) exceeds libpng's 1,000,000-pixel sides")
    let sink = ByteSink()
    guard
      let png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nil, pngFailed, pngWarning)
    else { fatalError("PNGEncoder: png_create_write_struct failed (out of memory)") }
    var pngPointer: png_structp? = png
    guard let info = png_create_info_struct(png) else {
      png_destroy_write_struct(&pngPointer, nil)
      fatalError("PNGEncoder: png_create_info_struct failed (out of memory)")
    }
    var infoPointer: png_infop? = info
    defer { png_destroy_write_struct(&pngPointer, &infoPointer) }

    let unmanaged = Unmanaged.passUnretained(sink)
    png_set_write_fn(png, unmanaged.toOpaque(), pngWrite, pngFlush)
    png_set_compression_level(png, 6)
    let opaque = raster.isOpaque
    png_set_IHDR(
      png, info, png_uint_32(raster.width), png_uint_32(raster.height), 8,
      opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
      PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT)
    png_write_info(png, info)

    let channels = opaque ? 3 : 4
    var row = [UInt8](repeating: 0, count: raster.width * channels)
    raster.pixels.withUnsafeBufferPointer { pixels in
      for y in 0..<raster.height {
        let base = y * raster.width * 4
        if opaque {
          for x in 0..<raster.width {
            row[x * 3] = pixels[base + x * 4]
            row[x * 3 + 1] = pixels[base + x * 4 + 1]
            row[x * 3 + 2] = pixels[base + x * 4 + 2]
          }
        } else {
          for i in 0..<(raster.width * 4) { row[i] = pixels[base + i] }
        }
        row.withUnsafeMutableBufferPointer { png_write_row(png, $0.baseAddress) }
      }
    }
    png_write_end(png, nil)
    return withExtendedLifetime(sink) { sink.bytes }
  }

  /// Writes `raster` as a PNG file at `url`, atomically (temporary file, `fsync`, `rename`).
  /// - Throws: ``OutputError`` naming the path when the file cannot be written.
  public static func write(_ raster: Raster, to url: URL) throws(OutputError) {
    try OutputFile.write(encode(raster), to: url)
  }

  /// `data:image/png;base64,…` for an `<img src>` in a self-contained HTML page.
  public static func dataURI(_ raster: Raster) -> String {
    HTML.dataURI(encode(raster), mediaType: "image/png")
  }
}

/// Collects the bytes libpng writes.
private final class ByteSink {
  var bytes: [UInt8] = []
}

private func pngWrite(_ png: png_structp?, _ data: png_bytep?, _ length: Int) {
  guard let png, let data, let io = png_get_io_ptr(png) else { return }
  let sink = Unmanaged<ByteSink>.fromOpaque(io).takeUnretainedValue()
  sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: length))
}

private func pngFlush(_ png: png_structp?) {}

private func pngFailed(_ png: png_structp?, _ message: png_const_charp?) {
  // libpng requires an error handler not to return; the only errors possible here, with sizes
  // checked by Raster and writes to memory, are allocation failures.
  fatalError("libpng: " + (message.map { String(cString: $0) } ?? "unknown error"))
}

private func pngWarning(_ png: png_structp?, _ message: png_const_charp?) {}
