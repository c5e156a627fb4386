"""The survey's reads: a citizen's invitation by its token. The IKM report reads the dashboards' monthly rollups
(gerai/dashboards/selectors.py, ikm_report), which own the figures."""

from django.http import Http404

from gerai.surveys.models import SurveyInvitation


def invitation_get(region, token: str) -> SurveyInvitation:
    invitation = (
        SurveyInvitation.objects.filter(token=token[:40], application__region=region)
        .select_related("application__service", "application__region", "application__service__owner_agency")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation
