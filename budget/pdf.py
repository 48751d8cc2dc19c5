"""The one place that renders HTML to PDF; weasyprint is imported here, lazily, never at module load."""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def html_to_pdf(html: str) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    # weasyprint switches on Pillow's process-wide "accept truncated images" when it is imported; in the
    # web process that would let broken photo uploads through (tickets.photos). Our PDFs only embed
    # images we made ourselves, so Pillow's strict default is restored.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
