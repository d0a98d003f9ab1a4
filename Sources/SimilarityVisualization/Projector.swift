import Foundation

/// An interactive 2-D map of embeddings (TF Similarity's `projector`): one dot per point,
/// coloured by class, and hovering a dot shows its thumbnail and label. The page is
/// self-contained: inline SVG, thumbnails as PNG data URIs and a few lines of inline
/// JavaScript. The coordinates come from ``TSNE`` or ``PCA``.
public struct Projector: Sendable {
  /// One point of the map.
  public struct Item: Sendable {
    public var position: SIMD2<Double>
    public var label: Int?
    public var thumbnail: PixelImage?
    /// Extra text shown on hover after the label (for example the example's index).
    public var caption: String?
    public init(
      position: SIMD2<Double>, label: Int?, thumbnail: PixelImage? = nil, caption: String? = nil
    ) {
      self.position = position
      self.label = label
      self.thumbnail = thumbnail
      self.caption = caption
    }
  }

  public var items: [Item]
  /// `classNames[label]` names a label; labels without a name are shown as numbers.
  public var classNames: [String]
  public var title: String
  /// Side of the square plot in pixels.
  public var size: Int

  /// Creates a map.
  public init(
    items: [Item], classNames: [String] = [], title: String = "Projector", size: Int = 640
  ) {
    precondition(size >= 100, "Projector: size \(size) < 100")
    self.items = items
    self.classNames = classNames
    self.title = title
    self.size = size
  }

  /// A map of `positions[i]` with `labels[i]` and, when given, `thumbnails[i]` (all the same
  /// length).
  public init(
    positions: [SIMD2<Double>], labels: [Int?], thumbnails: [PixelImage]? = nil,
    classNames: [String] = [], title: String = "Projector", size: Int = 640
  ) {
    precondition(
      positions.count == labels.count,
      "Projector: \(positions.count) positions, \(labels.count) labels")
    precondition(
      thumbnails.map { $0.count == positions.count } ?? true, "Projector: thumbnail count")
    let items = positions.indices.map {
      Item(position: positions[$0], label: labels[$0], thumbnail: thumbnails?[$0])
    }
    self.init(items: items, classNames: classNames, title: title, size: size)
  }

  /// The colour of a label's dots.
  public static func color(of label: Int?) -> Color {
    label.map(ColorScale.categorical) ?? Color(rgb: 0x999999)
  }

  /// The pixel position of every item: the bounding box fitted into the square with a margin,
  /// aspect ratio kept, y up.
  func pixelPositions() -> [SIMD2<Double>] {
    let finite = items.map(\.position).filter { $0.x.isFinite && $0.y.isFinite }
    guard let first = finite.first else { return items.map { _ in SIMD2(0, 0) } }
    var low = first
    var high = first
    for p in finite {
      low = pointwiseMin(low, p)
      high = pointwiseMax(high, p)
    }
    let margin = 14.0
    let extent = max(high.x - low.x, high.y - low.y, 1e-12)
    let scale = (Double(size) - 2 * margin) / extent
    let offset = (SIMD2(Double(size), Double(size)) - (high - low) * scale) / 2
    return items.map { item in
      let p = item.position
      guard p.x.isFinite && p.y.isFinite else { return SIMD2(0, 0) }
      return SIMD2(
        offset.x + (p.x - low.x) * scale, Double(size) - offset.y - (p.y - low.y) * scale)
    }
  }

  private var distinctLabels: [Int?] {
    let labels = Set(items.compactMap(\.label)).sorted()
    return labels.map(Optional.some) + (items.contains { $0.label == nil } ? [nil] : [])
  }

  /// The map as a `<div>` holding the SVG, the legend, the hover box and its script; `id` must
  /// be unique in the page.
  public func htmlFragment(id: String) -> String {
    let positions = pixelPositions()
    var svg =
      "<svg width=\"\(size)\" height=\"\(size)\" viewBox=\"0 0 \(size) \(size)\" "
      + "xmlns=\"http://www.w3.org/2000/svg\" style=\"background:#fff;border:1px solid #ccc\">\n"
    for (index, item) in items.enumerated() {
      let p = positions[index]
      svg +=
        String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" ", p.x, p.y)
        + "fill=\"\(Self.color(of: item.label).hex)\" fill-opacity=\"0.8\" data-i=\"\(index)\"/>\n"
    }
    svg += "</svg>"
    var legend = "<div class=\"legend\">"
    for label in distinctLabels {
      legend +=
        "<span><i style=\"background:\(Self.color(of: label).hex)\"></i>"
        + "\(HTML.escape(LabelName.of(label, classNames)))</span> "
    }
    legend += "</div>"
    let captions = items.map { item -> String in
      let name = LabelName.of(item.label, classNames)
      return HTML.javaScriptString(item.caption.map { "\(name) · \($0)" } ?? name)
    }
    let thumbnails = items.map { item in
      item.thumbnail.map { "\"" + PNGEncoder.dataURI($0.raster) + "\"" } ?? "null"
    }
    let elementID = HTML.escape(id)
    return """
      <div class="projector" id="\(elementID)" style="position:relative;display:inline-block">
      <div class="projector-title">\(HTML.escape(title))</div>
      \(svg)
      \(legend)
      <div class="projector-tip" style="display:none;position:absolute;pointer-events:none;\
      background:#fff;border:1px solid #888;padding:4px;font:12px sans-serif;\
      box-shadow:0 2px 6px rgba(0,0,0,.3);white-space:nowrap;z-index:10">\
      <img alt="" style="display:block;width:84px;max-width:none;height:auto;\
      image-rendering:pixelated"><span></span></div>
      <script>
      (function () {
        var root = document.getElementById(\(HTML.javaScriptString(id)));
        var captions = [\(captions.joined(separator: ","))];
        var thumbnails = [\(thumbnails.joined(separator: ",\n"))];
        var svg = root.querySelector("svg");
        var tip = root.querySelector(".projector-tip");
        var image = tip.querySelector("img");
        var text = tip.querySelector("span");
        var current = null;
        svg.addEventListener("mousemove", function (event) {
          var target = event.target;
          if (!target.hasAttribute || !target.hasAttribute("data-i")) {
            tip.style.display = "none";
            if (current) { current.removeAttribute("stroke"); current = null; }
            return;
          }
          var i = Number(target.getAttribute("data-i"));
          if (current !== target) {
            if (current) { current.removeAttribute("stroke"); }
            target.setAttribute("stroke", "#000");
            current = target;
          }
          if (thumbnails[i]) { image.src = thumbnails[i]; image.style.display = "block"; }
          else { image.style.display = "none"; }
          text.textContent = captions[i];
          var box = root.getBoundingClientRect();
          tip.style.display = "block";
          var x = event.clientX - box.left + 12;
          var y = event.clientY - box.top + 12;
          if (x + tip.offsetWidth > box.width) { x = event.clientX - box.left - 12 - tip.offsetWidth; }
          if (y + tip.offsetHeight > box.height) { y = event.clientY - box.top - 12 - tip.offsetHeight; }
          tip.style.left = x + "px";
          tip.style.top = y + "px";
        });
        svg.addEventListener("mouseleave", function () { tip.style.display = "none"; });
      })();
      </script>
      </div>
      """
  }

  /// A complete HTML page holding only the map.
  public func htmlPage() -> String {
    HTMLPage.wrap(title: title, body: htmlFragment(id: "projector"))
  }

  /// The map as a static picture with a legend, for PNG output.
  public func raster() -> Raster {
    let labels = distinctLabels
    let legendWidth =
      (labels.map { BitmapFont.size(of: LabelName.of($0, classNames), scale: 2).width }.max() ?? 0)
      + 40
    var raster = Raster(width: size + legendWidth, height: max(size, 20 * labels.count + 20))
    raster.strokeRect(x: 0, y: 0, width: size, height: size, color: Color(gray: 204))
    for (item, p) in zip(items, pixelPositions()) {
      var color = Self.color(of: item.label)
      color.alpha = 210
      raster.fillCircle(x: Int(p.x.rounded()), y: Int(p.y.rounded()), radius: 3, color: color)
    }
    for (row, label) in labels.enumerated() {
      let y = 12 + row * 20
      raster.fillRect(x: size + 12, y: y, width: 12, height: 12, color: Self.color(of: label))
      raster.drawText(LabelName.of(label, classNames), x: size + 30, y: y, color: .ink, scale: 2)
    }
    return raster
  }
}
