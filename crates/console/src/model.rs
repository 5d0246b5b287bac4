//! The console's logic, in plain functions tested natively: how long a request has waited, which
//! requests are new since the last look, the queue's query, the alert form → a checked
//! `AlertInput`, and how many buildings an area reaches.

use crate::i18n::{Lang, Texts};
use linli_protocol::published::{AlertInput, Severity};
use linli_protocol::structure::Building;
use std::collections::HashSet;

/// How long since `since_ms`, in plain words ("42 min", "3 h", "2 d").
pub fn waited(t: &Texts, now_ms: i64, since_ms: i64) -> String {
    let min = ((now_ms - since_ms).max(0) / 60_000) as u64;
    if min < 120 {
        (t.minutes_short)(min)
    } else if min < 48 * 60 {
        (t.hours_short)(min / 60)
    } else {
        (t.days_short)(min / (24 * 60))
    }
}

/// The requests seen so far, to tell which ones in a fresh answer are new.
#[derive(Default)]
pub struct Arrivals {
    seen: HashSet<String>,
    primed: bool,
}

impl Arrivals {
    /// Takes the ids of a fresh answer; returns those not there before. The first answer only
    /// primes it (what was there when the page opened is not "new").
    pub fn observe<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut new = Vec::new();
        for id in ids {
            if self.seen.insert(id.to_owned()) && self.primed {
                new.push(id.to_owned());
            }
        }
        self.primed = true;
        new
    }
}

/// The queue's filters as the page holds them (empty = any).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub status: String,
    pub grid: String,
    pub building: String,
    pub urgency: String,
    pub category: String,
}

impl QueueFilter {
    /// The API path with the filters that are set.
    pub fn path(&self) -> String {
        let mut q = Vec::new();
        for (k, v) in [
            ("status", &self.status),
            ("grid", &self.grid),
            ("building", &self.building),
            ("urgency", &self.urgency),
            ("category", &self.category),
        ] {
            if !v.is_empty() {
                q.push(format!("{k}={}", encode(v)));
            }
        }
        if q.is_empty() {
            "/api/v1/staff/help-requests".into()
        } else {
            format!("/api/v1/staff/help-requests?{}", q.join("&"))
        }
    }
}

/// Percent-encodes a query value (codes are ASCII, but never trust that).
pub fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Text in the three languages, as typed (empty = not given).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tri(pub [String; 3]);

impl Tri {
    fn json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for (lang, v) in Lang::ALL.iter().zip(&self.0) {
            if !v.trim().is_empty() {
                m.insert(lang.tag().into(), v.trim().into());
            }
        }
        serde_json::Value::Object(m)
    }
    /// The text in `lang`, else the first language given.
    pub fn show(&self, lang: Lang) -> &str {
        let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        if self.0[i].trim().is_empty() {
            self.0
                .iter()
                .find(|v| !v.trim().is_empty())
                .map_or("", |v| v.as_str())
        } else {
            &self.0[i]
        }
    }
}

/// The alert form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertDraft {
    pub sender: Tri,
    pub event: Tri,
    pub headline: Tri,
    pub description: Tri,
    pub instruction: Tri,
    pub area_desc: Tri,
    pub severity: String,
    pub grids: Vec<String>,
    pub buildings: Vec<String>,
    pub drill: bool,
    /// Wake phones with a push notification even below severe.
    pub notify: bool,
    pub hours: String,
}

impl Default for AlertDraft {
    fn default() -> Self {
        AlertDraft {
            sender: Tri([
                "社區辦公室".into(),
                "社区办公室".into(),
                "Community office".into(),
            ]),
            event: Tri::default(),
            headline: Tri::default(),
            description: Tri::default(),
            instruction: Tri::default(),
            area_desc: Tri::default(),
            severity: "severe".into(),
            grids: Vec::new(),
            buildings: Vec::new(),
            drill: false,
            notify: false,
            hours: "12".into(),
        }
    }
}

impl Tri {
    /// The form's three fields from localized text.
    pub fn from_localized(l: &linli_protocol::text::Localized) -> Tri {
        let v = |s: &Option<String>| s.clone().unwrap_or_default();
        Tri([v(&l.zh_hant), v(&l.zh_hans), v(&l.en)])
    }
}

impl AlertDraft {
    /// The form filled from a published alert, to update it: the same words, area and drill
    /// flag, valid for the hours it still had (at least one).
    pub fn from_alert(a: &linli_protocol::published::Alert, now_ms: i64) -> AlertDraft {
        let left_ms = a.expires.unix_ms() - now_ms;
        let hours = ((left_ms + 3_599_999) / 3_600_000).clamp(1, 24 * 14);
        AlertDraft {
            sender: Tri::from_localized(&a.sender_name),
            event: Tri::from_localized(&a.event),
            headline: Tri::from_localized(&a.headline),
            description: Tri::from_localized(&a.description),
            instruction: Tri::from_localized(&a.instruction),
            area_desc: Tri::from_localized(&a.area.desc),
            severity: serde_json::to_value(a.severity)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| "unknown".into()),
            grids: a.area.grids.clone(),
            buildings: a.area.buildings.clone(),
            drill: a.status == linli_protocol::published::AlertStatus::Exercise,
            notify: a.notify,
            hours: hours.to_string(),
        }
    }
}

/// A form mistake: the field (its form name) and the words to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormError {
    pub field: &'static str,
    pub message: String,
}

impl AlertDraft {
    /// The alert to publish, checked by the protocol's own type (the one place fields are
    /// validated): a mistake names the form field.
    pub fn to_input(&self, t: &Texts, now_ms: i64) -> Result<AlertInput, FormError> {
        let required: [(&'static str, &Tri); 6] = [
            ("sender", &self.sender),
            ("event", &self.event),
            ("headline", &self.headline),
            ("description", &self.description),
            ("instruction", &self.instruction),
            ("area_desc", &self.area_desc),
        ];
        for (field, v) in required {
            if v.0.iter().all(|s| s.trim().is_empty()) {
                return Err(FormError {
                    field,
                    message: t.one_language_needed.into(),
                });
            }
        }
        let hours: i64 = match self.hours.trim().parse() {
            Ok(h) if (1..=24 * 14).contains(&h) => h,
            _ => {
                return Err(FormError {
                    field: "hours",
                    message: t.hours_range.into(),
                })
            }
        };
        let expires = linli_protocol::time::Timestamp::from_unix_ms(now_ms + hours * 3_600_000);
        let value = serde_json::json!({
            "sender_name": self.sender.json(),
            "status": if self.drill { "exercise" } else { "actual" },
            "category": ["safety"],
            "event": self.event.json(),
            "urgency": "immediate",
            "severity": self.severity,
            "certainty": "likely",
            "headline": self.headline.json(),
            "description": self.description.json(),
            "instruction": self.instruction.json(),
            "expires": expires.as_str(),
            "area": {"desc": self.area_desc.json(), "grids": self.grids, "buildings": self.buildings},
            "notify": self.notify,
        });
        let input: AlertInput =
            linli_protocol::sync::parse_named(&value, "").map_err(|e| FormError {
                field: form_field(&e.field),
                message: e.to_string(),
            })?;
        use linli_protocol::limits::Checked;
        input.check(now_ms).map_err(|e| FormError {
            field: form_field(&e.field),
            message: e.to_string(),
        })?;
        Ok(input)
    }

    pub fn severity(&self) -> Severity {
        serde_json::from_value(serde_json::Value::String(self.severity.clone()))
            .unwrap_or(Severity::Unknown)
    }
}

/// The form field a protocol field path belongs to.
fn form_field(path: &str) -> &'static str {
    let head = path.split(['.', '[']).next().unwrap_or("");
    match head {
        "sender_name" => "sender",
        "event" => "event",
        "headline" => "headline",
        "description" => "description",
        "instruction" => "instruction",
        "area" => "area_desc",
        "severity" => "severity",
        _ => "hours",
    }
}

/// How many of `all` buildings an area of `grids` and `buildings` reaches (none = every one).
pub fn buildings_reached(all: &[Building], grids: &[String], buildings: &[String]) -> usize {
    if grids.is_empty() && buildings.is_empty() {
        return all.len();
    }
    all.iter()
        .filter(|b| grids.contains(&b.grid) || buildings.contains(&b.code))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, ZH_HANT};
    use linli_protocol::text::Text;

    #[test]
    fn waiting_time_reads_in_plain_words() {
        let m = 60_000;
        assert_eq!(waited(&EN, 42 * m, 0), "42 min");
        assert_eq!(waited(&EN, 150 * m, 0), "2 h");
        assert_eq!(waited(&ZH_HANT, 3 * 24 * 60 * m, 0), "3 天");
        assert_eq!(
            waited(&EN, 0, 5 * m),
            "0 min",
            "a clock behind is not negative"
        );
    }

    #[test]
    fn only_requests_after_the_first_look_are_new() {
        let mut a = Arrivals::default();
        assert!(a.observe(["a", "b"]).is_empty());
        assert!(a.observe(["a", "b"]).is_empty());
        assert_eq!(a.observe(["c", "a", "b", "d"]), ["c", "d"]);
        assert!(
            a.observe(["c"]).is_empty(),
            "a request filtered out and back is not new"
        );
    }

    #[test]
    fn the_queue_path_carries_only_the_filters_set() {
        assert_eq!(QueueFilter::default().path(), "/api/v1/staff/help-requests");
        let f = QueueFilter {
            status: "received".into(),
            building: "G1 B1".into(),
            ..QueueFilter::default()
        };
        assert_eq!(
            f.path(),
            "/api/v1/staff/help-requests?status=received&building=G1%20B1"
        );
    }

    fn draft() -> AlertDraft {
        let one = |s: &str| Tri([s.into(), String::new(), String::new()]);
        AlertDraft {
            event: one("颱風"),
            headline: one("八號風球"),
            description: one("強風"),
            instruction: one("留在室內"),
            area_desc: one("第一網格"),
            grids: vec!["G1".into()],
            ..AlertDraft::default()
        }
    }

    #[test]
    fn a_filled_draft_is_a_valid_alert_and_a_drill_is_an_exercise() {
        let input = draft().to_input(&EN, 1_795_000_000_000).unwrap();
        assert_eq!(input.headline.get("zh-Hant"), "八號風球");
        assert_eq!(input.area.grids, ["G1"]);
        assert_eq!(
            serde_json::to_value(input.status).unwrap(),
            serde_json::json!("actual")
        );
        let drill = AlertDraft {
            drill: true,
            ..draft()
        }
        .to_input(&EN, 0)
        .unwrap();
        assert_eq!(
            serde_json::to_value(drill.status).unwrap(),
            serde_json::json!("exercise")
        );
        assert!(!input.notify);
        let marked = AlertDraft {
            notify: true,
            severity: "moderate".into(),
            ..draft()
        }
        .to_input(&EN, 0)
        .unwrap();
        assert!(marked.notify, "a moderate alert marked to wake phones");
    }

    #[test]
    fn a_mistake_names_the_form_field() {
        let e = AlertDraft {
            headline: Tri::default(),
            ..draft()
        }
        .to_input(&EN, 0)
        .unwrap_err();
        assert_eq!(
            (e.field, e.message.as_str()),
            ("headline", EN.one_language_needed)
        );
        let e = AlertDraft {
            hours: "0".into(),
            ..draft()
        }
        .to_input(&EN, 0)
        .unwrap_err();
        assert_eq!(e.field, "hours");
        let e = AlertDraft {
            severity: "catastrophic".into(),
            ..draft()
        }
        .to_input(&EN, 0)
        .unwrap_err();
        assert_eq!(e.field, "severity", "{}", e.message);
    }

    #[test]
    fn an_alert_fills_the_form_back_for_an_update() {
        let input = AlertDraft {
            drill: true,
            severity: "extreme".into(),
            ..draft()
        }
        .to_input(&EN, 1_795_000_000_000)
        .unwrap();
        let alert = input
            .complete(
                "linli-x",
                linli_protocol::time::Timestamp::from_unix_ms(1_795_000_000_000),
            )
            .unwrap();
        // Half an hour later, 11.5 hours are left: the form offers 12.
        let back = AlertDraft::from_alert(&alert, 1_795_000_000_000 + 1_800_000);
        assert_eq!(
            back,
            AlertDraft {
                drill: true,
                severity: "extreme".into(),
                ..draft()
            }
        );
        let expired = AlertDraft::from_alert(&alert, 1_795_000_000_000 + 13 * 3_600_000);
        assert_eq!(expired.hours, "1");
    }

    #[test]
    fn an_area_reaches_its_grids_buildings_or_everyone() {
        let b = |code: &str, grid: &str| Building {
            code: code.into(),
            grid: grid.into(),
            name: Text::parse("x").unwrap(),
            address: Text::default(),
            units: 0,
        };
        let all = [b("G1-B1", "G1"), b("G1-B2", "G1"), b("G2-B1", "G2")];
        assert_eq!(buildings_reached(&all, &[], &[]), 3);
        assert_eq!(buildings_reached(&all, &["G1".into()], &[]), 2);
        assert_eq!(buildings_reached(&all, &[], &["G2-B1".into()]), 1);
    }

    #[test]
    fn text_shows_in_the_chosen_language_or_the_first_given() {
        let t = Tri(["".into(), "简".into(), "en".into()]);
        assert_eq!(t.show(Lang::En), "en");
        assert_eq!(t.show(Lang::ZhHant), "简");
    }
}
