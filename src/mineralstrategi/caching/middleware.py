"""Serves anonymous GET requests from the cache; see `mineralstrategi.caching` for invalidation.

A response is shared between visitors only when it cannot differ between them:

- the request is a GET without a session or messages cookie and without an Authorization header
  (logged-in users, visitors with a pending message and API-key clients always get a fresh page);
- the response is a 200, not streamed, sets no cookie (a page that renders a CSRF token sets the
  CSRF cookie, so a form's token is never shared), says nothing against caching (private,
  no-store, no-cache), and varies on no request header outside the key;
- the key holds the generation token, the scheme, host, language, address (`_address`), the
  HX-Request header (htmx partials) and, for the API, the Accept header.

`Vary: Cookie` is honoured by the first rule: the only cookies the pages read are the session,
the messages and the CSRF cookie, and a page that reads the CSRF cookie sets it again.

Entries go stale after PUBLIC_CACHE_SECONDS even without a write, which bounds how long a page can
miss a change that comes from the clock alone (an event passing, a consultation closing). The
first request after that renders the page again; requests that come while it does get the stale
page rather than all rendering it at once (a stampede that stalls every worker on a busy site).
This never hides a write: after a write the key itself is new. After a write every page is a
miss; the first request for a page renders it and the ones that come meanwhile wait for it
(without using the CPU) rather than render it too. Pages that turn out not to be shareable are
remembered as such for a while, so that their requests never wait for one another.

Each process also keeps the pages it served lately in its own memory (`recent.RecentPages`), so
that a hit does not fetch the whole page from the shared cache again: only the generation token.
A page is kept compressed too (`compression.gzipped`, made once when it is stored), and a browser
that accepts gzip gets that: a hit costs no compression.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.translation import get_language

from .compression import accepts_gzip, gzipped, is_compressible
from .invalidation import current_generation
from .recent import RecentPages

logger = logging.getLogger(__name__)

STATUS_HEADER = "X-Public-Cache"
REFRESH_LOCK_SECONDS = 30
RENDER_WAIT_SECONDS = 10  # at most, for a page another request is rendering
RENDER_POLL_SECONDS = 0.02
_NOT_SHARED = {"private", "no-store", "no-cache"}
RECENT_PAGES = RecentPages(max_bytes=settings.PUBLIC_CACHE_PROCESS_BYTES)


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _is_shareable_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _page_key(request) -> str:
    parts = [
        current_generation(),
        request.scheme,
        request.get_host(),
        get_language() or "",
        request.headers.get("HX-Request", ""),
        request.headers.get("Accept", "") if _is_api(request) else "",
        _address(request),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"public-page:{digest}"


def _address(request) -> str:
    """The page's address as the key holds it. A page of ours is keyed by its path and the
    values its view reads from the query string, in their canonical form (the `query_form` of
    `mineralstrategi.query`): a parameter the view does not read, a value it refuses, another
    order or spelling give the cached page, so that no one can make every request render anew
    by adding `?x=1`, `?x=2`, …; a function view of ours without a form reads no parameter at
    all (tests/security/test_bad_query_values.py holds them to that). The API (its schemas read
    the query), our class-based views (Django's auth views, which read `next` themselves) and
    views of other packages are keyed by the whole address and given it."""
    if _is_api(request):
        return request.get_full_path()
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return request.get_full_path()
    form_class = getattr(view, "query_form", None)
    if form_class is not None:
        form = form_class(request.GET)
        _read_only(request, form.accepted())
        return f"{request.path}?{form.canonical()}"
    if view.__module__.startswith("mineralstrategi.") and not hasattr(view, "view_class"):
        _read_only(request, QueryDict())
        return request.path
    return request.get_full_path()


def _read_only(request, query: QueryDict) -> None:
    """Leave the request only the parameters its view reads, as if the others had not been
    sent: a page shared under the key must not copy a visitor's extra parameters into its links
    (pagination, downloads) for the next visitors."""
    request.GET = query
    request.META["QUERY_STRING"] = query.urlencode()


def _keyed_headers(request) -> set[str]:
    keyed = {"cookie", "accept-language", "hx-request"}
    if _is_api(request):
        keyed.add("accept")
    return keyed


def _is_shareable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    cache_control = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if cache_control & _NOT_SHARED:
        return False
    vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", ""))}
    return vary - {""} <= _keyed_headers(request)


class PublicPageCacheMiddleware:
    """Placed after LocaleMiddleware (the language is part of the key) and before the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PUBLIC_CACHE_SECONDS
        if seconds <= 0 or not _is_shareable_request(request):
            return self.get_response(request)
        cache = caches[settings.PUBLIC_CACHE_ALIAS]
        try:
            key = _page_key(request)
            entry = _entry_for(cache, key)
        except DisallowedHost:
            return self.get_response(request)  # CommonMiddleware answers it with a 400
        except Exception:
            logger.exception("The public page cache could not be read.")
            return self.get_response(request)
        if entry is not None:
            fresh_until, stored = entry
            if time.time() < fresh_until:
                return _response_from(stored, "hit", request)
            if not _take_refresh(cache, key):
                return _response_from(stored, "stale", request)
            rendering = True
        elif _is_private(cache, key):
            rendering = False
        else:
            rendering = _take_refresh(cache, key)
            if not rendering and (entry := _wait_for_render(cache, key)) is not None:
                return _response_from(entry[1], "hit", request)
        try:
            response = self.get_response(request)
            if _is_shareable_response(request, response):
                _store(cache, key, response, seconds)
            elif rendering:
                _mark_private(cache, key, seconds)
        finally:
            if rendering:
                _release_refresh(cache, key)
        return response


def _store(cache, key: str, response, seconds: int) -> None:
    # Right for anonymous visitors only: an HTTP cache downstream must know it. The page is
    # kept plain and compressed, and the one the browser accepts is sent.
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    response[STATUS_HEADER] = "miss"
    try:
        entry = (time.time() + seconds, _entry_from(response))
        cache.set(key, entry, 2 * seconds + REFRESH_LOCK_SECONDS)
        RECENT_PAGES.put(key, entry, _size(entry[1]))
    except Exception:
        logger.exception("The public page cache could not be written.")


def _entry_for(cache, key: str) -> tuple | None:
    """The page's entry: this process's copy while it is fresh, else the shared cache's."""
    entry = RECENT_PAGES.get(key)
    if entry is not None and time.time() < entry[0]:
        return entry
    entry = cache.get(key)
    if entry is not None:
        RECENT_PAGES.put(key, entry, _size(entry[1]))
    return entry


def _take_refresh(cache, key: str) -> bool:
    """Whether this request renders the stale page again: no other one, in any process, is
    doing it (`add` is atomic in Redis and in `backends.AtomicAddFileBasedCache`)."""
    try:
        return cache.add(f"{key}:refresh", 1, REFRESH_LOCK_SECONDS)
    except Exception:
        logger.exception("The public page cache could not be written.")
        return True


def _wait_for_render(cache, key: str) -> tuple | None:
    """The page another request is rendering, once it is stored; None when that request ends
    without storing one (then this one renders it too). Waiting costs no CPU, where rendering
    the same page in every worker at once (as after a write, which makes every page a miss)
    stalls them all."""
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    try:
        while time.monotonic() < deadline:
            time.sleep(RENDER_POLL_SECONDS)
            entry = _entry_for(cache, key)
            if entry is not None:
                return entry
            if not cache.has_key(f"{key}:refresh"):
                return None
    except Exception:
        logger.exception("The public page cache could not be read.")
    return None


def _is_private(cache, key: str) -> bool:
    """Whether the page turned out not to be shareable (it sets a cookie, e.g. a form's CSRF
    cookie): its requests then render at once instead of waiting for one another."""
    try:
        return cache.get(f"{key}:private") is not None
    except Exception:
        logger.exception("The public page cache could not be read.")
        return True


def _mark_private(cache, key: str, seconds: int) -> None:
    try:
        cache.set(f"{key}:private", 1, seconds)
    except Exception:
        logger.exception("The public page cache could not be written.")


def _release_refresh(cache, key: str) -> None:
    try:
        cache.delete(f"{key}:refresh")
    except Exception:
        logger.exception("The public page cache could not be written.")


def _entry_from(response) -> tuple:
    """(status, headers, content, the content gzipped or None)."""
    compressed = gzipped(response.content) if is_compressible(response) else None
    return response.status_code, list(response.items()), response.content, compressed


def _size(stored: tuple) -> int:
    return sum(len(content or b"") for content in stored[2:])


def _response_from(stored: tuple, status_header: str, request) -> HttpResponse:
    status, headers, content, compressed = stored
    if compressed is not None and accepts_gzip(request):
        response = HttpResponse(compressed, status=status)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(response.content))
    response[STATUS_HEADER] = status_header
    return response
