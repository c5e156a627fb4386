"""An officer's action on one application, by name: the one dispatch that the office page and the JSON API share,
so both accept the same actions and refuse the same way (docs/api.md)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gerai.accounts.models import User
from gerai.applications import selectors, services
from gerai.applications.models import Application
from gerai.core.actors import Actor
from gerai.regions.models import Agency, Region
from gerai.regions.selectors import agency_get

OFFICER_ACTIONS = ("claim", "complete", "correction", "reject", "forward", "assign", "note")


@dataclass(frozen=True)
class ActionDone:
    """What an action chose, for the sentence that tells the officer what it did."""

    agency: Agency | None = None
    assignee: User | None = None


def application_act(
    *,
    actor: Actor,
    region: Region,
    application: Application,
    action: str,
    text: str = "",
    passphrase: str = "",
    agency_id: object = None,
    assignee_id: object = None,
) -> ActionDone:
    """Runs the officer's action on the application through its service. `text` is the step's message
    (complete), the reason (correction, reject), the message to the next agency (forward) or the note;
    `agency_id` and `assignee_id` name the agency (forward) and the officer (assign) of the application's
    region (the one the application was read in). Raises ApplicationError (code unknown_action,
    invalid_agency, invalid_assignee, reason_required, or the service's own) when it is refused."""
    if action == "claim":
        services.application_claim(actor=actor, application=application)
    elif action == "complete":
        services.application_complete_step(actor=actor, application=application, message=text, passphrase=passphrase)
    elif action == "correction":
        services.application_request_correction(actor=actor, application=application, reason=text)
    elif action == "reject":
        services.application_reject(actor=actor, application=application, reason=text)
    elif action == "forward":
        agency = agency_get(region, agency_id or 0)
        if agency is None:
            raise services.ApplicationError("invalid_agency", _("Choose an agency of this region."))
        services.application_forward(actor=actor, application=application, agency=agency, message=text)
        return ActionDone(agency=agency)
    elif action == "assign":
        assignee = selectors.staff_member_get(region, assignee_id)
        if assignee is None:
            raise services.ApplicationError("invalid_assignee", _("Choose an officer."))
        services.application_assign(actor=actor, application=application, assignee=assignee)
        return ActionDone(assignee=assignee)
    elif action == "note":
        if not text:
            raise services.ApplicationError("reason_required", _("Write the note first."))
        services.application_add_note(actor=actor, application=application, text=text)
    else:
        raise services.ApplicationError("unknown_action", _("Unknown action."))
    return ActionDone()
