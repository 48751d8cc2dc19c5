"""The one place that renders HTML to PDF; weasyprint is imported here, lazily, never at module load."""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
