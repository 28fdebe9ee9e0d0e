"""The common specification: reading any version, the programme admins' draft editor,
publishing, starting the next version, and what changed between two versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collab.errors import PortalError
from collab.forms import add_service_error
from procurement.forms import LineItemForm, PublishForm, SectionForm, VersionPickForm
from procurement.models import LineItem, ProcurementRound, SpecificationVersion, VersionStatus
from procurement.selectors import (
    current_version,
    draft_version,
    published_versions,
    sections_with_items,
)
from procurement.services import (
    line_item_remove,
    line_item_save,
    section_add,
    version_publish,
    version_start_draft,
)
from procurement.versions import version_diff
from procurement.views.access import is_admin, posted, round_for, sees_drafts, version_for

EDIT = "procurement.edit_specification"


def _versions(request: HttpRequest, round_: ProcurementRound) -> list[SpecificationVersion]:
    """The versions the person may read, oldest first: the draft too for those who see it."""
    versions = published_versions(round_)
    if sees_drafts(request, round_) and (draft := draft_version(round_)):
        versions.append(draft)
    return versions


def _editor_url(round_: ProcurementRound) -> str:
    return reverse("procurement:specification_edit", kwargs={"round_slug": round_.slug})


def _spec_url(round_: ProcurementRound, version: SpecificationVersion | None = None) -> str:
    url = reverse("procurement:specification", kwargs={"round_slug": round_.slug})
    return f"{url}?version={version.number}" if version is not None else url


@require_GET
@login_required
def specification(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug)
    version = version_for(request, round_, request.GET.get("version"))
    admin = is_admin(request, round_)
    current = current_version(round_)
    context = {
        "round": round_,
        "version": version,
        "current": current,
        "versions": _versions(request, round_),
        "sections": sections_with_items(version) if version else [],
        "is_admin": admin,
        "draft": draft_version(round_) if admin else None,
    }
    return render(request, "procurement/specification.html", context)


def _draft_or_404(round_: ProcurementRound) -> SpecificationVersion:
    draft = draft_version(round_)
    if draft is None:
        raise Http404("There is no draft of this specification.")
    draft.round = round_
    return draft


def _render_editor(
    request: HttpRequest,
    round_: ProcurementRound,
    draft: SpecificationVersion | None,
    section_form: SectionForm | None = None,
) -> HttpResponse:
    section_form = section_form or SectionForm()
    context = {
        "round": round_,
        "draft": draft,
        "current": current_version(round_),
        "sections": sections_with_items(draft) if draft else [],
        "form": section_form,
    }
    return render(
        request,
        "procurement/specification_edit.html",
        context,
        status=400 if section_form.errors else 200,
    )


@require_GET
@login_required
def specification_edit(request: HttpRequest, round_slug: str) -> HttpResponse:
    """The draft editor. Without a draft it offers to start one."""
    round_ = round_for(request, round_slug, EDIT)
    return _render_editor(request, round_, draft_version(round_))


@require_POST
@login_required
def section_add_view(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug, EDIT)
    draft = _draft_or_404(round_)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            section_add(version=draft, actor=request.user, title=form.cleaned_data["title"])
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Section “{form.cleaned_data['title']}” added.")
            return redirect(_editor_url(round_))
    return _render_editor(request, round_, draft, form)


def _line_item_form_view(
    request: HttpRequest,
    round_: ProcurementRound,
    draft: SpecificationVersion,
    line_item: LineItem | None,
) -> HttpResponse:
    # The form works on a copy, so a refused change leaves the item on the page untouched.
    instance = LineItem.objects.get(pk=line_item.pk) if line_item else None
    form = LineItemForm(posted(request), instance=instance, version=draft)
    if request.method == "POST" and form.is_valid():
        try:
            saved = line_item_save(
                version=draft, actor=request.user, line_item=line_item, **form.cleaned_data
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Line item {saved.reference} saved.")
            return redirect(_editor_url(round_))
    return render(
        request,
        "procurement/line_item_form.html",
        {"form": form, "round": round_, "draft": draft, "line_item": line_item},
        status=400 if form.errors else 200,
    )


def _draft_item(draft: SpecificationVersion, reference: str) -> LineItem:
    item = draft.line_items.select_related("section").filter(reference=reference).first()
    if item is None:
        raise Http404("No such line item in the draft.")
    return item


@require_http_methods(["GET", "POST"])
@login_required
def line_item_new(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug, EDIT)
    return _line_item_form_view(request, round_, _draft_or_404(round_), None)


@require_http_methods(["GET", "POST"])
@login_required
def line_item_edit(request: HttpRequest, round_slug: str, reference: str) -> HttpResponse:
    round_ = round_for(request, round_slug, EDIT)
    draft = _draft_or_404(round_)
    return _line_item_form_view(request, round_, draft, _draft_item(draft, reference))


@require_POST
@login_required
def line_item_remove_view(request: HttpRequest, round_slug: str, reference: str) -> HttpResponse:
    round_ = round_for(request, round_slug, EDIT)
    item = _draft_item(_draft_or_404(round_), reference)
    try:
        line_item_remove(line_item=item, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Line item {item.reference} removed.")
    return redirect(_editor_url(round_))


@require_http_methods(["GET", "POST"])
@login_required
def version_publish_view(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug, EDIT)
    draft = _draft_or_404(round_)
    form = PublishForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            version_publish(
                version=draft,
                actor=request.user,
                change_summary=form.cleaned_data["change_summary"],
            )
        except (PortalError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{draft} is published. Every participating trust's lead has been told.",
            )
            return redirect(_spec_url(round_))
    current = current_version(round_)
    context = {
        "form": form,
        "round": round_,
        "draft": draft,
        "current": current,
        "item_count": draft.line_items.count(),
        "diff": version_diff(current, draft) if current else None,
    }
    return render(
        request, "procurement/version_publish.html", context, status=400 if form.errors else 200
    )


@require_POST
@login_required
def version_start_draft_view(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = round_for(request, round_slug, EDIT)
    try:
        draft = version_start_draft(round=round_, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect(_spec_url(round_))
    messages.success(
        request,
        f"{draft} is a draft copied from the current version. Trusts keep ordering against the "
        "current version until you publish it.",
    )
    return redirect(_editor_url(round_))


@require_GET
@login_required
def specification_changes(request: HttpRequest, round_slug: str) -> HttpResponse:
    """What changed between two versions: by default, the current one and the one before it."""
    round_ = round_for(request, round_slug)
    versions = _versions(request, round_)
    numbers = [v.number for v in versions]
    published = [v.number for v in versions if v.status == VersionStatus.PUBLISHED]
    query = request.GET.copy()
    if "from" not in query and "to" not in query and len(numbers) >= 2:
        newest = published[-1] if len(published) >= 2 else numbers[-1]
        query["from"], query["to"] = str(numbers[numbers.index(newest) - 1]), str(newest)
    form = VersionPickForm(query if len(numbers) >= 2 else None, versions=versions)
    diff = None
    if form.is_bound and form.is_valid():
        by_number = {v.number: v for v in versions}
        older, newer = sorted((form.cleaned_data["from_"], form.cleaned_data["to"]))
        diff = version_diff(by_number[older], by_number[newer])
    return render(
        request,
        "procurement/specification_changes.html",
        {"round": round_, "form": form, "diff": diff, "versions": versions},
        status=400 if form.errors else 200,
    )
