from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from aduan.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Office"), {"fields": ("office", "unit", "phone", "job_title")}),
    )
    list_display = ("username", "first_name", "last_name", "unit", "is_active")
    list_filter = ("groups", "unit", "is_active")
