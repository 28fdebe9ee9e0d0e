"""Every write to joint projects goes through here: one transaction and one audit record each.

The project lifecycle is draft -> open for decisions -> active -> completed or closed. Each
transition is a function below that checks its rules and refuses with a message a person can
act on (a `projects.errors` exception).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from collab.audit import audit_record
from collab.dates import long_date, long_day
from collab.models import Collaboration, Trust, User
from collab.notifications.outbox import notify
from collab.selectors import current_member_trusts
from projects import notifications as events
from projects.errors import CommitmentRefused, DecisionClosed, RequestRefused, TransitionRefused
from projects.funding import cost_shares
from projects.models import (
    TRUST_SETTABLE_STATUSES,
    Benefit,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    FundingModel,
    JointProject,
    LateJoinRequest,
    Milestone,
    Participation,
    ParticipationStatus,
    ProjectStatus,
    RequestStatus,
    WithdrawalRequest,
)

# The fields of a project that make up its terms: fixed once any trust has decided.
TERM_FIELDS = (
    "title",
    "summary",
    "category",
    "lead_trust",
    "terms",
    "funding_model",
    "total_budget",
    "staff_days_per_trust",
    "funding_weights",
    "decision_deadline",
    "planned_start",
    "planned_end",
)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _locked_project(project: JointProject) -> JointProject:
    return JointProject.objects.select_for_update().get(pk=project.pk)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "project"
    slug, n = base, 2
    while JointProject.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _terms_snapshot(project: JointProject) -> dict[str, Any]:
    return {
        "title": project.title,
        "category": project.category,
        "lead_trust": project.lead_trust.short_name,
        "funding_model": project.funding_model,
        "total_budget": _money(project.total_budget),
        "staff_days_per_trust": project.staff_days_per_trust,
        "funding_weights": project.funding_weights,
        "decision_deadline": str(project.decision_deadline),
        "planned_start": str(project.planned_start),
        "planned_end": str(project.planned_end),
    }


def _check_lead_trust(collaboration: Collaboration, lead_trust: Trust) -> None:
    if lead_trust not in current_member_trusts(collaboration):
        raise TransitionRefused(
            f"{lead_trust.short_name} is not a member of {collaboration.short_name}; "
            "choose a member trust to lead the project.",
            field="lead_trust",
        )


def _check_weights(funding_model: str, weights: dict) -> None:
    if funding_model == FundingModel.WEIGHTED and (
        not weights or any(Decimal(str(w)) <= 0 for w in weights.values())
    ):
        raise TransitionRefused(
            "A weighted budget needs a weight above 0 for every member trust.",
            field="funding_model",
        )


def _terms_can_change(project: JointProject) -> None:
    if project.status == ProjectStatus.DRAFT:
        return
    if project.status == ProjectStatus.OPEN:
        decided = project.participations.exclude(status=ParticipationStatus.UNDECIDED)
        if not decided.exists():
            return
        names = ", ".join(p.trust.short_name for p in decided.select_related("trust"))
        raise TransitionRefused(
            f"The terms cannot change now that trusts have decided on them ({names}). "
            "Close this project and open a new one with the new terms."
        )
    raise TransitionRefused(
        f"The terms of a project that is {project.get_status_display().lower()} cannot change."
    )


def project_create(
    *, collaboration: Collaboration, actor: User, lead_trust: Trust, **terms: Any
) -> JointProject:
    """A new project, as a draft that only the collaboration's programme admins can see."""
    _check_lead_trust(collaboration, lead_trust)
    _check_weights(terms.get("funding_model", ""), terms.get("funding_weights") or {})
    with transaction.atomic():
        project = JointProject(
            collaboration=collaboration,
            lead_trust=lead_trust,
            created_by=actor,
            slug=_unique_slug(terms.get("title", "")),
            **terms,
        )
        project.full_clean()
        project.save()
        audit_record(
            actor=actor,
            action="project.created",
            target=project,
            after=_terms_snapshot(project),
        )
    return project


def project_update_terms(*, project: JointProject, actor: User, **changes: Any) -> JointProject:
    """Change the terms. Allowed in a draft, and while open until the first trust decides."""
    with transaction.atomic():
        project = _locked_project(project)
        _terms_can_change(project)
        if "lead_trust" in changes:
            _check_lead_trust(project.collaboration, changes["lead_trust"])
        before = _terms_snapshot(project)
        for name, value in changes.items():
            if name not in TERM_FIELDS:
                raise ValueError(f"{name} is not one of the project's terms")
            setattr(project, name, value)
        _check_weights(project.funding_model, project.funding_weights)
        project.full_clean()
        project.save()
        if project.status == ProjectStatus.OPEN:
            _copy_weights_to_participations(project)
        audit_record(
            actor=actor,
            action="project.terms_changed",
            target=project,
            before=before,
            after=_terms_snapshot(project),
        )
    return project


def milestone_save(
    *,
    project: JointProject,
    actor: User,
    title: str,
    deliverable: str,
    due_on: datetime.date,
    milestone: Milestone | None = None,
) -> Milestone:
    """Add a milestone, or change one. Milestones are part of the terms."""
    with transaction.atomic():
        project = _locked_project(project)
        _terms_can_change(project)
        if due_on < project.planned_start or due_on > project.planned_end:
            raise TransitionRefused(
                f"The due date must fall within the project: {long_day(project.planned_start)} "
                f"to {long_day(project.planned_end)}.",
                field="due_on",
            )
        before = None
        if milestone is None:
            milestone = Milestone(project=project)
        else:
            before = {"title": milestone.title, "due_on": str(milestone.due_on)}
        milestone.title, milestone.deliverable, milestone.due_on = title, deliverable, due_on
        milestone.full_clean()
        milestone.save()
        audit_record(
            actor=actor,
            action="milestone.saved",
            target=milestone,
            context=project,
            before=before,
            after={"title": title, "due_on": str(due_on)},
        )
    return milestone


def milestone_remove(*, milestone: Milestone, actor: User) -> None:
    with transaction.atomic():
        project = _locked_project(milestone.project)
        _terms_can_change(project)
        if project.status == ProjectStatus.OPEN and project.milestones.count() == 1:
            raise TransitionRefused(
                "An open project needs at least one milestone: add the new one before "
                "removing this one."
            )
        audit_record(
            actor=actor,
            action="milestone.removed",
            target=milestone,
            context=milestone.project,
            before={"title": milestone.title, "due_on": str(milestone.due_on)},
        )
        milestone.delete()


def _copy_weights_to_participations(project: JointProject) -> None:
    for participation in project.participations.all():
        weight = project.weight_for(participation.trust_id)
        if participation.funding_weight != weight:
            participation.funding_weight = weight
            participation.save(update_fields=["funding_weight"])


def project_open(*, project: JointProject, actor: User) -> JointProject:
    """Open for decisions: every current member trust gets an undecided participation."""
    today = timezone.localdate()
    with transaction.atomic():
        project = _locked_project(project)
        if project.status != ProjectStatus.DRAFT:
            raise TransitionRefused(
                f"Only a draft can be opened; this project is "
                f"{project.get_status_display().lower()}."
            )
        if project.decision_deadline < today:
            raise TransitionRefused(
                f"The decision deadline, {long_day(project.decision_deadline)}, has passed. "
                "Set a later deadline before opening the project.",
                field="decision_deadline",
            )
        if not project.milestones.exists():
            raise TransitionRefused(
                "Add at least one milestone first: it is what each trust commits to deliver."
            )
        _check_lead_trust(project.collaboration, project.lead_trust)
        trusts = current_member_trusts(project.collaboration)
        Participation.objects.bulk_create(
            Participation(project=project, trust=trust, funding_weight=project.weight_for(trust.pk))
            for trust in trusts
        )
        project.status = ProjectStatus.OPEN
        project.opened_at = timezone.now()
        project.save(update_fields=["status", "opened_at"])
        audit_record(
            actor=actor,
            action="project.opened",
            target=project,
            before=ProjectStatus.DRAFT,
            after={"status": ProjectStatus.OPEN, "trusts": [t.short_name for t in trusts]},
        )
        notify(events.project_opened, project, actor=actor)
    return project


def participation_decide(
    *,
    participation: Participation,
    actor: User,
    opt_in: bool,
    reason: str,
    contact: User | None,
    confirmed: bool = False,
) -> Participation:
    """Opt the trust in or out. A lead may change the decision until the deadline.

    Locks the participation row, so two leads deciding at once leave one consistent decision
    and an audit record of each attempt.
    """
    reason = reason.strip()
    if not reason:
        raise DecisionClosed("Give the reason for your trust's decision.", field="reason")
    if opt_in and not confirmed:
        raise DecisionClosed(
            "Confirm that your trust will see the project through if it joins.",
            field="confirmed",
        )
    if contact is not None and (
        contact.home_trust_id != participation.trust_id or not contact.is_active
    ):
        raise DecisionClosed(
            f"The project contact must be someone at {participation.trust.short_name}.",
            field="contact",
        )
    with transaction.atomic():
        participation = (
            Participation.objects.select_for_update()
            .select_related("project", "trust")
            .get(pk=participation.pk)
        )
        project = participation.project
        if project.status != ProjectStatus.OPEN:
            raise DecisionClosed(
                f"This project is {project.get_status_display().lower()}, so decisions are "
                "closed. Ask the programme admins to join late or to withdraw."
            )
        if not project.is_open_for_decisions():
            raise DecisionClosed(
                f"Decisions for this project closed on {long_day(project.decision_deadline)}."
            )
        before = {"status": participation.status, "reason": participation.reason}
        participation.status = (
            ParticipationStatus.OPTED_IN if opt_in else ParticipationStatus.OPTED_OUT
        )
        participation.reason = reason
        participation.contact = contact if contact is not None else participation.contact
        participation.decided_by = actor
        participation.decided_at = timezone.now()
        participation.full_clean()
        participation.save()
        audit_record(
            actor=actor,
            action="participation.opted_in" if opt_in else "participation.opted_out",
            target=participation,
            trust=participation.trust,
            context=project,
            before=before,
            after={
                "status": participation.status,
                "contact": contact.email if contact else None,
            },
            reason=reason,
        )
        # Each decision (a lead may change it until the deadline) is news to the admins.
        notify(
            events.trust_decided,
            participation,
            step=participation.decided_at.isoformat(),
            actor=actor,
        )
    return participation


def _committed(project: JointProject):
    return project.participations.filter(status=ParticipationStatus.COMMITTED)


def _recompute_cost_shares(project: JointProject) -> dict[str, dict[str, str | None]]:
    """Set every participation's cost share; returns what changed, by trust short name."""
    participations = list(project.participations.select_related("trust"))
    committed = {p.trust_id: p.funding_weight for p in participations if p.is_committed}
    shares = cost_shares(
        funding_model=project.funding_model,
        total_budget=project.total_budget,
        lead_trust_id=project.lead_trust_id,
        weights=committed,
    )
    changes = {}
    for participation in participations:
        new_share = shares.get(participation.trust_id)
        if new_share != participation.cost_share:
            changes[participation.trust.short_name] = {
                "before": _money(participation.cost_share),
                "after": _money(new_share),
            }
            participation.cost_share = new_share
            participation.save(update_fields=["cost_share"])
    return changes


def _create_commitments(participation: Participation, milestones) -> None:
    Commitment.objects.bulk_create(
        Commitment(
            participation=participation,
            milestone=milestone,
            deliverable=milestone.deliverable,
            due_on=milestone.due_on,
            owner_id=participation.contact_id,
        )
        for milestone in milestones
    )


def project_start(*, project: JointProject, actor: User | None) -> JointProject:
    """Make the project active: opted-in trusts are committed, undecided ones did not join.

    Run by a programme admin to start early, or by the deadline sweep (actor None) the day
    after the decision deadline.
    """
    with transaction.atomic():
        project = _locked_project(project)
        if project.status != ProjectStatus.OPEN:
            raise TransitionRefused(
                f"Only a project open for decisions can start; this one is "
                f"{project.get_status_display().lower()}."
            )
        participations = list(project.participations.select_for_update().select_related("trust"))
        opted_in = [p for p in participations if p.status == ParticipationStatus.OPTED_IN]
        if not opted_in:
            raise TransitionRefused(
                "No trust has opted in, so the project cannot start. Wait for decisions, "
                "or close the project."
            )
        if project.funding_model == FundingModel.LEAD_TRUST_FUNDED and not any(
            p.trust_id == project.lead_trust_id for p in opted_in
        ):
            raise TransitionRefused(
                f"The lead trust, {project.lead_trust.short_name}, funds this project but has "
                "not opted in. The project cannot start without it."
            )
        now = timezone.now()
        for participation in participations:
            if participation.status == ParticipationStatus.OPTED_IN:
                participation.status = ParticipationStatus.COMMITTED
                participation.committed_at = now
            elif participation.status == ParticipationStatus.UNDECIDED:
                participation.status = ParticipationStatus.NOT_JOINED
            participation.save(update_fields=["status", "committed_at"])
        project.status = ProjectStatus.ACTIVE
        project.started_at = now
        project.save(update_fields=["status", "started_at"])
        _recompute_cost_shares(project)
        milestones = list(project.milestones.all())
        for participation in opted_in:
            _create_commitments(participation, milestones)
        audit_record(
            actor=actor,
            action="project.started",
            target=project,
            before=ProjectStatus.OPEN,
            after={
                "status": ProjectStatus.ACTIVE,
                "committed": [p.trust.short_name for p in opted_in],
                "not_joined": [
                    p.trust.short_name
                    for p in participations
                    if p.status == ParticipationStatus.NOT_JOINED
                ],
            },
            reason="" if actor else "The decision deadline passed.",
        )
        notify(events.project_started, project, actor=actor)
    return project


def project_complete(*, project: JointProject, actor: User) -> JointProject:
    """Completed: every commitment was accepted (or withdrawn)."""
    with transaction.atomic():
        project = _locked_project(project)
        if project.status != ProjectStatus.ACTIVE:
            raise TransitionRefused("Only an active project can be completed.")
        outstanding = Commitment.objects.filter(participation__project=project).exclude(
            status__in=[CommitmentStatus.ACCEPTED, CommitmentStatus.WITHDRAWN]
        )
        if count := outstanding.count():
            raise TransitionRefused(
                f"{count} commitment{'s are' if count != 1 else ' is'} not yet accepted. Accept "
                "every delivered commitment, or close the project instead."
            )
        project.status = ProjectStatus.COMPLETED
        project.finished_at = timezone.now()
        project.save(update_fields=["status", "finished_at"])
        audit_record(
            actor=actor,
            action="project.completed",
            target=project,
            before=ProjectStatus.ACTIVE,
            after=ProjectStatus.COMPLETED,
        )
    return project


def project_close(*, project: JointProject, actor: User | None, reason: str) -> JointProject:
    """Stop a project before it completes (or a draft that will not go ahead), with a reason."""
    reason = reason.strip()
    if not reason:
        raise TransitionRefused("Say why the project is closing.", field="reason")
    with transaction.atomic():
        project = _locked_project(project)
        if project.is_finished:
            raise TransitionRefused(
                f"This project is already {project.get_status_display().lower()}."
            )
        before = project.status
        if before == ProjectStatus.ACTIVE:
            _withdraw_open_commitments(Commitment.objects.filter(participation__project=project))
        project.status = ProjectStatus.CLOSED
        project.finished_at = timezone.now()
        project.closure_reason = reason
        project.save(update_fields=["status", "finished_at", "closure_reason"])
        audit_record(
            actor=actor,
            action="project.closed",
            target=project,
            before=before,
            after=ProjectStatus.CLOSED,
            reason=reason,
        )
    return project


def projects_past_deadline(today: datetime.date | None = None) -> list[int]:
    """Ids of open projects whose decision deadline has passed: the deadline sweep's work."""
    today = today or timezone.localdate()
    return list(
        JointProject.objects.filter(
            status=ProjectStatus.OPEN, decision_deadline__lt=today
        ).values_list("pk", flat=True)
    )


def project_start_at_deadline(*, project_id: int) -> JointProject | None:
    """The deadline has passed: start the project, or close it if nobody joined.

    Safe to run twice: a project that is no longer open is left alone.
    """
    project = JointProject.objects.filter(pk=project_id, status=ProjectStatus.OPEN).first()
    if project is None or project.decision_deadline >= timezone.localdate():
        return None
    try:
        return project_start(project=project, actor=None)
    except TransitionRefused as refusal:
        return project_close(
            project=project,
            actor=None,
            reason=f"The decision deadline passed and the project could not start: "
            f"{refusal.message}",
        )


# --- Withdrawal and late join --------------------------------------------------------------


def withdrawal_request_create(
    *, participation: Participation, actor: User, reason: str, impact: str
) -> WithdrawalRequest:
    """A committed trust asks to leave an active project."""
    if not reason.strip():
        raise RequestRefused("Say why your trust wants to withdraw.", field="reason")
    if not impact.strip():
        raise RequestRefused(
            "Say what withdrawing means for the project and the other trusts.", field="impact"
        )
    with transaction.atomic():
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        project = participation.project
        if project.status != ProjectStatus.ACTIVE:
            raise RequestRefused(
                "Withdrawal requests are for active projects. Before the project starts, "
                "change your trust's decision instead."
            )
        if not participation.is_committed:
            raise RequestRefused("Your trust is not committed to this project.")
        if participation.withdrawal_requests.filter(status=RequestStatus.PENDING).exists():
            raise RequestRefused("Your trust has already asked to withdraw; wait for the decision.")
        request = WithdrawalRequest.objects.create(
            participation=participation,
            reason=reason.strip(),
            impact=impact.strip(),
            requested_by=actor,
        )
        audit_record(
            actor=actor,
            action="withdrawal.requested",
            target=request,
            trust=participation.trust,
            context=project,
            after={"impact": request.impact},
            reason=request.reason,
        )
        notify(events.withdrawal_requested, request, actor=actor)
    return request


def late_join_request_create(
    *,
    participation: Participation,
    actor: User,
    reason: str,
    contact: User | None,
    confirmed: bool,
) -> LateJoinRequest:
    """A trust that did not join asks to join an active project."""
    if not reason.strip():
        raise RequestRefused("Say why your trust wants to join now.", field="reason")
    if not confirmed:
        raise RequestRefused(
            "Confirm that your trust will see the project through if it joins.",
            field="confirmed",
        )
    if contact is not None and (
        contact.home_trust_id != participation.trust_id or not contact.is_active
    ):
        raise RequestRefused(
            f"The project contact must be someone at {participation.trust.short_name}.",
            field="contact",
        )
    with transaction.atomic():
        if participation.pk is None:
            # A trust that joined the collaboration after the project opened has no
            # participation yet: it enters the record as not joined, then asks.
            participation, _ = Participation.objects.get_or_create(
                project=participation.project,
                trust=participation.trust,
                defaults={"status": ParticipationStatus.NOT_JOINED},
            )
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        project = participation.project
        if project.status != ProjectStatus.ACTIVE:
            raise RequestRefused("Late joining is for active projects.")
        if participation.status not in (
            ParticipationStatus.NOT_JOINED,
            ParticipationStatus.OPTED_OUT,
            ParticipationStatus.WITHDRAWN,
        ):
            raise RequestRefused("Your trust is already in this project.")
        if participation.late_join_requests.filter(status=RequestStatus.PENDING).exists():
            raise RequestRefused("Your trust has already asked to join; wait for the decision.")
        request = LateJoinRequest.objects.create(
            participation=participation, reason=reason.strip(), requested_by=actor, contact=contact
        )
        audit_record(
            actor=actor,
            action="late_join.requested",
            target=request,
            trust=participation.trust,
            context=project,
            after={"contact": contact.email if contact else None},
            reason=request.reason,
        )
        notify(events.late_join_requested, request, actor=actor)
    return request


def _lock_pending(model, request):
    request = model.objects.select_for_update().select_related("participation").get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise RequestRefused(
            f"This request was already {request.get_status_display().lower()} "
            f"on {long_date(request.decided_at)}."
        )
    return request


def _check_can_approve(project: JointProject) -> None:
    if project.status != ProjectStatus.ACTIVE:
        raise RequestRefused(
            f"This project is {project.get_status_display().lower()}, so the request cannot be "
            "approved. Reject it instead."
        )


def _record_request_decision(
    request: WithdrawalRequest | LateJoinRequest,
    *,
    kind: str,
    actor: User,
    approve: bool,
    reason: str,
) -> None:
    """Close a pending request as approved or rejected, with its audit record."""
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.save()
    participation = request.participation
    audit_record(
        actor=actor,
        action=f"{kind}.{request.status}",
        target=request,
        trust=participation.trust,
        context=participation.project,
        before=RequestStatus.PENDING,
        after={"status": request.status, "share_changes": request.share_changes},
        reason=reason,
    )


def _withdraw_open_commitments(commitments) -> None:
    """Close commitments not yet delivered as withdrawn; delivered work stays on the record."""
    commitments.exclude(
        status__in=[CommitmentStatus.ACCEPTED, CommitmentStatus.DONE, CommitmentStatus.WITHDRAWN]
    ).update(status=CommitmentStatus.WITHDRAWN, updated_at=timezone.now())


def withdrawal_request_decide(
    *, request: WithdrawalRequest, actor: User, approve: bool, reason: str
) -> WithdrawalRequest:
    """Approve (the trust leaves, its open commitments close, shares are recomputed) or reject."""
    reason = reason.strip()
    if not reason:
        raise RequestRefused("Give the reason for the decision.", field="reason")
    with transaction.atomic():
        project = _locked_project(request.participation.project)
        request = _lock_pending(WithdrawalRequest, request)
        participation = Participation.objects.select_for_update().get(pk=request.participation_id)
        if approve:
            _check_can_approve(project)
            others = _committed(project).exclude(pk=participation.pk)
            if not others.exists():
                raise RequestRefused(
                    "This is the last committed trust; close the project instead of "
                    "approving its withdrawal."
                )
            if (
                project.funding_model == FundingModel.LEAD_TRUST_FUNDED
                and participation.trust_id == project.lead_trust_id
            ):
                raise RequestRefused(
                    "The lead trust funds this project. Agree a new lead trust and funding "
                    "model, or close the project, before it withdraws."
                )
            now = timezone.now()
            participation.status = ParticipationStatus.WITHDRAWN
            participation.withdrawn_at = now
            participation.save(update_fields=["status", "withdrawn_at"])
            _withdraw_open_commitments(participation.commitments.all())
            request.share_changes = _recompute_cost_shares(project)
        _record_request_decision(
            request, kind="withdrawal", actor=actor, approve=approve, reason=reason
        )
        notify(events.withdrawal_decided, request, actor=actor)
    return request


def late_join_request_decide(
    *, request: LateJoinRequest, actor: User, approve: bool, reason: str
) -> LateJoinRequest:
    """Approve (the trust is committed to the milestones still ahead) or reject."""
    reason = reason.strip()
    if not reason:
        raise RequestRefused("Give the reason for the decision.", field="reason")
    with transaction.atomic():
        project = _locked_project(request.participation.project)
        request = _lock_pending(LateJoinRequest, request)
        participation = Participation.objects.select_for_update().get(pk=request.participation_id)
        if approve:
            _check_can_approve(project)
            participation.status = ParticipationStatus.COMMITTED
            participation.committed_at = timezone.now()
            participation.withdrawn_at = None
            participation.contact = request.contact or participation.contact
            participation.save(update_fields=["status", "committed_at", "withdrawn_at", "contact"])
            already = participation.commitments.values_list("milestone_id", flat=True)
            ahead = project.milestones.filter(due_on__gte=timezone.localdate()).exclude(
                pk__in=list(already)
            )
            _create_commitments(participation, ahead)
            # A trust rejoining after a withdrawal picks its withdrawn commitments back up.
            participation.commitments.filter(
                status=CommitmentStatus.WITHDRAWN, due_on__gte=timezone.localdate()
            ).update(status=CommitmentStatus.NOT_STARTED, updated_at=timezone.now())
            request.share_changes = _recompute_cost_shares(project)
        _record_request_decision(
            request, kind="late_join", actor=actor, approve=approve, reason=reason
        )
        notify(events.late_join_decided, request, actor=actor)
    return request


# --- Commitments ---------------------------------------------------------------------------


def _locked_commitment(commitment: Commitment) -> Commitment:
    return (
        Commitment.objects.select_for_update()
        .select_related("participation__project", "participation__trust")
        .get(pk=commitment.pk)
    )


def _check_project_active(commitment: Commitment) -> None:
    if commitment.participation.project.status != ProjectStatus.ACTIVE:
        raise CommitmentRefused(
            "Commitments can only change while the project is active; this one is "
            f"{commitment.participation.project.get_status_display().lower()}."
        )


def commitment_update(
    *,
    commitment: Commitment,
    actor: User,
    status: str,
    note: str,
    evidence: UploadedFile | None = None,
    owner: User | None = None,
) -> CommitmentUpdate:
    """The trust reports progress: a new status, a note, and optionally evidence."""
    note = note.strip()
    with transaction.atomic():
        commitment = _locked_commitment(commitment)
        _check_project_active(commitment)
        if commitment.is_closed:
            raise CommitmentRefused(
                f"This commitment is {commitment.get_status_display().lower()}; it cannot change."
            )
        if status not in TRUST_SETTABLE_STATUSES:
            raise CommitmentRefused("Choose one of the statuses offered.", field="status")
        if status == CommitmentStatus.BLOCKED and not note:
            raise CommitmentRefused("Say what is blocking this commitment.", field="note")
        if status == commitment.status and not note and not evidence and owner is None:
            raise CommitmentRefused(
                "Change the status, or add a note or evidence, to record an update.",
                field="note",
            )
        trust_id = commitment.participation.trust_id
        if owner is not None and (owner.home_trust_id != trust_id or not owner.is_active):
            raise CommitmentRefused(
                f"The owner must be someone at {commitment.participation.trust.short_name}.",
                field="owner",
            )
        update = CommitmentUpdate(
            commitment=commitment,
            author=actor,
            status_before=commitment.status,
            status_after=status,
            note=note,
        )
        if evidence:
            update.evidence = evidence
        update.full_clean(exclude=["evidence"] if not evidence else None)
        update.save()
        before = {"status": commitment.status, "owner": commitment.owner_id}
        commitment.status = status
        if owner is not None:
            commitment.owner = owner
        commitment.updated_at = timezone.now()
        commitment.save(update_fields=["status", "owner", "updated_at"])
        audit_record(
            actor=actor,
            action="commitment.updated",
            target=commitment,
            trust=commitment.participation.trust,
            context=commitment.participation.project,
            before=before,
            after={
                "status": status,
                "owner": commitment.owner_id,
                "evidence": update.evidence_name or None,
            },
            reason=note,
        )
    return update


def commitment_review(
    *, commitment: Commitment, actor: User, accept: bool, reason: str
) -> Commitment:
    """A programme admin accepts a delivered commitment, or sends it back with a reason."""
    reason = reason.strip()
    if not accept and not reason:
        raise CommitmentRefused(
            "Say why the commitment is sent back, so the trust knows what to do.", field="reason"
        )
    with transaction.atomic():
        commitment = _locked_commitment(commitment)
        _check_project_active(commitment)
        if commitment.status != CommitmentStatus.DONE:
            raise CommitmentRefused(
                "Only a commitment the trust has marked as done can be accepted or sent back; "
                f"this one is {commitment.get_status_display().lower()}."
            )
        new_status = CommitmentStatus.ACCEPTED if accept else CommitmentStatus.IN_PROGRESS
        review = CommitmentUpdate.objects.create(
            commitment=commitment,
            author=actor,
            status_before=commitment.status,
            status_after=new_status,
            note=reason,
        )
        commitment.status = new_status
        commitment.updated_at = timezone.now()
        if accept:
            commitment.accepted_by, commitment.accepted_at = actor, commitment.updated_at
        commitment.save(update_fields=["status", "updated_at", "accepted_by", "accepted_at"])
        audit_record(
            actor=actor,
            action="commitment.accepted" if accept else "commitment.sent_back",
            target=commitment,
            trust=commitment.participation.trust,
            context=commitment.participation.project,
            before=CommitmentStatus.DONE,
            after=new_status,
            reason=reason,
        )
        notify(
            events.commitment_accepted if accept else events.commitment_sent_back,
            commitment,
            step=str(review.pk),  # a commitment can be sent back more than once
            actor=actor,
        )
    return commitment


# --- Benefits ------------------------------------------------------------------------------


def benefit_record(
    *,
    project: JointProject,
    trust: Trust,
    kind: str,
    actor: User,
    staff_hours_released: Decimal,
    money_saved: Decimal,
    measure: str,
) -> Benefit:
    """Record (or replace) a trust's expected or realised benefit from a project."""
    if project.status == ProjectStatus.DRAFT:
        raise TransitionRefused("Benefits are recorded once the project is open.")
    if not project.participations.filter(trust=trust).exists():
        raise TransitionRefused(f"{trust.short_name} has no part in this project.", field="trust")
    with transaction.atomic():
        benefit = (
            Benefit.objects.select_for_update()
            .filter(project=project, trust=trust, kind=kind)
            .first()
        )
        before = None
        if benefit is None:
            benefit = Benefit(project=project, trust=trust, kind=kind)
        else:
            before = {
                "staff_hours_released": str(benefit.staff_hours_released),
                "money_saved": _money(benefit.money_saved),
                "measure": benefit.measure,
            }
        benefit.staff_hours_released = staff_hours_released
        benefit.money_saved = money_saved
        benefit.measure = measure.strip()
        benefit.recorded_by = actor
        benefit.recorded_at = timezone.now()
        benefit.full_clean()
        benefit.save()
        audit_record(
            actor=actor,
            action=f"benefit.{kind}_recorded",
            target=benefit,
            trust=trust,
            context=project,
            before=before,
            after={
                "staff_hours_released": str(benefit.staff_hours_released),
                "money_saved": _money(benefit.money_saved),
                "measure": benefit.measure,
            },
        )
    return benefit
