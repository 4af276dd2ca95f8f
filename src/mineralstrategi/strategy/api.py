"""The strategy part of the JSON API. Frozen versions are public, the working draft is listed for
members of the partnership only; one write, `POST /api/strategies`, sets up a strategy through the
same service as the pages and the command line."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from mineralstrategi.apikit.responses import (
    INVALID_INPUT,
    NEEDS_KEY,
    NOT_FOUND,
    TOO_MANY_WRITES,
    ErrorOut,
    ObjectId,
    Text,
    input_error,
)
from mineralstrategi.organisations.api_auth import api_key_or_session
from mineralstrategi.organisations.models import ApiScope

from . import selectors, services
from .diff import ChangeKind
from .rendering import markdown_to_html

router = Router(tags=["strategy"])


class PartnerOut(Schema):
    id: int
    name: str
    slug: str


class StrategyOut(Schema):
    id: int
    title: str
    slug: str
    status: str
    start_year: int
    end_year: int
    is_example: bool
    county_codes: list[str]
    lead: PartnerOut | None = Field(..., description="The partnership's lead organisation")
    partnership: list[PartnerOut]
    adopted_version: int | None

    @staticmethod
    def resolve_county_codes(obj) -> list[str]:
        return [county.code for county in obj.counties.all()]

    @staticmethod
    def resolve_partnership(obj):
        return list(obj.partnership.all())

    @staticmethod
    def resolve_adopted_version(obj) -> int | None:
        return obj.adopted_version.number if obj.adopted_version_id else None


class AdoptionOut(Schema):
    """The decision that adopted a version (read-only; recorded on the version's adoption page)."""

    state: str = Field(
        ..., description="“adopted”, or “superseded” once a later version has been adopted."
    )
    body: str = Field(..., description="The deciding body, with its organisation when chosen.")
    organisation: PartnerOut | None
    decided_on: date
    reference: str = Field(..., description="The decision's paragraph (§) or registry number.")
    note: str
    consultation: str = Field(
        ..., description="Registry number of the compiled consultation the adoption rests on."
    )
    without_consultation_reason: str = Field(
        ..., description="Why it was adopted without a compiled consultation, when it was."
    )
    superseded_on: date | None
    superseded_by_version: int | None
    is_example: bool

    @staticmethod
    def resolve_body(obj) -> str:
        return obj.deciding_body

    @staticmethod
    def resolve_superseded_by_version(obj) -> int | None:
        return obj.superseded_by.version.number if obj.superseded_by_id else None


class VersionOut(Schema):
    number: int | None = Field(None, description="Null for the working draft.")
    label: str
    frozen_at: datetime | None
    frozen_by: str | None
    is_adopted: bool = Field(..., description="The adopted version in force now.")
    adoption_state: str = Field(
        ...,
        description="“adopted” (in force), “superseded” (previously adopted) or empty (never).",
    )
    adoption: AdoptionOut | None

    @staticmethod
    def resolve_adoption(obj):
        return obj.adoption_record

    @staticmethod
    def resolve_frozen_by(obj) -> str | None:
        return obj.frozen_by.get_username() if obj.frozen_by_id else None

    @staticmethod
    def resolve_is_adopted(obj) -> bool:
        return obj.pk == obj.strategy.adopted_version_id


class StrategyDetailOut(StrategyOut):
    summary: str
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj):
        return selectors.strategy_frozen_versions(obj)


class LinkOut(Schema):
    framework: str
    code: str
    title: str


class SectionOut(Schema):
    key: str
    kind: str
    dimension: str
    outline: str
    title: str
    body_markdown: str
    body_html: str = Field(..., description="The text rendered and sanitised (nh3).")
    is_example: bool
    links: list[LinkOut]
    sections: list["SectionOut"]


def section_data(section) -> dict:
    """A section and its subsections as plain data for the response."""
    return {
        "key": str(section.key),
        "kind": section.kind,
        "dimension": section.dimension,
        "outline": section.outline,
        "title": section.title,
        "body_markdown": section.body_markdown,
        "body_html": str(markdown_to_html(section.body_markdown)),
        "is_example": section.is_example,
        "links": [
            {
                "framework": link.item.framework.code,
                "code": link.item.code,
                "title": link.item.title_sv,
            }
            for link in section.links.all()
        ],
        "sections": [section_data(child) for child in section.subsections],
    }


SectionOut.model_rebuild()


class VersionDetailOut(VersionOut):
    sections: list[SectionOut] = Field(..., alias="section_tree")


class SpanOut(Schema):
    op: str
    text: str


class ChangeOut(Schema):
    key: str
    kind: str
    title: str
    old_title: str | None
    new_title: str | None
    fields_changed: list[str]
    title_spans: list[SpanOut]
    body_spans: list[SpanOut]
    links_added: list[str]
    links_removed: list[str]


class DiffOut(Schema):
    from_version: int
    to_version: int
    counts: dict[str, int]
    changes: list[ChangeOut]


class DiffQuery(Schema):
    from_number: int = Field(..., alias="from", ge=1)
    to_number: int = Field(..., alias="to", ge=1)
    include_unchanged: bool = False


class FrameworkItemOut(Schema):
    code: str
    title_sv: str
    title_en: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class FrameworkOut(Schema):
    code: str
    name: str
    kind: str
    url: str
    source: str
    is_example: bool
    items: list[FrameworkItemOut]

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())


def _strategy(strategy_id: int):
    return selectors.strategy_get(pk=strategy_id)


def _frozen_version(strategy, number: int):
    version = selectors.strategy_version(strategy, number)
    if not version.is_frozen:
        raise Http404(_("No such version."))
    return version


@router.get("/strategies", response={200: list[StrategyOut]})
def strategies(request):
    return selectors.strategy_list()


class StrategySetupForm(Schema):
    name: Text = Field(..., min_length=1, max_length=300, description="The strategy's name")
    county: list[Text] = Field(..., min_length=1, description="County codes it covers, e.g. 23")
    lead: Text = Field(
        ..., description="The lead organisation's slug (one you administer or edit for)"
    )
    partner: list[Text] = Field([], description="Slugs of further partnership organisations")
    start_year: int = Field(..., ge=1900, le=2200)
    end_year: int = Field(..., ge=1900, le=2200)
    copy_from: Text | None = Field(
        None, description="Start from a copy of this strategy's sections (its slug)"
    )
    copy_texts: bool = Field(False, description="With copy_from: copy the sections' texts too")


class StrategyCreatedOut(StrategyOut):
    draft_url: str
    sections: int

    @staticmethod
    def resolve_draft_url(obj) -> str:
        return reverse("strategy:draft", kwargs={"slug": obj.slug})

    @staticmethod
    def resolve_sections(obj) -> int:
        return services.strategy_draft(obj).sections.count()


@router.post(
    "/strategies",
    response={
        201: StrategyCreatedOut,
        **NEEDS_KEY,
        403: ErrorOut,
        **INVALID_INPUT,
        **TOO_MANY_WRITES,
    },
    auth=api_key_or_session(ApiScope.WRITE),
)
def strategy_setup(request, fields: Form[StrategySetupForm], outline: File[UploadedFile] = None):
    """Set up a strategy with its working draft (multipart): empty, from a copy of another
    strategy's sections (`copy_from`) or from an outline file (`outline`: Markdown or DOCX
    headings become sections)."""
    if outline is not None and fields.copy_from:
        raise input_error("form", "outline", "give copy_from or outline, not both")
    if outline is not None and outline.size > services.OUTLINE_MAX_BYTES:
        raise input_error("form", "outline", str(services.OUTLINE_ERRORS["too large"]))
    try:
        references = services.setup_references(
            county_codes=fields.county,
            lead_slug=fields.lead,
            partner_slugs=fields.partner,
            copy_from_slug=fields.copy_from or "",
        )
        headings = None
        if outline is not None:
            headings = services.outline_read(outline.name or "", outline.read())
        strategy = services.strategy_create(
            title=fields.name,
            start_year=fields.start_year,
            end_year=fields.end_year,
            user=request.user,
            copy_texts=fields.copy_texts,
            outline=headings,
            **references,
        )
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except ValidationError as error:
        raise NinjaValidationError(
            [
                {"type": "value_error", "loc": ["form", field], "msg": message}
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        ) from None
    return Status(201, selectors.strategy_get(pk=strategy.pk))


@router.get(
    "/strategies/{strategy_id}", response={200: StrategyDetailOut, **NOT_FOUND, **INVALID_INPUT}
)
def strategy(request, strategy_id: ObjectId):
    return _strategy(strategy_id)


@router.get(
    "/strategies/{strategy_id}/versions",
    response={200: list[VersionOut], **NOT_FOUND, **INVALID_INPUT},
)
def versions(request, strategy_id: ObjectId):
    strategy = _strategy(strategy_id)
    listed = selectors.strategy_versions(strategy, request.user)
    for version in listed:
        version.strategy = strategy
    return listed


@router.get(
    "/strategies/{strategy_id}/versions/{number}",
    response={200: VersionDetailOut, **NOT_FOUND, **INVALID_INPUT},
)
def version(request, strategy_id: ObjectId, number: ObjectId):
    strategy = _strategy(strategy_id)
    found = _frozen_version(strategy, number)
    found.section_tree = [section_data(section) for section in selectors.section_tree(found)]
    return found


@router.get("/strategies/{strategy_id}/diff", response={200: DiffOut, **NOT_FOUND, **INVALID_INPUT})
def diff(request, strategy_id: ObjectId, query: Query[DiffQuery]):
    strategy = _strategy(strategy_id)
    old = _frozen_version(strategy, query.from_number)
    new = _frozen_version(strategy, query.to_number)
    result = selectors.version_diff(old, new)
    changes = [
        {
            "key": change.key,
            "kind": change.kind.value,
            "title": change.current.title,
            "old_title": change.old.title if change.old else None,
            "new_title": change.new.title if change.new else None,
            "fields_changed": change.fields_changed,
            "title_spans": change.title_spans,
            "body_spans": change.body_spans,
            "links_added": change.links_added,
            "links_removed": change.links_removed,
        }
        for change in result.changes
        if query.include_unchanged or change.kind != ChangeKind.UNCHANGED
    ]
    return {
        "from_version": old.number,
        "to_version": new.number,
        "counts": result.counts,
        "changes": changes,
    }


@router.get("/frameworks", response={200: list[FrameworkOut]})
def frameworks(request):
    return selectors.framework_list().prefetch_related("items__parent")
