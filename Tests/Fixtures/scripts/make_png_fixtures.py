#!/usr/bin/env python3
"""Writes the PNG fixtures of Tests/GANDataTests/CodecTests.swift (enum PNGFixtures).

PNG files the Swift encoder cannot produce (palette, tRNS, low and 16-bit depths, Adam7
interlacing) are built here chunk by chunk with only the standard library (zlib, struct), with
the 8-bit pixels a decoder must return (palette and tRNS expanded, 16 -> 8 bits by taking the
high byte, as libpng's png_set_strip_16 does). Run: python3 make_png_fixtures.py > fixtures.swift
and paste the output over the generated block in CodecTests.swift.
"""
import base64
import struct
import zlib


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """Samples of one row packed at `depth` bits (1, 2, 4, 8 or 16), big-endian, MSB first."""
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    if depth == 8:
        return bytes(samples)
    out, acc, bits = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | s
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(width, height, color_type, depth, rows, plte=None, trns=None, interlaced=False):
    """rows[y][x] is a tuple of raw samples per pixel; every scanline uses filter 0 (None)."""
    raw = bytearray()
    if interlaced:
        for x0, y0, dx, dy in ADAM7:
            xs = list(range(x0, width, dx))
            if not xs:
                continue
            for y in range(y0, height, dy):
                raw += b"\x00" + pack_row([s for x in xs for s in rows[y][x]], depth)
    else:
        for y in range(height):
            raw += b"\x00" + pack_row([s for px in rows[y] for s in px], depth)
    data = b"\x89PNG\r\n\x1a\n"
    data += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 1 if interlaced else 0))
    if plte is not None:
        data += chunk(b"PLTE", bytes(c for rgb in plte for c in rgb))
    if trns is not None:
        data += chunk(b"tRNS", trns)
    data += chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    data += chunk(b"IEND", b"")
    return data


def expected_pixels(rows, convert):
    return [v for row in rows for px in row for v in convert(px)]


def cases():
    out = []
    # Palette, 8-bit indices, no transparency -> RGB.
    plte = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (10, 20, 30)]
    rows = [[(0,), (1,), (2,)], [(3,), (2,), (1,)]]
    out.append(("palette8", png(3, 2, 3, 8, rows, plte=plte), 3, 2, 3,
                expected_pixels(rows, lambda p: plte[p[0]])))
    # Palette, 2-bit indices, tRNS for the first two entries -> RGBA.
    alpha = [0, 128]
    rows = [[(0,), (1,), (2,), (3,), (1,)]]
    out.append(("palette2_trns", png(5, 1, 3, 2, rows, plte=plte, trns=bytes(alpha)), 5, 1, 4,
                expected_pixels(rows, lambda p: list(plte[p[0]]) + [alpha[p[0]] if p[0] < len(alpha) else 255])))
    # Gray, 1-bit -> 0 / 255.
    rows = [[(1,), (0,), (1,)], [(0,), (0,), (1,)]]
    out.append(("gray1", png(3, 2, 0, 1, rows), 3, 2, 1, expected_pixels(rows, lambda p: [p[0] * 255])))
    # Gray, 4-bit: value v expands to v * 17.
    rows = [[(0,), (5,), (15,)]]
    out.append(("gray4", png(3, 1, 0, 4, rows), 3, 1, 1, expected_pixels(rows, lambda p: [p[0] * 17])))
    # Gray 8-bit with a tRNS colour key (value 7) -> gray + alpha.
    rows = [[(7,), (8,)]]
    out.append(("gray8_trns", png(2, 1, 0, 8, rows, trns=struct.pack(">H", 7)), 2, 1, 2,
                expected_pixels(rows, lambda p: [p[0], 0 if p[0] == 7 else 255])))
    # Gray 16-bit -> high byte.
    rows = [[(0x0000,), (0x12FF,)], [(0xABCD,), (0xFFFF,)]]
    out.append(("gray16", png(2, 2, 0, 16, rows), 2, 2, 1, expected_pixels(rows, lambda p: [p[0] >> 8])))
    # Gray+alpha 16-bit.
    rows = [[(0x1234, 0xFEDC), (0x0001, 0x8000)]]
    out.append(("grayalpha16", png(2, 1, 4, 16, rows), 2, 1, 2, expected_pixels(rows, lambda p: [v >> 8 for v in p])))
    # RGBA 16-bit.
    rows = [[(0x0102, 0x0304, 0x0506, 0x0708), (0xF0F0, 0x8080, 0x4040, 0xFFFF)]]
    out.append(("rgba16", png(2, 1, 6, 16, rows), 2, 1, 4, expected_pixels(rows, lambda p: [v >> 8 for v in p])))
    # RGB 16-bit with a tRNS colour key -> RGBA.
    rows = [[(1, 2, 3), (0x100, 0x200, 0x300)]]
    out.append(("rgb16_trns", png(2, 1, 2, 16, rows, trns=struct.pack(">HHH", 1, 2, 3)), 2, 1, 4,
                expected_pixels(rows, lambda p: [v >> 8 for v in p] + [0 if p == (1, 2, 3) else 255])))
    # RGB 8-bit, Adam7 interlaced, 9x10 so that every pass is non-empty and some are ragged.
    rows = [[((x * 29 + y) % 256, (y * 23) % 256, (x * y * 7) % 256) for x in range(9)] for y in range(10)]
    out.append(("rgb8_adam7", png(9, 10, 2, 8, rows, interlaced=True), 9, 10, 3, expected_pixels(rows, list)))
    # Gray+alpha 8-bit, interlaced.
    rows = [[((x * 40) % 256, (y * 60) % 256) for x in range(5)] for y in range(3)]
    out.append(("grayalpha8_adam7", png(5, 3, 4, 8, rows, interlaced=True), 5, 3, 2, expected_pixels(rows, list)))
    return out


def main():
    print("// Generated by Tests/Fixtures/scripts/make_png_fixtures.py; do not edit by hand.")
    print("enum PNGFixtures {")
    print("    struct Case { var name: String; var base64: String; var width, height, channels: Int; var pixels: [UInt8] }")
    print("    static let cases: [Case] = [")
    for name, data, w, h, c, pixels in cases():
        assert len(pixels) == w * h * c, name
        print(f'        Case(name: "{name}", base64: "{base64.b64encode(data).decode()}",')
        print(f"             width: {w}, height: {h}, channels: {c}, pixels: {pixels}),")
    print("    ]")
    print("}")


if __name__ == "__main__":
    main()
