//! Rumor rebuttals: a searchable list (Traditional, Simplified and English find each other),
//! "paste a message you received", the detail with sources, and sending a rumor tip.

use super::{back, focus, fragment, loading, local_time};
use crate::data::{loaded, published};
use crate::domain::search::{Doc, Folding, Index};
use crate::json::to_json;
use crate::markup::{show, Html};
use crate::state::{use_sync, use_ui};
use crate::sync::engine;
use leptos::prelude::*;
use linli_protocol::published::{Rebuttal, Verdict};
use linli_protocol::pushed::RumorTip;
use linli_protocol::text::Text;
use linli_protocol::time::Timestamp;
use std::rc::Rc;

const VERDICTS: [Verdict; 4] = [
    Verdict::False,
    Verdict::Misleading,
    Verdict::Unproven,
    Verdict::True,
];

/// The folding table, fetched once from `/data/fold.txt` (precached, so offline too). Without
/// it search still works within one script.
async fn folding() -> Folding {
    thread_local!(static CACHE: std::cell::RefCell<Option<Folding>> = const { std::cell::RefCell::new(None) });
    if let Some(f) = CACHE.with(|c| c.borrow().clone()) {
        return f;
    }
    let text = crate::data::shipped("/data/fold.txt")
        .await
        .unwrap_or_default();
    let f = Folding::parse(&text);
    if !f.is_empty() {
        CACHE.with(|c| *c.borrow_mut() = Some(f.clone()));
    }
    f
}

type Items = Rc<Vec<(String, Rebuttal)>>;

/// The rebuttals, newest first.
async fn load(s: engine::Sync) -> Items {
    let mut items = published::<Rebuttal>(&s).await;
    crate::ordering::sort_by_rank(&mut items, |(_, r)| (-r.published.unix_ms(), 0));
    Rc::new(items)
}

/// The search index over `items` (claims weighted over explanations and tags, all three
/// languages). Built on the first search, not with the list: it needs the folding table and
/// time that showing the list does not.
async fn build_index(items: &[(String, Rebuttal)]) -> Index {
    let texts: Vec<(String, String)> = items
        .iter()
        .map(|(_, r)| {
            let all = |l: &linli_protocol::text::Localized| {
                ["zh-Hant", "zh-Hans", "en"]
                    .map(|g| l.get(g).to_owned())
                    .join(" ")
            };
            let tags: Vec<&str> = r.tags.iter().map(|t| t.as_str()).collect();
            (
                all(&r.claim),
                format!("{} {}", all(&r.explanation), tags.join(" ")),
            )
        })
        .collect();
    let docs: Vec<Doc> = texts
        .iter()
        .map(|(t, b)| Doc { title: t, body: b })
        .collect();
    Index::build(folding().await, &docs)
}

fn verdict_badge(h: &mut Html, t: &'static crate::i18n::Strings, v: Verdict) {
    let i = super::pos(&VERDICTS, &v);
    let class = ["false", "misleading", "unproven", "true"][i];
    h.el(
        "span",
        &[("class", &format!("badge verdict-{class}"))],
        t.verdicts[i],
    );
}

fn rebuttal_card(
    h: &mut Html,
    t: &'static crate::i18n::Strings,
    lang: &str,
    id: &str,
    r: &Rebuttal,
) {
    let href = format!("/rumors/{id}");
    h.wrap(
        "a",
        &[
            ("href", &href),
            ("class", "card rebuttal-card"),
            ("data-testid", "rebuttal-card"),
        ],
        |h| {
            verdict_badge(h, t, r.verdict);
            h.el("strong", &[], r.claim.get(lang));
        },
    );
}

/// `/rumors`: search, paste a message, the list.
#[component]
pub fn RumorList() -> impl IntoView {
    let ui = use_ui();
    let data = loaded(load);
    let query = RwSignal::new(String::new());
    let pasted = RwSignal::new(String::new());
    let checked = RwSignal::new(None::<String>);
    // The search index and the list it was built for. Built when a search first needs it and
    // rebuilt when the list changes; one build per list, and a build for a list that has
    // since been replaced is dropped. Until the new one is ready, results come from the last.
    let (index, set_index) = signal_local(None::<(Items, Rc<Index>)>);
    let building = StoredValue::new_local(None::<Items>);
    Effect::new(move |_| {
        let searching = !query.with(|q| q.trim().is_empty()) || checked.with(Option::is_some);
        let Some(items) = data.get().filter(|_| searching) else {
            return;
        };
        let built =
            index.with_untracked(|i| i.as_ref().is_some_and(|(of, _)| Rc::ptr_eq(of, &items)));
        let under_way = building.with_value(|b| b.as_ref().is_some_and(|b| Rc::ptr_eq(b, &items)));
        if built || under_way {
            return;
        }
        building.set_value(Some(items.clone()));
        leptos::task::spawn_local(async move {
            let built = Rc::new(build_index(&items).await);
            building.try_update_value(|b| {
                if b.as_ref().is_some_and(|b| Rc::ptr_eq(b, &items)) {
                    *b = None;
                }
            });
            if data.with_untracked(|d| d.as_ref().is_some_and(|d| Rc::ptr_eq(d, &items))) {
                set_index.set(Some((items, built)));
            }
        });
    });
    view! {
        <section class="page" data-testid="page-rumors">
            {move || {
                let t = ui.t();
                view! {
                    <h1>{t.rumors_title}</h1>
                    <div class="card form">
                        <label for="rumor-search">{t.rumor_search}</label>
                        <input id="rumor-search" type="search" autocomplete="off" prop:value=query.get_untracked()
                            on:input=move |ev| query.set(event_target_value(&ev)) data-testid="rumor-search"/>
                    </div>
                    <details class="card">
                        <summary>{t.rumor_paste}</summary>
                        <label for="rumor-pasted">{t.rumor_paste_hint}</label>
                        <textarea id="rumor-pasted" rows="4" prop:value=pasted.get_untracked()
                            on:input=move |ev| pasted.set(event_target_value(&ev)) data-testid="rumor-pasted"></textarea>
                        <button class="btn" on:click=move |_| checked.set(Some(pasted.get_untracked())) data-testid="rumor-check">{t.rumor_check}</button>
                    </details>
                    <a href="/rumors/tip" class="btn" data-testid="tip-link">{t.tip_link}</a>
                }
            }}
            {move || {
                let t = ui.t();
                let lang = ui.lang.get().tag();
                let q = query.get();
                let paste = checked.get();
                let mut h = Html::new();
                match data.get() {
                    None => loading(&mut h, t),
                    Some(d) if d.is_empty() => {
                        let updated = ui.facts().updated;
                        super::empty_list(&mut h, t, updated, t.rumors_empty_title, t.words().rumors_empty_body);
                    }
                    Some(d) => {
                        let searching = paste.is_some() || !q.trim().is_empty();
                        // While searching, results come from the indexed list (the current one,
                        // or the last until its rebuild is ready).
                        let indexed = index.get().filter(|_| searching);
                        let (d, list): (Items, Vec<usize>) = match indexed {
                            None if searching => {
                                // The first index is being built (a moment, once).
                                loading(&mut h, t);
                                return show(h);
                            }
                            None => {
                                let all = (0..d.len()).collect();
                                (d, all)
                            }
                            Some((items, idx)) => {
                                if let Some(p) = paste {
                                    let hits = idx.about(&p);
                                    h.wrap("div", &[("class", "card"), ("role", "status"), ("data-testid", "rumor-matches")], |h| {
                                        h.el("h2", &[], if hits.is_empty() { t.rumor_no_match } else { t.rumor_matches });
                                        for hit in hits.iter().take(3) {
                                            let (id, r) = &items[hit.doc];
                                            rebuttal_card(h, t, lang, id, r);
                                        }
                                        if hits.is_empty() {
                                            // Offer to pass the very message on as a tip.
                                            let href = format!("/rumors/tip?text={}", String::from(js_sys::encode_uri_component(&p)));
                                            h.el("a", &[("href", &href), ("class", "btn btn-primary"), ("data-testid", "rumor-send-tip")], t.words().tip_send_this);
                                        }
                                    });
                                }
                                let list = if q.trim().is_empty() {
                                    (0..items.len()).collect()
                                } else {
                                    idx.search(&q, 0.3).into_iter().map(|h| h.doc).collect()
                                };
                                (items, list)
                            }
                        };
                        if list.is_empty() {
                            h.el("p", &[("class", "card"), ("data-testid", "rumor-none")], t.rumor_none);
                        }
                        h.wrap("div", &[("data-testid", "rebuttal-list")], |h| {
                            for i in list {
                                let (id, r) = &d[i];
                                rebuttal_card(h, t, lang, id, r);
                            }
                        });
                    }
                }
                show(h)
            }}
        </section>
    }
}

/// `/rumors/:id`: the claim, the verdict, the explanation and its sources.
#[component]
pub fn RumorDetail(id: String) -> impl IntoView {
    let ui = use_ui();
    let data = loaded(|s| async move { published::<Rebuttal>(&s).await });
    view! {
        <section class="page" data-testid="page-rumor">
            {move || {
                let t = ui.t();
                let lang = ui.lang.get().tag();
                let mut h = Html::new();
                back(&mut h, "/rumors", t.rumors_title);
                data.with(|d| match d.as_ref().map(|list| list.iter().find(|(i, _)| *i == id)) {
                    None => loading(&mut h, t),
                    Some(None) => {
                        h.el("p", &[("class", "card")], t.rumor_gone);
                    }
                    Some(Some((_, r))) => {
                        h.wrap("article", &[("class", "card")], |h| {
                            verdict_badge(h, t, r.verdict);
                            h.el("h1", &[], r.claim.get(lang));
                            h.el("p", &[], r.explanation.get(lang));
                            let when = local_time(r.published.unix_ms() as f64);
                            h.el("p", &[("class", "hint")], &format!("{}{when}", t.published));
                            if !r.sources.is_empty() {
                                h.el("h2", &[], t.sources);
                                h.wrap("ul", &[], |h| {
                                    for src in &r.sources {
                                        // Only web addresses become links (never `javascript:` and the like).
                                        let url = src.url.as_str();
                                        h.wrap("li", &[], |h| {
                                            if linli_protocol::limits::is_web_link(url) {
                                                h.el("a", &[("href", url), ("rel", "noopener noreferrer"), ("target", "_blank")], src.title.as_str());
                                            } else {
                                                h.text(src.title.as_str());
                                            }
                                        });
                                    }
                                });
                            }
                        });
                    }
                });
                show(h)
            }}
        </section>
    }
}

/// `/rumors/tip`: pass on a message for the community to check; saved offline like the rest.
#[component]
pub fn RumorTipForm() -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    // A message pasted on the rumors page that matched nothing arrives here ready to send.
    let text = RwSignal::new(
        crate::router::query_param(&crate::router::use_nav().query.get_untracked(), "text")
            .unwrap_or_default(),
    );
    let error = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(body) = Text::<1, 2000>::parse(text.get_untracked().trim()) else {
            error.set(true);
            focus("tip-text");
            return;
        };
        error.set(false);
        let tip = RumorTip {
            text: body,
            at: Timestamp::from_unix_ms(engine::now_ms() as i64),
        };
        let (Some(s), Some(json)) = (sync.get_value(), to_json(&tip)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if s.save(linli_protocol::sync::PushedKind::RumorTip.as_str(), json)
                .await
                .is_ok()
            {
                text.set(String::new());
                saved.set(true);
            }
        });
    };
    view! {
        <section class="page" data-testid="page-tip">
            {move || {
                let t = ui.t();
                let err = error.get().then_some(t.tip_err);
                let joined = ui.facts().joined();
                view! {
                    {show(fragment(|h| back(h, "/rumors", t.rumors_title)))}
                    <h1>{t.tip_title}</h1>
                    <p>{t.words().tip_body}</p>
                    {saved.get().then(|| view! { <p class="card confirm" role="status" data-testid="tip-saved">{t.words().tip_saved}</p> })}
                    {if joined == Some(true) { view! {
                        <form class="card form" on:submit=submit novalidate>
                            {err.map(|m| view! { <p class="error-summary" role="alert">{m}</p> })}
                            <label for="tip-text">{t.tip_label}</label>
                            <textarea id="tip-text" rows="5" maxlength="2000" aria-describedby="tip-text-count tip-text-error" aria-invalid=err.is_some().to_string()
                                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) data-testid="tip-text"></textarea>
                            {super::chars_left("tip-text-count", 2000, text)}
                            <p class="field-error" id="tip-text-error">{err}</p>
                            <button type="submit" class="btn btn-primary" data-testid="tip-submit">{t.tip_submit}</button>
                        </form>
                    }.into_any() } else if joined == Some(false) { view! {
                        <a href="/join" class="btn btn-primary">{t.join_action}</a>
                    }.into_any() } else { view! {
                        <p class="hint" role="status">{t.loading}</p>
                    }.into_any() }}
                }
            }}
        </section>
    }
}
