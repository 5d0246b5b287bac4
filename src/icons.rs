//! The app's small inline SVG icon set. Icons are decorative (`aria-hidden`): every use sits
//! beside a text label.

use leptos::prelude::*;

/// Which icon to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Home,
    Heart,
    Bell,
    Shield,
    More,
    Offline,
    Online,
    Users,
    Refresh,
}

impl Icon {
    pub(crate) fn path(self) -> &'static str {
        match self {
            Icon::Home => "M3 11.5 12 4l9 7.5M5.5 9.5V20h13V9.5M10 20v-6h4v6",
            Icon::Heart => "M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10zM8 11h2l1-2 2 4 1-2h2",
            Icon::Bell => "M6 16V11a6 6 0 1 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0",
            Icon::Shield => "M12 3 5 6v5c0 4.5 3 8.3 7 10 4-1.7 7-5.5 7-10V6zM9 12l2 2 4-4",
            Icon::More => "M5 12h.01M12 12h.01M19 12h.01",
            Icon::Offline => "M3 3l18 18M8.5 16.4a5 5 0 0 1 7 0M5 12.9a10 10 0 0 1 4.2-2.5M12 20h.01M19 12.9a10 10 0 0 0-2-1.5M1.5 9a15 15 0 0 1 4.3-2.7M22.5 9A15 15 0 0 0 10.7 5",
            Icon::Online => "M8.5 16.4a5 5 0 0 1 7 0M5 12.9a10 10 0 0 1 14 0M1.5 9a15 15 0 0 1 21 0M12 20h.01",
            Icon::Users => "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20a6.5 6.5 0 0 1 13 0M16 4.2a3.5 3.5 0 0 1 0 6.6M18 14a6.5 6.5 0 0 1 3.5 6",
            Icon::Refresh => "M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7",
        }
    }
}

/// Draws an icon at the current font size.
#[component]
pub fn Svg(icon: Icon) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=icon.path()></path>
        </svg>
    }
}
