#!/usr/bin/env python3
"""Dev-time only: writes the small synthetic codec fixtures of this folder (see README.md).

Needs pydicom, numpy, dcmtk (dcmcjpeg, dcmcjpls, dcmcrle, dcmdjpls) and gdcm (gdcmconv).
The Maven build never runs this; the fixtures it wrote are committed.
"""
import copy
import subprocess
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ROWS, COLS = 47, 61  # odd sizes: odd RLE segment lengths, no 8x8 alignment


def image(bits_stored, signed, seed):
    """A CT-like phantom: flat background, a disk, a bright spot, noise, and both range extremes."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:ROWS, 0:COLS]
    lo, hi = (-(1 << (bits_stored - 1)), (1 << (bits_stored - 1)) - 1) if signed else (0, (1 << bits_stored) - 1)
    mid = (lo + hi) // 2
    img = np.full((ROWS, COLS), lo + (hi - lo) // 8, dtype=np.int64)
    disk = (y - 23) ** 2 + (x - 30) ** 2 < 18 ** 2
    img[disk] = mid + rng.integers(-(hi - lo) // 64, (hi - lo) // 64 + 1, size=disk.sum())
    img[20:24, 40:44] = hi - 5
    img[0, :8] = lo          # extremes: a difference of half the range in 16 bits
    img[0, 8:16] = hi
    img[ROWS - 1, COLS - 1] = hi
    img[:, 5] = x[:, 5] * 0 + np.arange(ROWS) * ((hi - lo) // ROWS) + lo  # a ramp down one column
    return np.clip(img, lo, hi)


def write_native(path, img, bits_allocated, bits_stored, signed):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"  # secondary capture
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "OT"
    ds.PatientName = "Synthetic^Fixture"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = ROWS, COLS
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits_allocated, bits_stored, bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    dtype = {(8, False): np.uint8, (16, False): np.uint16, (16, True): np.int16}[(bits_allocated, signed)]
    ds.PixelData = img.astype(dtype).tobytes()
    ds.save_as(path, enforce_file_format=True)


def run(*cmd):
    subprocess.run(cmd, check=True)


CASES = [("s16", 16, 16, True, 1), ("u12", 16, 12, False, 2), ("u8", 8, 8, False, 3)]
for name, ba, bs, signed, seed in CASES:
    native = f"{name}_native.dcm"
    write_native(native, image(bs, signed, seed), ba, bs, signed)
    run("dcmcrle", native, f"{name}_rle.dcm")
    run("dcmcjpls", native, f"{name}_jpegls.dcm")
    run("gdcmconv", "--j2k", native, f"{name}_j2k.dcm")
    for sv in range(1, 8):
        run("dcmcjpeg", "+el", "+sv", str(sv), native, f"{name}_jpeg_sv{sv}.dcm")
# 12-bit precision in the stream itself (the true-lossless codecs above write P=16 for BitsStored 12)
run("dcmcjpeg", "+pl", "+el", "+sv", "1", "+bt", "u12_native.dcm", "u12_jpeg_p12_sv1.dcm")
run("dcmcjpls", "+pc", "u12_native.dcm", "u12_jpegls_p12.dcm")
# point transform: stored values are (v >> pt) << pt
run("dcmcjpeg", "+el", "+sv", "1", "+pt", "2", "u12_native.dcm", "u12_jpeg_sv1_pt2.dcm")
# JPEG-LS near-lossless and custom thresholds (LSE marker); dcmdjpls decodes the lossy one
run("dcmcjpls", "+en", "+md", "3", "u12_native.dcm", "u12_jpegls_near3.dcm")
run("dcmdjpls", "u12_jpegls_near3.dcm", "u12_jpegls_near3_decoded.dcm")
run("dcmcjpls", "+en", "+md", "2", "u8_native.dcm", "u8_jpegls_near2.dcm")
run("dcmdjpls", "u8_jpegls_near2.dcm", "u8_jpegls_near2_decoded.dcm")
run("dcmcjpls", "+t1", "5", "+t2", "40", "+t3", "300", "+rs", "32", "u12_native.dcm", "u12_jpegls_lse.dcm")


# ---- Restart intervals: neither dcmtk nor gdcm writes them, so build two bare streams (.jpg, .jls) ----
from pydicom.encaps import encapsulate, generate_pixel_data_frame


def frame_of(path):
    return next(generate_pixel_data_frame(pydicom.dcmread(path).PixelData, 1))


def check_decodes(frame, native, syntax, *tool):
    """Wraps a bare stream into a copy of the native file and has dcmtk or gdcm decode it: the fixture is valid."""
    ds = pydicom.dcmread(native)
    ds.file_meta.TransferSyntaxUID = syntax
    ds.PixelData = encapsulate([frame])
    ds["PixelData"].VR = "OB"
    ds.save_as("/tmp/restart_check.dcm", enforce_file_format=True)
    run(*tool, "/tmp/restart_check.dcm", "/tmp/restart_check_decoded.dcm")
    assert pydicom.dcmread("/tmp/restart_check_decoded.dcm").PixelData == pydicom.dcmread(native).PixelData


class Bits:
    def __init__(self):
        self.out, self.acc, self.n = bytearray(), 0, 0

    def put(self, value, length):
        for i in range(length - 1, -1, -1):
            self.acc = self.acc << 1 | (value >> i & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)  # T.81 byte stuffing
                self.acc, self.n = 0, 0

    def flush(self):
        while self.n:
            self.put(1, 1)  # pad with 1 bits


def jpeg_lossless_sv1_restart(img, precision, restart_rows):
    """T.81 process 14, predictor 1, one Huffman table giving every SSSS 0..16 a 5-bit code, DRI every restart_rows lines."""
    rows, cols = img.shape
    v = img.astype(np.int64) & ((1 << precision) - 1)
    seg = lambda marker, payload: bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload
    out = bytearray(b"\xff\xd8")
    out += seg(0xC3, bytes([precision]) + rows.to_bytes(2, "big") + cols.to_bytes(2, "big") + bytes([1, 1, 0x11, 0]))
    out += seg(0xC4, bytes([0x00]) + bytes([0, 0, 0, 0, 17] + [0] * 11) + bytes(range(17)))
    out += seg(0xDD, (restart_rows * cols).to_bytes(2, "big"))
    out += seg(0xDA, bytes([1, 1, 0x00, 1, 0, 0]))
    bits = Bits()
    for r0 in range(0, rows, restart_rows):
        if r0:
            bits.flush()
            out += bits.out + bytes([0xFF, 0xD0 + (r0 // restart_rows - 1) % 8])
            bits.out = bytearray()
        for y in range(r0, min(rows, r0 + restart_rows)):
            for x in range(cols):
                if x == 0:
                    pred = (1 << (precision - 1)) if y == r0 else v[y - 1, 0]
                else:
                    pred = v[y, x - 1]
                diff = (int(v[y, x]) - int(pred)) % 65536
                diff = diff - 65536 if diff >= 32768 else diff
                ssss = abs(diff).bit_length()
                bits.put(ssss, 5)
                if 0 < ssss < 16:
                    bits.put(diff if diff > 0 else diff + (1 << ssss) - 1, ssss)
    bits.flush()
    return bytes(out + bits.out + b"\xff\xd9")


def jpegls_restart(native, restart_rows, name):
    """JPEG-LS restarts reset contexts, run index and the previous line (to zeros), so a band encoded
    alone is exactly one restart interval: join the bands' scan data with RSTn markers."""
    ds = pydicom.dcmread(native)
    img = np.frombuffer(ds.PixelData, dtype=np.uint8 if ds.BitsAllocated == 8 else np.uint16)[:ds.Rows * ds.Columns].reshape(ds.Rows, ds.Columns)
    header, scans = None, []
    for i, r0 in enumerate(range(0, ds.Rows, restart_rows)):
        band = copy.deepcopy(ds)
        band.Rows = min(restart_rows, ds.Rows - r0)
        band.PixelData = img[r0:r0 + restart_rows].tobytes()
        band.save_as("/tmp/band.dcm", enforce_file_format=True)
        run("dcmcjpls", "/tmp/band.dcm", "/tmp/band_jls.dcm")
        f = frame_of("/tmp/band_jls.dcm")
        sos = f.index(b"\xff\xda")
        scan_start = sos + 2 + int.from_bytes(f[sos + 2:sos + 4], "big")
        scan_end = f.rindex(b"\xff\xd9")
        while f[scan_end - 1] == 0xFF:
            scan_end -= 1  # fill bytes of an extended EOI
        if header is None:
            header = bytearray(f[:scan_start])
        scans.append(f[scan_start:scan_end])
    sof = header.index(b"\xff\xf7")
    header[sof + 5:sof + 7] = ds.Rows.to_bytes(2, "big")  # the full height
    sos = header.index(b"\xff\xda")
    header[sos:sos] = b"\xff\xdd\x00\x04" + restart_rows.to_bytes(2, "big")
    out = bytearray(header)
    for i, scan in enumerate(scans):
        if i:
            out += bytes([0xFF, 0xD0 + (i - 1) % 8])
        out += scan
    out += b"\xff\xd9"
    # dcmtk's CharLS 1.x refuses restart intervals; gdcm's CharLS 2.4 decodes them
    check_decodes(bytes(out), native, "1.2.840.10008.1.2.4.80", "gdcmconv", "--raw")
    open(name, "wb").write(out)


for name, precision, restart_rows in [("s16", 16, 10), ("u8", 8, 7)]:
    ds = pydicom.dcmread(f"{name}_native.dcm")
    img = np.frombuffer(ds.PixelData, dtype=np.uint8 if ds.BitsAllocated == 8 else np.uint16)[:ds.Rows * ds.Columns].reshape(ds.Rows, ds.Columns)
    frame = jpeg_lossless_sv1_restart(img, precision, restart_rows)
    check_decodes(frame, f"{name}_native.dcm", "1.2.840.10008.1.2.4.70", "dcmdjpeg")
    open(f"{name}_jpeg_sv1_restart{restart_rows}.jpg", "wb").write(frame)
    jpegls_restart(f"{name}_native.dcm", restart_rows, f"{name}_jpegls_restart{restart_rows}.jls")
