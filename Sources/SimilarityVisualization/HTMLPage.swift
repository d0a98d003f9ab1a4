/// The page shell shared by the projector and the report: UTF-8, viewport, inline style.
enum HTMLPage {
  static let style = """
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px auto;\
    max-width:1100px;color:#222;padding:0 16px}
    h1{font-size:26px;margin-bottom:4px}h2{font-size:20px;border-bottom:1px solid #ddd;\
    padding-bottom:4px;margin-top:36px}h3{font-size:16px}
    .subtitle{color:#666;margin-top:0}
    table{border-collapse:collapse;margin:10px 0;font-size:13px}
    th,td{border:1px solid #ddd;padding:4px 8px;text-align:left}th{background:#f3f5f8}
    td.num{text-align:right;font-variant-numeric:tabular-nums}
    pre{background:#f6f8fa;padding:10px;overflow-x:auto;font-size:12px;line-height:1.35}
    img,svg{max-width:100%;height:auto}
    .figure{margin:12px 0}.caption{color:#555;font-size:13px}
    .legend span{display:inline-block;margin:4px 10px 0 0;font-size:13px}
    .legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:5px}
    .projector-title{font-weight:bold;margin-bottom:4px}
    nav ul{columns:2;font-size:14px}
    """

  /// A complete document around `body`.
  static func wrap(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(HTML.escape(title))</title>
    <style>
    \(style)
    </style>
    </head>
    <body>
    \(body)
    </body>
    </html>

    """
  }
}
