from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Every form field in the portal renders with the same accessible label, help and error layout."""

    field_template_name = "forms/field.html"
