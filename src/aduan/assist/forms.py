"""Forms of the assist settings page: they parse input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aduan.assist.models import DEFAULT_THRESHOLD, AssistMode, ChannelAssist, SavedReply
from aduan.offices.models import Channel, ChannelKind, Office


class SavedReplyForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    body = forms.CharField(label=_("Teks balasan"), max_length=20_000,
                           widget=forms.Textarea(attrs={"rows": 8}))
    keywords = forms.CharField(label=_("Kata kunci (untuk pencarian)"), max_length=300,
                               required=False)
    order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=32_000, initial=0)
    is_active = forms.BooleanField(label=_("Aktif (muncul di pilihan jawaban)"),
                                   required=False, initial=True)

    def __init__(self, *args: Any, instance: SavedReply | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs["initial"] = {"title": instance.title, "body": instance.body,
                                 "keywords": instance.keywords, "order": instance.order,
                                 "is_active": instance.is_active}
        super().__init__(*args, **kwargs)


class ChannelAssistForm(forms.Form):
    channel_kind = forms.ChoiceField(label=_("Saluran"), choices=ChannelKind.choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=AssistMode.choices,
                             widget=forms.RadioSelect, initial=AssistMode.SUGGEST)
    threshold = forms.FloatField(
        label=_("Ambang keyakinan jawaban otomatis"), min_value=0.1, max_value=1.0,
        initial=DEFAULT_THRESHOLD,
        help_text=_("0,10 sampai 1,00. Jawaban otomatis hanya dikirim untuk permintaan "
                    "informasi yang jawabannya setidaknya seyakin ini."),
        widget=forms.NumberInput(attrs={"step": "0.01"}))

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office = office
        kinds = list(Channel.objects.filter(office=office, is_active=True)
                     .values_list("kind", flat=True).distinct())
        self.fields["channel_kind"].choices = [
            (value, label) for value, label in ChannelKind.choices if value in kinds]

    def current_rows(self) -> list[tuple[str, str, float]]:
        """(channel kind label, mode label, threshold) for each of the office's channels."""
        rows = {r.channel_kind: r for r in ChannelAssist.objects.filter(office=self.office)}
        shown = []
        for value, label in self.fields["channel_kind"].choices:
            row = rows.get(value)
            shown.append((str(label),
                          str(AssistMode(row.mode).label if row else AssistMode.SUGGEST.label),
                          row.threshold if row else DEFAULT_THRESHOLD))
        return shown


class InstantFeedbackForm(forms.Form):
    """The reporter's answer to "Apakah jawaban ini membantu?" on the web."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=64)
    helpful = forms.ChoiceField(choices=[("1", _("Ya")), ("2", _("Tidak"))])
