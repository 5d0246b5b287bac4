//! Languages and every user-visible string of the app.
//!
//! The three languages are first-class: each has its own complete [`Strings`] table, so the
//! compiler refuses a string that one language forgets. Choosing a language from the browser's
//! preferences is a plain function, unit-tested natively.

/// A language the app is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Traditional Chinese (Taiwan, Hong Kong, Macau).
    ZhHant,
    /// Simplified Chinese (mainland China, Singapore).
    ZhHans,
    /// English, also the fallback for every other language.
    En,
}

impl Lang {
    /// Every language, in the order the language switcher shows them.
    pub const ALL: [Lang; 3] = [Lang::ZhHant, Lang::ZhHans, Lang::En];

    /// The BCP 47 tag, as written in `<html lang>`, in storage and in Protocol v1 localized text.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhHant => "zh-Hant",
            Lang::ZhHans => "zh-Hans",
            Lang::En => "en",
        }
    }

    /// Parses a tag written by [`Lang::tag`]; anything else is `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag() == tag)
    }

    /// The language's own name for itself, shown in the switcher whatever the current language.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::ZhHant => "繁體中文",
            Lang::ZhHans => "简体中文",
            Lang::En => "English",
        }
    }

    /// The string table of this language.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::ZhHant => &ZH_HANT,
            Lang::ZhHans => &ZH_HANS,
            Lang::En => &EN,
        }
    }

    /// Maps one browser language tag (`navigator.languages` entry) to a language we have, if any.
    ///
    /// `zh-TW`, `zh-HK`, `zh-MO` and any `zh-Hant…` are Traditional; `zh-CN`, `zh-SG`, `zh-Hans…`
    /// and a bare `zh` are Simplified; any `en…` is English. Matching ignores case and accepts `_`.
    pub fn from_browser_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        let mut parts = tag.split('-');
        match parts.next()? {
            "en" => Some(Lang::En),
            "zh" => {
                let rest: Vec<&str> = parts.collect();
                if rest.contains(&"hant") || rest.iter().any(|p| matches!(*p, "tw" | "hk" | "mo")) {
                    Some(Lang::ZhHant)
                } else {
                    Some(Lang::ZhHans)
                }
            }
            _ => None,
        }
    }

    /// Chooses the app language from the browser's ordered preferences: the first one we have,
    /// else English.
    pub fn choose<S: AsRef<str>>(preferences: &[S]) -> Lang {
        preferences
            .iter()
            .find_map(|t| Lang::from_browser_tag(t.as_ref()))
            .unwrap_or(Lang::En)
    }
}

/// A message with a count in it: `before`, the number, `after`. Messages are functions of their
/// arguments (`fn(usize) -> String`, `fn(&str) -> String`), so every language is checked by the
/// compiler for every argument, and English chooses its plural form in its own function.
pub(crate) fn n(before: &str, count: usize, after: &str) -> String {
    format!("{before}{count}{after}")
}

/// A message with a name (or other text) in it: `before`, the text, `after`.
pub(crate) fn with(before: &str, text: &str, after: &str) -> String {
    format!("{before}{text}{after}")
}

impl Strings {
    /// The strings of the screens loaded on first use (household phones, consent, the Building
    /// tab, …), in this table's language. They live in [`crate::words`], outside this table,
    /// so their bytes load with those screens and not with the first page.
    pub fn words(&'static self) -> &'static crate::words::Words {
        if std::ptr::eq(self, &ZH_HANT) {
            &crate::words::ZH_HANT
        } else if std::ptr::eq(self, &ZH_HANS) {
            &crate::words::ZH_HANS
        } else {
            &crate::words::EN
        }
    }
}

/// Every user-visible string of the app shell, one table per language.
#[derive(Debug)]
pub struct Strings {
    pub app_name: &'static str,
    pub tab_home: &'static str,
    pub tab_checkin: &'static str,
    pub tab_alerts: &'static str,
    pub tab_rumors: &'static str,
    pub tab_more: &'static str,
    pub nav_label: &'static str,
    pub online: &'static str,
    pub offline: &'static str,
    pub offline_banner: &'static str,
    /// The header when the network is up but the community platform does not answer.
    pub unreachable: &'static str,
    /// A save that the phone's storage refused: full, or anything else. Nothing earlier is lost.
    pub save_err_full: &'static str,
    pub save_err_other: &'static str,
    pub home_title: &'static str,
    pub home_empty_title: &'static str,
    pub home_empty_body: &'static str,
    pub join_action: &'static str,
    pub checkin_title: &'static str,
    pub checkin_empty_title: &'static str,
    pub alerts_title: &'static str,
    pub alerts_empty_title: &'static str,
    pub rumors_title: &'static str,
    pub rumors_empty_title: &'static str,
    pub more_title: &'static str,
    pub language: &'static str,
    pub large_text: &'static str,
    pub large_text_hint: &'static str,
    pub about: &'static str,
    pub version: &'static str,
    pub join_title: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    pub update_ready: &'static str,
    pub update_reload: &'static str,
    /// Another tab opened a newer version of the app's storage: this tab must reload.
    pub db_outdated: &'static str,
    /// Opening the new storage version waits for the app's other tabs to close.
    pub db_blocked: &'static str,
    /// The phone's storage did not open (an error, or no answer after a few seconds).
    pub db_unavailable: &'static str,
    pub join_code: &'static str,
    pub join_code_hint: &'static str,
    pub join_name: &'static str,
    /// The volunteers' tab and its screens.
    pub tab_building: &'static str,
    pub join_submit: &'static str,
    pub join_err_code: &'static str,
    pub join_err_name: &'static str,
    pub join_done: &'static str,
    pub joined_as: &'static str,
    pub sync_title: &'static str,
    pub sync_pending: fn(usize) -> String,
    pub sync_all_sent: &'static str,
    pub sync_last: &'static str,
    pub sync_never: &'static str,
    pub sync_now: &'static str,
    pub sync_running: &'static str,
    pub sync_rejected: &'static str,
    /// "{n} records were not accepted … exist only on this phone".
    pub sync_kept: fn(usize) -> String,
    pub reject_invalid: &'static str,
    pub reject_conflict: &'static str,
    pub reject_other: &'static str,
    pub sync_err_offline: &'static str,
    pub sync_err_refused: &'static str,
    /// Records kept from a household this phone has left ({n}).
    pub sync_parked: fn(usize) -> String,
    pub sync_export: &'static str,
    pub sync_not_enrolled: &'static str,
    pub sign_out: &'static str,
    pub sign_out_warn: fn(usize) -> String,
    pub sign_out_confirm: &'static str,
    pub cancel: &'static str,
    pub pending_badge: fn(usize) -> String,
    pub synced_badge: &'static str,
    pub checkin_quick: &'static str,
    /// "{name}: I feel well today" — the one-tap check-in says whom it is for.
    pub checkin_quick_for: fn(&str) -> String,
    /// Asked before "feeling well" replaces a report with a fever or symptoms ({name}).
    pub checkin_quick_confirm: fn(&str) -> String,
    pub checkin_quick_replace: &'static str,
    pub checkin_quick_keep: &'static str,
    pub checkin_saved_local: &'static str,
    pub checkin_saved_sent: &'static str,
    pub checkin_count: fn(usize) -> String,
    pub loading: &'static str,
    /// A screen whose code could not be loaded (offline before it was ever cached).
    pub screen_unavailable: &'static str,
    pub saved_local: &'static str,
    pub saved_sent: &'static str,
    pub saved_rejected: &'static str,
    pub dismiss: &'static str,
    pub new_alert: &'static str,
    pub drill: &'static str,
    pub severity: [&'static str; 5],
    pub alert_updated: &'static str,
    pub alert_cancelled: &'static str,
    pub alert_expired: &'static str,
    pub alert_what: &'static str,
    pub alert_where: &'static str,
    pub alert_todo: &'static str,
    pub alert_until: &'static str,
    pub alert_from: &'static str,
    pub alert_gone: &'static str,
    pub alerts_active: &'static str,
    pub alerts_none_active: &'static str,
    pub alerts_past: &'static str,
    pub ack_title: &'static str,
    pub ack_safe: &'static str,
    pub ack_help: &'static str,
    pub ack_safe_sent: &'static str,
    pub ack_help_sent: &'static str,
    pub notifications: &'static str,
    pub notify_offer: &'static str,
    pub notify_allow: &'static str,
    pub notify_on: &'static str,
    pub checkin_abnormal: &'static str,
    pub checkin_correct: &'static str,
    pub checkin_done_today: &'static str,
    pub checkin_for: &'static str,
    pub checkin_not_yet: &'static str,
    pub checkin_open: &'static str,
    /// Home once every member has checked in today.
    pub checkin_view: &'static str,
    pub checkin_replaces: &'static str,
    pub checkin_saved_title: &'static str,
    pub checkin_submit: &'static str,
    pub checkin_well: &'static str,
    pub temp_label: &'static str,
    pub temp_hint: &'static str,
    pub temp_err_number: &'static str,
    pub temp_err_precision: &'static str,
    pub symptoms_label: &'static str,
    pub symptoms: [&'static str; 8],
    pub note_label: &'static str,
    pub note_err_long: &'static str,
    pub history_title: &'static str,
    pub history_chart: &'static str,
    pub history_none: &'static str,
    pub member_unknown: &'static str,
    pub household_manage: &'static str,
    pub household_title: &'static str,
    pub household_body: &'static str,
    pub member_add: &'static str,
    pub member_edit: &'static str,
    pub member_name: &'static str,
    pub member_save: &'static str,
    pub member_err_name: &'static str,
    pub member_err_year: &'static str,
    pub birth_year: &'static str,
    pub birth_year_hint: &'static str,
    pub flags_label: &'static str,
    pub flags: [&'static str; 5],
    pub flags_consent: [&'static str; 5],
    pub help_title: &'static str,
    pub help_new: &'static str,
    pub help_none_open: &'static str,
    pub help_who: &'static str,
    pub help_category: &'static str,
    pub help_categories: [&'static str; 6],
    pub help_urgency: &'static str,
    pub help_urgencies: [&'static str; 3],
    pub help_description: &'static str,
    pub help_err_description: &'static str,
    pub help_err_member: &'static str,
    pub help_submit: &'static str,
    pub help_gone: &'static str,
    pub help_status_local: &'static str,
    pub help_statuses: [&'static str; 6],
    pub help_timeline: &'static str,
    pub help_by: &'static str,
    pub help_confirm: &'static str,
    pub help_reopen: &'static str,
    pub help_cancel: &'static str,
    pub help_cancel_confirm: &'static str,
    pub home_checked_in: fn(usize, usize) -> String,
    pub home_done: &'static str,
    pub home_pending: fn(usize) -> String,
    pub home_all_sent: &'static str,
    pub shortcuts: &'static str,
    pub guides_title: &'static str,
    pub guides_missing: &'static str,
    pub notices_title: &'static str,
    pub notices_empty: &'static str,
    pub notice_gone: &'static str,
    pub facilities_title: &'static str,
    pub facilities_empty: &'static str,
    pub facility_filter: &'static str,
    pub facility_all: &'static str,
    pub facility_kinds: [&'static str; 5],
    pub facility_statuses: [&'static str; 3],
    pub capacity: &'static str,
    pub locate: &'static str,
    pub locating: &'static str,
    pub located: &'static str,
    pub compass: [&'static str; 8],
    pub open_in_maps: &'static str,
    pub rumor_search: &'static str,
    pub rumor_paste: &'static str,
    pub rumor_paste_hint: &'static str,
    pub rumor_check: &'static str,
    pub rumor_matches: &'static str,
    pub rumor_no_match: &'static str,
    pub rumor_none: &'static str,
    pub rumor_gone: &'static str,
    pub verdicts: [&'static str; 4],
    pub published: &'static str,
    pub sources: &'static str,
    pub tip_link: &'static str,
    pub tip_title: &'static str,
    pub tip_label: &'static str,
    pub tip_err: &'static str,
    pub tip_submit: &'static str,
    pub storage: &'static str,
    pub storage_used: fn(usize) -> String,
    pub export_data: &'static str,
}

static ZH_HANT: Strings = Strings {
    app_name: "鄰里",
    tab_home: "首頁",
    tab_checkin: "健康",
    tab_alerts: "警報",
    tab_rumors: "闢謠",
    tab_more: "更多",
    nav_label: "主要功能",
    online: "已連線",
    offline: "離線",
    unreachable: "連不上社區平台",
    save_err_full: "未能保存：手機儲存空間已滿。請清理空間後再試，之前保存的資料不受影響。",
    save_err_other: "未能保存在手機上。請再試一次，之前保存的資料不受影響。",
    offline_banner: "目前沒有網絡。你仍可照常使用，資料會保存在手機上，有網絡時會自動發送。",
    home_title: "首頁",
    home_empty_title: "歡迎使用鄰里",
    home_empty_body: "加入你的社區後，這裏會顯示最新警報、家人今日的健康登記和求助進度。",
    join_action: "加入社區",
    checkin_title: "每日健康登記",
    checkin_empty_title: "還沒有家庭成員",
    alerts_title: "警報",
    alerts_empty_title: "目前沒有警報",
    rumors_title: "闢謠",
    rumors_empty_title: "還沒有闢謠資訊",
    more_title: "更多",
    language: "語言",
    large_text: "大字模式",
    large_text_hint: "把所有文字放大，方便閱讀。",
    about: "關於鄰里",
    version: "版本",
    join_title: "加入社區",
    not_found_title: "找不到這個頁面",
    not_found_body: "這個連結可能已經失效。你可以返回首頁。",
    back_home: "返回首頁",
    update_ready: "鄰里有新版本。",
    update_reload: "重新載入",
    db_outdated: "鄰里已在另一個分頁更新。請重新載入此分頁再繼續。",
    db_blocked: "請關閉鄰里的其他分頁，以完成更新。",
    db_unavailable: "鄰里未能開啟這部手機上的資料，暫時無法顯示或儲存紀錄。請關閉鄰里的其他分頁或重新開啟瀏覽器，再重新載入。",
    join_code: "邀請碼",
    join_code_hint: "例如 K7PM-Q2XD",
    join_name: "你的名字",
    tab_building: "大廈",
    join_submit: "加入社區",
    join_err_code: "請輸入邀請碼。",
    join_err_name: "請輸入你的名字（最多 50 字）。",
    join_done: "已加入社區。",
    joined_as: "已加入：",
    sync_title: "同步",
    sync_pending: |k| n("", k, " 項記錄只保存在這部手機上，有網絡時會自動發送。"),
    sync_all_sent: "所有記錄已發送至社區。",
    sync_last: "上次同步：",
    sync_never: "尚未同步",
    sync_now: "立即同步",
    sync_running: "正在同步…",
    sync_rejected: "社區平台沒有接受以下記錄。記錄仍保留在手機上：",
    sync_kept: |k| {
        n(
            "",
            k,
            " 項記錄未被社區平台接受，只保存在這部手機上（見下方）。",
        )
    },
    reject_invalid: "部分內容不符合要求，請檢查後重新填寫",
    reject_conflict: "與已發送的另一項記錄衝突",
    reject_other: "社區平台拒絕了這項記錄",
    sync_err_offline: "沒有網絡，稍後會自動再試。",
    sync_err_refused: "社區平台拒絕了這次同步。",
    sync_parked: |k| {
        n(
            "",
            k,
            " 項記錄屬於這部手機之前加入的住戶，不會以新住戶的名義發送。請匯出保存。",
        )
    },
    sync_export: "匯出未發送的記錄",
    sync_not_enrolled: "加入社區後才能同步。",
    sign_out: "登出並清除這部手機上的資料",
    sign_out_warn: |k| {
        n(
            "還有 ",
            k,
            " 項記錄未發送。登出會永久刪除它們。請先匯出或等待發送。",
        )
    },
    sign_out_confirm: "確認登出",
    cancel: "取消",
    pending_badge: |k| n("", k, " 項待發送"),
    synced_badge: "已同步",
    checkin_quick: "今天身體良好",
    checkin_quick_for: |name| with("", name, "：今天身體良好"),
    checkin_quick_confirm: |name| {
        with(
            "",
            name,
            "今天較早的登記有發燒或症狀。確定改為「身體良好」嗎？",
        )
    },
    checkin_quick_replace: "是，現在身體良好",
    checkin_quick_keep: "保留較早的登記",
    checkin_saved_local: "已保存在手機上，有網絡時會自動發送。",
    checkin_saved_sent: "已發送至社區。",
    checkin_count: |k| n("今日已登記 ", k, " 次"),
    loading: "載入中…",
    screen_unavailable: "這一頁暫時打不開：手機離線，而這一頁還未下載。連上網絡後再試。",
    saved_local: "已保存在手機上，有網絡時會自動發送",
    saved_sent: "已發送至社區",
    saved_rejected: "社區未能接收，請到「同步」查看",
    dismiss: "關閉",
    new_alert: "新警報：",
    drill: "演習",
    severity: ["極嚴重", "嚴重", "中度", "輕微", "未知"],
    alert_updated: "已更新",
    alert_cancelled: "已取消",
    alert_expired: "已過期",
    alert_what: "發生了甚麼",
    alert_where: "地點",
    alert_todo: "你應該做甚麼",
    alert_until: "有效至",
    alert_from: "發出單位",
    alert_gone: "找不到這則警報，可能已被撤回。",
    alerts_active: "現正生效",
    alerts_none_active: "目前沒有生效中的警報。",
    alerts_past: "過往警報",
    ack_title: "回覆社區",
    ack_safe: "我平安",
    ack_help: "我需要幫助",
    ack_safe_sent: "你已回覆「我平安」。",
    ack_help_sent: "你已回覆「我需要幫助」，社區會聯絡你。",
    notifications: "通知",
    notify_offer: "有嚴重警報時，可以在手機上彈出通知提醒你。",
    notify_allow: "開啟警報通知",
    notify_on: "已開啟：有嚴重警報時會通知你。",
    checkin_abnormal: "需要留意",
    checkin_correct: "修改今日登記",
    checkin_done_today: "今日已登記：",
    checkin_for: "健康登記：",
    checkin_not_yet: "今日未登記",
    checkin_open: "登記今日健康",
    checkin_view: "查看今日登記",
    checkin_replaces: "再次保存會取代今日較早的登記。",
    checkin_saved_title: "今日健康狀況已保存",
    checkin_submit: "保存今日健康狀況",
    checkin_well: "身體良好",
    temp_label: "體溫（°C，可不填）",
    temp_hint: "例如 36.6。沒有量體溫可以留空。",
    temp_err_number: "體溫請填寫數字，例如 36.6",
    temp_err_precision: "體溫最多填寫一位小數，例如 36.6",
    symptoms_label: "今日有沒有這些症狀？（可選多項）",
    symptoms: [
        "發燒",
        "咳嗽",
        "喉嚨痛",
        "呼吸困難",
        "疲倦",
        "失去味覺或嗅覺",
        "腹瀉",
        "其他",
    ],
    note_label: "備註（可不填）",
    note_err_long: "備註最多 500 字",
    history_title: "最近 14 日",
    history_chart: "最近 14 日的體溫走勢，虛線為 37.3 °C",
    history_none: "沒有登記",
    member_unknown: "這個人不在你的家庭名單中。",
    household_manage: "管理家庭成員",
    household_title: "家庭成員",
    household_body: "為每位同住的家人登記，包括沒有手機的長者。",
    member_add: "新增家庭成員",
    member_edit: "修改資料",
    member_name: "稱呼",
    member_save: "保存成員資料",
    member_err_name: "請填寫稱呼（最多 50 字）",
    member_err_year: "出生年份請填寫四位數字，例如 1948",
    birth_year: "出生年份",
    birth_year_hint: "可不填。例如 1948",
    flags_label: "需要特別照顧嗎？（可不填）",
    flags: ["獨居長者", "殘疾", "長期病患", "懷孕", "嬰幼兒"],
    flags_consent: [
        "社區工作人員可見；你在下方同意時，大廈義工也可見，用於安排探訪。",
        "社區工作人員可見；你在下方同意時，大廈義工也可見，用於安排協助疏散。",
        "社區工作人員可見，用於安排藥物及醫療支援。",
        "社區工作人員可見，用於安排醫療支援。",
        "社區工作人員可見，用於安排奶粉及嬰兒用品。",
    ],
    help_title: "求助",
    help_new: "我要求助",
    help_none_open: "沒有進行中的求助。",
    help_who: "為誰求助",
    help_category: "需要甚麼幫助",
    help_categories: ["藥物", "食物和食水", "就醫", "長者照顧", "水電煤", "其他"],
    help_urgency: "有多緊急",
    help_urgencies: ["一般", "緊急", "危及生命"],
    help_description: "請說明需要甚麼",
    help_err_description: "請說明需要甚麼。",
    help_err_member: "請選擇為誰求助",
    help_submit: "發出求助",
    help_gone: "找不到這個求助。",
    help_status_local: "已提出",
    help_statuses: [
        "已收到",
        "已指派",
        "處理中",
        "已解決",
        "已確認完成",
        "已取消",
    ],
    help_timeline: "進度",
    help_by: "負責：",
    help_confirm: "確認已解決",
    help_reopen: "問題仍未解決，重新求助",
    help_cancel: "取消求助",
    help_cancel_confirm: "確定取消",
    home_checked_in: |k, all| n("今日已登記 ", k, &n(" / ", all, " 人")),
    home_done: "已登記",
    home_pending: |k| n("", k, " 項資料只在這部手機上，有網絡時會自動發送"),
    home_all_sent: "所有資料已發送至社區",
    shortcuts: "常用",
    guides_title: "應急指南",
    guides_missing: "找不到指南。請連接網絡後再開啟一次應用程式。",
    notices_title: "社區通告",
    notices_empty: "目前沒有通告。",
    notice_gone: "找不到這則通告，可能已過期。",
    facilities_title: "避難及支援地點",
    facilities_empty: "還沒有地點資料。加入社區並同步後會顯示。",
    facility_filter: "按類別篩選",
    facility_all: "全部",
    facility_kinds: ["避難所", "集合點", "物資站", "診所", "AED 除顫器"],
    facility_statuses: ["開放", "關閉", "已滿"],
    capacity: "容量：",
    locate: "顯示距離和方向",
    locating: "正在取得位置…",
    located: "已按距離由近至遠排列。",
    compass: ["北", "東北", "東", "東南", "南", "西南", "西", "西北"],
    open_in_maps: "在地圖中開啟",
    rumor_search: "搜尋傳言",
    rumor_paste: "收到可疑訊息？貼上來查一查",
    rumor_paste_hint: "把收到的訊息貼在這裏",
    rumor_check: "查一查",
    rumor_matches: "最相關的闢謠：",
    rumor_no_match: "沒有找到相關的闢謠。可以把訊息傳給社區核實。",
    rumor_none: "沒有符合的結果。",
    rumor_gone: "找不到這則闢謠。",
    verdicts: ["錯誤", "誤導", "未證實", "正確"],
    published: "發布於 ",
    sources: "資料來源",
    tip_link: "把可疑訊息交給社區核實",
    tip_title: "交給社區核實",
    tip_label: "訊息內容",
    tip_err: "請貼上或輸入訊息。",
    tip_submit: "交給社區核實",
    storage: "手機儲存",
    storage_used: |k| n("已使用約 ", k, " KB"),
    export_data: "匯出我的資料（JSON）",
};

static ZH_HANS: Strings = Strings {
    app_name: "邻里",
    tab_home: "首页",
    tab_checkin: "健康",
    tab_alerts: "警报",
    tab_rumors: "辟谣",
    tab_more: "更多",
    nav_label: "主要功能",
    online: "已联网",
    offline: "离线",
    unreachable: "连不上社区平台",
    save_err_full: "未能保存：手机存储空间已满。请清理空间后再试，之前保存的数据不受影响。",
    save_err_other: "未能保存在手机上。请再试一次，之前保存的数据不受影响。",
    offline_banner: "目前没有网络。你仍可照常使用，数据会保存在手机上，有网络时会自动发送。",
    home_title: "首页",
    home_empty_title: "欢迎使用邻里",
    home_empty_body: "加入你的社区后，这里会显示最新警报、家人今天的健康登记和求助进度。",
    join_action: "加入社区",
    checkin_title: "每日健康登记",
    checkin_empty_title: "还没有家庭成员",
    alerts_title: "警报",
    alerts_empty_title: "目前没有警报",
    rumors_title: "辟谣",
    rumors_empty_title: "还没有辟谣信息",
    more_title: "更多",
    language: "语言",
    large_text: "大字模式",
    large_text_hint: "把所有文字放大，方便阅读。",
    about: "关于邻里",
    version: "版本",
    join_title: "加入社区",
    not_found_title: "找不到这个页面",
    not_found_body: "这个链接可能已经失效。你可以返回首页。",
    back_home: "返回首页",
    update_ready: "邻里有新版本。",
    update_reload: "重新加载",
    db_outdated: "邻里已在另一个标签页更新。请重新加载此标签页再继续。",
    db_blocked: "请关闭邻里的其他标签页，以完成更新。",
    db_unavailable: "邻里无法打开这部手机上的数据，暂时不能显示或保存记录。请关闭邻里的其他标签页或重启浏览器，然后重新加载。",
    join_code: "邀请码",
    join_code_hint: "例如 K7PM-Q2XD",
    join_name: "你的名字",
    tab_building: "楼栋",
    join_submit: "加入社区",
    join_err_code: "请输入邀请码。",
    join_err_name: "请输入你的名字（最多 50 字）。",
    join_done: "已加入社区。",
    joined_as: "已加入：",
    sync_title: "同步",
    sync_pending: |k| n("", k, " 条记录只保存在这部手机上，有网络时会自动发送。"),
    sync_all_sent: "所有记录已发送至社区。",
    sync_last: "上次同步：",
    sync_never: "尚未同步",
    sync_now: "立即同步",
    sync_running: "正在同步…",
    sync_rejected: "社区平台没有接受以下记录。记录仍保留在手机上：",
    sync_kept: |k| {
        n(
            "",
            k,
            " 条记录未被社区平台接受，只保存在这部手机上（见下方）。",
        )
    },
    reject_invalid: "部分内容不符合要求，请检查后重新填写",
    reject_conflict: "与已发送的另一条记录冲突",
    reject_other: "社区平台拒绝了这条记录",
    sync_err_offline: "没有网络，稍后会自动再试。",
    sync_err_refused: "社区平台拒绝了这次同步。",
    sync_parked: |k| {
        n(
            "",
            k,
            " 条记录属于这部手机之前加入的住户，不会以新住户的名义发送。请导出保存。",
        )
    },
    sync_export: "导出未发送的记录",
    sync_not_enrolled: "加入社区后才能同步。",
    sign_out: "退出并清除这部手机上的数据",
    sign_out_warn: |k| {
        n(
            "还有 ",
            k,
            " 条记录未发送。退出会永久删除它们。请先导出或等待发送。",
        )
    },
    sign_out_confirm: "确认退出",
    cancel: "取消",
    pending_badge: |k| n("", k, " 条待发送"),
    synced_badge: "已同步",
    checkin_quick: "今天身体良好",
    checkin_quick_for: |name| with("", name, "：今天身体良好"),
    checkin_quick_confirm: |name| {
        with(
            "",
            name,
            "今天早些时候的登记有发烧或其他症状。确定改为“身体良好”吗？",
        )
    },
    checkin_quick_replace: "是，现在身体良好",
    checkin_quick_keep: "保留之前的登记",
    checkin_saved_local: "已保存在手机上，有网络时会自动发送。",
    checkin_saved_sent: "已发送至社区。",
    checkin_count: |k| n("今天已登记 ", k, " 次"),
    loading: "加载中…",
    screen_unavailable: "这一页暂时打不开：手机没有联网，这一页还没有下载过。联网后再试。",
    saved_local: "已保存在手机上，有网络时会自动发送",
    saved_sent: "已发送至社区",
    saved_rejected: "社区未能接收，请到“同步”查看",
    dismiss: "关闭",
    new_alert: "新警报：",
    drill: "演习",
    severity: ["极严重", "严重", "中度", "轻微", "未知"],
    alert_updated: "已更新",
    alert_cancelled: "已取消",
    alert_expired: "已过期",
    alert_what: "发生了什么",
    alert_where: "地点",
    alert_todo: "你应该做什么",
    alert_until: "有效至",
    alert_from: "发布单位",
    alert_gone: "找不到这则警报，可能已被撤回。",
    alerts_active: "正在生效",
    alerts_none_active: "目前没有生效中的警报。",
    alerts_past: "历史警报",
    ack_title: "回复社区",
    ack_safe: "我平安",
    ack_help: "我需要帮助",
    ack_safe_sent: "你已回复“我平安”。",
    ack_help_sent: "你已回复“我需要帮助”，社区会联系你。",
    notifications: "通知",
    notify_offer: "有严重警报时，可以在手机上弹出通知提醒你。",
    notify_allow: "开启警报通知",
    notify_on: "已开启：有严重警报时会通知你。",
    checkin_abnormal: "需要注意",
    checkin_correct: "修改今天的登记",
    checkin_done_today: "今天已登记：",
    checkin_for: "健康登记：",
    checkin_not_yet: "今天还没登记",
    checkin_open: "登记今天的健康状况",
    checkin_view: "查看今天的登记",
    checkin_replaces: "再次保存会替换今天之前的登记。",
    checkin_saved_title: "今天的健康状况已保存",
    checkin_submit: "保存今天的健康状况",
    checkin_well: "身体良好",
    temp_label: "体温（°C，可不填）",
    temp_hint: "例如 36.6。没有量体温可以留空。",
    temp_err_number: "体温请填写数字，例如 36.6",
    temp_err_precision: "体温最多填写一位小数，例如 36.6",
    symptoms_label: "今天有没有这些症状？（可多选）",
    symptoms: [
        "发烧",
        "咳嗽",
        "喉咙痛",
        "呼吸困难",
        "乏力",
        "失去味觉或嗅觉",
        "腹泻",
        "其他",
    ],
    note_label: "备注（可不填）",
    note_err_long: "备注最多 500 字",
    history_title: "最近 14 天",
    history_chart: "最近 14 天的体温走势，虚线为 37.3 °C",
    history_none: "没有登记",
    member_unknown: "这个人不在你的家庭名单中。",
    household_manage: "管理家庭成员",
    household_title: "家庭成员",
    household_body: "为每位同住的家人登记，包括没有手机的老人。",
    member_add: "新增家庭成员",
    member_edit: "修改信息",
    member_name: "称呼",
    member_save: "保存成员信息",
    member_err_name: "请填写称呼（最多 50 字）",
    member_err_year: "出生年份请填写四位数字，例如 1948",
    birth_year: "出生年份",
    birth_year_hint: "可不填。例如 1948",
    flags_label: "需要特别照顾吗？（可不填）",
    flags: ["独居老人", "残疾", "慢性病", "怀孕", "婴幼儿"],
    flags_consent: [
        "社区工作人员可见；你在下方同意时，楼栋志愿者也可见，用于安排走访。",
        "社区工作人员可见；你在下方同意时，楼栋志愿者也可见，用于安排协助疏散。",
        "社区工作人员可见，用于安排药品及医疗服务。",
        "社区工作人员可见，用于安排医疗服务。",
        "社区工作人员可见，用于安排奶粉及婴儿用品。",
    ],
    help_title: "求助",
    help_new: "我要求助",
    help_none_open: "没有进行中的求助。",
    help_who: "为谁求助",
    help_category: "需要什么帮助",
    help_categories: [
        "药物",
        "食物和饮用水",
        "就医",
        "老人照顾",
        "水电燃气",
        "其他",
    ],
    help_urgency: "有多紧急",
    help_urgencies: ["一般", "紧急", "危及生命"],
    help_description: "请说明需要什么",
    help_err_description: "请说明需要什么。",
    help_err_member: "请选择为谁求助",
    help_submit: "发出求助",
    help_gone: "找不到这个求助。",
    help_status_local: "已提出",
    help_statuses: [
        "已收到",
        "已派单",
        "处理中",
        "已解决",
        "已确认完成",
        "已取消",
    ],
    help_timeline: "进度",
    help_by: "负责：",
    help_confirm: "确认已解决",
    help_reopen: "问题仍未解决，重新求助",
    help_cancel: "取消求助",
    help_cancel_confirm: "确定取消",
    home_checked_in: |k, all| n("今天已登记 ", k, &n(" / ", all, " 人")),
    home_done: "已登记",
    home_pending: |k| n("", k, " 条记录只在这部手机上，有网络时会自动发送"),
    home_all_sent: "所有记录已发送至社区",
    shortcuts: "常用",
    guides_title: "应急指南",
    guides_missing: "找不到指南。请连接网络后再打开一次应用。",
    notices_title: "社区公告",
    notices_empty: "目前没有公告。",
    notice_gone: "找不到这条公告，可能已过期。",
    facilities_title: "避难场所和服务点",
    facilities_empty: "还没有地点信息。加入社区并同步后会显示。",
    facility_filter: "按类别筛选",
    facility_all: "全部",
    facility_kinds: ["避难所", "集合点", "物资站", "诊所", "AED 除颤器"],
    facility_statuses: ["开放", "关闭", "已满"],
    capacity: "容量：",
    locate: "显示距离和方向",
    locating: "正在获取位置…",
    located: "已按距离从近到远排列。",
    compass: ["北", "东北", "东", "东南", "南", "西南", "西", "西北"],
    open_in_maps: "在地图中打开",
    rumor_search: "搜索传言",
    rumor_paste: "收到可疑信息？粘贴进来查一查",
    rumor_paste_hint: "把收到的信息粘贴到这里",
    rumor_check: "查一查",
    rumor_matches: "最相关的辟谣：",
    rumor_no_match: "没有找到相关的辟谣。可以把信息发给社区核实。",
    rumor_none: "没有符合的结果。",
    rumor_gone: "找不到这则辟谣。",
    verdicts: ["错误", "误导", "未证实", "正确"],
    published: "发布于 ",
    sources: "资料来源",
    tip_link: "把可疑信息交给社区核实",
    tip_title: "交给社区核实",
    tip_label: "信息内容",
    tip_err: "请粘贴或输入信息。",
    tip_submit: "交给社区核实",
    storage: "手机存储",
    storage_used: |k| n("已使用约 ", k, " KB"),
    export_data: "导出我的数据（JSON）",
};

static EN: Strings = Strings {
    app_name: "Linli",
    tab_home: "Home",
    tab_checkin: "Check-in",
    tab_alerts: "Alerts",
    tab_rumors: "Rumors",
    tab_more: "More",
    nav_label: "Main sections",
    online: "Online",
    offline: "Offline",
    unreachable: "Platform not reachable",
    save_err_full: "Not saved: this phone's storage is full. Free some space and try again; what was saved before is kept.",
    save_err_other: "Not saved on this phone. Please try again; what was saved before is kept.",
    offline_banner: "No network right now. You can keep using the app: what you save stays on this phone and is sent when you are back online.",
    home_title: "Home",
    home_empty_title: "Welcome to Linli",
    home_empty_body: "Once you join your community, this page shows the latest alerts, your household's check-ins for today and your requests for help.",
    join_action: "Join your community",
    checkin_title: "Daily health check-in",
    checkin_empty_title: "No household members yet",
    alerts_title: "Alerts",
    alerts_empty_title: "No alerts right now",
    rumors_title: "Rumors",
    rumors_empty_title: "No rumor checks yet",
    more_title: "More",
    language: "Language",
    large_text: "Large text",
    large_text_hint: "Makes all text bigger and easier to read.",
    about: "About Linli",
    version: "Version",
    join_title: "Join your community",
    not_found_title: "Page not found",
    not_found_body: "This link may be out of date. You can go back to the home page.",
    back_home: "Back to home",
    update_ready: "A new version of Linli is available.",
    update_reload: "Reload",
    db_outdated: "Linli was updated in another tab. Reload this tab to go on.",
    db_blocked: "Close Linli's other tabs to finish the update.",
    db_unavailable: "Linli cannot open its data on this phone, so it cannot show or save records for now. Close Linli's other tabs or restart the browser, then reload.",
    join_code: "Invite code",
    join_code_hint: "For example K7PM-Q2XD",
    join_name: "Your name",
    tab_building: "Building",
    join_submit: "Join the community",
    join_err_code: "Enter the invite code.",
    join_err_name: "Enter your name (at most 50 characters).",
    join_done: "You have joined the community.",
    joined_as: "Joined as: ",
    sync_title: "Sync",
    sync_pending: |k| n("", k, if k == 1 { " record exists only on this phone. It is sent automatically when you are online." } else { " records exist only on this phone. They are sent automatically when you are online." }),
    sync_all_sent: "Everything has been sent to the community.",
    sync_last: "Last synced:",
    sync_never: "Not yet synced",
    sync_now: "Sync now",
    sync_running: "Syncing…",
    sync_rejected: "The community platform did not accept these records. They are kept on this phone:",
    sync_kept: |k| n("", k, if k == 1 { " record was not accepted by the community platform and exists only on this phone (see below)." } else { " records were not accepted by the community platform and exist only on this phone (see below)." }),
    reject_invalid: "some details were not accepted; check them and enter it again",
    reject_conflict: "it clashes with another record already sent",
    reject_other: "the community platform refused it",
    sync_err_offline: "No network. It will try again by itself.",
    sync_err_refused: "The community platform refused this sync.",
    sync_parked: |k| n("", k, if k == 1 { " record belongs to the household this phone was in before; it will not be sent for the new one. Export it to keep it." } else { " records belong to the household this phone was in before; they will not be sent for the new one. Export them to keep them." }),
    sync_export: "Export unsent records",
    sync_not_enrolled: "Join your community to start syncing.",
    sign_out: "Sign out and erase data on this phone",
    sign_out_warn: |k| n("", k, if k == 1 { " record has not been sent. Signing out deletes it for good. Export it first or wait until it is sent." } else { " records have not been sent. Signing out deletes them for good. Export them first or wait until they are sent." }),
    sign_out_confirm: "Yes, sign out",
    cancel: "Cancel",
    pending_badge: |k| n("", k, " to send"),
    synced_badge: "Synced",
    checkin_quick: "I feel well today",
    checkin_quick_for: |name| with("", name, ": I feel well today"),
    checkin_quick_confirm: |name| with("", name, "'s check-in earlier today had a fever or symptoms. Record “feeling well” instead?"),
    checkin_quick_replace: "Yes, feeling well now",
    checkin_quick_keep: "Keep the earlier check-in",
    checkin_saved_local: "Saved on this phone. It will be sent when you are online.",
    checkin_saved_sent: "Sent to the community.",
    checkin_count: |k| n("Checked in ", k, if k == 1 { " time today" } else { " times today" }),
    loading: "Loading…",
    screen_unavailable: "This page cannot open right now: the phone is offline and the page has not been downloaded yet. Try again when you are online.",
    saved_local: "Saved on this phone. It will be sent when you are online.",
    saved_sent: "Sent to the community",
    saved_rejected: "The community could not accept it — see Sync",
    dismiss: "Dismiss",
    new_alert: "New alert:",
    drill: "DRILL",
    severity: ["Extreme", "Severe", "Moderate", "Minor", "Unknown"],
    alert_updated: "Updated",
    alert_cancelled: "Cancelled",
    alert_expired: "Expired",
    alert_what: "What happened",
    alert_where: "Where",
    alert_todo: "What to do",
    alert_until: "Until",
    alert_from: "Sent by",
    alert_gone: "This alert cannot be found. It may have been withdrawn.",
    alerts_active: "Active now",
    alerts_none_active: "No alert is active right now.",
    alerts_past: "Past alerts",
    ack_title: "Reply to the community",
    ack_safe: "I'm safe",
    ack_help: "I need help",
    ack_safe_sent: "You replied “I'm safe”.",
    ack_help_sent: "You replied “I need help”. The community will contact you.",
    notifications: "Notifications",
    notify_offer: "Get a phone notification when a serious alert arrives.",
    notify_allow: "Turn on alert notifications",
    notify_on: "On: you will be notified of serious alerts.",
    checkin_abnormal: "Needs attention",
    checkin_correct: "Correct today's check-in",
    checkin_done_today: "Checked in today: ",
    checkin_for: "Check-in for ",
    checkin_not_yet: "Not checked in today",
    checkin_open: "Check in today",
    checkin_view: "See today's check-ins",
    checkin_replaces: "Saving again replaces today's earlier check-in.",
    checkin_saved_title: "Today's check-in is saved",
    checkin_submit: "Save today's check-in",
    checkin_well: "Feeling well",
    temp_label: "Temperature (°C, optional)",
    temp_hint: "For example 36.6. Leave it empty if you did not take it.",
    temp_err_number: "Enter the temperature as a number, like 36.6",
    temp_err_precision: "Enter the temperature with at most one decimal, like 36.6",
    symptoms_label: "Any of these symptoms today? (choose all that apply)",
    symptoms: ["Fever", "Cough", "Sore throat", "Shortness of breath", "Tiredness", "Loss of taste or smell", "Diarrhoea", "Other"],
    note_label: "Note (optional)",
    note_err_long: "The note can be at most 500 characters",
    history_title: "The last 14 days",
    history_chart: "Temperature over the last 14 days; the dashed line is 37.3 °C",
    history_none: "No check-in",
    member_unknown: "This person is not in your household.",
    household_manage: "Manage household members",
    household_title: "Household",
    household_body: "Add everyone who lives with you, including older people without a phone.",
    member_add: "Add a person",
    member_edit: "Edit details",
    member_name: "Name",
    member_save: "Save this person",
    member_err_name: "Enter a name (up to 50 characters)",
    member_err_year: "Enter the year of birth as four digits, like 1948",
    birth_year: "Year of birth",
    birth_year_hint: "Optional. For example 1948",
    flags_label: "Does this person need extra care? (optional)",
    flags: ["Older person living alone", "Disability", "Long-term illness", "Pregnant", "Baby or infant"],
    flags_consent: ["Seen by community staff; by building volunteers too if you allow it below, to plan visits.", "Seen by community staff; by building volunteers too if you allow it below, to plan help leaving the building.", "Seen by community staff, to plan medicine and medical support.", "Seen by community staff, to plan medical support.", "Seen by community staff, to plan formula and baby supplies."],
    help_title: "Help requests",
    help_new: "Ask for help",
    help_none_open: "No open requests.",
    help_who: "Who needs help",
    help_category: "What kind of help",
    help_categories: ["Medicine", "Food and water", "Medical care", "Care for an older person", "Water, power or gas", "Other"],
    help_urgency: "How urgent",
    help_urgencies: ["Normal", "Urgent", "Life-threatening"],
    help_description: "Describe what you need",
    help_err_description: "Describe what you need.",
    help_err_member: "Choose who needs help",
    help_submit: "Send the request",
    help_gone: "This request cannot be found.",
    help_status_local: "Asked",
    help_statuses: ["Received", "Assigned", "In progress", "Resolved", "Confirmed", "Cancelled"],
    help_timeline: "Progress",
    help_by: "By: ",
    help_confirm: "Confirm it is resolved",
    help_reopen: "Not solved — reopen",
    help_cancel: "Cancel this request",
    help_cancel_confirm: "Yes, cancel it",
    home_checked_in: |k, all| n("", k, &n(" of ", all, " checked in today")),
    home_done: "done",
    home_pending: |k| n("", k, if k == 1 { " record is only on this phone and will be sent when you are online" } else { " records are only on this phone and will be sent when you are online" }),
    home_all_sent: "Everything has been sent to the community",
    shortcuts: "Shortcuts",
    guides_title: "Emergency guides",
    guides_missing: "Guides are missing. Connect once and open the app again.",
    notices_title: "Notices",
    notices_empty: "No notices right now.",
    notice_gone: "This notice cannot be found. It may have expired.",
    facilities_title: "Shelters and help points",
    facilities_empty: "No places yet. They appear after you join your community and sync.",
    facility_filter: "Filter by kind",
    facility_all: "All",
    facility_kinds: ["Shelter", "Assembly point", "Supply point", "Clinic", "AED"],
    facility_statuses: ["Open", "Closed", "Full"],
    capacity: "Capacity: ",
    locate: "Show distance and direction",
    locating: "Finding your position…",
    located: "Sorted nearest first.",
    compass: ["north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"],
    open_in_maps: "Open in maps",
    rumor_search: "Search rumors",
    rumor_paste: "Got a suspicious message? Paste it to check",
    rumor_paste_hint: "Paste the message you received",
    rumor_check: "Check it",
    rumor_matches: "The closest rebuttals:",
    rumor_no_match: "No matching rebuttal. You can send the message to the community to check.",
    rumor_none: "Nothing matches.",
    rumor_gone: "This rebuttal cannot be found.",
    verdicts: ["False", "Misleading", "Unproven", "True"],
    published: "Published ",
    sources: "Sources",
    tip_link: "Send a suspicious message to be checked",
    tip_title: "Send for checking",
    tip_label: "The message",
    tip_err: "Paste or type the message.",
    tip_submit: "Send for checking",
    storage: "Storage on this phone",
    storage_used: |k| n("About ", k, " KB used"),
    export_data: "Export my data (JSON)",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_for_taiwan_hong_kong_macau_and_hant() {
        for tag in [
            "zh-TW",
            "zh-HK",
            "zh-MO",
            "zh-Hant",
            "zh-Hant-TW",
            "zh_TW",
            "ZH-hk",
        ] {
            assert_eq!(Lang::choose(&[tag]), Lang::ZhHant, "{tag}");
        }
    }

    #[test]
    fn simplified_for_mainland_singapore_hans_and_bare_zh() {
        for tag in ["zh-CN", "zh-SG", "zh-Hans", "zh-Hans-CN", "zh"] {
            assert_eq!(Lang::choose(&[tag]), Lang::ZhHans, "{tag}");
        }
    }

    #[test]
    fn english_for_english_and_everything_else() {
        assert_eq!(Lang::choose(&["en-GB"]), Lang::En);
        assert_eq!(Lang::choose(&["fr-FR", "de"]), Lang::En);
        assert_eq!(Lang::choose::<&str>(&[]), Lang::En);
    }

    #[test]
    fn first_supported_preference_wins() {
        assert_eq!(Lang::choose(&["fr", "zh-HK", "en"]), Lang::ZhHant);
        assert_eq!(Lang::choose(&["en-US", "zh-TW"]), Lang::En);
        assert_eq!(Lang::choose(&["ja", "zh-CN", "zh-TW"]), Lang::ZhHans);
    }

    #[test]
    fn tags_round_trip_and_unknown_tags_are_rejected() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("zh-TW"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn chinese_tables_do_not_leak_english_or_each_other() {
        // Tab labels differ between the scripts where the characters differ.
        assert_ne!(ZH_HANT.tab_rumors, ZH_HANS.tab_rumors);
        assert_ne!(ZH_HANT.app_name, ZH_HANS.app_name);
        for s in [&ZH_HANT, &ZH_HANS] {
            for text in [
                s.tab_home,
                s.tab_alerts,
                s.offline_banner,
                s.words().join_body,
            ] {
                assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "{text}");
            }
        }
    }

    #[test]
    fn counted_messages_agree_in_number_and_fill_every_argument() {
        let en = Lang::En.strings();
        assert_eq!(
            (en.sync_pending)(1),
            "1 record exists only on this phone. It is sent automatically when you are online."
        );
        assert!((en.sync_pending)(2).starts_with("2 records exist "));
        assert_eq!((en.checkin_count)(1), "Checked in 1 time today");
        assert_eq!((en.home_checked_in)(2, 3), "2 of 3 checked in today");
        assert_eq!((en.checkin_quick_for)("Mei"), "Mei: I feel well today");
        for lang in Lang::ALL {
            let t = lang.strings();
            let counted = [
                t.sync_pending,
                t.sync_kept,
                t.sync_parked,
                t.sign_out_warn,
                t.pending_badge,
                t.checkin_count,
                t.home_pending,
                t.storage_used,
            ];
            for (i, message) in counted.into_iter().enumerate() {
                for count in [0, 1, 2, 17] {
                    let text = message(count);
                    assert!(text.contains(&count.to_string()), "{lang:?} #{i}: {text}");
                    assert!(!text.contains('{'), "{lang:?} #{i}: {text}");
                    if lang == Lang::En && count != 1 {
                        assert!(!text.contains(" 1 record "), "{text}");
                    }
                }
            }
            assert!((t.home_checked_in)(4, 9).contains('9'));
            assert!((t.checkin_quick_confirm)("Mei").contains("Mei"));
        }
    }
}
