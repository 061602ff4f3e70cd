"""Accessibility check with axe-core (vendored from npm: tests/e2e/vendor/axe.min.js, MPL-2.0).

The page's Content-Security-Policy forbids injected <script> tags, so axe is evaluated through
the DevTools protocol (Playwright's evaluate), which the policy does not govern.
"""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SERIOUS = ("serious", "critical")


def axe_violations(page, impacts: tuple[str, ...] = SERIOUS) -> list[str]:  # type: ignore[no-untyped-def]
    """The violations of WCAG 2.1 A/AA and axe's best practices with one of `impacts`, one
    line each (rule, impact, first offending element). Waits for a navigation in flight to
    finish first: axe on a document being replaced reads a null root."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return r.violations.map(v => [v.id, v.impact, v.nodes.length,
                                      v.nodes[0] ? v.nodes[0].target.join(' ') : '']);
    }""")
    return [f"{rule} ({impact}, {count}x): {target}"
            for rule, impact, count, target in result if impact in impacts]
