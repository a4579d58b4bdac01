"""The category tree: tree order, path names ('党史教育/党史学习教育'), finding a category by the
path a person wrote, renaming and retiring. Creating one is services.create_category."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from question_bank import services
from question_bank.models import Category, Question

PATH_SEPARATORS = ("\\", "／", "＼", ">", "＞")


def split_path(text) -> list[str]:
    text = str(text or "")
    for separator in PATH_SEPARATORS:
        text = text.replace(separator, "/")
    return [part.strip() for part in text.split("/") if part.strip()]


def in_tree_order(categories) -> list[Category]:
    """Parents before children, siblings by sort order then name."""
    by_parent = {}
    for category in categories:
        by_parent.setdefault(category.parent_id, []).append(category)
    ids = {c.id for c in categories}
    ordered = []

    def walk(parent_id):
        for child in sorted(by_parent.get(parent_id, []), key=lambda c: (c.sort_order, c.name, c.id)):
            ordered.append(child)
            walk(child.id)

    for root in [pid for pid in by_parent if pid is None or pid not in ids]:
        walk(root)
    return ordered


class CategoryTree:
    """All categories loaded once: path names, lookups by written path, choices for forms."""

    def __init__(self, include_inactive: bool = True):
        query = sa.select(Category)
        if not include_inactive:
            query = query.where(Category.active)
        self.categories = in_tree_order(list(db.session.scalars(query)))
        self.by_id = {c.id: c for c in self.categories}
        self.names = {}
        for category in self.categories:
            names, cursor = [], category
            while cursor is not None:
                names.append(cursor.name)
                cursor = self.by_id.get(cursor.parent_id)
            self.names[category.id] = list(reversed(names))

    def path_name(self, category) -> str:
        return "/".join(self.names.get(category.id, [category.name]))

    def choices(self, active_only: bool = True, current_id: int | None = None) -> list[SelectChoice]:
        """(id, indented name) in tree order, for a select box."""
        return [
            SelectChoice(c.id, "\u3000" * c.depth + c.name)
            for c in self.categories
            if c.active or not active_only or c.id == current_id
        ]

    def matches(self, text) -> list[Category]:
        """The categories whose path ends with the written path."""
        parts = split_path(text)
        return [c for c in self.categories if parts and self.names[c.id][-len(parts) :] == parts]

    def find(self, text):
        """(category, None) for a written path or name, or (None, message).

        A full path from the top ('党史教育/党史学习教育') matches exactly; a shorter one or a bare
        name matches when exactly one category ends with it.
        """
        parts = split_path(text)
        if not parts:
            return None, _l("The category is missing.")
        exact = [c for c in self.categories if self.names[c.id] == parts]
        if len(exact) == 1:
            return exact[0], None
        matches = self.matches(text)
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            return None, _l(
                "The category name '%(name)s' is not unique; write its path, e.g. 党史教育/%(last)s.",
                name=str(text),
                last=parts[-1],
            )
        return None, _l("Unknown category '%(name)s'.", name="/".join(parts))

    def create_path(self, text, now) -> Category:
        """Create the missing levels of a full path and return the last one."""
        parent = None
        for depth, name in enumerate(split_path(text), start=1):
            found = next(
                (c for c in self.categories if c.parent_id == (parent.id if parent else None) and c.name == name),
                None,
            )
            if found is None:
                if len(name) > 100:
                    raise ValidationFailed(_l("A category name is at most 100 characters."), field="category")
                found = services.create_category(None, name=name, parent=parent, now=now, sort_order=99)
                self.categories.append(found)
                self.by_id[found.id] = found
                self.names[found.id] = split_path(text)[:depth]
            parent = found
        return parent


def rename_category(actor, category: Category, name: str) -> Category:
    """Rename a category; siblings keep distinct names."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_l("The category needs a name."), field="name")
    if len(name) > 100:
        raise ValidationFailed(_l("A category name is at most 100 characters."), field="name")
    sibling = sa.select(Category.id).where(Category.name == name, Category.id != category.id)
    sibling = (
        sibling.where(Category.parent_id == category.parent_id)
        if category.parent_id
        else sibling.where(Category.parent_id.is_(None))
    )
    if db.session.scalar(sibling.limit(1)) is not None:
        raise Conflict(_l("A category with this name already exists here."), field="name")
    category.name = name
    return category


def set_category_active(actor, category: Category, active: bool) -> Category:
    """Retire or restore a category and everything under it. Its questions stay where they are
    (tests already drawing from it keep working); a retired category is offered for no new question."""
    for node in db.session.scalars(sa.select(Category).where(Category.path.startswith(category.path))):
        node.active = active
    return category


def question_counts() -> dict[int, int]:
    """Active questions per category (not counting subcategories)."""
    rows = db.session.execute(
        sa.select(Question.category_id, sa.func.count()).where(Question.active).group_by(Question.category_id)
    )
    return dict(rows.all())


def subtree_ids(category: Category) -> list[int]:
    return list(db.session.scalars(sa.select(Category.id).where(Category.path.startswith(category.path))))
