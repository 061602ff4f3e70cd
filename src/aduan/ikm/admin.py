from django.contrib import admin

from aduan.ikm.models import ServiceRating, SurveyPopulation, SurveyResponse


@admin.register(ServiceRating)
class ServiceRatingAdmin(admin.ModelAdmin):
    """Ratings are the reporters' words: read-only here."""

    list_display = ["complaint", "score", "created_at"]
    list_filter = ["score"]
    readonly_fields = ["complaint", "score", "elements", "comment", "created_at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    """Answers of service users: read-only."""

    list_display = ["created_at", "score", "age_band", "sex", "education", "occupation"]
    list_filter = ["score", "age_band", "sex", "education", "occupation"]
    readonly_fields = ["office", "service_type", "elements", "score", "age_band", "sex",
                       "education", "occupation", "comment", "created_at"]
    exclude = ["nonce"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SurveyPopulation)
class SurveyPopulationAdmin(admin.ModelAdmin):
    list_display = ["office", "year", "half", "population"]
    list_filter = ["office", "year"]
