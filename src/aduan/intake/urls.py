"""Webhook endpoints of the inbound channels (mounted at /intake/)."""

from django.urls import path

from aduan.intake import views

app_name = "intake"

urlpatterns = [
    path("whatsapp/", views.whatsapp_webhook, name="whatsapp-webhook"),
    path("sms/sms-gate/", views.smsgate_webhook, name="smsgate-webhook"),
    path("sms/", views.sms_generic_webhook, name="sms-webhook"),
]
