"""Checks that a GANKit DCGAN-28 generator checkpoint loads into the equivalent PyTorch module
(shared/bench/torch_gan_bench.py's dcgan28 G, rebuilt here) and gives the same outputs.

Usage: python3 scripts/check_pytorch_interop.py RUN_DIR
  (runs `gan sample --latents` itself; needs `pip install torch safetensors numpy`)."""
import glob, os, subprocess, sys, tempfile
import numpy as np, torch, torch.nn as nn
from safetensors.torch import load_file

run = sys.argv[1]
ckpt = sorted(glob.glob(os.path.join(run, "checkpoints", "step-*[0-9]")))[-1]
state = load_file(os.path.join(ckpt, "G.safetensors"))
ngf = state["0.weight"].shape[0] // (4 * 49)
G = nn.Sequential(nn.Linear(100, 4 * ngf * 49), nn.Unflatten(1, (4 * ngf, 7, 7)), nn.BatchNorm2d(4 * ngf), nn.ReLU(True),
                  nn.ConvTranspose2d(4 * ngf, 2 * ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * ngf), nn.ReLU(True),
                  nn.ConvTranspose2d(2 * ngf, 1, 4, 2, 1), nn.Tanh())
G.load_state_dict(state, strict=True)
G.eval()
z = np.random.default_rng(0).standard_normal((16, 100)).astype(np.float32)
with tempfile.TemporaryDirectory() as d:
    np.save(os.path.join(d, "z.npy"), z)
    gan = os.environ.get("GAN", ".build/release/gan")
    subprocess.run([gan, "sample", "--checkpoint", ckpt, "--latents", os.path.join(d, "z.npy"),
                    "--out", os.path.join(d, "g.png"), "--npy", os.path.join(d, "g.npy")], check=True, capture_output=True)
    ours = np.load(os.path.join(d, "g.npy"))
with torch.no_grad():
    theirs = G(torch.from_numpy(z)).numpy()
diff = float(np.abs(ours - theirs).max())
print(f"checkpoint {ckpt}: max |GANKit - PyTorch| = {diff:.2e} over {theirs.size} values")
sys.exit(0 if diff < 1e-4 else 1)
