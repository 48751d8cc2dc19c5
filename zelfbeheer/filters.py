"""What the apps' django-filter filter sets share."""

import django_filters

from .widgets import model_choices_in_one_fetch


class ChoicesWhenShownFilterSet(django_filters.FilterSet):
    """A filter set whose model selects are read in one plain fetch, and only when its form is shown
    (filtering alone, as an htmx refresh does, reads none of them)."""

    # The model choice filters whose options are read that way.
    one_fetch_choices: tuple[str, ...] = ()

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name in self.one_fetch_choices:
                model_choices_in_one_fetch(form.fields[name])
            self.make_choices_when_shown(form)
        return self._form

    def make_choices_when_shown(self, form) -> None:
        """Other choices to make only when the form is shown; nothing by default."""
