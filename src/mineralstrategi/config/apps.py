from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class StaticFilesConfig(DjangoStaticFilesConfig):
    """Leaves out the ReDoc bundle, which the platform does not use (the API docs use Swagger UI)."""

    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "redoc.standalone.js*"]
