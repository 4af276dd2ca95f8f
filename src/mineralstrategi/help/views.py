import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

# The built pages change only with a new release of the platform.
MAX_AGE = 3600


@require_safe
def handbook(request, path: str = ""):
    """A file of the handbook as MkDocs built it, in the request's language."""
    root = Path(settings.HANDBOOK_DIR) / request.LANGUAGE_CODE
    if not (root / "index.html").is_file():
        return render(request, "help/not_built.html", status=503)
    try:
        target = Path(safe_join(root, path))
    except SuspiciousFileOperation:
        raise Http404 from None
    if target.is_dir():
        if path and not path.endswith("/"):
            return redirect(request.path + "/")
        target = target / "index.html"
    if not target.is_file():
        raise Http404
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if content_type == "text/html":
        content_type += "; charset=utf-8"
    response = HttpResponse(target.read_bytes(), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
