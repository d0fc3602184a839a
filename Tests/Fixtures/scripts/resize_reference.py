"""Reference values for GANData's bilinear resize (Tests/GANDataTests/TransformTests.swift).

Input: x[c, i, j] = (c + 1) * (i * W + j) ** 1.5 / 10 (a smooth non-linear ramp), C = 2.
Prints torch.nn.functional.interpolate(mode="bilinear", align_corners=False) results, plain and with
antialias=True, for a growing and a shrinking case, rounded to 5 decimals.
"""
import torch
import torch.nn.functional as F


def ramp(h, w):
    i = torch.arange(h * w, dtype=torch.float64).reshape(h, w)
    return torch.stack([(c + 1) * i ** 1.5 / 10 for c in range(2)])[None].float()


for (h, w), (oh, ow), aa in [((3, 5), (7, 4), False), ((8, 6), (3, 4), False), ((8, 6), (3, 4), True), ((9, 7), (4, 3), True)]:
    y = F.interpolate(ramp(h, w), size=(oh, ow), mode="bilinear", align_corners=False, antialias=aa)
    values = ", ".join(f"{v:.5f}" for v in y.flatten().tolist())
    print(f"// {h}x{w} -> {oh}x{ow} antialias={aa}\n[{values}]")
