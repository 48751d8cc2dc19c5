"""Category names and guidance are shown to tenants, so they exist in every interface language.

django-modeltranslation adds name_nl, name_en, name_tr, name_ar (and the same for guidance); reading
`category.name` gives the reader's language, falling back to Dutch where a translation is missing.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import WorkCategory


@register(WorkCategory)
class WorkCategoryTranslationOptions(TranslationOptions):
    fields = ("name", "tenant_guidance")
