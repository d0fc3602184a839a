"""Reference values for Tests/GANMetricsTests/ReferenceValueTests.swift.

Independent implementations: scikit-image (SSIM, PSNR), scipy (sqrtm for FID, spearmanr) and
plain numpy (MS-SSIM from scipy.ndimage Gaussian filtering, the unbiased MMD², k-NN precision/
recall). Inputs are closed-form patterns rebuilt identically in MetricFixtures.swift, rounded to
float32 as the Swift tensors hold them. Run: python3 metrics_reference.py (numpy, scipy,
scikit-image 0.26).
"""
import numpy as np
import scipy.linalg
import scipy.ndimage
import scipy.stats
from skimage.metrics import peak_signal_noise_ratio, structural_similarity


def images(n, c, h, w, variant):
    """Same formula as MetricFixtures.images."""
    out = np.zeros((n, c, h, w))
    for k in range(n):
        for ch in range(c):
            for i in range(h):
                for j in range(w):
                    if variant == 0:
                        v = 0.7 * np.sin(0.37 * i + 0.91 * j + 1.7 * ch + 2.3 * k) + 0.25 * np.cos(1.3 * i - 0.6 * j + 0.4 * k)
                    else:
                        v = (0.7 * np.sin(0.41 * i + 0.88 * j + 1.7 * ch + 2.3 * k + 0.3)
                             + 0.25 * np.cos(1.1 * i - 0.6 * j) + 0.05 * np.sin(5.1 * i + 3.7 * j))
                    out[k, ch, i, j] = v
    return out.astype(np.float32).astype(np.float64)


def features(n, d, variant):
    """Same formula as MetricFixtures.features."""
    out = np.zeros((n, d))
    for i in range(n):
        for j in range(d):
            if variant == 0:
                v = np.sin(0.7 * i * (j + 1) + 0.3 * j) + 0.2 * j * np.cos(0.11 * i)
            else:
                v = 0.5 + 0.8 * np.cos(0.53 * i * (j + 2)) + 0.1 * i / n
            out[i, j] = v
    return out.astype(np.float32).astype(np.float64)


def ssim_parts(x, y, data_range=2.0):
    """Mean SSIM and cs of one channel: Gaussian sigma 1.5 truncated to 11 taps, border cropped."""
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    f = lambda a: scipy.ndimage.gaussian_filter(a, 1.5, truncate=3.5)[5:-5, 5:-5]
    mx, my = f(x), f(y)
    vx, vy, cxy = f(x * x) - mx * mx, f(y * y) - my * my, f(x * y) - mx * my
    cs = (2 * cxy + c2) / (vx + vy + c2)
    lum = (2 * mx * my + c1) / (mx * mx + my * my + c1)
    return (lum * cs).mean(), cs.mean()


def ms_ssim(x, y, scales):
    w = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333][:scales])
    w = w / w.sum()
    per_channel = []
    for ch in range(x.shape[0]):
        a, b, value = x[ch], y[ch], 1.0
        for s in range(scales):
            ssim, cs = ssim_parts(a, b)
            value *= max(ssim if s == scales - 1 else cs, 0) ** w[s]
            h, wd = a.shape[0] // 2 * 2, a.shape[1] // 2 * 2
            a = a[:h, :wd].reshape(h // 2, 2, wd // 2, 2).mean(axis=(1, 3))
            b = b[:h, :wd].reshape(h // 2, 2, wd // 2, 2).mean(axis=(1, 3))
        per_channel.append(value)
    return np.mean(per_channel)


def fid(a, b):
    m1, m2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = scipy.linalg.sqrtm(s1 @ s2).real
    return ((m1 - m2) ** 2).sum() + np.trace(s1 + s2 - 2 * root)


def mmd2(x, y):
    d = x.shape[1]
    k = lambda a, b: (a @ b.T / d + 1) ** 3
    m, n = len(x), len(y)
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
    return ((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
            - 2 * kxy.sum() / (m * n))


def precision_recall(real, fake, k=3):
    def dist(a, b):
        return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    r_real = np.sort(dist(real, real), axis=1)[:, k]
    r_fake = np.sort(dist(fake, fake), axis=1)[:, k]
    precision = (dist(fake, real) <= r_real[None, :]).any(1).mean()
    recall = (dist(real, fake) <= r_fake[None, :]).any(1).mean()
    return precision, recall


a, b = images(2, 1, 16, 16, 0), images(2, 1, 16, 16, 1)
print("ssim gray 2x1x16x16", [structural_similarity(a[k, 0], b[k, 0], gaussian_weights=True, sigma=1.5,
      use_sample_covariance=False, data_range=2.0) for k in range(2)])
a, b = images(1, 3, 20, 24, 0), images(1, 3, 20, 24, 1)
print("ssim rgb 1x3x20x24", structural_similarity(a[0], b[0], gaussian_weights=True, sigma=1.5,
      use_sample_covariance=False, data_range=2.0, channel_axis=0))
print("  numpy ssim_parts agrees:", np.mean([ssim_parts(a[0, c], b[0, c])[0] for c in range(3)]))
print("psnr 1x3x20x24", peak_signal_noise_ratio(a[0], b[0], data_range=2.0))
print("l1 1x3x20x24", np.abs(a[0] - b[0]).mean())
a, b = images(1, 1, 28, 28, 0), images(1, 1, 28, 28, 1)
print("msssim 1x1x28x28 (2 scales)", ms_ssim(a[0], b[0], 2))
a, b = images(1, 3, 64, 50, 0), images(1, 3, 64, 50, 1)
print("msssim 1x3x64x50 (3 scales)", ms_ssim(a[0], b[0], 3))
fa, fb = features(40, 5, 0), features(40, 5, 1)
print("fid 40x5", fid(fa, fb))
print("mmd2 40x5", mmd2(fa, fb))
print("precision/recall 40x5 k=3", precision_recall(fa, fb))
x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0]
y = [2.0, 7.0, 1.0, 8.0, 2.0, 8.0, 1.0, 8.0, 2.0, 8.0]
print("spearman", scipy.stats.spearmanr(x, y).statistic)
print("pearson", scipy.stats.pearsonr(x, y).statistic)
