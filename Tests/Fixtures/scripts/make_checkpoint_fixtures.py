"""Writes the checkpoint fixtures that CheckpointTests reads, with Python's own safetensors and
numpy, so the Swift readers are checked against the reference implementations.

    pip install safetensors numpy
    python3 Tests/Fixtures/scripts/make_checkpoint_fixtures.py

The values are simple closed forms that CheckpointTests repeats."""
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

out = Path(__file__).resolve().parents[2] / "GANTensorTests" / "Fixtures"
out.mkdir(parents=True, exist_ok=True)

save_file(
    {
        "weight": (np.arange(6, dtype=np.float32) * 0.5 - 1).reshape(2, 3),  # -1, -0.5, ..., 1.5
        "num_batches_tracked": np.array(7, dtype=np.int64),  # shape ()
        "half": np.array([1, -2, 0.5, 65504, 2**-24], dtype=np.float16),
        "double": np.array([0.1, 1e10], dtype=np.float64),
        "empty": np.zeros((0, 3), dtype=np.float32),
    },
    str(out / "reference.safetensors"),
    metadata={"format": "pt", "step": "12"},
)

np.save(out / "f4.npy", (np.arange(8, dtype=np.float32) / 4).reshape(2, 2, 2))  # 0, 0.25, ..., 1.75
np.save(out / "f8.npy", np.array([0.1, -3.0, 1e10]))
np.save(out / "i8.npy", np.array(-42, dtype=np.int64))  # shape ()
np.save(out / "fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
