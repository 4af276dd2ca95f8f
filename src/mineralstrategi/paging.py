"""One page of a long list, for the pages that list what grows with a national deployment
(initiatives, comments waiting for moderation): the page asked for by ``?page=`` (declared with
`query.page_field()` in the view's query form), with the other query parameters kept for the
links to the neighbouring pages (see ``_pager.html``)."""

from django.core.paginator import Page, Paginator

PER_PAGE = 50


def page_of(request, items, number: int | None, per_page: int = PER_PAGE) -> Page:
    """Page `number` of `items` (a queryset: only that page's rows are read). A missing number
    gives the first page, one past the end the last, never an error."""
    page = Paginator(items, per_page).get_page(number)
    # Only copied into the pager's links, never read: the view's query form checks what it reads.
    others = request.GET.copy()
    others.pop("page", None)
    page.other_parameters = others.urlencode()
    return page
