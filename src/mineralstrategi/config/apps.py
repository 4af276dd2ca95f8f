from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class StaticFilesConfig(DjangoStaticFilesConfig):
    """Leaves out the ReDoc bundle, which the platform does not use (the API docs use Swagger UI).

    The one app config of `config`: it also registers the fleet's deployment checks."""

    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "redoc.standalone.js*"]

    def ready(self):
        super().ready()
        from . import checks  # noqa: F401  (registers the fleet's deployment checks)
