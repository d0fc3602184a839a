"""Prints the scalars and image tags of a GANKit run's TensorBoard event files, read with the
`tensorboard` package itself (pip install tensorboard): a check that the files are well formed.
Usage: python3 scripts/read_tensorboard_events.py RUN_DIR"""
import glob, os, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

for path in sorted(glob.glob(os.path.join(sys.argv[1], "tensorboard", "events.out.tfevents.*"))):
    ea = EventAccumulator(path, size_guidance={"images": 0, "scalars": 0})
    ea.Reload()
    print(path)
    for tag in ea.Tags()["scalars"]:
        s = ea.Scalars(tag)
        print(f"  scalar {tag}: {len(s)} points, last step {s[-1].step} value {s[-1].value:.4g}")
    for tag in ea.Tags()["images"]:
        im = ea.Images(tag)
        print(f"  image {tag}: {len(im)} images, last {im[-1].width}x{im[-1].height} at step {im[-1].step}")
