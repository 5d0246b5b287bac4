//! The app's rules, as plain functions tested natively: no browser, no Leptos.

pub mod alerts;
pub mod coverage;
pub mod health;
pub mod phones;
pub mod places;
pub mod search;

#[cfg(test)]
mod shipped_content {
    use linli_protocol::published::{Guide, Hazard};
    use linli_protocol::text::Localized;

    fn complete(l: &Localized) -> bool {
        let v = serde_json::to_value(l).unwrap();
        ["zh-Hant", "zh-Hans", "en"]
            .iter()
            .all(|k| v[k].is_string())
    }

    #[test]
    fn the_shipped_guides_cover_six_hazards_in_three_languages_and_name_a_source() {
        let guides: Vec<Guide> =
            serde_json::from_str(include_str!("../../public/data/guides.json")).unwrap();
        let hazards: Vec<Hazard> = guides.iter().map(|g| g.hazard).collect();
        for h in [
            Hazard::Earthquake,
            Hazard::Fire,
            Hazard::Flood,
            Hazard::Typhoon,
            Hazard::Epidemic,
            Hazard::PowerOutage,
        ] {
            assert!(hazards.contains(&h), "{h:?} missing");
        }
        for g in &guides {
            assert!(complete(&g.title));
            for s in &g.sections {
                assert!(complete(&s.heading), "{:?}", g.hazard);
                assert!(s.steps.iter().all(complete), "{:?}", g.hazard);
            }
            let last = g.sections.last().unwrap();
            assert_eq!(
                last.heading.get("en"),
                "Sources",
                "{:?} names its source",
                g.hazard
            );
        }
    }
}
