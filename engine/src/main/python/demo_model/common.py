"""Shared definitions of the demo model: structures, preprocessing (mirrors the Java engine), network."""
import numpy as np
import torch
import torch.nn as nn

# Output channel -> TotalSegmentator `total` (v2) label index and name. Channel 0 is background.
STRUCTURES = [
    (1, "spleen"), (2, "kidney_right"), (3, "kidney_left"), (5, "liver"), (7, "pancreas"),
    (27, "vertebrae_L5"), (28, "vertebrae_L4"), (29, "vertebrae_L3"), (30, "vertebrae_L2"),
    (31, "vertebrae_L1"), (52, "aorta"), (77, "hip_left"), (78, "hip_right"),
    (86, "autochthon_left"), (87, "autochthon_right"), (88, "iliopsoas_left"), (89, "iliopsoas_right"),
]
NUM_CLASSES = len(STRUCTURES) + 1
TARGET_SPACING = (3.0, 3.0, 3.0)      # canonical RAS x, y, z (mm)
# x, y, z: the inference tile equals the training crop. InstanceNorm then sees statistics like those it
# was trained on; one 128x128x144 tile over the whole phantom cost 0.055 Dice on validation (0.838 vs 0.893).
PATCH = (64, 64, 64)
CLIP = (-250.0, 1250.0)
MEAN, STD = 0.0, 250.0


def label_lut():
    lut = np.zeros(256, np.uint8)
    for c, (label, _) in enumerate(STRUCTURES, start=1):
        lut[label] = c
    return lut


def _axis(n_in, n_out):
    """The Java engine's (nnU-Net/skimage) mapping: output o samples (o + 0.5) * n_in / n_out - 0.5, edge-clamped."""
    c = np.clip((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0, n_in - 1)
    lo = np.floor(c).astype(np.int64)
    hi = np.minimum(lo + 1, n_in - 1)
    return lo, hi, c - lo, np.minimum(np.floor(c + 0.5).astype(np.int64), n_in - 1)


def resampled_shape(shape, spacing):
    return tuple(max(1, int(np.rint(s / t * n))) for n, s, t in zip(shape, spacing, TARGET_SPACING))


def resample(volume, out_shape, order):
    """Separable linear (order 1) or nearest (order 0) resampling of an (x, y, z) array."""
    a = volume
    for ax, n_out in enumerate(out_shape):
        n_in = a.shape[ax]
        if n_in == n_out:
            continue
        lo, hi, f, near = _axis(n_in, n_out)
        if order == 0:
            a = np.take(a, near, axis=ax)
        else:
            shape = [1, 1, 1]
            shape[ax] = n_out
            f = f.reshape(shape).astype(np.float32)
            a = np.take(a, lo, axis=ax) * (1 - f) + np.take(a, hi, axis=ax) * f
    return a


def preprocess(ct_img, label_img=None):
    """nibabel images -> (normalized float32 image, channel labels) at model resolution, arrays (x, y, z)."""
    import nibabel as nib
    ct = nib.as_closest_canonical(ct_img)
    hu = np.clip(np.asarray(ct.dataobj).astype(np.float32), *CLIP)
    spacing = [float(z) for z in ct.header.get_zooms()[:3]]
    out_shape = resampled_shape(hu.shape, spacing)
    img = (resample(hu, out_shape, 1) - MEAN) / STD
    lab = None
    if label_img is not None:
        lab = label_lut()[resample(np.asarray(nib.as_closest_canonical(label_img).dataobj), out_shape, 0)]
    return img.astype(np.float32), lab


def block(cin, cout):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1), nn.InstanceNorm3d(cout, affine=True),
                         nn.LeakyReLU(0.01, inplace=True))


class DemoUNet(nn.Module):
    """A small 3-D U-Net. The first layer folds 2x2x2 voxels into channels, so the encoder works at
    6, 12, 24 and 48 mm (its receptive field spans the lumbar spine, which tells L1 from L5); a learned
    2x upsampling and a 1x1x1 convolution that also sees the 3 mm input restore full-resolution
    boundaries. A 3x3x3 refinement at 3 mm adds its correction to those logits: it sees each voxel's
    neighbours, so it can place a boundary by the local contrast (a psoas's 2 mm fat sheath, the partial
    volume at a pancreas's edge) rather than by the typical size the 6 mm features suggest. Its last
    layer starts at zero, so a network trained without it continues from the same function.
    About 3.2 k multiply-adds per voxel."""

    def __init__(self, c=(8, 16, 32, 48), classes=NUM_CLASSES, fine=12, refine=(6, 8)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv3d(1, c[0], 2, stride=2), nn.InstanceNorm3d(c[0], affine=True),
                                  nn.LeakyReLU(0.01, inplace=True))
        self.e1 = block(c[0], c[0])
        self.down1 = nn.Conv3d(c[0], c[1], 2, stride=2)
        self.e2 = nn.Sequential(block(c[1], c[1]), block(c[1], c[1]))
        self.down2 = nn.Conv3d(c[1], c[2], 2, stride=2)
        self.e3 = nn.Sequential(block(c[2], c[2]), block(c[2], c[2]))
        self.down3 = nn.Conv3d(c[2], c[3], 2, stride=2)
        self.e4 = nn.Sequential(block(c[3], c[3]), block(c[3], c[3]))
        self.up3 = nn.ConvTranspose3d(c[3], c[2], 2, stride=2)
        self.d3 = block(2 * c[2], c[2])
        self.up2 = nn.ConvTranspose3d(c[2], c[1], 2, stride=2)
        self.d2 = block(2 * c[1], c[1])
        self.up1 = nn.ConvTranspose3d(c[1], c[0], 2, stride=2)
        self.d1 = block(2 * c[0], c[0])
        self.up0 = nn.ConvTranspose3d(c[0], fine, 2, stride=2)
        self.head = nn.Sequential(nn.LeakyReLU(0.01), nn.Conv3d(fine + 1, classes, 1))
        self.refine = nn.Sequential(nn.LeakyReLU(0.01), nn.Conv3d(fine + 1, refine[0], 1),
                                    nn.Conv3d(refine[0], refine[1], 3, padding=1),
                                    nn.InstanceNorm3d(refine[1], affine=True), nn.LeakyReLU(0.01, inplace=True),
                                    nn.Conv3d(refine[1], classes, 1))
        nn.init.zeros_(self.refine[-1].weight)
        nn.init.zeros_(self.refine[-1].bias)

    def forward(self, x):
        a = self.e1(self.stem(x))
        b = self.e2(self.down1(a))
        c = self.e3(self.down2(b))
        d = self.e4(self.down3(c))
        c = self.d3(torch.cat([self.up3(d), c], 1))
        b = self.d2(torch.cat([self.up2(c), b], 1))
        a = self.d1(torch.cat([self.up1(b), a], 1))
        h = torch.cat([self.up0(a), x], 1)
        return self.head(h) + self.refine(h)
