from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mineralstrategi.organisations.models import (
    County,
    Municipality,
    Organisation,
    OrganisationKind,
    Role,
)
from mineralstrategi.query import QueryForm
from mineralstrategi.visitors import HoneypotMixin

from . import selectors


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


UNVERIFIED = _(
    "Your e-mail address is not confirmed yet: open the link in the mail we sent you. No mail? "
    "Sign up again with the same address to get a new link."
)


class LoginForm(AuthenticationForm):
    """Django's login form, where an e-mail address also names its account: accounts made by
    the sign-up page are named by their address (in lower case), older ones by a user name."""

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        if "@" in username and not get_user_model().objects.filter(username=username).exists():
            account = selectors.account_for_email(username)
            if account is not None:
                self.cleaned_data["username"] = account.get_username()
        try:
            return super().clean()
        except ValidationError:
            if self._awaits_verification():
                raise ValidationError(UNVERIFIED, code="unverified") from None
            raise

    def _awaits_verification(self) -> bool:
        """The right password of an account whose address is not confirmed yet: told only to
        whoever knows the password (the failed login still counts for the lockout)."""
        account = (
            get_user_model()
            .objects.filter(
                username=self.cleaned_data.get("username"),
                is_active=False,
                sign_up__verified_at__isnull=True,
            )
            .first()
        )
        return account is not None and account.check_password(
            self.cleaned_data.get("password") or ""
        )


class SignUpForm(HoneypotMixin, forms.Form):
    """Name, e-mail address, password (twice; Django's validators) and consent."""

    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("You log in with it. We send a link to it that you open to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read how my personal data is handled and agree that my name and e-mail "
            "address are kept for my account."
        ),
        error_messages={"required": _("Tick the box to agree, or we cannot make the account.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["name", "email", "password1", "password2", "consent", "website", "next"]

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            name = cleaned.get("name", "")
            email = cleaned.get("email", "")
            person = get_user_model()(username=email, email=email, first_name=name)
            try:
                password_validation.validate_password(password1, user=person)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class JoinRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=_("Choose…")
    )
    message = forms.CharField(
        label=_("Message to its administrators (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are and what you do at the organisation."),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class ApplicationForm(forms.Form):
    """A new organisation's particulars; the service checks the number and the duplicates."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Choose…")), *OrganisationKind.choices]
    )
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        help_text=_(
            "Ten digits, NNNNNN-NNNN, as the Swedish Companies Registration Office gives it."
        ),
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("None or several"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("Not a municipality"),
        help_text=_("Only when the organisation is a municipality."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the organisation does, and its part in the mineral strategy."),
    )


class JoinDecisionForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, initial=Role.CONTRIBUTOR, required=False
    )
    action = forms.ChoiceField(choices=[("approve", "approve"), ("decline", "decline")])


class ApplicationDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (when declining)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    action = forms.ChoiceField(choices=[("approve", "approve"), ("decline", "decline")])


# --- The query parameters of the pages (see mineralstrategi.query) ---------------------------


class NextQuery(QueryForm):
    """Where to go after the step (kept only when it is on this site: `views._next_url`)."""

    next = forms.CharField(max_length=2000, strip=False)


class SignUpQuery(NextQuery):
    email = forms.EmailField(max_length=150)  # filled in beforehand (from an invitation's link)
