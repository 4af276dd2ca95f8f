"""One page of a long list, for the pages that list what grows with a national deployment
(initiatives, comments waiting for moderation): the page asked for by ``?page=``, with the other
query parameters kept for the links to the neighbouring pages (see ``_pager.html``)."""

from django.core.paginator import Page, Paginator

PER_PAGE = 50


def page_of(request, items, per_page: int = PER_PAGE) -> Page:
    """The requested page of `items` (a queryset: only that page's rows are read). A missing,
    malformed or too large page number gives the first or last page, never an error."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    others = request.GET.copy()
    others.pop("page", None)
    page.other_parameters = others.urlencode()
    return page
