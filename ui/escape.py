"""The one way planners' text goes into the HTML and the scripts the pages send: escaped, never interpreted.

A name in a planner's file may be markup (``<img src=x onerror=...>``), a JavaScript template (``${...}``), a
script break-out (``</script>``) or template syntax (``{{ ... }}``): every page shows it as the text it is.

- :func:`html_text` for a value put into HTML the page builds (``st.html``, legends, labels);
- :func:`js_json` for a value put into a ``<script>`` (the map's data and labels): JSON that cannot close the
  script, open a comment, break out of a template literal or be read as a jinja template.

Tooltips and popups on the maps are built in the browser by ``window.baoyenMapkit`` (:mod:`ui.mapkit`), which
escapes every value with its ``esc`` function, the browser-side twin of :func:`html_text`: folium's own
``Tooltip``, ``Popup`` and ``GeoJsonTooltip`` insert their text as raw HTML (``GeoJsonTooltip`` even inside a
JavaScript template literal) and are not used for planners' data.
"""

from __future__ import annotations

import html
import json
import re

__all__ = ["html_text", "js_json"]

#: a "{" that opens "{{", "{%" or "{#" (jinja); JSON syntax never produces one outside a string
_TEMPLATE_OPENER = re.compile(r"\{(?=[{%#])")
#: characters escaped inside JSON strings: "<" (</script>, <!--), "`" and "${" (template literals), U+2028/9
_JS_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "`": "\\u0060",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JS_SPECIAL = re.compile("[<>&`\u2028\u2029]|\\$(?=\\{)")


def html_text(value: object) -> str:
    """``value`` as text for HTML: ``& < > " '`` escaped, so it is shown and never read as markup.

    Safe in element content and in quoted attribute values. None reads as "".
    """
    return html.escape("" if value is None else str(value), quote=True)


def js_json(value: object) -> str:
    r"""``value`` as JSON text that is safe inside an HTML ``<script>``, a JS template literal and jinja.

    ``<``, ``>``, ``&``, backticks, ``${`` and the line separators U+2028/U+2029 are written as ``\uXXXX``
    escapes, and so is a ``{`` that opens ``{{``, ``{%`` or ``{#``. JSON syntax puts none of these outside
    a string, so only text inside strings changes, to an equal escape: the browser reads the same value.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = _JS_SPECIAL.sub(lambda m: _JS_ESCAPES.get(m.group(0), "\\u0024"), text)
    return _TEMPLATE_OPENER.sub(r"\\u007b", text)
