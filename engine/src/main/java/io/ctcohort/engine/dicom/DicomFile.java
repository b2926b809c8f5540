package io.ctcohort.engine.dicom;

/**
 * One DICOM file as read: where it came from, its transfer syntax UID, the kept attributes and,
 * when asked for, its pixel data.
 */
public record DicomFile(String name, String transferSyntaxUid, DicomAttributes attributes, PixelData pixelData) {
}
