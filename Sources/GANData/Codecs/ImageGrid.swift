import GANTensor

/// Sample sheets: N images [N, C, H, W] in [-1, 1] tiled `columns` wide on a black background with
/// `padding` pixels between and around them, as one PNG.
public enum ImageGrid {
    public static func image(_ images: Tensor, columns: Int, padding: Int = 2) throws -> Image8 {
        guard images.rank == 4, images.shape[1] == 1 || images.shape[1] == 3, columns >= 1 else {
            throw DataError.option(name: "grid", reason: "expected [N, 1 or 3, H, W] images and columns >= 1, got \(images.shape)")
        }
        let n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3]
        let rows = (n + columns - 1) / columns
        let width = columns * (w + padding) + padding, height = rows * (h + padding) + padding
        var px = [UInt8](repeating: 0, count: width * height * c)
        let plane = h * w
        for i in 0..<n {
            let x0 = padding + (i % columns) * (w + padding), y0 = padding + (i / columns) * (h + padding)
            let base = images.data + i * c * plane
            for y in 0..<h {
                for x in 0..<w {
                    for k in 0..<c {
                        let v = base[k * plane + y * w + x]
                        px[((y0 + y) * width + x0 + x) * c + k] = UInt8(Swift.max(0, Swift.min(255, ((v.isNaN ? -1 : v) + 1) * 127.5 + 0.5)))
                    }
                }
            }
        }
        return Image8(width: width, height: height, channels: c, pixels: px)
    }

    public static func png(_ images: Tensor, columns: Int, padding: Int = 2) throws -> [UInt8] {
        try ImageCodec.encodePNG(image(images, columns: columns, padding: padding))
    }

    public static func write(_ images: Tensor, columns: Int, padding: Int = 2, to path: String) throws {
        try FileBytes.write(png(images, columns: columns, padding: padding), to: path)
    }
}
