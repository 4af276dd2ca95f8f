"""Who may read what: each private model's read rule, written once, in both of its forms.

A read rule is a union of grants. Each grant answers one question twice, side by side: for one
object (`allows(user, obj)`, behind the `rules` permission `<app>.view_<model>` that detail pages
check) and for a list (`filter(user, queryset)`, behind list pages and API lists). Because both
forms come from the same grant, a list cannot show what a detail page refuses;
tests/security/test_visibility.py holds them to each other for every role and private model.

The grants:

- `Where(q)`: objects meeting a condition on their own fields (approved, published, submitted),
  for everyone. The condition is one `Q`: the database applies it to lists, `matches` to one
  object.
- `RoleIn(path, reads)`: members holding, in the organisation at `path`, a role whose row in
  `organisations.models.ROLE_READS` includes `reads`. Grants name what they need, never roles,
  so a new role is one row in that table.
- `OwnedBy(field)`: the user the object belongs to (its starter, its holder).
- `UserIs(test)`: every object, for users who pass a test of the user alone (`SUPERUSER`, the
  portal's editors).

Grants combine with `|`. A private model declares its rule as the class attribute `visibility`,
its queryset inherits `VisibleQuerySet` (`visible_to(user)`, `public()`), and
`register_view_permissions` (run when the apps are ready) registers `<app>.view_<model>`.

This module imports no model at load time, so that the models of every app, this app's included,
can declare their rules with it.
"""

import operator
from collections.abc import Callable
from functools import reduce

import rules
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q

# The condition of a grant that shows a list every object (an empty Q would vanish in `|`).
EVERYTHING = object()


def roles_by_organisation(user) -> dict[int, set[str]]:
    """The user's roles per organisation id, fetched once per user object (one request)."""
    if not user.is_authenticated:
        return {}
    cache = getattr(user, "_organisation_roles", None)
    if cache is None:
        from .models import Membership

        cache = {}
        for org_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            cache.setdefault(org_id, set()).add(role)
        user._organisation_roles = cache
    return cache


def roles_reading(reads) -> frozenset[str]:
    """The roles whose row in ROLE_READS includes `reads`."""
    from .models import ROLE_READS

    return frozenset(role for role, readable in ROLE_READS.items() if reads in readable)


def reads_anywhere(user, reads) -> bool:
    """The user holds, in some organisation, a role that reads `reads`."""
    readers = roles_reading(reads)
    return any(roles & readers for roles in roles_by_organisation(user).values())


def related_ids(obj, name: str) -> set[int]:
    """The primary keys of a many-valued relation of `obj`, from its prefetch when there is one;
    read once per object."""
    cache = obj.__dict__.setdefault("_related_ids", {})
    if name not in cache:
        prefetched = getattr(obj, "_prefetched_objects_cache", {}).get(name)
        if prefetched is not None:
            cache[name] = {related.pk for related in prefetched}
        else:
            cache[name] = set(getattr(obj, name).values_list("pk", flat=True))
    return cache[name]


# --- One object against a Q ----------------------------------------------------------------------

_COMPARISONS: dict[str, Callable] = {
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def _value_at(obj, names: list[str]):
    for name in names:
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def _lookup_matches(obj, lookup: str, wanted) -> bool:
    names = lookup.split("__")
    kind = names.pop() if names[-1] in {"exact", "isnull", "in", *_COMPARISONS} else "exact"
    if isinstance(wanted, models.Expression | models.F):
        raise TypeError(f"matches() compares with values only, not {wanted!r} ({lookup})")
    value = _value_at(obj, names)
    if kind == "isnull":
        return (value is None) == wanted
    if value is None or wanted is None:
        return False  # as in SQL: NULL equals nothing and compares with nothing
    if kind == "exact":
        return value == wanted
    if kind == "in":
        return value in wanted
    return _COMPARISONS[kind](value, wanted)


def matches(obj, q: Q) -> bool:
    """Whether the object meets the condition, evaluated in Python as the database would: the
    lookups exact, isnull, in, lt, lte, gt and gte, on fields reached through forward relations,
    joined with AND, OR and NOT."""
    results = (
        matches(obj, child) if isinstance(child, Q) else _lookup_matches(obj, *child)
        for child in q.children
    )
    if q.connector == Q.AND:
        found = all(results)
    elif q.connector == Q.OR:
        found = any(results)
    else:
        raise TypeError(f"matches() does not evaluate {q.connector}")
    return not found if q.negated else found


# --- Grants --------------------------------------------------------------------------------------


class Grant:
    """Who may read which objects, for one object and for a list."""

    def allows(self, user, obj) -> bool:
        raise NotImplementedError

    def condition(self, user, model):
        """A Q that selects the objects the user may read, EVERYTHING, or None for none."""
        raise NotImplementedError

    def filter(self, user, queryset):
        condition = self.condition(user, queryset.model)
        if condition is EVERYTHING:
            return queryset
        if condition is None:
            return queryset.none()
        return queryset.filter(condition)

    @property
    def grants(self) -> tuple["Grant", ...]:
        return (self,)

    def __or__(self, other: "Grant") -> "Visibility":
        return Visibility(*self.grants, *other.grants)

    @property
    def predicate(self) -> rules.Predicate:
        """The one-object form as a `rules` predicate, for `rules.add_perm` and combinations."""
        return rules.Predicate(self.allows, name=repr(self))


class Visibility(Grant):
    """A read rule: the union of its grants."""

    def __init__(self, *grants: Grant):
        self._grants = grants

    @property
    def grants(self) -> tuple[Grant, ...]:
        return self._grants

    def allows(self, user, obj) -> bool:
        return any(grant.allows(user, obj) for grant in self._grants)

    def condition(self, user, model):
        conditions = [grant.condition(user, model) for grant in self._grants]
        if any(condition is EVERYTHING for condition in conditions):
            return EVERYTHING
        found = [condition for condition in conditions if condition is not None]
        return reduce(operator.or_, found) if found else None

    def __repr__(self) -> str:
        return " | ".join(repr(grant) for grant in self._grants)


class Where(Grant):
    """Objects meeting the condition, for everyone. `q` is a Q, or a function returning one when
    the condition depends on the time (published_at <= now)."""

    def __init__(self, q: Q | Callable[[], Q], name: str = ""):
        self._q = q
        self.name = name or repr(q)

    @property
    def q(self) -> Q:
        return self._q() if callable(self._q) else self._q

    def allows(self, user, obj) -> bool:
        return obj is not None and matches(obj, self.q)

    def condition(self, user, model):
        return self.q

    def __repr__(self) -> str:
        return f"Where({self.name})"


class UserIs(Grant):
    """Every object, for users who pass `test(user)`."""

    def __init__(self, test: Callable, name: str):
        self.test = test
        self.name = name

    def allows(self, user, obj) -> bool:
        return bool(self.test(user))

    def condition(self, user, model):
        return EVERYTHING if self.test(user) else None

    def __repr__(self) -> str:
        return self.name


SUPERUSER = UserIs(lambda user: user.is_superuser, "superuser")


class OwnedBy(Grant):
    """The objects whose `field` (a foreign key to the user model) is the user."""

    def __init__(self, field: str):
        self.field = field

    def allows(self, user, obj) -> bool:
        if obj is None or not user.is_authenticated:
            return False
        return getattr(obj, obj._meta.get_field(self.field).attname) == user.pk

    def condition(self, user, model):
        return Q(**{self.field: user.pk}) if user.is_authenticated else None

    def __repr__(self) -> str:
        return f"OwnedBy({self.field})"


class RoleIn(Grant):
    """Members holding a role that reads `reads` in the organisation at `path` (a lookup path
    from the object to an organisation, or to several through a many-valued relation such as a
    strategy's partnership; "" when the object is the organisation)."""

    def __init__(self, path: str, reads):
        self.path = path
        self.reads = reads

    def organisation_ids(self, obj) -> set[int]:
        """The organisations the object belongs to, as the path reaches them."""
        if not self.path:
            return {obj.pk}
        *through, last = self.path.split("__")
        owner = _value_at(obj, through)
        if owner is None:
            return set()
        field = owner._meta.get_field(last)
        if field.many_to_many or field.one_to_many:
            return related_ids(owner, last)
        found = getattr(owner, field.attname)
        return set() if found is None else {found}

    def allows(self, user, obj) -> bool:
        if obj is None or not user.is_authenticated:
            return False
        readers = roles_reading(self.reads)
        held = roles_by_organisation(user)
        return any(held.get(pk, set()) & readers for pk in self.organisation_ids(obj))

    def organisations(self, user):
        """The ids of the organisations where the user holds such a role, as a subquery."""
        from .models import Membership

        return Membership.objects.filter(user=user, role__in=roles_reading(self.reads)).values(
            "organisation_id"
        )

    def condition(self, user, model):
        if not user.is_authenticated:
            return None
        lookup = {f"{self.path or 'pk'}__in": self.organisations(user)}
        if _is_many_valued(model, self.path):
            # A join through a many-valued relation would repeat rows: ask for the keys instead.
            return Q(pk__in=model._base_manager.filter(**lookup).values("pk"))
        return Q(**lookup)

    def __repr__(self) -> str:
        return f"RoleIn({self.path or 'self'}, {self.reads})"


def _is_many_valued(model, path: str) -> bool:
    for name in path.split("__") if path else ():
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


# --- The models' side ----------------------------------------------------------------------------


class VisibleQuerySet(models.QuerySet):
    """The queryset of a model with a `visibility`: its lists start from these."""

    def visible_to(self, user):
        """The objects the user may read (`<app>.view_<model>`)."""
        return self.model.visibility.filter(user, self)

    def public(self):
        """The objects everyone may read."""
        return self.visible_to(AnonymousUser())


def private_models() -> list[type[models.Model]]:
    """Every installed model that declares a read rule."""
    return [
        model
        for model in apps.get_models()
        if isinstance(getattr(model, "visibility", None), Grant)
    ]


def view_permission(model) -> str:
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


def register_view_permissions() -> None:
    """`<app>.view_<model>` for every private model, from its rule; an app's rules.py must not
    register it too. `set_perm`, not `add_perm`: the app registry runs `ready()` again when a
    test overrides INSTALLED_APPS, and the rule is then the same one."""
    for model in private_models():
        rules.set_perm(view_permission(model), model.visibility.predicate)
