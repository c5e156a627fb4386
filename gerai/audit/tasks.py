from django.tasks import task

from gerai.audit.chain import checkpoint_all


@task
def audit_checkpoint() -> int:
    """Check the audit entries written since the last checkpoint and sign each chain's head."""
    return checkpoint_all()
