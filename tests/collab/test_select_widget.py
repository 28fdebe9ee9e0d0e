"""Our select widget template (templates/django/forms/widgets/select.html) writes the options in
place for speed; it must give the same markup as Django's own, option groups and the selected
option included."""

import re

from django import forms
from django.forms.renderers import DjangoTemplates

CHOICES = [
    ("", "All trusts"),
    ("las", "LAS"),
    ("secamb", "SECAmb & partners"),
    ("Northern", [("yas", "YAS"), ("neas", "NEAS")]),
]


class TrustFilterForm(forms.Form):
    trust = forms.ChoiceField(choices=CHOICES, required=False)
    trusts = forms.MultipleChoiceField(choices=CHOICES, required=False)


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_our_select_renders_as_djangos_own_with_groups_and_selections():
    form = TrustFilterForm(data={"trust": "yas", "trusts": ["las", "neas"]})
    ours = str(form["trust"]) + str(form["trusts"])
    form.renderer = DjangoTemplates()  # Django's templates, not the project's
    djangos = str(form["trust"]) + str(form["trusts"])
    assert normalised(ours) == normalised(djangos)
    assert '<option value="yas" selected>YAS</option>' in normalised(ours)
    assert 'label="Northern"' in ours
    assert "SECAmb &amp; partners" in ours
