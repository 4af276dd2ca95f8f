"""Reads of sign-up and onboarding: what a person has asked for, and what waits for a decision;
and when a login lockout ends."""

from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db.models import Max, Q, QuerySet

from mineralstrategi.organisations.models import Membership, Organisation

from .models import Decision, JoinRequest, OrganisationApplication


def own_memberships(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def own_join_requests(user) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(person=user).select_related("organisation")


def own_applications(user) -> QuerySet[OrganisationApplication]:
    return OrganisationApplication.objects.filter(applicant=user).select_related("organisation")


def organisations_to_join() -> QuerySet[Organisation]:
    return Organisation.objects.only("pk", "name").order_by("name")


def join_requests_to_decide(user) -> QuerySet[JoinRequest]:
    """The pending requests to join the organisations the user administers, oldest first."""
    return (
        JoinRequest.objects.filter(
            state=Decision.PENDING, organisation__in=Organisation.objects.administered_by(user)
        )
        .select_related("person", "organisation")
        .order_by("created_at", "pk")
    )


def decides_applications(user) -> bool:
    return user.has_perm("accounts.decide_organisationapplication", OrganisationApplication())


def applications_to_decide(user) -> QuerySet[OrganisationApplication]:
    """The pending applications to register an organisation, for those who decide them."""
    if not decides_applications(user):
        return OrganisationApplication.objects.none()
    return (
        OrganisationApplication.objects.filter(state=Decision.PENDING)
        .select_related("applicant", "county", "municipality")
        .order_by("created_at", "pk")
    )


def decides_anything(user) -> bool:
    """Whether the user decides on requests to join (an administrator) or applications (staff)."""
    return decides_applications(user) or Organisation.objects.administered_by(user).exists()


def account_for_email(email: str):
    """The account an e-mail address already belongs to: by its address, or by a user name that
    is the address (accounts made by the sign-up page are named by their address)."""
    email = email.strip()
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )


def lockout_ends(*, username: str | None, ip: str | None, cool_off: timedelta) -> datetime | None:
    """When django-axes lets `username` try again from the address `ip`: `cool_off` after the
    last failure it recorded for the pair (attempts refused during the lockout are not recorded,
    so they do not prolong it). Rounded up to the whole minute, as the page shows minutes."""
    last = AccessAttempt.objects.filter(username=username, ip_address=ip).aggregate(
        last=Max("attempt_time")
    )["last"]
    if last is None:
        return None
    ends = last + cool_off
    if ends.second or ends.microsecond:
        ends = ends.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return ends
