//! Read-only screen content as escaped HTML, inserted with one Leptos view.
//!
//! Why: every `view!` is its own monomorphized render type (build, rebuild, mount, unmount), so
//! the app's ~20 screens of cards, lists and articles cost ~136 KB brotli of wasm — most of the
//! first load, which the issue caps at 170 KB. Content that has no event handlers of its own
//! (cards, articles, timelines, charts; links are handled by the router's document-level click
//! listener) is written here instead, into a string, and shown by [`show`]: one render type for
//! all of it. Forms, buttons and anything stateful stay ordinary Leptos views.
//!
//! Safety: every text and attribute value goes through [`escape`]; tag and attribute *names* are
//! `&'static str` written in the source, never data. There is no way to add unescaped data.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A fragment of HTML under construction. Only this module writes its string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Html(String);

/// Attributes of an element: names from the source, values escaped when written.
pub type Attrs<'a> = &'a [(&'static str, &'a str)];

impl Html {
    /// An empty fragment.
    pub fn new() -> Html {
        Html(String::new())
    }

    /// The HTML text (for [`show`] and tests).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn start(&mut self, tag: &'static str, attrs: Attrs) {
        self.0.push('<');
        self.0.push_str(tag);
        for (name, value) in attrs {
            self.0.push(' ');
            self.0.push_str(name);
            self.0.push_str("=\"");
            escape(value, &mut self.0);
            self.0.push('"');
        }
        self.0.push('>');
    }

    fn end(&mut self, tag: &'static str) {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Html {
        escape(text, &mut self.0);
        self
    }

    /// `<tag attrs>text</tag>`.
    pub fn el(&mut self, tag: &'static str, attrs: Attrs, text: &str) -> &mut Html {
        self.start(tag, attrs);
        self.text(text);
        self.end(tag);
        self
    }

    /// `<tag attrs>…</tag>` with the children `inner` writes.
    pub fn wrap(
        &mut self,
        tag: &'static str,
        attrs: Attrs,
        inner: impl FnOnce(&mut Html),
    ) -> &mut Html {
        self.start(tag, attrs);
        inner(self);
        self.end(tag);
        self
    }

    /// A void element (`<path …>` inside SVG is closed explicitly, see [`Html::svg_path`]).
    pub fn void(&mut self, tag: &'static str, attrs: Attrs) -> &mut Html {
        self.start(tag, attrs);
        self
    }

    /// An SVG element that has no children, written as `<tag …></tag>` so the HTML parser
    /// closes it inside inline SVG.
    pub fn svg_path(&mut self, tag: &'static str, attrs: Attrs) -> &mut Html {
        self.start(tag, attrs);
        self.end(tag);
        self
    }

    /// `<tag attrs>text</tag>` with each phone number in `text` a `tel:` link (guides, alerts).
    pub fn el_dialable(&mut self, tag: &'static str, attrs: Attrs, text: &str) -> &mut Html {
        self.wrap(tag, attrs, |h| {
            for (phone, run) in crate::domain::phones::split(text) {
                if phone {
                    h.el(
                        "a",
                        &[("href", &crate::domain::phones::tel(run)), ("class", "tel")],
                        run,
                    );
                } else {
                    h.text(run);
                }
            }
        })
    }

    /// A decorative icon, as [`crate::icons::Svg`] draws it.
    pub fn icon(&mut self, icon: crate::icons::Icon) -> &mut Html {
        self.wrap(
            "svg",
            &[
                ("class", "icon"),
                ("viewBox", "0 0 24 24"),
                ("aria-hidden", "true"),
                ("focusable", "false"),
            ],
            |h| {
                h.svg_path("path", &[("d", icon.path())]);
            },
        )
    }
}

/// Appends `text` with `& < > " '` escaped, safe in text and in double-quoted attributes.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Shows a fragment: one `<div class="markup">` (CSS `display: contents`, so it adds no box)
/// whose content is the fragment.
///
/// Leptos sets the content only when the text changed. When it does (a sync brought news),
/// the old nodes go; a link that had keyboard focus gets it back in the new content of the same
/// container, so a keyboard or screen-reader user is not thrown to the top of the page. A new
/// screen renders into new containers, so focus is never moved on navigation.
pub fn show(html: Html) -> impl IntoView {
    if let Some(focused) = focused_link() {
        leptos::task::spawn_local(async move { refocus(focused) });
    }
    view! { <div class="markup" inner_html=html.0></div> }
}

/// The focused link inside markup: its container, `href`, `data-testid`, and how many links
/// with the same two come before it in the container.
struct FocusedLink {
    container: web_sys::Element,
    href: Option<String>,
    testid: Option<String>,
    nth: u32,
}

fn same_link(el: &web_sys::Element, f: &FocusedLink) -> bool {
    el.get_attribute("href") == f.href && el.get_attribute("data-testid") == f.testid
}

fn focused_link() -> Option<FocusedLink> {
    let active = web_sys::window()?.document()?.active_element()?;
    if active.tag_name() != "A" {
        return None;
    }
    let container = active.closest(".markup").ok()??;
    let mut f = FocusedLink {
        container,
        href: active.get_attribute("href"),
        testid: active.get_attribute("data-testid"),
        nth: 0,
    };
    let links = f.container.query_selector_all("a").ok()?;
    for i in 0..links.length() {
        let Some(node) = links.item(i) else { continue };
        if node == *active {
            break;
        }
        if node
            .dyn_ref::<web_sys::Element>()
            .is_some_and(|el| same_link(el, &f))
        {
            f.nth += 1;
        }
    }
    Some(f)
}

/// After the content changed: if focus fell to the page, give it to the same link (the nth
/// with that `href` and `data-testid`, or the last one left) in the same container.
fn refocus(f: FocusedLink) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let lost = doc
        .active_element()
        .is_none_or(|a| Some(a) == doc.body().map(Into::into));
    if !lost || !f.container.is_connected() {
        return;
    }
    let Ok(links) = f.container.query_selector_all("a") else {
        return;
    };
    let mut target = None;
    let mut seen = 0;
    for i in 0..links.length() {
        let Some(el) = links
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        if same_link(&el, &f) {
            target = Some(el);
            if seen == f.nth {
                break;
            }
            seen += 1;
        }
    }
    if let Some(el) = target {
        let _ = el.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attribute_values_are_escaped() {
        let mut h = Html::new();
        h.el(
            "a",
            &[("href", "/x?a=1&b=\"2\"")],
            "<script>alert('x')</script>",
        );
        assert_eq!(
            h.as_str(),
            "<a href=\"/x?a=1&amp;b=&quot;2&quot;\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</a>"
        );
    }

    #[test]
    fn elements_nest_and_close_in_order() {
        let mut h = Html::new();
        h.wrap("div", &[("class", "card")], |h| {
            h.el("h2", &[], "標題");
            h.wrap("ol", &[], |h| {
                h.el("li", &[], "一").el("li", &[], "二");
            });
        });
        assert_eq!(
            h.as_str(),
            "<div class=\"card\"><h2>標題</h2><ol><li>一</li><li>二</li></ol></div>"
        );
    }

    #[test]
    fn icons_are_decorative_svg() {
        let mut h = Html::new();
        h.icon(crate::icons::Icon::Bell);
        assert!(h
            .as_str()
            .starts_with("<svg class=\"icon\" viewBox=\"0 0 24 24\" aria-hidden=\"true\""));
        assert!(h.as_str().ends_with("></path></svg>"));
    }
}
