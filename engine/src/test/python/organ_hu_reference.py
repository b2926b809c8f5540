"""Independent reference for liver_hu / spleen_hu on TotalSegmentator's example CT (tooling only).

Reads example_ct_sm.nii.gz and example_seg_fast.nii.gz from ../shared/reference/totalsegmentator with
numpy alone (NIfTI-1: 348-byte header, vox_offset, little endian), erodes each organ three times with
scipy.ndimage.binary_erosion (6-connected cross, border_value=0: what Comp2Comp does before measuring),
and prints the mean HU of what is left (CT cast to int16, as TotalSegmentator's statistics do).
The Java test StatsBiomarkersReferenceTest pins these numbers.
"""
import gzip
import struct
import sys

import numpy as np
from scipy import ndimage

DTYPES = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64, 256: np.int8, 512: np.uint16}


def read_nifti(path):
    raw = gzip.open(path).read()
    dims = struct.unpack('<8h', raw[40:56])
    datatype = struct.unpack('<h', raw[70:72])[0]
    vox_offset = int(struct.unpack('<f', raw[108:112])[0])
    slope, inter = struct.unpack('<2f', raw[112:120])
    n = dims[1:1 + dims[0]]
    a = np.frombuffer(raw, dtype=DTYPES[datatype], count=int(np.prod(n)), offset=vox_offset).reshape(n, order='F')
    if slope not in (0.0, 1.0) or inter != 0.0:
        a = a * (slope if slope else 1.0) + inter
    return a


def main(root):
    ct = read_nifti(f'{root}/example_ct_sm.nii.gz').astype(np.float64).astype(np.int16)
    seg = read_nifti(f'{root}/example_seg_fast.nii.gz')
    for name, label in (('liver', 5), ('spleen', 1)):
        eroded = ndimage.binary_erosion(seg == label, iterations=3, border_value=0)
        print(f'{name}_hu,{ct[eroded].astype(np.float64).mean():.6f},{int(eroded.sum())}')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else '../shared/reference/totalsegmentator')
