"""Pages of a strategy: overview, working draft and editing, versions, comparison, traceability,
publication (HTML and PDF) and the reference frameworks.

Each view: a guard (the permission on the object), one selector or service call, and errors
translated for the user. Rules live in `services` and `rules`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mineralstrategi import guards
from mineralstrategi.caching.until_a_write import kept_fragment
from mineralstrategi.exports import table_response
from mineralstrategi.printing.responses import document_response
from mineralstrategi.printing.services import printed
from mineralstrategi.query import query_parameters
from mineralstrategi.services import require

from . import exports, selectors, services
from .diff import ChangeKind, word_diff
from .forms import (
    AdoptionForm,
    CommentForm,
    CompareQuery,
    FrameworkCreateForm,
    FrameworkForm,
    FrameworkItemForm,
    FrameworkPasteForm,
    FreezeForm,
    LinkForm,
    SectionCreateForm,
    SectionForm,
    StrategySetupForm,
    TraceabilityQuery,
    parent_choices,
)
from .models import FrozenVersionError, Section
from .services import EditConflict

refusals = guards.refusals(conflicts=(FrozenVersionError,), template="strategy/refused.html")


def strategy_list(request):
    return render(
        request,
        "strategy/strategy_list.html",
        {
            "strategies": selectors.strategy_list(),
            "may_set_up": request.user.has_perm("strategy.set_up_strategy"),
        },
    )


@refusals
def strategy_setup(request):
    """The guided setup of a strategy (see `services.strategy_create`): on success the person
    lands on the new strategy's working draft."""
    require(request.user, "strategy.set_up_strategy")
    lead_choices = selectors.setup_organisations(request.user)
    if request.method != "POST":
        form = StrategySetupForm(lead_choices=lead_choices)
        return render(request, "strategy/setup.html", {"form": form})
    form = StrategySetupForm(request.POST, request.FILES, lead_choices=lead_choices)
    if form.is_valid():
        data = form.cleaned_data
        try:
            strategy = services.strategy_create(**_setup_arguments(data), user=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is set up. Its working draft is below.") % {"title": strategy.title},
            )
            return redirect("strategy:draft", slug=strategy.slug)
    return render(request, "strategy/setup.html", {"form": form}, status=400)


def _setup_arguments(data: dict) -> dict:
    """The setup form's data as `strategy_create`'s arguments; an outline is read (and refused
    with a ValidationError naming the field) on the way."""
    start = data["start"]
    outline = None
    if start == services.StartFrom.OUTLINE:
        upload = data["outline"]
        outline = services.outline_read(upload.name, upload.read())
    return {
        "title": data["title"],
        "start_year": data["start_year"],
        "end_year": data["end_year"],
        "counties": data["counties"],
        "lead": data["lead"],
        "partnership": data["partnership"],
        "copy_from": data["copy_from"] if start == services.StartFrom.COPY else None,
        "copy_texts": data["copy_texts"],
        "outline": outline,
    }


def strategy_detail(request, slug: str):
    strategy = selectors.strategy_get(slug=slug)
    public_version = selectors.strategy_public_version(strategy)
    return render(
        request,
        "strategy/strategy_detail.html",
        {
            "strategy": strategy,
            "versions": selectors.strategy_frozen_versions(strategy),
            "public_version": public_version,
            "tree": selectors.section_tree(public_version) if public_version else [],
            "may_view_draft": request.user.has_perm("strategy.view_draft", strategy),
        },
    )


@refusals
def draft(request, slug: str):
    strategy = selectors.strategy_get(slug=slug)
    require(request.user, "strategy.view_draft", strategy)
    version = selectors.strategy_working_draft(strategy)
    tree = selectors.section_tree(version, with_comments=True)
    may_edit = request.user.has_perm("strategy.edit_draft", strategy)
    return render(
        request,
        "strategy/draft.html",
        {
            "strategy": strategy,
            "version": version,
            "tree": tree,
            "may_edit": may_edit,
            "create_form": SectionCreateForm(
                parent_choices=parent_choices(selectors.flatten(tree))
            ),
            "freeze_form": FreezeForm(),
            "versions": selectors.strategy_frozen_versions(strategy),
        },
    )


def _section_context(request, strategy, section, form, **extra):
    tree = selectors.section_tree(section.version, with_links=False)
    return {
        "strategy": strategy,
        "section": section,
        "form": form,
        "links": section.links.select_related("item__framework"),
        "link_form": LinkForm(item_choices=selectors.link_choices()),
        "comments": selectors.section_comments(section, request.user),
        "comment_form": CommentForm(),
        "parent_choices": parent_choices(selectors.flatten(tree)),
        "may_edit": request.user.has_perm("strategy.edit_draft", strategy),
        "may_add_framework": request.user.has_perm("strategy.add_framework"),
        **extra,
    }


def _editable_section(request, slug: str, pk: int):
    strategy = selectors.strategy_get(slug=slug)
    try:
        section = Section.objects.select_related("version", "updated_by").get(
            pk=pk, version__strategy=strategy
        )
    except Section.DoesNotExist:
        raise Http404(_("No such section in this strategy.")) from None
    section.version.strategy = strategy
    require(request.user, "strategy.view_draft", strategy)
    if section.version.is_frozen:
        raise FrozenVersionError(section.version)
    return strategy, section


@refusals
def section_edit(request, slug: str, pk: int):
    strategy, section = _editable_section(request, slug, pk)
    tree = selectors.flatten(selectors.section_tree(section.version, with_links=False))
    choices = parent_choices(tree)
    if request.method != "POST":
        form = SectionForm(
            initial={
                "title": section.title,
                "kind": section.kind,
                "dimension": section.dimension,
                "parent": section.parent_id,
                "body_markdown": section.body_markdown,
                "revision": section.revision,
            },
            parent_choices=choices,
        )
        return render(
            request,
            "strategy/section_edit.html",
            _section_context(request, strategy, section, form),
        )

    require(request.user, "strategy.edit_draft", strategy)
    form = SectionForm(request.POST, parent_choices=choices)
    if form.is_valid():
        data = form.cleaned_data
        parent = next((s for s in tree if s.pk == data["parent"]), None)
        try:
            services.section_update(
                section,
                user=request.user,
                expected_revision=data["revision"],
                title=data["title"],
                body_markdown=data["body_markdown"],
                dimension=data["dimension"],
                kind=data["kind"],
                parent=parent,
            )
        except EditConflict as conflict:
            return _conflict_response(request, strategy, section, conflict, choices)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": section.title})
            return redirect("strategy:section_edit", slug=strategy.slug, pk=section.pk)
    return render(
        request,
        "strategy/section_edit.html",
        _section_context(request, strategy, section, form),
        status=400,
    )


def _conflict_response(request, strategy, section, conflict: EditConflict, choices):
    """Keep everything the editor typed, show the colleague's text beside it, and let the editor
    save again deliberately (the form now carries the current revision)."""
    current = conflict.current
    current.version.strategy = strategy
    data = request.POST.copy()
    data["revision"] = str(current.revision)
    form = SectionForm(data, parent_choices=choices)
    form.is_valid()
    return render(
        request,
        "strategy/section_edit.html",
        _section_context(
            request,
            strategy,
            current,
            form,
            conflict=current,
            conflict_title_spans=word_diff(current.title, request.POST.get("title", "")),
            conflict_body_spans=word_diff(
                current.body_markdown, request.POST.get("body_markdown", "")
            ),
        ),
        status=409,
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


@refusals
@require_POST
def section_create(request, slug: str):
    strategy = selectors.strategy_get(slug=slug)
    require(request.user, "strategy.edit_draft", strategy)
    version = selectors.strategy_working_draft(strategy)
    sections = selectors.flatten(selectors.section_tree(version, with_links=False))
    form = SectionCreateForm(request.POST, parent_choices=parent_choices(sections))
    if form.is_valid():
        data = form.cleaned_data
        try:
            section = services.section_create(
                version=version,
                user=request.user,
                kind=data["kind"],
                title=data["title"],
                dimension=data["dimension"],
                parent=next((s for s in sections if s.pk == data["parent"]), None),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Added “%(title)s”.") % {"title": section.title})
            return redirect("strategy:section_edit", slug=strategy.slug, pk=section.pk)
    messages.error(
        request, _("The section was not added: %(errors)s") % {"errors": form.errors.as_text()}
    )
    return redirect("strategy:draft", slug=strategy.slug)


@refusals
@require_POST
def section_comment(request, slug: str, pk: int):
    strategy, section = _editable_section(request, slug, pk)
    require(request.user, "strategy.add_sectioncomment", strategy)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.section_comment_add(section, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment was added."))
    else:
        messages.error(
            request, _("The comment was not added: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect("strategy:section_edit", slug=strategy.slug, pk=section.pk)


@refusals
@require_POST
def section_link(request, slug: str, pk: int):
    strategy, section = _editable_section(request, slug, pk)
    require(request.user, "strategy.edit_draft", strategy)
    remove = request.POST.get("action") == "remove"
    try:
        if remove:
            services.section_link_remove(
                section, user=request.user, item_id=request.POST.get("item")
            )
        else:
            services.section_link_add(section, user=request.user, item_id=request.POST.get("item"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("strategy:section_edit", slug=strategy.slug, pk=section.pk)
    messages.success(request, _("The link was removed.") if remove else _("The link was added."))
    return redirect("strategy:section_edit", slug=strategy.slug, pk=section.pk)


@refusals
def section_history(request, slug: str, pk: int):
    strategy = selectors.strategy_get(slug=slug)
    require(request.user, "strategy.view_draft", strategy)
    try:
        section = Section.objects.select_related("version").get(pk=pk, version__strategy=strategy)
    except Section.DoesNotExist:
        raise Http404(_("No such section in this strategy.")) from None
    records = selectors.section_history(section)
    sources = {
        source.revision: source for source in selectors.change_sources(strategy, [section.key])
    }
    for record in records:
        record.source = sources.get(record.revision) if not section.version.is_frozen else None
        before = record.previous
        record.title_spans = word_diff(before.title if before else "", record.title)
        record.body_spans = word_diff(before.body_markdown if before else "", record.body_markdown)
    return render(
        request,
        "strategy/section_history.html",
        {"strategy": strategy, "section": section, "records": records},
    )


@refusals
@require_POST
def version_freeze(request, slug: str):
    strategy = selectors.strategy_get(slug=slug)
    require(request.user, "strategy.freeze_version", strategy)
    form = FreezeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("strategy:draft", slug=strategy.slug)
    version = services.version_freeze(strategy, user=request.user, label=form.cleaned_data["label"])
    messages.success(
        request,
        _("The draft was frozen as version %(number)s. Later edits go to the working draft.")
        % {"number": version.number},
    )
    return redirect("strategy:version", slug=strategy.slug, number=version.number)


@refusals
def version_adopt(request, slug: str, number: int):
    """The adoption as a decision: the form, then a confirmation naming the version adopted and
    the one it supersedes, then the record. A refusal shows the form again with all that was
    typed and the reason beside the field."""
    strategy = selectors.strategy_get(slug=slug)
    version = selectors.strategy_version(strategy, number)
    require(request.user, "strategy.adopt_version", strategy)
    organisations = {organisation.pk: organisation for organisation in strategy.partnership.all()}
    form = AdoptionForm(
        request.POST if request.method == "POST" else None,
        organisation_choices=[(pk, org.name) for pk, org in organisations.items()],
    )
    context = {
        "strategy": strategy,
        "version": version,
        "form": form,
        "basis": services.adoption_basis(version),
    }
    action = request.POST.get("action") if request.method == "POST" else None
    if action is None or action == "edit" or not form.is_valid():
        status = 400 if action not in (None, "edit") else 200
        return render(request, "strategy/adopt.html", context, status=status)
    data = form.cleaned_data
    decision = services.AdoptionInput(
        body=data["body"],
        organisation=organisations.get(data["organisation"]),
        decided_on=data["decided_on"],
        reference=data["reference"],
        note=data["note"],
        without_consultation_reason=data["without_consultation_reason"],
    )
    try:
        if action == "confirm":
            adoption = services.version_adopt(version, user=request.user, decision=decision)
        else:
            context["basis"] = services.version_adopt_check(
                version, user=request.user, decision=decision
            )
    except ValidationError as error:
        _add_errors(form, error)
        return render(request, "strategy/adopt.html", context, status=400)
    if action != "confirm":
        context["decision"] = decision
        return render(request, "strategy/adopt_confirm.html", context)
    messages.success(
        request,
        _("Version %(number)s is adopted by decision of %(body)s on %(date)s (%(reference)s).")
        % {
            "number": number,
            "body": adoption.deciding_body,
            "date": adoption.decided_on.isoformat(),
            "reference": adoption.reference,
        },
    )
    return redirect("strategy:version", slug=strategy.slug, number=number)


def _version_context(request, slug: str, number: int) -> dict:
    strategy = selectors.strategy_get(slug=slug)
    version = selectors.strategy_version(strategy, number)
    require(request.user, "strategy.view_strategyversion", version)
    return {
        "strategy": strategy,
        "version": version,
        "is_adopted": strategy.adopted_version_id == version.pk,
        "adoption": version.adoption_record,
        "may_adopt": request.user.has_perm("strategy.adopt_version", strategy),
        "versions": selectors.strategy_frozen_versions(strategy),
        "partnership": ", ".join(organisation.name for organisation in strategy.partnership.all()),
    }


@refusals
def version_detail(request, slug: str, number: int):
    context = _version_context(request, slug, number)
    strategy, version, is_adopted = context["strategy"], context["version"], context["is_adopted"]
    # A frozen version's text is the same for everybody who may read it (issue #19).
    context["text"] = kept_fragment(
        ("version-text", version.pk, is_adopted),
        "strategy/_version_text.html",
        lambda: {
            "strategy": strategy,
            "version": version,
            "tree": selectors.section_tree(version),
            "comment_links": is_adopted,
        },
    )
    return render(request, "strategy/version_detail.html", context)


@refusals
def version_pdf(request, slug: str, number: int):
    context = _version_context(request, slug, number)
    version = context["version"]
    context["tree"] = selectors.section_tree(version)
    context["sections"] = selectors.flatten(context["tree"])
    context["printed_at"] = timezone.localdate()
    document = printed(
        kind="strategy-version",
        key=version.pk,
        html=exports.version_pdf_html(context),
        stylesheets=exports.VERSION_PDF_STYLES,
        language=get_language(),
        file_name=f"{slugify(context['strategy'].slug)}-version-{number}.pdf",
    )
    back = reverse("strategy:version", kwargs={"slug": slug, "number": number})
    return document_response(request, document, back_url=back)


def published(request, slug: str):
    strategy = selectors.strategy_get(slug=slug)
    version = selectors.strategy_public_version(strategy)
    if version is None:
        messages.info(request, _("This strategy has no published version yet."))
        return redirect(strategy)
    return redirect("strategy:version", slug=strategy.slug, number=version.number)


def _version_by_token(request, strategy, token: str | None):
    if token in ("draft", "utkast"):
        require(request.user, "strategy.view_draft", strategy)
        return selectors.strategy_working_draft(strategy)
    try:
        number = int(token or "")
    except ValueError:
        return None
    return selectors.strategy_version(strategy, number)


@refusals
@query_parameters(CompareQuery)
def compare(request, slug: str, query):
    strategy = selectors.strategy_get(slug=slug)
    versions = selectors.strategy_frozen_versions(strategy)
    may_view_draft = request.user.has_perm("strategy.view_draft", strategy)
    default_from = versions[-2].number if len(versions) > 1 else None
    default_to = versions[-1].number if versions else None
    old = _version_by_token(request, strategy, query["from"] or str(default_from or ""))
    new = _version_by_token(request, strategy, query["to"] or str(default_to or ""))
    diff = selectors.version_diff(old, new) if old and new else None
    changes = [c for c in diff.changes if c.kind != ChangeKind.UNCHANGED] if diff else []
    sources = (
        selectors.sources_between(strategy, old, new, [c.key for c in changes]) if diff else {}
    )
    for change in changes:
        change.sources = sources.get(change.key, [])
    return render(
        request,
        "strategy/compare.html",
        {
            "strategy": strategy,
            "versions": versions,
            "may_view_draft": may_view_draft,
            "old": old,
            "new": new,
            "diff": diff,
            "changes": changes,
            "unchanged_count": diff.counts["unchanged"] if diff else 0,
        },
    )


@refusals
@query_parameters(TraceabilityQuery)
def traceability(request, slug: str, query):
    strategy = selectors.strategy_get(slug=slug)
    token = query["version"]
    if token:
        version = _version_by_token(request, strategy, token)
        if version is None:
            raise Http404(_("No such version."))
    else:
        version = selectors.strategy_public_version(strategy)
        if version is None:
            require(request.user, "strategy.view_draft", strategy)
            version = selectors.strategy_working_draft(strategy)
    framework_code = query["framework"]
    framework = selectors.framework_get(framework_code) if framework_code else None
    by = query["by"] or "section"
    matrix = selectors.traceability_matrix(version, framework=framework)
    export = query["format"]
    filename = f"{strategy.slug}-{version.number or 'utkast'}-sparbarhet"
    if export in ("csv", "xlsx"):
        header, rows = exports.matrix_table(matrix, by=by)
        return table_response(
            export, filename, header, rows, sheet=_("Traceability"), freeze="C2", widths={"A": 50}
        )
    return render(
        request,
        "strategy/traceability.html",
        {
            "strategy": strategy,
            "version": version,
            "matrix": matrix,
            "by": by,
            "framework": framework,
            "frameworks": selectors.framework_list(),
            "versions": selectors.strategy_frozen_versions(strategy),
            "may_view_draft": request.user.has_perm("strategy.view_draft", strategy),
        },
    )


def framework_list(request):
    return render(
        request,
        "strategy/framework_list.html",
        {
            "frameworks": selectors.framework_list(),
            "may_add": request.user.has_perm("strategy.add_framework"),
        },
    )


def framework_detail(request, code: str):
    framework = selectors.framework_get(code)
    items = selectors.framework_items(framework)
    linked = selectors.framework_linked_sections(framework, request.user)
    for item in items:
        item.linking = linked.get(item.pk, [])
    return render(
        request,
        "strategy/framework_detail.html",
        {
            "framework": framework,
            "items": items,
            "may_change": request.user.has_perm("strategy.change_framework", framework),
        },
    )


# --- Frameworks kept in the pages (see services.framework_create and the item services) -------

ITEM_PREFIX = "item"
PASTE_PREFIX = "paste"


def _framework_input(data: dict) -> services.FrameworkInput:
    return services.FrameworkInput(
        code=data["code"],
        name=data["name"],
        kind=data["kind"],
        url=data["url"],
        description=data["description"],
        source=data["source"],
    )


def _item_input(data: dict, items) -> services.ItemInput:
    return services.ItemInput(
        code=data["code"],
        title_sv=data["title_sv"],
        title_en=data["title_en"],
        parent=next((item for item in items if item.pk == data["parent"]), None),
    )


@refusals
def framework_create(request):
    require(request.user, "strategy.add_framework")
    owners = selectors.framework_owner_choices(request.user)
    if request.method != "POST":
        form = FrameworkCreateForm(owner_choices=owners)
        return render(request, "strategy/framework_create.html", {"form": form})
    form = FrameworkCreateForm(request.POST, owner_choices=owners)
    if form.is_valid():
        try:
            framework = services.framework_create(
                user=request.user,
                owner=form.cleaned_data["owner"],
                data=_framework_input(form.cleaned_data),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(name)s” is added. Add its items below.") % {"name": framework.name},
            )
            return redirect("strategy:framework_edit", code=framework.code)
    return render(request, "strategy/framework_create.html", {"form": form}, status=400)


def _kept_framework(request, code: str):
    framework = selectors.framework_get(code)
    require(request.user, "strategy.change_framework", framework)
    return framework


def _kept_item(request, code: str, pk: int):
    framework = _kept_framework(request, code)
    item = framework.items.filter(pk=pk).first()
    if item is None:
        raise Http404(_("No such item in this framework."))
    item.framework = framework
    return framework, item


def _edit_page(request, framework, items=None, *, status=200, invalid=None, refusal=None, **forms):
    """The framework's edit page: its fields, its items, the forms to add them; `invalid` is the
    form whose errors the summary at the top lists, `refusal` a refused change of an item."""
    items = items if items is not None else selectors.framework_items_to_edit(framework)
    context = {
        "framework": framework,
        "items": items,
        "form": forms.get("form")
        or FrameworkForm(
            initial={
                name: getattr(framework, name)
                for name in ("code", "name", "kind", "url", "description", "source")
            }
        ),
        "item_form": forms.get("item_form")
        or FrameworkItemForm(
            prefix=ITEM_PREFIX, parent_choices=selectors.framework_item_choices(items)
        ),
        "paste_form": forms.get("paste_form") or FrameworkPasteForm(prefix=PASTE_PREFIX),
        "invalid": invalid,
        "error_summary": [(f"#{refusal[0]}", refusal[1])] if refusal else None,
    }
    return render(request, "strategy/framework_edit.html", context, status=status)


@refusals
def framework_edit(request, code: str):
    framework = _kept_framework(request, code)
    if request.method != "POST":
        return _edit_page(request, framework)
    form = FrameworkForm(request.POST)
    if form.is_valid():
        try:
            services.framework_update(
                framework, user=request.user, data=_framework_input(form.cleaned_data)
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": framework.name})
            return redirect("strategy:framework_edit", code=framework.code)
    framework = selectors.framework_get(code)  # as stored: the form keeps what was typed
    return _edit_page(request, framework, status=400, form=form, invalid=form)


@refusals
def framework_delete(request, code: str):
    """A confirmation that says what goes and whether sections hold it, then the removal."""
    framework = _kept_framework(request, code)
    refusal = ""
    if request.method == "POST":
        try:
            services.framework_delete(framework, user=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("Removed “%(name)s”.") % {"name": framework.name})
            return redirect("strategy:framework_list")
    return render(
        request,
        "strategy/framework_delete.html",
        {
            "framework": framework,
            "items": framework.items.count(),
            "links": services.framework_links(framework),
            "error_summary": [("#framework-links", refusal)] if refusal else [],
        },
        status=400 if refusal else 200,
    )


@refusals
@require_POST
def framework_item_add(request, code: str):
    framework = _kept_framework(request, code)
    items = selectors.framework_items_to_edit(framework)
    form = FrameworkItemForm(
        request.POST, prefix=ITEM_PREFIX, parent_choices=selectors.framework_item_choices(items)
    )
    if form.is_valid():
        try:
            item = services.framework_item_add(
                framework, user=request.user, data=_item_input(form.cleaned_data, items)
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Added “%(item)s”.") % {"item": item})
            return redirect("strategy:framework_edit", code=framework.code)
    return _edit_page(request, framework, items, status=400, item_form=form, invalid=form)


@refusals
@require_POST
def framework_items_paste(request, code: str):
    framework = _kept_framework(request, code)
    form = FrameworkPasteForm(request.POST, prefix=PASTE_PREFIX)
    if form.is_valid():
        try:
            added = services.framework_items_paste(
                framework, user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("Added %(count)s item.", "Added %(count)s items.", len(added))
                % {"count": len(added)},
            )
            return redirect("strategy:framework_edit", code=framework.code)
    return _edit_page(request, framework, status=400, paste_form=form, invalid=form)


@refusals
def framework_item_edit(request, code: str, pk: int):
    framework, item = _kept_item(request, code, pk)
    items = selectors.framework_items_to_edit(framework)
    choices = selectors.framework_item_choices(items, leave_out=item)
    page = {"framework": framework, "item": item}
    if request.method != "POST":
        form = FrameworkItemForm(
            prefix=ITEM_PREFIX,
            parent_choices=choices,
            initial={
                "code": item.code,
                "title_sv": item.title_sv,
                "title_en": item.title_en,
                "parent": item.parent_id,
            },
        )
        return render(request, "strategy/framework_item_edit.html", {**page, "form": form})
    form = FrameworkItemForm(request.POST, prefix=ITEM_PREFIX, parent_choices=choices)
    if form.is_valid():
        try:
            services.framework_item_update(
                item, user=request.user, data=_item_input(form.cleaned_data, items)
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved “%(item)s”.") % {"item": item})
            return redirect("strategy:framework_edit", code=framework.code)
    return render(request, "strategy/framework_item_edit.html", {**page, "form": form}, status=400)


@refusals
@require_POST
def framework_item_move(request, code: str, pk: int):
    framework, item = _kept_item(request, code, pk)
    try:
        services.framework_item_move(
            item, user=request.user, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        return _edit_page(
            request, framework, status=400, refusal=(f"item-{item.pk}", " ".join(error.messages))
        )
    messages.success(request, _("Moved “%(item)s”.") % {"item": item})
    return redirect(
        reverse("strategy:framework_edit", kwargs={"code": framework.code}) + f"#item-{item.pk}"
    )


@refusals
@require_POST
def framework_item_delete(request, code: str, pk: int):
    framework, item = _kept_item(request, code, pk)
    try:
        services.framework_item_delete(item, user=request.user)
    except ValidationError as error:
        return _edit_page(
            request, framework, status=400, refusal=(f"item-{item.pk}", " ".join(error.messages))
        )
    messages.success(request, _("Removed “%(item)s”.") % {"item": item})
    return redirect("strategy:framework_edit", code=framework.code)
