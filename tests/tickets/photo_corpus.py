"""Photo test files built in code, so no binary files live in the repository.

Each builder returns an upload as a browser would send it: a name and a content type that may lie.
"""

import io
import random
import struct
import zlib

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms

pillow_heif.register_heif_opener()

# Lombok, Utrecht: what a phone writes into a photo taken at home.
GPS_LATITUDE = (52.0, 5.0, 30.0)
GPS_LONGITUDE = (5.0, 6.0, 15.0)


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _noise(size: tuple[int, int], seed: int = 1) -> Image.Image:
    """Random pixels: they do not compress, so a cut-off file really misses image data."""
    rng = random.Random(seed)
    return Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))


def _phone_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.Base.Model] = "iPhone 15"
    exif[ExifTags.Base.BodySerialNumber] = "F2LXK0ABCDEF"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: GPS_LONGITUDE,
    }
    return exif


def _srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_bytes(size: tuple[int, int] = (64, 48), colour: str = "teal", **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", **save_options)
    return buffer.getvalue()


def jpeg_from_phone(size: tuple[int, int] = (20, 10), orientation: int = 6) -> SimpleUploadedFile:
    """A JPEG with GPS position, serial number, orientation tag, ICC profile, XMP and a comment."""
    content = jpeg_bytes(
        size,
        exif=_phone_exif(orientation),
        icc_profile=_srgb_icc(),
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret</x:xmpmeta>',
        comment=b"Kaneelstraat 12, kamer boven",
    )
    return upload("IMG_0001.JPG", content)


def jpeg_with_comment() -> SimpleUploadedFile:
    """No profile and no turn, so nothing on the way rebuilds the image: only the clean copy drops it."""
    return upload("notitie.jpg", jpeg_bytes(comment=b"Kaneelstraat 12, sleutel onder de mat"))


def jpeg_large(size: tuple[int, int] = (3000, 1000)) -> SimpleUploadedFile:
    return upload("groot.jpg", jpeg_bytes(size))


def jpeg_mpo() -> SimpleUploadedFile:
    """A JPEG with a second picture inside (Pillow calls it MPO); many Android phones write these."""
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (30, 20), "blue")]
    )
    return upload("PXL_0003.jpg", buffer.getvalue())


def png_with_alpha() -> SimpleUploadedFile:
    """Left half transparent, right half opaque red."""
    image = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (20, 0, 40, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return upload("scherm.png", buffer.getvalue(), "image/png")


def webp() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "orange").save(buffer, "WEBP")
    return upload("foto.webp", buffer.getvalue(), "image/webp")


def heic() -> SimpleUploadedFile:
    """What an iPhone sends: HEIC with EXIF (GPS included)."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "purple").save(buffer, "HEIF", exif=_phone_exif(orientation=1))
    return upload("IMG_0002.HEIC", buffer.getvalue(), "image/heic")


def png_named_pdf() -> SimpleUploadedFile:
    """A good photo whose name and content type lie: the content decides."""
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "navy").save(buffer, "PNG")
    return upload("scan.pdf", buffer.getvalue(), "application/pdf")


# -- files we refuse ---------------------------------------------------------------------------


def pdf_named_jpg() -> SimpleUploadedFile:
    content = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return upload("foto.jpg", content)


def svg_named_png() -> SimpleUploadedFile:
    content = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert("x")</script><rect width="10" height="10"/></svg>'
    )
    return upload("foto.png", content, "image/png")


def gif() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "green").save(buffer, "GIF")
    return upload("foto.gif", buffer.getvalue(), "image/gif")


def text_named_jpg() -> SimpleUploadedFile:
    return upload("foto.jpg", b"Dit is geen foto, maar een briefje.\n")


def truncated_jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    _noise((256, 256)).save(buffer, "JPEG", quality=90)
    content = buffer.getvalue()
    return upload("half.jpg", content[: len(content) // 2])


def twelve_megabytes() -> SimpleUploadedFile:
    """A JPEG header followed by noise up to 12 MB: refused on size alone."""
    header = jpeg_bytes((8, 8))[:20]
    return upload("enorm.jpg", header + random.Random(2).randbytes(12 * 1024 * 1024))


def empty() -> SimpleUploadedFile:
    return upload("leeg.jpg", b"")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 20_000) -> SimpleUploadedFile:
    """A complete, valid one-bit PNG of side x side pixels of one colour.

    20000 x 20000 is 400 megapixels (1.2 GB as RGB) in about 50 kB. Written chunk by chunk so the
    test never holds the decoded image in memory either.
    """
    row = b"\x00" + b"\x00" * ((side + 7) // 8)  # filter byte "none", then all-black pixels
    compressor = zlib.compressobj(9)
    compressed = b"".join(compressor.compress(row * 500) for _ in range(side // 500))
    compressed += compressor.compress(row * (side % 500)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # bit depth 1, greyscale
    content = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", compressed)
        + _png_chunk(b"IEND", b"")
    )
    return upload("bom.png", content, "image/png")


REFUSED = {
    "pdf named .jpg": pdf_named_jpg,
    "svg named .png": svg_named_png,
    "gif": gif,
    "text named .jpg": text_named_jpg,
    "truncated jpeg": truncated_jpeg,
    "12 MB": twelve_megabytes,
    "empty": empty,
    "bomb 400 MP (above Pillow's own limit)": png_bomb,
    "bomb 64 MP (above ours, below Pillow's)": lambda: png_bomb(side=8000),
}
