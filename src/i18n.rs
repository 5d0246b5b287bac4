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

/// Fills `{n}` in a string with a number.
pub fn with_n(template: &str, n: usize) -> String {
    template.replace("{n}", &n.to_string())
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
    pub home_title: &'static str,
    pub home_empty_title: &'static str,
    pub home_empty_body: &'static str,
    pub join_action: &'static str,
    pub checkin_title: &'static str,
    pub checkin_empty_title: &'static str,
    pub checkin_empty_body: &'static str,
    pub alerts_title: &'static str,
    pub alerts_empty_title: &'static str,
    pub alerts_empty_body: &'static str,
    pub rumors_title: &'static str,
    pub rumors_empty_title: &'static str,
    pub rumors_empty_body: &'static str,
    pub more_title: &'static str,
    pub language: &'static str,
    pub large_text: &'static str,
    pub large_text_hint: &'static str,
    pub about: &'static str,
    pub about_body: &'static str,
    pub version: &'static str,
    pub join_title: &'static str,
    pub join_body: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    pub update_ready: &'static str,
    pub update_reload: &'static str,
    pub join_code: &'static str,
    pub join_code_hint: &'static str,
    pub join_name: &'static str,
    pub join_name_hint: &'static str,
    pub join_submit: &'static str,
    pub join_err_code: &'static str,
    pub join_err_name: &'static str,
    pub join_err_invalid: &'static str,
    pub join_err_offline: &'static str,
    pub join_done: &'static str,
    pub joined_as: &'static str,
    pub sync_title: &'static str,
    pub sync_pending: &'static str,
    pub sync_all_sent: &'static str,
    pub sync_last: &'static str,
    pub sync_never: &'static str,
    pub sync_now: &'static str,
    pub sync_running: &'static str,
    pub sync_rejected: &'static str,
    pub sync_err_offline: &'static str,
    pub sync_err_server: &'static str,
    pub sync_err_refused: &'static str,
    pub sync_err_storage: &'static str,
    pub sync_reenroll: &'static str,
    pub sync_export: &'static str,
    pub sync_not_enrolled: &'static str,
    pub sign_out: &'static str,
    pub sign_out_warn: &'static str,
    pub sign_out_confirm: &'static str,
    pub cancel: &'static str,
    pub pending_badge: &'static str,
    pub synced_badge: &'static str,
    pub checkin_quick: &'static str,
    pub checkin_saved_local: &'static str,
    pub checkin_saved_sent: &'static str,
    pub checkin_count: &'static str,
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
    offline_banner: "目前沒有網絡。你仍可照常使用，資料會保存在手機上，有網絡時會自動發送。",
    home_title: "首頁",
    home_empty_title: "歡迎使用鄰里",
    home_empty_body: "加入你的社區後，這裏會顯示最新警報、家人今日的健康登記和求助進度。",
    join_action: "加入社區",
    checkin_title: "每日健康登記",
    checkin_empty_title: "還沒有家庭成員",
    checkin_empty_body: "加入社區後，可以為自己和家人每天登記體溫和身體狀況，沒有網絡也可以。",
    alerts_title: "警報",
    alerts_empty_title: "目前沒有警報",
    alerts_empty_body: "社區發出的緊急警報會顯示在這裏，並可回覆「我平安」或「我需要幫助」。",
    rumors_title: "闢謠",
    rumors_empty_title: "還沒有闢謠資訊",
    rumors_empty_body: "社區核實過的傳言與澄清會顯示在這裏。收到可疑訊息時，先來這裏查一查。",
    more_title: "更多",
    language: "語言",
    large_text: "大字模式",
    large_text_hint: "把所有文字放大，方便閱讀。",
    about: "關於鄰里",
    about_body: "鄰里是社區應急服務應用：健康登記、求助、警報和闢謠，沒有網絡也能使用。",
    version: "版本",
    join_title: "加入社區",
    join_body: "請向你所在大廈的義工或社區工作人員索取邀請碼，或掃描他們提供的二維碼。",
    not_found_title: "找不到這個頁面",
    not_found_body: "這個連結可能已經失效。你可以返回首頁。",
    back_home: "返回首頁",
    update_ready: "鄰里有新版本。",
    update_reload: "重新載入",
    join_code: "邀請碼",
    join_code_hint: "例如 K7PM-Q2XD",
    join_name: "你的名字",
    join_name_hint: "鄰居和義工會看到這個名字。",
    join_submit: "加入社區",
    join_err_code: "請輸入邀請碼。",
    join_err_name: "請輸入你的名字（最多 50 字）。",
    join_err_invalid: "這個邀請碼無效、已用過或已過期。請向義工索取新的邀請碼。",
    join_err_offline: "未能連接社區平台。請在有網絡時再試。",
    join_done: "已加入社區。",
    joined_as: "已加入：",
    sync_title: "同步",
    sync_pending: "{n} 項記錄只保存在這部手機上，有網絡時會自動發送。",
    sync_all_sent: "所有記錄已發送至社區。",
    sync_last: "上次同步：",
    sync_never: "尚未同步",
    sync_now: "立即同步",
    sync_running: "正在同步…",
    sync_rejected: "社區平台沒有接受以下記錄。記錄仍保留在手機上：",
    sync_err_offline: "沒有網絡，稍後會自動再試。",
    sync_err_server: "社區平台暫時無法回應，稍後會自動再試。",
    sync_err_refused: "社區平台拒絕了這次同步。",
    sync_err_storage: "這部手機無法保存資料（儲存空間不可用）。",
    sync_reenroll: "這部手機需要重新加入社區。你的記錄仍保留在手機上。",
    sync_export: "匯出未發送的記錄",
    sync_not_enrolled: "加入社區後才能同步。",
    sign_out: "登出並清除這部手機上的資料",
    sign_out_warn: "還有 {n} 項記錄未發送。登出會永久刪除它們。請先匯出或等待發送。",
    sign_out_confirm: "確認登出",
    cancel: "取消",
    pending_badge: "{n} 項待發送",
    synced_badge: "已同步",
    checkin_quick: "今天身體良好",
    checkin_saved_local: "已保存在手機上，有網絡時會自動發送。",
    checkin_saved_sent: "已發送至社區。",
    checkin_count: "今日已登記 {n} 次",
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
    offline_banner: "目前没有网络。你仍可照常使用，数据会保存在手机上，有网络时会自动发送。",
    home_title: "首页",
    home_empty_title: "欢迎使用邻里",
    home_empty_body: "加入你的社区后，这里会显示最新警报、家人今天的健康登记和求助进度。",
    join_action: "加入社区",
    checkin_title: "每日健康登记",
    checkin_empty_title: "还没有家庭成员",
    checkin_empty_body: "加入社区后，可以为自己和家人每天登记体温和身体状况，没有网络也可以。",
    alerts_title: "警报",
    alerts_empty_title: "目前没有警报",
    alerts_empty_body: "社区发出的紧急警报会显示在这里，并可回复“我平安”或“我需要帮助”。",
    rumors_title: "辟谣",
    rumors_empty_title: "还没有辟谣信息",
    rumors_empty_body: "社区核实过的传言与澄清会显示在这里。收到可疑消息时，先来这里查一查。",
    more_title: "更多",
    language: "语言",
    large_text: "大字模式",
    large_text_hint: "把所有文字放大，方便阅读。",
    about: "关于邻里",
    about_body: "邻里是社区应急服务应用：健康登记、求助、警报和辟谣，没有网络也能使用。",
    version: "版本",
    join_title: "加入社区",
    join_body: "请向你所在楼栋的志愿者或社区工作人员索取邀请码，或扫描他们提供的二维码。",
    not_found_title: "找不到这个页面",
    not_found_body: "这个链接可能已经失效。你可以返回首页。",
    back_home: "返回首页",
    update_ready: "邻里有新版本。",
    update_reload: "重新加载",
    join_code: "邀请码",
    join_code_hint: "例如 K7PM-Q2XD",
    join_name: "你的名字",
    join_name_hint: "邻居和志愿者会看到这个名字。",
    join_submit: "加入社区",
    join_err_code: "请输入邀请码。",
    join_err_name: "请输入你的名字（最多 50 字）。",
    join_err_invalid: "这个邀请码无效、已用过或已过期。请向志愿者索取新的邀请码。",
    join_err_offline: "未能连接社区平台。请在有网络时再试。",
    join_done: "已加入社区。",
    joined_as: "已加入：",
    sync_title: "同步",
    sync_pending: "{n} 项记录只保存在这部手机上，有网络时会自动发送。",
    sync_all_sent: "所有记录已发送至社区。",
    sync_last: "上次同步：",
    sync_never: "尚未同步",
    sync_now: "立即同步",
    sync_running: "正在同步…",
    sync_rejected: "社区平台没有接受以下记录。记录仍保留在手机上：",
    sync_err_offline: "没有网络，稍后会自动再试。",
    sync_err_server: "社区平台暂时无法响应，稍后会自动再试。",
    sync_err_refused: "社区平台拒绝了这次同步。",
    sync_err_storage: "这部手机无法保存数据（存储空间不可用）。",
    sync_reenroll: "这部手机需要重新加入社区。你的记录仍保留在手机上。",
    sync_export: "导出未发送的记录",
    sync_not_enrolled: "加入社区后才能同步。",
    sign_out: "退出并清除这部手机上的数据",
    sign_out_warn: "还有 {n} 项记录未发送。退出会永久删除它们。请先导出或等待发送。",
    sign_out_confirm: "确认退出",
    cancel: "取消",
    pending_badge: "{n} 项待发送",
    synced_badge: "已同步",
    checkin_quick: "今天身体良好",
    checkin_saved_local: "已保存在手机上，有网络时会自动发送。",
    checkin_saved_sent: "已发送至社区。",
    checkin_count: "今日已登记 {n} 次",
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
    offline_banner: "No network right now. You can keep using the app: what you save stays on this phone and is sent when you are back online.",
    home_title: "Home",
    home_empty_title: "Welcome to Linli",
    home_empty_body: "Once you join your community, this page shows the latest alerts, your household's check-ins for today and your requests for help.",
    join_action: "Join your community",
    checkin_title: "Daily health check-in",
    checkin_empty_title: "No household members yet",
    checkin_empty_body: "After you join your community you can record temperature and how everyone feels each day, even with no network.",
    alerts_title: "Alerts",
    alerts_empty_title: "No alerts right now",
    alerts_empty_body: "Emergency alerts from your community appear here. You can reply \"I'm safe\" or \"I need help\".",
    rumors_title: "Rumors",
    rumors_empty_title: "No rumor checks yet",
    rumors_empty_body: "Rumors your community has checked, and the facts, appear here. When a message looks doubtful, look it up here first.",
    more_title: "More",
    language: "Language",
    large_text: "Large text",
    large_text_hint: "Makes all text bigger and easier to read.",
    about: "About Linli",
    about_body: "Linli is a community emergency app: health check-ins, help requests, alerts and rumor checks, all working without a network.",
    version: "Version",
    join_title: "Join your community",
    join_body: "Ask your building volunteer or community staff for an invite code, or scan the QR code they give you.",
    not_found_title: "Page not found",
    not_found_body: "This link may be out of date. You can go back to the home page.",
    back_home: "Back to home",
    update_ready: "A new version of Linli is available.",
    update_reload: "Reload",
    join_code: "Invite code",
    join_code_hint: "For example K7PM-Q2XD",
    join_name: "Your name",
    join_name_hint: "Neighbours and volunteers will see this name.",
    join_submit: "Join the community",
    join_err_code: "Enter the invite code.",
    join_err_name: "Enter your name (at most 50 characters).",
    join_err_invalid: "This invite code is unknown, used or expired. Ask your volunteer for a new one.",
    join_err_offline: "Could not reach the community platform. Try again when you are online.",
    join_done: "You have joined the community.",
    joined_as: "Joined as:",
    sync_title: "Sync",
    sync_pending: "{n} records exist only on this phone. They are sent automatically when you are online.",
    sync_all_sent: "Everything has been sent to the community.",
    sync_last: "Last synced:",
    sync_never: "Not yet synced",
    sync_now: "Sync now",
    sync_running: "Syncing…",
    sync_rejected: "The community platform did not accept these records. They are kept on this phone:",
    sync_err_offline: "No network. It will try again by itself.",
    sync_err_server: "The community platform is not answering. It will try again by itself.",
    sync_err_refused: "The community platform refused this sync.",
    sync_err_storage: "This phone cannot store data (storage is unavailable).",
    sync_reenroll: "This phone needs to join the community again. Your records are kept on this phone.",
    sync_export: "Export unsent records",
    sync_not_enrolled: "Join your community to start syncing.",
    sign_out: "Sign out and erase data on this phone",
    sign_out_warn: "{n} records have not been sent. Signing out deletes them for good. Export them first or wait until they are sent.",
    sign_out_confirm: "Yes, sign out",
    cancel: "Cancel",
    pending_badge: "{n} to send",
    synced_badge: "Synced",
    checkin_quick: "I feel well today",
    checkin_saved_local: "Saved on this phone. It will be sent when you are online.",
    checkin_saved_sent: "Sent to the community.",
    checkin_count: "Checked in {n} times today",
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
            for text in [s.tab_home, s.tab_alerts, s.offline_banner, s.join_body] {
                assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "{text}");
            }
        }
    }
}
