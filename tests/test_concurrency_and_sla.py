"""Two officers at once, stale pages, due dates in working days (national holidays and a region's own), the SLA
sweep's reminders and the outbox when mail is down. The people and the service (3 working days; the desa office
verifies, the dinas approves) are the factories' (tests/factories.py), in region A (Jember, WIB)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client

from gerai.applications import services
from gerai.applications.models import Application, Status
from gerai.applications.tasks import sla_sweep
from gerai.core.actors import Actor
from gerai.dashboards.rollups import rollups_rebuild
from gerai.notifications import services as notify
from gerai.notifications.models import OutboxMessage
from gerai.regions.services import holiday_override_set
from tests.conftest import png
from tests.factories import make_application, make_staff
from tests.test_rollups import snapshot

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def submitted(personas):
    """Region A's citizen's application, submitted through the services (due in 3 working days)."""
    return lambda: make_application(personas.citizen, personas.service, upload=png)


@pytest.fixture
def second_desa_officer(personas):
    """Another officer of the desa office that holds the first step."""
    return make_staff(personas.a.region, personas.a.desa_office)


def test_two_officers_acting_at_once_cannot_both_win(submitted, personas, second_desa_officer):
    application = submitted()
    stale = Application.objects.get(pk=application.pk)  # the second officer's page, loaded before the first acted
    services.application_complete_step(actor=Actor(user=personas.desa_officer), application=application)
    with pytest.raises(services.ApplicationError) as err:
        services.application_request_correction(actor=Actor(user=second_desa_officer), application=stale, reason="x")
    assert err.value.code == "conflict"
    assert Application.objects.get(pk=application.pk).status == Status.IN_PROCESS


def test_an_officer_acting_on_a_page_loaded_before_the_sla_sweep_keeps_the_counters_exact(submitted, personas):
    region = personas.a.region
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB), tick=False):
        application = submitted()
        services.application_complete_step(actor=Actor(user=personas.desa_officer), application=application)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=WIB), tick=False):
        stale = Application.objects.get(pk=application.pk)  # the officer's page, loaded before the sweep
        sla_sweep.call()  # marks it overdue without a new version: no conflict for the officer
        services.application_request_correction(
            actor=Actor(user=personas.dinas_officer), application=stale, reason="KK"
        )
        assert stale.status == Status.NEEDS_CORRECTION and stale.overdue_notified_at is not None
        incremental = snapshot(region)  # the backlog no longer counts it overdue
        rollups_rebuild(region)
        assert snapshot(region) == incremental


def test_stale_web_action_shows_a_clear_message(personas, submitted, second_desa_officer):
    application = submitted()
    desa, other = personas.client("desa_officer"), Client()
    other.force_login(second_desa_officer)
    desa.post(f"/jember-uji/kantor/permohonan/{application.ref}/aksi/", {"action": "complete"})
    response = other.post(f"/jember-uji/kantor/permohonan/{application.ref}/aksi/", {"action": "complete"}, follow=True)
    assert response.status_code == 200  # the page, not a 500
    assert Application.objects.get(pk=application.pk).current_step.order == 2


@time_machine.travel(dt.datetime(2026, 3, 13, 9, 0, tzinfo=WIB), tick=False)
def test_due_date_counts_working_days_and_pauses_for_corrections(submitted, personas):
    application = submitted()  # Friday 13 March 2026, SLA 3 working days, Nyepi and Lebaran leave follow
    assert application.due_at.astimezone(WIB).date() == dt.date(2026, 3, 25)
    services.application_complete_step(actor=Actor(user=personas.desa_officer), application=application)
    with time_machine.travel(dt.datetime(2026, 3, 16, 9, 0, tzinfo=WIB), tick=False):
        services.application_request_correction(
            actor=Actor(user=personas.dinas_officer), application=application, reason="KK"
        )
        assert application.sla_days_left == 2  # Tue 17 and Wed 25 remain
    with time_machine.travel(dt.datetime(2026, 4, 6, 9, 0, tzinfo=WIB), tick=False):  # the citizen answers weeks later
        services.application_resubmit(actor=Actor(user=personas.citizen), application=application)
        assert application.due_at.astimezone(WIB).date() == dt.date(2026, 4, 8)  # Tue 7, Wed 8 April


@time_machine.travel(dt.datetime(2026, 8, 14, 9, 0, tzinfo=WIB), tick=False)
def test_regional_overrides_change_the_calendar(submitted, personas):
    holiday_override_set(
        actor=Actor.system(),
        region=personas.a.region,
        date=dt.date(2026, 8, 18),
        is_holiday=True,
        name="Cuti bersama tambahan",
    )
    application = submitted()  # Fri 14 Aug: Mon 17 is independence day, Tue 18 now off too
    assert application.due_at.astimezone(WIB).date() == dt.date(2026, 8, 21)


def test_overdue_applications_remind_the_supervisor_once(submitted, personas):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB), tick=False):
        application = submitted()
        services.application_complete_step(actor=Actor(user=personas.desa_officer), application=application)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=WIB), tick=False):
        assert application.__class__.objects.get(pk=application.pk).is_overdue
        sla_sweep.call()
        sla_sweep.call()
        reminders = OutboxMessage.objects.filter(
            to=personas.supervisor.email, subject__contains=application.tracking_code
        )
        assert reminders.count() == 1


def test_outbox_keeps_messages_when_mail_is_down_and_sends_later(submitted, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", down)
    application = submitted()
    message = OutboxMessage.objects.get(subject__contains=application.tracking_code)
    assert notify.outbox_send_due() >= 1  # the worker's pulse
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING and message.attempts == 1 and "smtp down" in message.last_error
    assert notify.outbox_send_due() == 0  # not due again before its backoff
    monkeypatch.undo()
    with time_machine.travel(message.next_attempt_at + dt.timedelta(seconds=1)):
        assert notify.outbox_send_due() >= 1
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert [m.subject for m in mail.outbox] == [message.subject]
