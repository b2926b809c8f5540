"""Small DICOM fixtures for the engine's DICOM tests, written with pydicom (an independent writer),
and the volumes dcm2niix makes of the valid ones (an independent reader) as expected values.

    python3 engine/src/test/python/make_dicom_fixtures.py engine/src/test/resources/dicom

Needs pydicom, numpy, nibabel and Debian's dcm2niix. Every image is 6 columns x 5 rows; the
stored values follow a formula so that a reader's mistakes (order, sign, rescale) show.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import nibabel as nib
import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ROOT = "1.2.826.0.1.3680043.10.1234.9."
COLS, ROWS = 6, 5


def slice_ds(series_uid, study_uid, k, pos, iop, stored, *, signed=True, bits_stored=16, high_bit=None,
             slope=1.0, intercept=0.0, image_type="ORIGINAL\\PRIMARY\\AXIAL", instance=None, sop=None,
             spacing=(0.8, 0.7)):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    meta.MediaStorageSOPInstanceUID = sop or (ROOT + "3.%d.%d" % (abs(hash(series_uid)) % 10**8, k))
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "CT"
    ds.PatientName = "SECRET^FIXTURE^NAME"
    ds.PatientID = "FIX0001"
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = series_uid
    ds.InstanceNumber = instance if instance is not None else k + 1
    ds.ImageType = image_type
    ds.ImagePositionPatient = [float(v) for v in pos]
    ds.ImageOrientationPatient = [float(v) for v in iop]
    ds.PixelSpacing = list(spacing)
    ds.SliceThickness = 1.0
    ds.Rows, ds.Columns = ROWS, COLS
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1 if high_bit is None else high_bit
    ds.PixelRepresentation = 1 if signed else 0
    ds.RescaleSlope = slope
    ds.RescaleIntercept = intercept
    arr = np.asarray(stored)
    words = arr.astype(np.int64) & 0xFFFF
    ds.PixelData = words.astype("<u2").tobytes()
    return ds


def values(k, base=0):
    r, c = np.mgrid[0:ROWS, 0:COLS]
    return base + 100 * k + 10 * r + c


def write_series(folder, slices, names=None):
    os.makedirs(folder, exist_ok=True)
    for i, ds in enumerate(slices):
        name = names[i] if names else "IM%04d" % i
        ds.save_as(os.path.join(folder, name), enforce_file_format=True)


def stack(n, step=(0, 0, 2.5), origin=(10.0, -20.0, 30.0), iop=(1, 0, 0, 0, 1, 0)):
    return [tuple(origin[a] + k * step[a] for a in range(3)) for k in range(n)]


def dcm2niix_expected(folder, out_json):
    tmp = tempfile.mkdtemp()
    try:
        subprocess.run(["dcm2niix", "-z", "n", "-b", "n", "-f", "vol", "-o", tmp, folder], check=True,
                       stdout=subprocess.DEVNULL)
        img = nib.load(os.path.join(tmp, "vol.nii"))
        data = np.asanyarray(img.get_fdata())
        json.dump({"source": "dcm2niix " + subprocess.run(["dcm2niix", "--version"], capture_output=True,
                                                             text=True).stdout.strip().splitlines()[-1],
                   "shape": list(data.shape), "affine": img.affine.tolist(),
                   "values_xyz": np.round(data, 4).transpose(2, 1, 0).ravel().tolist()},
                  open(out_json, "w"), indent=None)
    finally:
        shutil.rmtree(tmp)


def pydicom_values_in_dcm2niix_layout(folder, expected_json):
    """Replaces dcm2niix's values by pydicom's modality LUT output (the standard's rule: BitsStored-bit
    two's complement), laid out as dcm2niix's volume (its axial layout: rows flipped). dcm2niix
    1.0.20220720 does not sign-extend signed samples of fewer than 16 bits."""
    from pydicom.pixels import apply_modality_lut
    files = [pydicom.dcmread(os.path.join(folder, f)) for f in sorted(os.listdir(folder))]
    files.sort(key=lambda d: float(d.ImagePositionPatient[2]))
    hu = np.stack([apply_modality_lut(d.pixel_array, d) for d in files])  # z, row, col
    xyz = hu[:, ::-1, :].transpose(2, 1, 0)
    d = json.load(open(expected_json))
    theirs = np.array(d["values_xyz"]).reshape(d["shape"][::-1]).transpose(2, 1, 0)
    same = xyz >= 0
    assert np.array_equal(theirs[same], xyz[same]), "layout differs from dcm2niix's"
    d["values_xyz"] = xyz.transpose(2, 1, 0).ravel().astype(float).tolist()
    d["source"] += " (affine); values: pydicom " + pydicom.__version__ + " apply_modality_lut"
    json.dump(d, open(expected_json, "w"))


def main(out):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    study = ROOT + "1.1"
    # Shuffled file names and reversed instance numbers: order must come from positions.
    s = ROOT + "2.1"
    iop = (1, 0, 0, 0, 1, 0)
    sl = [slice_ds(s, study, k, p, iop, values(k) - 1000, instance=10 - k) for k, p in enumerate(stack(5))]
    write_series(f"{out}/unsorted", sl, names=["c", "a", "e", "b", "d"])
    # Oblique orientation (rotated 30 degrees about z) and a negative slice direction.
    s = ROOT + "2.2"
    c, sn = np.cos(np.pi / 6), np.sin(np.pi / 6)
    iop = (c, sn, 0, -sn, c, 0)
    sl = [slice_ds(s, study, k, p, iop, values(k) - 500) for k, p in enumerate(stack(4, step=(0, 0, -3.0)))]
    write_series(f"{out}/oblique", sl)
    # Unsigned, 12 bits stored, a different slope and intercept on every slice.
    s = ROOT + "2.3"
    iop = (1, 0, 0, 0, 1, 0)
    sl = [slice_ds(s, study, k, p, iop, values(k) + 1000, signed=False, bits_stored=12,
                   slope=[1.0, 0.5, 2.0, 1.0][k], intercept=[-1024.0, -512.0, -2048.0, -1000.0][k])
          for k, p in enumerate(stack(4))]
    write_series(f"{out}/rescale_per_slice", sl)
    # Signed 12-bit values, stored in a 16-bit word without sign extension.
    s = ROOT + "2.4"
    sl = [slice_ds(s, study, k, p, iop, (values(k) - 900) & 0x0FFF, signed=True, bits_stored=12)
          for k, p in enumerate(stack(3))]
    write_series(f"{out}/signed_12bit", sl)
    for name in ["unsorted", "oblique", "rescale_per_slice", "signed_12bit"]:
        dcm2niix_expected(f"{out}/{name}", f"{out}/{name}.expected.json")
    pydicom_values_in_dcm2niix_layout(f"{out}/signed_12bit", f"{out}/signed_12bit.expected.json")
    # Invalid series.
    s = ROOT + "2.5"
    tilt = [(10.0, -20.0 + 1.0 * k, 30.0 + 2.5 * k) for k in range(4)]
    write_series(f"{out}/gantry_tilt", [slice_ds(s, study, k, p, iop, values(k)) for k, p in enumerate(tilt)])
    s = ROOT + "2.6"
    gap = [p for k, p in enumerate(stack(6)) if k != 3]
    write_series(f"{out}/missing_slice", [slice_ds(s, study, k, p, iop, values(k)) for k, p in enumerate(gap)])
    s = ROOT + "2.7"
    dup = stack(4) + [stack(4)[2]]
    write_series(f"{out}/duplicate_position", [slice_ds(s, study, k, p, iop, values(k)) for k, p in enumerate(dup)])
    s = ROOT + "2.8"
    two = [slice_ds(s, study, k, p, iop, values(k)) for k, p in enumerate(stack(3))]
    s9 = ROOT + "2.9"
    two += [slice_ds(s9, study, k, p, iop, values(k) + 7) for k, p in enumerate(stack(4))]
    two += [slice_ds(ROOT + "2.10", study, 0, stack(1)[0], iop, values(0), image_type="ORIGINAL\\PRIMARY\\LOCALIZER")]
    write_series(f"{out}/two_series", two)
    with open(f"{out}/two_series/README.txt", "w") as f:
        f.write("not a DICOM file: readers skip it\n")
    s = ROOT + "2.11"
    write_series(f"{out}/inconsistent_orientation",
                 [slice_ds(s, study, k, p, (1, 0, 0, 0, 1, 0) if k != 2 else (0.9, 0.43589, 0, -0.43589, 0.9, 0),
                           values(k)) for k, p in enumerate(stack(4))])


if __name__ == "__main__":
    main(sys.argv[1])
