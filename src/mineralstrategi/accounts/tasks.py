"""Mails of sign-up, onboarding and two-step enrolment, sent by the task worker once the write has committed."""

from django_tasks import task

from . import services


@task()
def send_verification(user_id: int) -> bool:
    return services.verification_send(user_id)


@task()
def forget_unconfirmed(user_id: int) -> bool:
    return services.unconfirmed_forget(user_id)


@task()
def send_account_exists(user_id: int) -> bool:
    return services.account_exists_send(user_id)


@task()
def send_join_request_received(join_request_id: int) -> bool:
    return services.join_request_received_send(join_request_id)


@task()
def send_join_request_decision(join_request_id: int) -> bool:
    return services.join_request_decision_send(join_request_id)


@task()
def send_application_received(application_id: int) -> bool:
    return services.application_received_send(application_id)


@task()
def send_application_decision(application_id: int) -> bool:
    return services.application_decision_send(application_id)


@task()
def send_enrolment_link(user_id: int) -> bool:
    return services.enrolment_send(user_id)
