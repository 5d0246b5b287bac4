# Source of crates/platform/demo/content.json, the `--demo` community's published content
# (run: python3 xtask/content/demo.py > crates/platform/demo/content.json).
# Alerts carry "expires_in_hours" / "sent_hours_ago" instead of fixed times: the seed fills them in.
import json

def L(h, s, e):
    return {"zh-Hant": h, "zh-Hans": s, "en": e}

OFFICE = L("幸福社區應急辦公室", "幸福社区应急办公室", "Xingfu Community Emergency Office")

alerts = [
 {"id": "0190c7a8-0000-7000-8000-00000000a001", "status": "actual", "msg_type": "alert", "category": ["met"],
  "event": L("颱風", "台风", "Typhoon"), "urgency": "expected", "severity": "severe", "certainty": "likely",
  "response_type": ["shelter", "prepare"],
  "headline": L("八號烈風或暴風信號今晚生效", "八号烈风或暴风信号今晚生效", "Gale or storm signal No. 8 from tonight"),
  "description": L("颱風「海燕」正逼近，預計今晚 8 時前改發八號信號，風力明天清晨最強，低窪地區可能水浸。",
                   "台风“海燕”正逼近，预计今晚 8 时前改发八号信号，风力明天清晨最强，低洼地区可能水浸。",
                   "Typhoon Haiyan is approaching. Signal No. 8 is expected before 8 pm tonight; winds peak early tomorrow and low-lying areas may flood."),
  "instruction": L("今晚 7 時前回家，收好露台物件，關緊門窗。準備三日食水、食物和藥物。獨居長者請在應用程式回覆是否平安。",
                   "今晚 7 时前回家，收好阳台物品，关紧门窗。准备三天饮用水、食物和药物。独居长者请在应用里回复是否平安。",
                   "Be home by 7 pm, bring in balcony items and close windows. Keep three days of water, food and medicine. Older people living alone: reply in the app whether you are safe."),
  "area": {"desc": L("全社區", "全社区", "The whole community"), "grids": [], "buildings": []},
  "sent_hours_ago": 1, "expires_in_hours": 48},
 {"id": "0190c7a8-0000-7000-8000-00000000a002", "status": "exercise", "msg_type": "alert", "category": ["fire"],
  "event": L("火警演習", "火警演习", "Fire drill"), "urgency": "expected", "severity": "moderate", "certainty": "observed",
  "response_type": ["evacuate"],
  "headline": L("演習：幸福樓 A 座星期六上午 10 時火警疏散演習", "演习：幸福楼 A 座星期六上午 10 时火警疏散演习", "DRILL: fire evacuation drill, Xingfu House Block A, Saturday 10 am"),
  "description": L("這是演習。火警鐘會響起約 5 分鐘。", "这是演习。火警铃会响起约 5 分钟。", "This is a drill. The fire alarm will sound for about 5 minutes."),
  "instruction": L("聽到鐘聲後走樓梯到地下平台集合，不要使用升降機。行動不便的住戶可留在家中，義工會上門探望。",
                   "听到铃声后走楼梯到地面平台集合，不要使用电梯。行动不便的住户可留在家中，义工会上门探望。",
                   "When the alarm sounds, take the stairs to the ground-floor podium; do not use the lift. Residents with limited mobility may stay home; a volunteer will call."),
  "area": {"desc": L("幸福樓 A 座", "幸福楼 A 座", "Xingfu House Block A"), "grids": [], "buildings": ["G1-B1"]},
  "sent_hours_ago": 20, "expires_in_hours": 96},
 {"id": "0190c7a8-0000-7000-8000-00000000a003", "status": "actual", "msg_type": "cancel", "category": ["env"],
  "event": L("水浸", "水浸", "Flooding"), "urgency": "immediate", "severity": "moderate", "certainty": "observed",
  "response_type": ["avoid"],
  "headline": L("（已取消）和平路隧道水浸，請改道", "（已取消）和平路隧道水浸，请改道", "(Cancelled) Flooding in Heping Road underpass — use another route"),
  "description": L("水已退去，隧道重開。", "水已退去，隧道重开。", "The water has gone down and the underpass has reopened."),
  "instruction": L("無需再改道。", "无需再改道。", "No need to detour any more."),
  "area": {"desc": L("第二網格 和平苑一帶", "第二网格 和平苑一带", "Grid 2, around Heping Court"), "grids": ["G2"], "buildings": []},
  "sent_hours_ago": 30, "expires_in_hours": 24},
]
for a in alerts:
    a["sender_name"] = OFFICE

def R(id, verdict, claim, explanation, sources, tags, days_ago):
    return {"id": id, "verdict": verdict, "claim": L(*claim), "explanation": L(*explanation),
            "sources": [{"title": t, "url": u} for t, u in sources], "tags": tags, "published_days_ago": days_ago}

WHO = ("World Health Organization: Mythbusters", "https://www.who.int/emergencies/diseases/novel-coronavirus-2019/advice-for-public/myth-busters")
rebuttals = [
 R("0190c7a8-0000-7000-8000-00000000b001", "false",
   ("喝鹽水或用鹽水漱口可以預防感染", "喝盐水或用盐水漱口可以预防感染", "Drinking or gargling salt water prevents infection"),
   ("沒有科學證據顯示鹽水可以預防呼吸道病毒感染。大量喝鹽水反而會令血壓上升，對長者和腎病患者有危險。請勤洗手、有症狀戴口罩。",
    "没有科学证据显示盐水可以预防呼吸道病毒感染。大量喝盐水反而会令血压上升，对长者和肾病患者有危险。请勤洗手、有症状戴口罩。",
    "There is no scientific evidence that salt water prevents respiratory virus infection. Drinking a lot of salt water raises blood pressure and is dangerous for older people and people with kidney disease. Wash hands often and wear a mask if you have symptoms."),
   [WHO], ["疫情", "epidemic"], 3),
 R("0190c7a8-0000-7000-8000-00000000b002", "false",
   ("網傳今晚全區撤離令", "网传今晚全区撤离令", "A message says the whole district must evacuate tonight"),
   ("社區沒有發出撤離令。正式撤離指示只會經社區警報、電視電台及大廈義工發出。收到轉發訊息請先在「警報」查看。",
    "社区没有发出撤离令。正式撤离指示只会经社区警报、电视电台及大楼义工发出。收到转发信息请先在“警报”查看。",
    "The community has issued no evacuation order. Real evacuation orders come only through community alerts, TV and radio, and building volunteers. Check Alerts before believing a forwarded message."),
   [], ["撤離", "evacuation"], 1),
 R("0190c7a8-0000-7000-8000-00000000b003", "false",
   ("自來水被人下毒，不要飲用", "自来水被人下毒，不要饮用", "The tap water has been poisoned — do not drink it"),
   ("水務部門今早抽驗本區食水，各項指標正常，可以照常飲用。停電期間如水壓低，煮沸後飲用即可。",
    "水务部门今早抽检本区饮用水，各项指标正常，可以照常饮用。停电期间如水压低，煮沸后饮用即可。",
    "The water authority tested the district's water this morning and all readings are normal; it is safe to drink. If water pressure is low during a power cut, boil it before drinking."),
   [], ["食水", "water"], 1),
 R("0190c7a8-0000-7000-8000-00000000b004", "false",
   ("在家煲醋、燒艾草可以殺死病毒", "在家煮醋、烧艾草可以杀死病毒", "Boiling vinegar or burning mugwort at home kills the virus"),
   ("煲醋產生的醋酸濃度太低，無法殺死病毒，還可能刺激呼吸道；在密閉室內燒東西有火警和一氧化碳中毒風險。保持室內通風更有效。",
    "煮醋产生的醋酸浓度太低，无法杀死病毒，还可能刺激呼吸道；在密闭室内烧东西有火灾和一氧化碳中毒风险。保持室内通风更有效。",
    "The acid from boiling vinegar is far too weak to kill viruses and can irritate the airways; burning things indoors risks fire and carbon monoxide poisoning. Opening windows works better."),
   [WHO], ["疫情", "epidemic"], 4),
 R("0190c7a8-0000-7000-8000-00000000b005", "misleading",
   ("大量服用維他命 C 可以治好病毒感染", "大量服用维生素 C 可以治好病毒感染", "Large doses of vitamin C cure virus infections"),
   ("均衡飲食中的維他命 C 有助維持免疫力，但沒有證據顯示大劑量可以治病；過量可能引致腎石。生病請求醫。",
    "均衡饮食中的维生素 C 有助维持免疫力，但没有证据显示大剂量可以治病；过量可能引致肾结石。生病请就医。",
    "Vitamin C in a balanced diet supports the immune system, but there is no evidence large doses cure illness, and too much can cause kidney stones. See a doctor if you are ill."),
   [WHO], ["疫情", "epidemic"], 5),
 R("0190c7a8-0000-7000-8000-00000000b006", "false",
   ("喝烈酒可以殺死體內病毒", "喝烈酒可以杀死体内病毒", "Drinking strong alcohol kills the virus in your body"),
   ("飲酒不能殺死體內病毒，反而會削弱免疫力。酒精搓手液只適用於清潔雙手和物件表面。",
    "饮酒不能杀死体内病毒，反而会削弱免疫力。酒精洗手液只适用于清洁双手和物体表面。",
    "Drinking alcohol does not kill viruses inside the body and weakens the immune system. Alcohol hand rub is only for hands and surfaces."),
   [WHO], ["疫情", "epidemic"], 6),
 R("0190c7a8-0000-7000-8000-00000000b007", "false",
   ("專家預測今晚凌晨 3 時會有大地震", "专家预测今晚凌晨 3 时会有大地震", "Experts predict a big earthquake at 3 am tonight"),
   ("目前科學無法準確預測地震發生的時間和地點。請不要轉發，但可以趁機檢查家中應急包，熟習「趴下、掩護、穩住」。",
    "目前科学无法准确预测地震发生的时间和地点。请不要转发，但可以趁机检查家中应急包，熟悉“趴下、掩护、稳住”。",
    "Science cannot predict the time and place of an earthquake. Please do not forward it — but it is a good moment to check your emergency bag and practise Drop, Cover, Hold On."),
   [("USGS: Can you predict earthquakes?", "https://www.usgs.gov/faqs/can-you-predict-earthquakes")], ["地震", "earthquake"], 2),
 R("0190c7a8-0000-7000-8000-00000000b008", "false",
   ("超市下星期起關門一個月，要盡快搶購", "超市下星期起关门一个月，要尽快抢购", "Supermarkets will close for a month from next week — stock up now"),
   ("沒有這樣的安排，超市和物資站照常開放，供應充足。搶購只會令長者買不到必需品。如有需要，可在「求助」申請物資。",
    "没有这样的安排，超市和物资站照常开放，供应充足。抢购只会令长者买不到必需品。如有需要，可在“求助”申请物资。",
    "There is no such plan; supermarkets and supply points stay open and are well stocked. Panic buying leaves older people without essentials. If you need supplies, ask under Help."),
   [], ["物資", "supplies"], 2),
 R("0190c7a8-0000-7000-8000-00000000b009", "false",
   ("5G 訊號塔會傳播病毒", "5G 信号塔会传播病毒", "5G phone masts spread the virus"),
   ("病毒不能經無線電波傳播。很多沒有 5G 網絡的地方同樣有疫情。", "病毒不能经无线电波传播。很多没有 5G 网络的地方同样有疫情。",
    "Viruses cannot travel on radio waves. Many places without 5G networks have had outbreaks too."),
   [WHO], ["疫情", "epidemic"], 7),
 R("0190c7a8-0000-7000-8000-00000000b010", "misleading",
   ("今晚直升機會噴灑消毒藥水，要關窗", "今晚直升机会喷洒消毒药水，要关窗", "Helicopters will spray disinfectant tonight — close your windows"),
   ("今晚確有直升機飛過，但那是颱風前的例行巡邏，並沒有噴灑任何藥水。颱風來臨前關好門窗仍然是對的。",
    "今晚确有直升机飞过，但那是台风前的例行巡逻，并没有喷洒任何药水。台风来临前关好门窗仍然是对的。",
    "A helicopter will fly over tonight, but it is a routine patrol before the typhoon and sprays nothing. Closing windows before the typhoon is still right."),
   [], ["颱風", "typhoon"], 1),
 R("0190c7a8-0000-7000-8000-00000000b011", "true",
   ("和平苑明天上午 9 時至 11 時停水", "和平苑明天上午 9 时至 11 时停水", "Heping Court has no water tomorrow 9–11 am"),
   ("屬實。水務部門會更換水管，請預先儲水。行動不便的住戶可聯絡大廈義工協助。",
    "属实。水务部门会更换水管，请预先储水。行动不便的住户可联系大楼义工协助。",
    "True. The water authority is replacing a pipe; store some water beforehand. Residents with limited mobility can ask their building volunteer for help."),
   [], ["食水", "water"], 0),
 R("0190c7a8-0000-7000-8000-00000000b012", "unproven",
   ("社區會堂避難所已經爆滿", "社区会堂避难所已经爆满", "The community hall shelter is already full"),
   ("未能證實。社區正在核實，請查看「避難及支援地點」的最新開放狀態，或聯絡大廈義工。",
    "未能证实。社区正在核实，请查看“避难及支援地点”的最新开放状态，或联系大楼义工。",
    "Not confirmed. The community is checking; see the latest status under Shelters and help points, or ask your building volunteer."),
   [], ["避難", "shelter"], 0),
]

notices = [
 {"id": "0190c7a8-0000-7000-8000-00000000c001", "kind": "service",
  "title": L("和平苑明天上午停水", "和平苑明天上午停水", "Water off at Heping Court tomorrow morning"),
  "body": L("明天上午 9 時至 11 時，和平苑 1 號及 2 號暫停供水，請預先儲水。", "明天上午 9 时至 11 时，和平苑 1 号及 2 号暂停供水，请预先储水。",
            "Tomorrow 9–11 am there will be no water at Heping Court 1 and 2. Please store water beforehand."), "published_days_ago": 0},
 {"id": "0190c7a8-0000-7000-8000-00000000c002", "kind": "policy",
  "title": L("請每日為家人登記健康狀況", "请每日为家人登记健康状况", "Please check in your household's health every day"),
  "body": L("疫情期間，請每天在「健康」登記全家體溫和症狀，沒有網絡也可以登記。網格員會優先聯絡有發燒或症狀的家庭。",
            "疫情期间，请每天在“健康”登记全家体温和症状，没有网络也可以登记。网格员会优先联系有发烧或症状的家庭。",
            "During the outbreak, please record your household's temperature and symptoms under Check-in every day — it works offline too. Grid staff contact households with fever or symptoms first."), "published_days_ago": 2},
 {"id": "0190c7a8-0000-7000-8000-00000000c003", "kind": "service",
  "title": L("招募大廈義工", "招募大楼义工", "Building volunteers wanted"),
  "body": L("每座大廈需要兩至三位義工，協助探訪獨居長者和代沒有手機的鄰居登記。有興趣請聯絡社區辦公室。",
            "每座大楼需要两至三位义工，协助探访独居长者和代没有手机的邻居登记。有兴趣请联系社区办公室。",
            "Each building needs two or three volunteers to visit older people living alone and check in for neighbours without phones. Contact the community office if you can help."), "published_days_ago": 5},
]

def F(id, kind, name, address, lat, lon, status, capacity=None, hours=None):
    f = {"id": id, "kind": kind, "name": L(*name), "address": L(*address), "lat": lat, "lon": lon, "status": status}
    if capacity is not None: f["capacity"] = capacity
    if hours is not None: f["hours"] = L(*hours)
    return f

facilities = [
 F("0190c7a8-0000-7000-8000-00000000d001", "shelter", ("幸福社區會堂避難所", "幸福社区会堂避难所", "Xingfu Community Hall shelter"),
   ("幸福街 12 號地下", "幸福街 12 号地面层", "G/F, 12 Xingfu Street"), 22.3193, 114.1694, "open", 200, ("颱風期間 24 小時開放", "台风期间 24 小时开放", "Open 24 hours during the typhoon")),
 F("0190c7a8-0000-7000-8000-00000000d002", "assembly_point", ("幸福公園緊急集合點", "幸福公园紧急集合点", "Xingfu Park assembly point"),
   ("幸福公園足球場", "幸福公园足球场", "Xingfu Park football pitch"), 22.3205, 114.1712, "open"),
 F("0190c7a8-0000-7000-8000-00000000d003", "supply_point", ("和平苑物資站", "和平苑物资站", "Heping Court supply point"),
   ("和平苑 1 號大堂", "和平苑 1 号大堂", "Lobby, Heping Court 1"), 22.3171, 114.1733, "open", None, ("每日上午 9 時至下午 6 時", "每日上午 9 时至下午 6 时", "Daily 9 am – 6 pm")),
 F("0190c7a8-0000-7000-8000-00000000d004", "clinic", ("幸福街社區診所", "幸福街社区诊所", "Xingfu Street community clinic"),
   ("幸福街 30 號 1 樓", "幸福街 30 号 2 层", "1/F, 30 Xingfu Street"), 22.3188, 114.1721, "open", None, ("星期一至六 上午 9 時至下午 5 時", "周一至周六 上午 9 时至下午 5 时", "Mon–Sat 9 am – 5 pm")),
 F("0190c7a8-0000-7000-8000-00000000d005", "aed", ("幸福樓 A 座大堂 AED", "幸福楼 A 座大堂 AED", "AED, Xingfu House Block A lobby"),
   ("幸福樓 A 座大堂保安處", "幸福楼 A 座大堂保安处", "Security desk, Xingfu House Block A"), 22.3199, 114.1701, "open"),
 F("0190c7a8-0000-7000-8000-00000000d006", "shelter", ("和平學校禮堂", "和平学校礼堂", "Heping School hall"),
   ("和平路 8 號", "和平路 8 号", "8 Heping Road"), 22.3160, 114.1750, "closed", 120),
]

print(json.dumps({"alerts": alerts, "rebuttals": rebuttals, "notices": notices, "facilities": facilities},
                 ensure_ascii=False, indent=1))
