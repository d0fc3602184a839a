import Foundation
import GANTensor

/// report.html: loss curves as inline SVG, the sample grids, and the resolved recipe. One
/// self-contained page (images by relative link) that opens anywhere without a server.
public enum HTMLReport {
    public static func write(run: URL, metrics: URL, samples: [URL], recipe: String, to output: URL) throws {
        let entries = try MetricsLog(url: metrics).read()
        let names = Set(entries.flatMap(\.keys)).subtracting(["step", "time"]).sorted()
        var html = """
        <!doctype html><html><head><meta charset="utf-8"><title>\(escape(run.lastPathComponent))</title>
        <style>body{font-family:sans-serif;margin:2em;max-width:1100px}svg{background:#fafafa;border:1px solid #ddd;margin:4px}
        .charts{display:flex;flex-wrap:wrap}img{image-rendering:pixelated;width:320px;margin:4px;border:1px solid #ddd}
        pre{background:#f4f4f4;padding:1em}</style></head><body>
        <h1>\(escape(run.lastPathComponent))</h1>
        """
        if let last = entries.last, let step = last["step"], let time = last["time"] {
            html += "<p>\(Int(step)) steps in \(String(format: "%.1f", time)) s (\(String(format: "%.2f", step / Swift.max(time, 1e-9))) steps/s).</p>"
        }
        html += "<h2>Metrics</h2><div class=\"charts\">"
        for name in names {
            let points = entries.compactMap { e -> (Double, Double)? in
                guard let s = e["step"], let v = e[name] else { return nil }
                return (s, v)
            }
            html += chart(title: name, points: points)
        }
        html += "</div><h2>Samples</h2><div>"
        for url in samples.suffix(6) {
            let rel = url.path.hasPrefix(run.path + "/") ? String(url.path.dropFirst(run.path.count + 1)) : url.path
            html += "<figure style=\"display:inline-block\"><img src=\"\(escape(rel))\"><figcaption>\(escape(url.deletingPathExtension().lastPathComponent))</figcaption></figure>"
        }
        html += "</div><h2>Recipe</h2><pre>\(escape(recipe))</pre></body></html>\n"
        try AtomicFile.write(Data(html.utf8), to: output)
    }

    /// A line chart of (step, value) as an SVG polyline with min/max labels.
    static func chart(title: String, points: [(Double, Double)], width: Double = 340, height: Double = 180) -> String {
        guard let first = points.first else { return "" }
        let xs = points.map(\.0), ys = points.map(\.1)
        let x0 = xs.min()!, x1 = Swift.max(xs.max()!, x0 + 1), y0 = ys.min()!, y1 = Swift.max(ys.max()!, y0 + 1e-9)
        let pad = 30.0
        let coords = points.map { p in
            String(format: "%.1f,%.1f", pad + (p.0 - x0) / (x1 - x0) * (width - 2 * pad),
                   height - pad - (p.1 - y0) / (y1 - y0) * (height - 2 * pad))
        }.joined(separator: " ")
        _ = first
        return """
        <svg width="\(Int(width))" height="\(Int(height))" xmlns="http://www.w3.org/2000/svg"><title>\(escape(title))</title>
        <text x="\(pad)" y="16" font-size="13">\(escape(title))</text>
        <text x="2" y="\(pad + 4)" font-size="9">\(String(format: "%.3g", y1))</text>
        <text x="2" y="\(height - pad)" font-size="9">\(String(format: "%.3g", y0))</text>
        <text x="\(width - pad - 20)" y="\(height - 8)" font-size="9">\(Int(x1))</text>
        <polyline fill="none" stroke="#1f5fbf" stroke-width="1.5" points="\(coords)"/></svg>
        """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
