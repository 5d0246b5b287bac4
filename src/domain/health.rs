//! Daily check-in rules: today's report per member, 14-day history, what counts as abnormal,
//! and the geometry of the small temperature chart.

use linli_protocol::pushed::HealthReport;

/// A report to look at: a fever (≥ 37.3 °C) or any symptom.
pub fn is_abnormal(r: &HealthReport) -> bool {
    r.is_flagged()
}

/// The report that counts for a day: the latest `reported_at` (a correction supersedes).
pub fn latest_for<'a>(
    reports: &'a [HealthReport],
    member: &str,
    date: &str,
) -> Option<&'a HealthReport> {
    reports
        .iter()
        .filter(|r| r.member_id.as_str() == member && r.date.as_str() == date)
        .max_by_key(|r| r.reported_at.unix_ms())
}

/// One day per entry of `days` (newest first), with that day's report if any.
pub fn history<'a>(
    reports: &'a [HealthReport],
    member: &str,
    days: &[String],
) -> Vec<(String, Option<&'a HealthReport>)> {
    days.iter()
        .map(|d| (d.clone(), latest_for(reports, member, d)))
        .collect()
}

/// Chart width and height in SVG units (integers: no float formatting in the wasm), and the
/// temperature range it shows.
pub const CHART_W: i32 = 280;
pub const CHART_H: i32 = 80;
const LOW: f64 = 35.0;
const HIGH: f64 = 40.0;

/// The y of a temperature (clamped to the chart).
pub fn chart_y(t: f64) -> i32 {
    let t = t.clamp(LOW, HIGH);
    ((HIGH - t) / (HIGH - LOW) * CHART_H as f64).round() as i32
}

/// A point of the chart: position, temperature, and whether the day was abnormal.
pub type ChartPoint = (i32, i32, f64, bool);

/// Points for the days with a temperature, oldest on the left. `history` is newest first, as
/// [`history`] returns it.
pub fn chart_points(history: &[(String, Option<&HealthReport>)]) -> Vec<ChartPoint> {
    let n = history.len().max(2) as f64;
    history
        .iter()
        .rev()
        .enumerate()
        .filter_map(|(i, (_, r))| {
            let r = (*r)?;
            let t = r.temperature_c?.value();
            let x = (i as f64 * (CHART_W - 20) as f64 / (n - 1.0) + 10.0).round() as i32;
            Some((x, chart_y(t), t, is_abnormal(r)))
        })
        .collect()
}

/// 37.3 °C as the y of the fever line.
pub fn fever_line_y() -> i32 {
    chart_y(37.3)
}

/// The check-in form's starting values when correcting a report: temperature as typed, symptoms,
/// note. A correction starts from what was there, so changing one field keeps the others.
pub fn form_from(report: &HealthReport) -> (String, Vec<linli_protocol::pushed::Symptom>, String) {
    (
        report
            .temperature_c
            .map(|t| temperature_text(t.value()))
            .unwrap_or_default(),
        report.symptoms.clone(),
        report
            .note
            .as_ref()
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default(),
    )
}

/// A temperature as text with one decimal, without float formatting machinery.
pub fn temperature_text(t: f64) -> String {
    let tenths = (t * 10.0).round() as i64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(
        member: &str,
        date: &str,
        at: &str,
        t: Option<f64>,
        symptoms: &[&str],
    ) -> HealthReport {
        serde_json::from_value(serde_json::json!({
            "member_id": member, "date": date, "reported_at": at,
            "temperature_c": t, "symptoms": symptoms,
        }))
        .unwrap()
    }

    const M: &str = "0190c7a8-3b1e-7c2d-8f00-000000000001";

    #[test]
    fn a_correction_starts_from_the_report_it_corrects() {
        let fever = report(
            M,
            "2026-11-28",
            "2026-11-28T08:00:00Z",
            Some(37.8),
            &["cough"],
        );
        let (temp, symptoms, note) = form_from(&fever);
        assert_eq!(temp, "37.8");
        assert_eq!(symptoms, fever.symptoms);
        assert_eq!(note, "");
    }

    #[test]
    fn a_correction_supersedes_the_earlier_report_of_the_day() {
        let rs = vec![
            report(M, "2026-11-28", "2026-11-28T08:00:00Z", Some(38.0), &[]),
            report(M, "2026-11-28", "2026-11-28T09:00:00Z", Some(36.6), &[]),
            report(M, "2026-11-27", "2026-11-27T09:00:00Z", None, &["cough"]),
        ];
        let today = latest_for(&rs, M, "2026-11-28").unwrap();
        assert_eq!(today.temperature_c.unwrap().value(), 36.6);
        assert!(!is_abnormal(today));
        assert!(is_abnormal(&rs[0]), "38.0 is a fever");
        assert!(is_abnormal(&rs[2]), "a symptom is abnormal");
        let days = ["2026-11-28", "2026-11-27", "2026-11-26"].map(String::from);
        let h = history(&rs, M, &days);
        assert_eq!(h.len(), 3);
        assert!(h[2].1.is_none());
        assert!(latest_for(&rs, "someone-else", "2026-11-28").is_none());
    }

    #[test]
    fn chart_points_run_oldest_to_newest_and_skip_days_without_temperature() {
        let rs = vec![
            report(M, "2026-11-28", "2026-11-28T08:00:00Z", Some(37.5), &[]),
            report(M, "2026-11-26", "2026-11-26T08:00:00Z", Some(35.0), &[]),
        ];
        let days = ["2026-11-28", "2026-11-27", "2026-11-26"].map(String::from);
        let pts = chart_points(&history(&rs, M, &days));
        assert_eq!(pts.len(), 2);
        assert_eq!((pts[0].0, pts[0].1, pts[0].3), (10, CHART_H, false));
        assert_eq!((pts[1].0, pts[1].3), (CHART_W - 10, true));
        assert!(
            pts[1].1 < fever_line_y(),
            "37.5 is drawn above the fever line"
        );
        assert_eq!(temperature_text(36.6), "36.6");
        assert_eq!(temperature_text(37.0), "37.0");
    }
}
