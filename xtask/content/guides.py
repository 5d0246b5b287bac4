# Source of public/data/guides.json (run: python3 xtask/content/guides.py > public/data/guides.json).
# Each text is (zh-Hant, zh-Hans, en). Content follows public guidance: "Drop, Cover, Hold On"
# (earthquake), fire safety and evacuation, flood, typhoon, epidemic hygiene, power outage.
import json

def L(h, s, e):
    return {"zh-Hant": h, "zh-Hans": s, "en": e}

def section(heading, *steps):
    return {"heading": L(*heading), "steps": [L(*s) for s in steps]}

SRC = ("資料來源", "资料来源", "Sources")

guides = [
 {"hazard": "earthquake", "title": L("地震", "地震", "Earthquake"), "sections": [
   section(("搖晃時：趴下、掩護、穩住", "摇晃时：趴下、掩护、稳住", "While shaking: Drop, Cover, Hold On"),
     ("立即趴下，以手和膝蓋著地，避免被搖倒。", "立即趴下，以手和膝盖着地，避免被摇倒。", "Drop onto your hands and knees so the shaking cannot knock you down."),
     ("躲到堅固的桌子下，或用手臂護住頭和頸。", "躲到坚固的桌子下，或用手臂护住头和颈。", "Take cover under a sturdy table, or protect your head and neck with your arms."),
     ("抓穩桌腳直到搖晃停止。不要跑出樓外，不要使用升降機。", "抓稳桌脚直到摇晃停止。不要跑出楼外，不要使用电梯。", "Hold on until the shaking stops. Do not run outside and do not use the lift."),
     ("坐輪椅的人：鎖好輪子，彎身護住頭頸。", "坐轮椅的人：锁好轮子，弯身护住头颈。", "In a wheelchair: lock the wheels, bend over and protect your head and neck.")),
   section(("搖晃停止後", "摇晃停止后", "After the shaking"),
     ("檢查自己和家人有沒有受傷，在應用程式回覆「我平安」或「我需要幫助」。", "检查自己和家人有没有受伤，在应用里回复“我平安”或“我需要帮助”。", "Check yourself and your family for injuries, then reply “I'm safe” or “I need help” in the app."),
     ("聞到煤氣味：不要開關電器，打開門窗，離開後再報告。", "闻到燃气味：不要开关电器，打开门窗，离开后再报告。", "If you smell gas: do not touch switches, open windows, leave, then report it."),
     ("預計會有餘震。走樓梯離開受損的大廈，到集合點等候。", "预计会有余震。走楼梯离开受损的大楼，到集合点等候。", "Expect aftershocks. Leave a damaged building by the stairs and wait at the assembly point.")),
   section(SRC, ("美國聯邦緊急事務管理署 (FEMA) Ready.gov《地震》；紅十字會地震安全指引。", "美国联邦紧急事务管理署 (FEMA) Ready.gov《地震》；红十字会地震安全指引。", "FEMA Ready.gov “Earthquakes”; Red Cross earthquake safety guidance.")),
 ]},
 {"hazard": "fire", "title": L("火災", "火灾", "Fire"), "sections": [
   section(("發現火警", "发现火警", "If you discover a fire"),
     ("大聲通知家人和鄰居，按下火警鐘，致電 999。", "大声通知家人和邻居，按下火警铃，拨打 999。", "Warn family and neighbours, press the fire alarm and call 999."),
     ("火勢細小而你有把握，才用滅火筒；否則立即離開。", "火势很小而你有把握，才用灭火器；否则立即离开。", "Use an extinguisher only on a small fire you are sure of; otherwise leave at once."),
     ("離開時關上門，阻慢火煙蔓延。", "离开时关上门，减缓火烟蔓延。", "Close doors behind you to slow the fire and smoke.")),
   section(("逃生", "逃生", "Escaping"),
     ("走樓梯，不要用升降機。濃煙時壓低身子，用濕毛巾掩住口鼻。", "走楼梯，不要用电梯。浓烟时压低身子，用湿毛巾掩住口鼻。", "Use the stairs, never the lift. In smoke stay low and cover your nose and mouth with a wet towel."),
     ("開門前用手背觸摸門柄，燙手就不要開門。", "开门前用手背触摸门把手，烫手就不要开门。", "Touch the door handle with the back of your hand first; if it is hot, do not open it."),
     ("被困時：用濕毛巾塞住門縫，到窗邊揮動顏色鮮明的布求救。", "被困时：用湿毛巾塞住门缝，到窗边挥动颜色鲜明的布求救。", "If trapped: seal the door gaps with wet towels and wave a bright cloth at the window."),
     ("身上著火：停下、躺下、打滾。", "身上着火：停下、躺下、打滚。", "If your clothes catch fire: stop, drop and roll.")),
   section(SRC, ("消防處防火宣傳資料；紅十字會家居防火指引。", "消防部门防火宣传资料；红十字会家居防火指引。", "Fire services public fire-safety material; Red Cross home fire safety.")),
 ]},
 {"hazard": "flood", "title": L("水浸", "水浸", "Flood"), "sections": [
   section(("水浸前", "水浸前", "Before a flood"),
     ("把重要文件、藥物和電器移到高處。", "把重要文件、药物和电器移到高处。", "Move documents, medicines and electrical items up high."),
     ("準備沙包或擋水板，清理渠口。", "准备沙袋或挡水板，清理排水口。", "Prepare sandbags or flood boards and clear drains.")),
   section(("水浸時", "水浸时", "During a flood"),
     ("不要步行或駕車穿越水浸地方：15 厘米急流已可把人沖倒。", "不要步行或驾车穿越水浸地方：15 厘米急流已可把人冲倒。", "Do not walk or drive through flood water: 15 cm of moving water can knock you down."),
     ("水位上升時到高層躲避，關掉總電掣。", "水位上升时到高层躲避，关掉总电闸。", "If water rises, go to a higher floor and switch off the mains."),
     ("收到撤離通知就立即離開，帶備應急包。", "收到撤离通知就立即离开，带上应急包。", "Leave at once when told to evacuate, and take your emergency bag.")),
   section(("水退後", "水退后", "After a flood"),
     ("電器未經檢查不要使用。浸過水的食物要丟棄。", "电器未经检查不要使用。泡过水的食物要丢弃。", "Do not use electrical items until checked. Throw away food that was in flood water."),
     ("清理時戴手套和口罩，之後徹底洗手。", "清理时戴手套和口罩，之后彻底洗手。", "Wear gloves and a mask when cleaning up, and wash your hands well.")),
   section(SRC, ("FEMA Ready.gov《水災》；世界衞生組織水災健康指引。", "FEMA Ready.gov《水灾》；世界卫生组织水灾健康指引。", "FEMA Ready.gov “Floods”; WHO guidance on floods and health.")),
 ]},
 {"hazard": "typhoon", "title": L("颱風", "台风", "Typhoon"), "sections": [
   section(("颱風來臨前", "台风来临前", "Before the typhoon"),
     ("留意天文台及社區警報，準備至少三日的食水、食物和藥物。", "留意气象台及社区警报，准备至少三天的饮用水、食物和药物。", "Follow weather warnings and community alerts; keep three days of water, food and medicine."),
     ("收好露台和窗台的物件，關緊門窗，在玻璃窗貼上膠紙。", "收好阳台和窗台的物品，关紧门窗，在玻璃窗贴上胶带。", "Bring in loose items from balconies and sills, close windows and tape large panes."),
     ("手機和充電器充滿電，準備電筒。", "手机和充电宝充满电，准备手电筒。", "Charge your phone and power bank; have a torch ready.")),
   section(("颱風期間", "台风期间", "During the typhoon"),
     ("留在室內，遠離窗戶。不要到海邊或山邊。", "留在室内，远离窗户。不要到海边或山边。", "Stay indoors, away from windows. Keep away from the shore and slopes."),
     ("居住低窪或臨時建築的人，按指示到避難所。", "居住低洼或临时建筑的人，按指示到避难所。", "If you live low-lying or in a temporary structure, go to a shelter when told.")),
   section(SRC, ("天文台熱帶氣旋警告資料；FEMA Ready.gov《颶風》。", "气象台热带气旋预警资料；FEMA Ready.gov《飓风》。", "Observatory tropical cyclone warnings; FEMA Ready.gov “Hurricanes”.")),
 ]},
 {"hazard": "epidemic", "title": L("傳染病", "传染病", "Epidemic"), "sections": [
   section(("保護自己和家人", "保护自己和家人", "Protect yourself and your family"),
     ("經常用梘液和水洗手最少 20 秒。", "经常用肥皂和水洗手至少 20 秒。", "Wash your hands often with soap and water for at least 20 seconds."),
     ("有呼吸道症狀時戴口罩，咳嗽時用紙巾或手肘遮掩。", "有呼吸道症状时戴口罩，咳嗽时用纸巾或手肘遮掩。", "Wear a mask if you have respiratory symptoms; cough into a tissue or your elbow."),
     ("每天在應用程式登記全家的體溫和症狀。", "每天在应用里登记全家的体温和症状。", "Check in the whole household's temperature and symptoms in the app every day.")),
   section(("出現病徵時", "出现病征时", "If someone falls ill"),
     ("體溫 37.3 °C 或以上，或有症狀：留在家中，避免探訪長者。", "体温 37.3 °C 或以上，或有症状：留在家中，避免探访长者。", "With 37.3 °C or more, or symptoms: stay home and avoid visiting older people."),
     ("呼吸困難、胸口痛或神志不清，立即求醫或致電 999。", "呼吸困难、胸口痛或神志不清，立即就医或拨打 999。", "Trouble breathing, chest pain or confusion: get medical help or call 999 now."),
     ("不要相信未經證實的偏方；先到「闢謠」查一查。", "不要相信未经证实的偏方；先到“辟谣”查一查。", "Do not trust unproven remedies; check Rumors first.")),
   section(SRC, ("世界衞生組織公眾建議；衞生防護中心健康資訊。", "世界卫生组织公众建议；疾病预防控制中心健康信息。", "World Health Organization advice for the public; Centre for Health Protection.")),
 ]},
 {"hazard": "power_outage", "title": L("停電", "停电", "Power outage"), "sections": [
   section(("停電時", "停电时", "When the power goes out"),
     ("用電筒，不要用蠟燭，以免火警。", "用手电筒，不要用蜡烛，以免火灾。", "Use a torch, not candles, to avoid fires."),
     ("關掉電器和爐具，只留一盞燈，知道何時恢復供電。", "关掉电器和炉具，只留一盏灯，知道何时恢复供电。", "Switch off appliances and the stove; leave one light on to know when power returns."),
     ("雪櫃門盡量少開，食物可保存約 4 小時。", "冰箱门尽量少开，食物可保存约 4 小时。", "Keep the fridge closed; food stays cold for about 4 hours."),
     ("鄰里應用程式沒有網絡也能使用；資料會在恢復連線後發送。", "邻里应用没有网络也能使用；资料会在恢复连接后发送。", "Linli works with no network; your records are sent when the connection returns.")),
   section(("照顧有需要的人", "照顾有需要的人", "Look after those at risk"),
     ("探望獨居長者和依賴電力醫療儀器的鄰居。", "探望独居长者和依赖电力医疗仪器的邻居。", "Check on older neighbours living alone and anyone who relies on powered medical equipment."),
     ("升降機停頓時，義工協助行動不便的人上落樓梯。", "电梯停运时，义工协助行动不便的人上下楼梯。", "When lifts stop, volunteers help people with limited mobility on the stairs.")),
   section(SRC, ("FEMA Ready.gov《停電》；紅十字會停電安全指引。", "FEMA Ready.gov《停电》；红十字会停电安全指引。", "FEMA Ready.gov “Power Outages”; Red Cross power outage safety.")),
 ]},
]
print(json.dumps(guides, ensure_ascii=False, separators=(",", ":")))
