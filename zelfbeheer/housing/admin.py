from django.contrib import admin

from .models import Building, Complex, Home, Household


@admin.register(Complex)
class ComplexAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "complex")
    list_select_related = ("complex",)


@admin.register(Home)
class HomeAdmin(admin.ModelAdmin):
    list_display = (
        "unit_id",
        "street",
        "house_number",
        "house_number_addition",
        "postcode",
        "building",
    )
    list_select_related = ("building",)
    search_fields = ("unit_id", "street", "postcode")
    list_filter = ("building",)


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "home",
        "start_date",
        "end_date",
        "contact_preference",
        "has_service_subscription",
    )
    list_select_related = ("home",)
    search_fields = ("name", "home__street", "home__postcode", "home__unit_id")
    autocomplete_fields = ("members",)
    list_filter = ("contact_preference", "has_service_subscription", "preferred_language")
