"""The page shell's tags (templates/base.html): the parts every desk and portal page draws, kept
rendered per process where their output depends on nothing of the request (issue 12, seventh
round: the shell was ~2.2 ms of CPU on every desk page, most of it the menu and fixed markup
going through the template engine node by node)."""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Node
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.autoreload import file_changed
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import navigation

register = template.Library()

# Moves when a setting changes (STATIC_URL, LANGUAGES, ...: what a fixed part may read) or, under
# runserver, a template file changes: every kept rendering is then stale.
_generation = [0]


@receiver(setting_changed)
def _settings_changed(**kwargs):
    _generation[0] += 1
    navigation._rendered.clear()


@receiver(file_changed)
def _file_changed(file_path, **kwargs):
    # Django's own template autoreload resets the loaders; a kept rendering must go with them.
    if file_path.suffix == ".html":
        _generation[0] += 1
        navigation._rendered.clear()


@register.simple_tag(takes_context=True)
def desk_nav(context):
    """`{% desk_nav %}`: the desk menu's links for this user and page, with the approvals badge
    (core.navigation.desk_nav; the count is still read per request)."""
    request = context["request"]
    return navigation.desk_nav(request, context["my_approvals"].count)


class OncePerLanguageNode(Node):
    # Kept renderings per (language, URL configuration, script prefix, settings generation):
    # a handful per process; cleared if it ever grows past this.
    MAX = 64
    # Not walked by get_nodes_by_type: it holds no block (refused below), and {% extends %} walks
    # the parent's whole tree for blocks on every render.
    child_nodelists = ()

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered = {}

    def render(self, context):
        key = (get_language(), get_urlconf(), get_script_prefix(), _generation[0], context.autoescape,
               context.use_l10n, context.use_tz)
        html = self.rendered.get(key)
        if html is None:
            # An empty context: nothing of this request (user, CSRF token, path) can be kept and
            # shown to the next one. A part that reads a variable renders it empty, which the
            # shell's reference test sees.
            fixed = template.Context(autoescape=context.autoescape, use_l10n=context.use_l10n,
                                     use_tz=context.use_tz)
            fixed.template = context.template
            html = mark_safe(self.nodelist.render(fixed))
            if len(self.rendered) >= self.MAX:
                self.rendered.clear()
            self.rendered[key] = html
        return html


@register.tag
def once_per_language(parser, token):
    """`{% once_per_language %}…{% end_once_per_language %}`: a fixed part of a template (static
    links, translated labels, URLs without arguments), rendered once per language per process and
    reused. Its inside sees no variable of the page's context (it renders in an empty one), so
    only markup that is the same for every request in a language belongs in it."""
    bits = token.split_contents()
    if len(bits) != 1:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes no arguments")
    nodelist = parser.parse(("end_once_per_language",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        # A child template's block would be rendered once and kept for every child.
        raise template.TemplateSyntaxError("'once_per_language' cannot hold a {% block %}")
    return OncePerLanguageNode(nodelist)
