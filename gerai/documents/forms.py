from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gerai.documents.models import DocumentTemplate


class VerifyUploadForm(forms.Form):
    berkas = forms.FileField(
        label=_("PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Choose the PDF file to check."), "empty": _("The file is empty.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        megabytes = settings.GERAI_VERIFY_MAX_BYTES // (1024 * 1024)
        self.fields["berkas"].help_text = _("The document as you received it, at most %(mb)s MB.") % {"mb": megabytes}


class TemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["title", "classification", "paper", "body", "css"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "code"}),
            "css": forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "code"}),
        }
        help_texts = {
            "classification": _("The archive classification code that starts the letter number, e.g. 470."),
            "body": _(
                "HTML with placeholders such as {{ pemohon.nama }}; letterhead, number and signatures are added."
            ),
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason; it is shown on the verification page.")},
    )
    passphrase = forms.CharField(label=_("Signing passphrase"), required=False, widget=forms.PasswordInput)
