"""Photos tenants attach to a repair request: recognised by their content, re-encoded without metadata.

Nothing here touches the database or storage; `photo_services` stores what `process_photo` returns.
A phone photo carries the GPS position of the home and the camera's serial number in its EXIF data,
so the stored file is always a fresh JPEG built from the pixels alone.
"""

import contextlib
import io
import logging
from dataclasses import dataclass
from typing import IO

import pillow_heif
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageFile, ImageOps

# iPhones send HEIC; the opener teaches Pillow to read it. Registering twice is harmless.
pillow_heif.register_heif_opener()

logger = logging.getLogger(__name__)
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Far below Pillow's own bomb limit (~89 megapixels): a 48 MP phone camera still fits after its
# usual 12 MP binning, and decoding 40 MP as RGB already takes about 120 MB of memory.
MAX_PHOTO_PIXELS = 40_000_000
MAX_PHOTOS_PER_REQUEST = 5
MAX_LONG_SIDE = 2560
THUMBNAIL_LONG_SIDE = 400
JPEG_QUALITY = 85

# Pillow's format names. MPO is how Pillow names a JPEG with a second picture embedded (many
# Android phones and some cameras write those); it is still a JPEG and is read as one.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
_DETECTED_AS_ACCEPTED = frozenset((*ACCEPTED_FORMATS, "MPO"))

# What Pillow and its plugins raise on malformed input. Broad on purpose: a file from the internet
# may fail in any decoder, and every such failure means "we cannot use this photo".
_DECODE_ERRORS = (
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    SyntaxError,  # Pillow's verify() reports broken chunks this way
    ValueError,
    TypeError,
    EOFError,
    IndexError,
    KeyError,
    RuntimeError,
    MemoryError,
)

NOT_A_PHOTO = _("This file is not a photo we can use. Please send a JPEG, PNG, WebP or HEIC photo.")
EMPTY_FILE = _("This file is empty. Please choose a photo.")
TOO_MANY_BYTES = _("This photo is larger than 10 MB.")
TOO_MANY_PIXELS = _("This photo has too many pixels. Please send a smaller photo.")
INCOMPLETE = _("This photo could not be read completely. Please try again.")
TOO_MANY_PHOTOS = _("A request can have at most %(count)d photos.")


class PhotoRejected(ValueError):
    """A photo we refuse; `message` is safe and meant to be shown to the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def process_photo(uploaded_file: IO[bytes]) -> ProcessedPhoto:
    """Check an uploaded file and return a clean JPEG and thumbnail, or raise PhotoRejected."""
    data = _read_within_limit(uploaded_file)
    image = _decode(data)
    # Unreadable EXIF: the pixels are fine, only their turn is unknown. Keep them as stored.
    # In place: a copy of twelve megapixels for the usual photo that needs no turn costs 35 ms.
    with contextlib.suppress(*_DECODE_ERRORS):
        ImageOps.exif_transpose(image, in_place=True)
    image = _to_srgb(image)
    # Bicubic for the one big step down (4000 to 2560 pixels): at that ratio it looks the same as
    # Lanczos and takes a third less CPU (0.29 s to 0.19 s on the benchmark machine).
    image.thumbnail((MAX_LONG_SIDE, MAX_LONG_SIDE), Image.Resampling.BICUBIC)
    image = _without_metadata(image)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_LONG_SIDE, THUMBNAIL_LONG_SIDE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        image=ContentFile(_jpeg_bytes(image), name="photo.jpg"),
        thumbnail=ContentFile(_jpeg_bytes(thumbnail), name="thumbnail.jpg"),
        width=image.width,
        height=image.height,
    )


def _read_within_limit(uploaded_file: IO[bytes]) -> bytes:
    """The file's bytes; the size is checked before anything is decoded."""
    declared_size = getattr(uploaded_file, "size", None)
    if declared_size is not None and declared_size > MAX_PHOTO_BYTES:
        raise PhotoRejected(str(TOO_MANY_BYTES))
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    # Read one byte past the limit, so a file whose declared size is wrong cannot slip through.
    data = uploaded_file.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRejected(str(TOO_MANY_BYTES))
    if not data:
        raise PhotoRejected(str(EMPTY_FILE))
    return data


def _decode(data: bytes) -> Image.Image:
    """Open, verify and fully decode; the format comes from the content, never from a name."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Some library (weasyprint does, on import) relaxed Pillow for the whole process; a truncated
        # upload would then be padded silently. Restore Pillow's strict default before decoding.
        logger.warning("Pillow's LOAD_TRUNCATED_IMAGES was on; switched it off for photo uploads")
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        # `formats` limits which decoders Pillow even tries, so a GIF or an SVG never reaches one.
        probe = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow refuses above twice its own limit (and warns above it, raised only when warnings
        # are errors). Both limits are above ours, so these are bombs for us too.
        raise PhotoRejected(str(TOO_MANY_PIXELS)) from exc
    except _DECODE_ERRORS as exc:
        raise PhotoRejected(str(NOT_A_PHOTO)) from exc
    if probe.format not in _DETECTED_AS_ACCEPTED:
        raise PhotoRejected(str(NOT_A_PHOTO))
    # Only the header has been read: refuse a bomb before its pixels are decompressed.
    if probe.width * probe.height > MAX_PHOTO_PIXELS:
        raise PhotoRejected(str(TOO_MANY_PIXELS))
    try:
        probe.verify()
        # verify() leaves the image unusable, so decode a second, fresh copy. load() reads every
        # byte of pixel data and raises when the file ends early.
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoRejected(str(TOO_MANY_PIXELS)) from exc
    except _DECODE_ERRORS as exc:
        raise PhotoRejected(str(INCOMPLETE)) from exc
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB in sRGB: wide-gamut colours (iPhone Display P3) converted, transparency onto white.

    The ICC profile is dropped from the output with the rest of the metadata, so the pixels must be
    sRGB first or the colours would shift.
    """
    icc_profile = image.info.get("icc_profile")
    if icc_profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        # A broken or unusual profile: keep the pixels as they are rather than refuse the photo.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError, TypeError):
            image = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGBA" if image.mode == "RGBA" else "RGB",
            )
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    try:
        if has_alpha:
            rgba = image.convert("RGBA")
            flattened = Image.new("RGB", rgba.size, "white")
            flattened.paste(rgba, mask=rgba.getchannel("A"))
            return flattened
        return image if image.mode == "RGB" else image.convert("RGB")
    except _DECODE_ERRORS as exc:
        raise PhotoRejected(str(NOT_A_PHOTO)) from exc


def _without_metadata(image: Image.Image) -> Image.Image:
    """A new image with the same pixels and an empty `info`, so no EXIF, GPS, ICC or XMP survives.

    Pillow's convert() and copy() carry `info` along, and some encoders write from it by default.
    """
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def _jpeg_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()
