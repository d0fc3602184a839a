import GANTensor

/// A batch of images as one PNG grid, row-major, on black, optionally with row and column labels
/// in margins to the left and on top. Without labels the grid is exactly
/// (columns*(W+padding)+padding) x (rows*(H+padding)+padding), rows = ceil(N/columns).
public enum ImageGrid {
    /// The grid as an 8-bit image. `images` is [N,C,H,W] in [-1, 1] with C = 1 or 3.
    public static func image(_ images: Tensor, columns: Int, padding: Int = 2, rowLabels: [String]? = nil,
                             columnLabels: [String]? = nil) throws -> Image8 {
        guard images.rank == 4, images.shape[0] > 0, images.shape[1] == 1 || images.shape[1] == 3,
              images.shape[2] > 0, images.shape[3] > 0 else {
            throw TensorError.invalidShape(op: "ImageGrid", shape: images.shape, reason: "needs [N,C,H,W] with N > 0, C 1 or 3")
        }
        guard columns > 0 else { throw DataError.option(name: "columns", reason: "must be positive, got \(columns)") }
        guard padding >= 0 else { throw DataError.option(name: "padding", reason: "must be >= 0, got \(padding)") }
        let (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let rows = (n + columns - 1) / columns
        if let rowLabels, rowLabels.count > rows {
            throw DataError.option(name: "rowLabels", reason: "\(rowLabels.count) labels for \(rows) rows")
        }
        if let columnLabels, columnLabels.count > columns {
            throw DataError.option(name: "columnLabels", reason: "\(columnLabels.count) labels for \(columns) columns")
        }
        // Text grows with the images so labels stay legible on large tiles.
        let scale = max(1, min(h, w) / 48)
        let rowText = rowLabels ?? []
        let leftMargin = rowText.isEmpty ? 0
            : rowText.map { BitmapFont.width($0, scale: scale) }.max()! + 2 * scale + max(0, 2 * scale - padding)
        let topMargin = (columnLabels ?? []).isEmpty ? 0 : BitmapFont.glyphHeight * scale + 2 * scale
        let gridW = leftMargin + columns * (w + padding) + padding
        let gridH = topMargin + rows * (h + padding) + padding
        guard gridW.multipliedReportingOverflow(by: gridH).partialValue < 1 << 28 else {
            throw DataError.option(name: "columns", reason: "grid of \(gridW)x\(gridH) pixels is too large")
        }
        var canvas = Image8(width: gridW, height: gridH, channels: c)
        canvas.pixels.withUnsafeMutableBufferPointer { px in
            let src = images.data
            for i in 0..<n {
                let x0 = leftMargin + padding + (i % columns) * (w + padding)
                let y0 = topMargin + padding + (i / columns) * (h + padding)
                let img = src + i * c * h * w
                for y in 0..<h {
                    for x in 0..<w {
                        let base = ((y0 + y) * gridW + x0 + x) * c
                        for k in 0..<c { px[base + k] = Image8.byte(img[(k * h + y) * w + x]) }
                    }
                }
            }
        }
        let glyphH = BitmapFont.glyphHeight * scale
        for (r, label) in rowText.enumerated() {
            let y = topMargin + padding + r * (h + padding) + (h - glyphH) / 2
            BitmapFont.draw(label, x: scale, y: y, scale: scale, on: &canvas)
        }
        for (col, label) in (columnLabels ?? []).enumerated() {
            // Truncate to the tile width, then centre.
            let fit = max(0, (w + padding + scale) / (BitmapFont.advance * scale))
            let text = String(label.prefix(fit))
            let x = leftMargin + padding + col * (w + padding) + max(0, (w - BitmapFont.width(text, scale: scale)) / 2)
            BitmapFont.draw(text, x: x, y: scale, scale: scale, on: &canvas)
        }
        return canvas
    }

    /// The grid encoded as PNG.
    public static func png(_ images: Tensor, columns: Int, padding: Int = 2, rowLabels: [String]? = nil,
                           columnLabels: [String]? = nil) throws -> [UInt8] {
        try ImageCodec.encodePNG(image(images, columns: columns, padding: padding, rowLabels: rowLabels,
                                       columnLabels: columnLabels))
    }

    public static func write(_ images: Tensor, columns: Int, padding: Int = 2, to path: String,
                             rowLabels: [String]? = nil, columnLabels: [String]? = nil) throws {
        let grid = try image(images, columns: columns, padding: padding, rowLabels: rowLabels, columnLabels: columnLabels)
        try ImageCodec.writePNG(grid, to: path)
    }
}
