from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from collab.errors import PortalError
from collab.models import Invitation, Role
from collab.selectors import trust_for_email

# NHS style: sentence case, plain words, and no placeholder text (it disappears as people type
# and is often mistaken for an answer already given).
_ACCOUNT_LABELS = {
    "login": "Email address",
    "email": "Email address",
    "password": "Password",
    "remember": "Keep me signed in on this device",
    "oldpassword": "Current password",
    "password1": "New password",
    "password2": "Type the new password again",
}


class NHSWordingMixin:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in _ACCOUNT_LABELS:
                field.label = _ACCOUNT_LABELS[name]


class PortalLoginForm(NHSWordingMixin, allauth_forms.LoginForm):
    pass


class PortalResetPasswordForm(NHSWordingMixin, allauth_forms.ResetPasswordForm):
    pass


class PortalResetPasswordKeyForm(NHSWordingMixin, allauth_forms.ResetPasswordKeyForm):
    pass


class PortalChangePasswordForm(NHSWordingMixin, allauth_forms.ChangePasswordForm):
    pass


class PortalSetPasswordForm(NHSWordingMixin, allauth_forms.SetPasswordForm):
    pass


class PortalAddEmailForm(NHSWordingMixin, allauth_forms.AddEmailForm):
    pass


class PortalSignupForm(NHSWordingMixin, allauth_forms.SignupForm):
    """allauth's sign-up with the person's name, which every page shows."""

    full_name = forms.CharField(
        label="Full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    field_order = ["full_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "Create a password"
        self.fields["password2"].label = "Type the password again"

    def clean_email(self) -> str:
        # Only here: allauth's adapter.clean_email also guards password reset, which every
        # account needs, whatever its address.
        email = super().clean_email()
        if trust_for_email(email) is None:
            raise forms.ValidationError(
                "Use your work email address. If your trust's address is not accepted, ask your "
                "programme office for an invitation."
            )
        return email


class InvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label="Email address",
        help_text="Their work email address. The invitation link goes here.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[
            (Role.STAFF, "Staff: submits ideas, votes and comments"),
            (Role.TRUST_LEAD, "Trust lead: decides for the trust"),
        ],
        widget=forms.RadioSelect,
        initial=Role.STAFF,
    )


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters. Avoid common words and your name.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation: Invitation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords do not match.")
        elif password1:
            try:
                validate_password(password1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def add_service_error(form: forms.Form, error: PortalError | ValidationError) -> None:
    """Show a service's refusal next to the field it concerns, or above the form.

    Services refuse with a PortalError; a model's full_clean() inside a service may also
    raise a ValidationError, whose messages go next to the form's matching fields.
    """
    if isinstance(error, PortalError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
