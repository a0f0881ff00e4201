//! A district's whole campaign from its own spreadsheets: a folder of CSV files, written here
//! the way people keep them (no ids or authors in the log, no floor plans, booths not placed),
//! imported twice through the one folder command, and every total checked venue by venue
//! against figures this test computes from the files themselves.

use crate::helpers::{TestDb, run_eventday};
use eventday_domain::csv::{ImportReport, Kind};
use eventday_store::csv_io::{self, FolderReport, ImportOptions};
use eventday_store::entities::*;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::BTreeMap;

const VENUES: usize = 17;
const LOG_LINES: usize = 850;

/// A small deterministic generator (no dependency, same files on every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> i64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        i64::try_from((self.0 >> 33) % n).unwrap_or(0)
    }
}

fn venue_name(v: usize) -> String {
    if v == 0 { "主会场（中山公园）".into() } else { format!("第{v}分会场") }
}

fn booth_topic(b: usize) -> String {
    ["民生消费咨询台", "烟草识别专题咨询", "电动车行业专题咨询"][b % 3].to_owned() + &"·".repeat(b / 3)
}

/// Booths per venue: 3 at the main venue and at every other sub-venue, 2 elsewhere (43 in all).
fn booths_of(v: usize) -> usize {
    if v == 0 || v % 2 == 1 { 3 } else { 2 }
}

/// One log line as the file has it: venue, booth (maybe), time, five figures, materials.
struct Line {
    venue: usize,
    booth: Option<usize>,
    figures: [i64; 5],
}

/// The files, and what they say, kept apart from anything the product computes.
struct Files {
    files: Vec<(String, Vec<u8>)>,
    lines: Vec<Line>,
    /// (venue, booth) -> closing figures; booth `None` for a venue's own tally.
    tallies: BTreeMap<(usize, Option<usize>), [i64; 5]>,
}

fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::new();
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn build_files() -> Files {
    let mut rng = Lcg(2013);
    let mut files = Vec::new();
    files.push((
        "01-campaign.csv".to_owned(),
        csv(&[
            row(&["组织", "上级组织", "日期", "标题", "主题", "承办单位", "行政区划代码"]),
            row(&[
                "测试区消费者协会",
                "测试市消费者协会",
                "2013-03-15",
                "测试区2013年“3·15”活动",
                "消费与服务",
                "测试区工商局",
                "420199",
            ]),
        ]),
    ));
    let mut units =
        vec![row(&["名称", "类型", "简称", "设摊", "和解单位", "媒体", "行业", "加入和解平台年份"])];
    for u in 0..12 {
        let name = format!("测试企业{u}有限公司");
        let short = format!("企业{u}");
        let industry = ["餐饮", "家电", "通信", "汽车"][u % 4];
        let year = (2008 + u % 5).to_string();
        units.push(row(&[&name, "企业", &short, "是", "是", "否", industry, &year]));
    }
    for (name, short) in [("测试区工商局", "区工商局"), ("测试区质监局", "区质监局")] {
        units.push(row(&[name, "职能部门", short, "是", "否", "否", "", ""]));
    }
    for name in ["测试电视台", "测试日报", "测试新闻网"] {
        units.push(row(&[name, "媒体", "", "否", "否", "是", "", ""]));
    }
    files.push(("units.csv".into(), csv(&units)));

    let settings = ["广场", "社区", "学校", "市场", "商场", "街道办事处", "其他"];
    let mut venues = vec![row(&["名称", "类型", "承办单位", "场所类型"])];
    for v in 0..VENUES {
        let kind = if v == 0 { "主会场" } else { "分会场" };
        venues.push(row(&[&venue_name(v), kind, &format!("第{v}工商所"), settings[v % settings.len()]]));
    }
    files.push(("venues.csv".into(), csv(&venues)));

    let mut booths = vec![row(&["会场", "主题", "类型", "参与单位"])];
    for v in 0..VENUES {
        for b in 0..booths_of(v) {
            let unit = format!("测试企业{}有限公司", (v + b) % 12);
            booths.push(row(&[&venue_name(v), &booth_topic(b), "咨询", &unit]));
        }
    }
    files.push(("booths.csv".into(), csv(&booths)));

    files.push((
        "officials.csv".into(),
        csv(&[
            row(&["姓名", "职务", "单位", "会场", "活动角色"]),
            row(&["张某", "副区长", "测试区人民政府", &venue_name(0), "出席启动仪式"]),
            row(&["李某", "局长", "测试区工商局", &venue_name(0), "讲话"]),
            row(&["王某", "所长", "第3工商所", &venue_name(3), "现场指导"]),
        ]),
    ));
    files.push((
        "media.csv".into(),
        csv(&[
            row(&["媒体", "渠道", "形式", "日期", "标题", "预计受众", "报道会场", "时段或版面"]),
            row(&[
                "测试电视台",
                "电视",
                "直播",
                "2013-03-15",
                "3·15现场直播",
                "200000",
                &venue_name(0),
                "19:30 新闻",
            ]),
            row(&[
                "测试日报",
                "报纸",
                "图片新闻",
                "2013-03-16",
                "消费维权进社区",
                "80000",
                &venue_name(1),
                "A3版",
            ]),
            row(&[
                "测试新闻网",
                "网络",
                "图文直播",
                "2013-03-15",
                "图文直播：3·15在行动",
                "",
                &venue_name(0),
                "",
            ]),
            row(&["测试新闻网", "新媒体", "微信推文", "2013-03-15", "今天，我们在现场", "5000", "", ""]),
        ]),
    ));
    files.push((
        "materials.csv".into(),
        csv(&[
            row(&["物资", "单位", "计划数量", "库存"]),
            row(&["宣传资料", "份", "20000", "25000"]),
            row(&["横幅", "幅", "40", "40"]),
        ]),
    ));
    files.push((
        "narrative.csv".into(),
        csv(&[
            row(&["标识", "标题", "正文"]),
            row(&["what_we_did", "主要做法", "一是精心组织；二是广泛宣传。"]),
            row(&["next_steps", "下一步工作", "继续做好消费维权工作。"]),
        ]),
    ));

    // The log: 50 lines a venue, each at its own minute, about a third at a booth.
    let mut log = vec![row(&[
        "会场",
        "展位",
        "时间",
        "参与人数",
        "咨询人次",
        "受理投诉",
        "现场调解",
        "挽回损失（分）",
        "发放物资",
        "备注",
    ])];
    let mut lines = Vec::new();
    for n in 0..LOG_LINES {
        let venue = n % VENUES;
        let k = n / VENUES;
        let booth =
            (rng.next(3) == 0).then(|| usize::try_from(rng.next(booths_of(venue) as u64)).unwrap_or(0));
        let received = rng.next(3);
        let figures =
            [rng.next(60), rng.next(20), received, rng.next(received as u64 + 1), rng.next(5) * 1000];
        let minute = 9 * 60 + k * 9;
        let time = format!("{:02}:{:02}", minute / 60, minute % 60);
        let materials = if k.is_multiple_of(5) { "宣传资料=30".to_owned() } else { String::new() };
        let booth_name = booth.map(booth_topic).unwrap_or_default();
        let f: Vec<String> = figures.iter().map(i64::to_string).collect();
        log.push(row(&[
            &venue_name(venue),
            &booth_name,
            &time,
            &f[0],
            &f[1],
            &f[2],
            &f[3],
            &f[4],
            &materials,
            "现场咨询",
        ]));
        lines.push(Line { venue, booth, figures });
    }
    files.push(("log-entries.csv".into(), csv(&log)));

    // Closing counts: booth 0 of every third venue, and venue 5 as a whole.
    let mut tallies = BTreeMap::new();
    let mut tally_rows =
        vec![row(&["会场", "展位", "参与人数", "咨询人次", "受理投诉", "现场调解", "挽回损失（分）"])];
    for v in (0..VENUES).step_by(3) {
        tallies.insert((v, Some(0)), [400 + v as i64, 90, 4, 2, 3000]);
    }
    tallies.insert((5, None), [2500, 700, 12, 9, 50_000]);
    for ((v, b), f) in &tallies {
        let f: Vec<String> = f.iter().map(i64::to_string).collect();
        let booth = b.map(booth_topic).unwrap_or_default();
        tally_rows.push(row(&[&venue_name(*v), &booth, &f[0], &f[1], &f[2], &f[3], &f[4]]));
    }
    files.push(("tallies.csv".into(), csv(&tally_rows)));
    Files { files, lines, tallies }
}

/// Each venue's figures by the documented rule, from the files alone.
fn expected(f: &Files) -> Vec<[i64; 5]> {
    (0..VENUES)
        .map(|v| {
            if let Some(t) = f.tallies.get(&(v, None)) {
                return *t;
            }
            let mut sum = [0i64; 5];
            for l in f.lines.iter().filter(|l| l.venue == v) {
                if l.booth.is_some_and(|b| f.tallies.contains_key(&(v, Some(b)))) {
                    continue;
                }
                add(&mut sum, &l.figures);
            }
            for ((tv, b), t) in &f.tallies {
                if *tv == v && b.is_some() {
                    add(&mut sum, t);
                }
            }
            sum
        })
        .collect()
}

fn add(sum: &mut [i64; 5], f: &[i64; 5]) {
    for (s, x) in sum.iter_mut().zip(f) {
        *s += x;
    }
}

fn arr(f: &eventday_domain::Figures) -> [i64; 5] {
    [f.visitors, f.consultations, f.complaints_received, f.complaints_settled, f.money_recovered_fen]
}

fn counts(r: &FolderReport) -> std::collections::HashMap<Kind, (u64, u64, u64)> {
    r.files
        .iter()
        .map(|(k, _, r): &(Kind, String, ImportReport)| (*k, (r.created, r.updated, r.unchanged)))
        .collect()
}

#[tokio::test]
async fn a_whole_campaign_from_files_imports_twice_and_every_venue_total_matches_the_files() {
    let db = TestDb::new().await;
    let store = &db.store;
    let f = build_files();
    let opts = ImportOptions::default();

    // A dry run checks everything and writes nothing.
    let dry = csv_io::import_folder(store, None, &f.files, ImportOptions { dry_run: true, ..opts })
        .await
        .expect("runs");
    assert!(dry.failed().is_none(), "{:?}", dry.failed());
    assert_eq!(counts(&dry).get(&Kind::LogEntries), Some(&(LOG_LINES as u64, 0, 0)));
    assert_eq!(campaign::Entity::find().count(store.conn()).await.expect("count"), 0);

    let first = csv_io::import_folder(store, None, &f.files, opts).await.expect("runs");
    assert!(first.failed().is_none(), "{:?}", first.failed());
    let cid = first.campaign_id;
    let c = counts(&first);
    assert_eq!(c.get(&Kind::Venues), Some(&(VENUES as u64, 0, 0)));
    assert_eq!(c.get(&Kind::Booths), Some(&(43, 0, 0)));
    assert_eq!(c.get(&Kind::LogEntries), Some(&(LOG_LINES as u64, 0, 0)));
    assert_eq!(c.get(&Kind::Tallies), Some(&(f.tallies.len() as u64, 0, 0)));

    // The second time nothing changes, file by file.
    let second = csv_io::import_folder(store, None, &f.files, opts).await.expect("runs");
    assert!(second.failed().is_none(), "{:?}", second.failed());
    assert_eq!(second.campaign_id, cid);
    for (kind, name, r) in &second.files {
        assert_eq!((r.created, r.updated), (0, 0), "{kind} from {name} changed on the second import");
        assert!(r.unchanged > 0, "{kind} from {name}");
    }
    let stored = log_entry::Entity::find().filter(log_entry::Column::CampaignId.eq(cid)).count(store.conn());
    assert_eq!(stored.await.expect("count"), LOG_LINES as u64);

    // What the files say that had nowhere to go before.
    let camp = campaign::Entity::find_by_id(cid).one(store.conn()).await.expect("q").expect("campaign");
    assert_eq!((camp.undertaker.as_str(), camp.division_code.as_str()), ("测试区工商局", "420199"));
    assert!(camp.mask_official_names, "names are masked unless the campaign says otherwise");
    let venues =
        venue::Entity::find().filter(venue::Column::CampaignId.eq(cid)).all(store.conn()).await.expect("q");
    assert!(venues.iter().all(|v| !v.has_plan), "no venue has a plan in the files");
    let placed =
        booth::Entity::find().filter(booth::Column::Placed.eq(true)).count(store.conn()).await.expect("q");
    assert_eq!(placed, 0);
    let wechat = media_coverage::Entity::find()
        .filter(media_coverage::Column::Format.eq(eventday_domain::MediaFormat::WechatPost))
        .count(store.conn())
        .await
        .expect("q");
    assert_eq!(wechat, 1);
    let leaflets = material::Entity::find().filter(material::Column::Name.eq("宣传资料")).one(store.conn());
    assert_eq!(leaflets.await.expect("q").and_then(|m| m.stock), Some(25_000));
    let authors = log_entry::Entity::find().filter(log_entry::Column::AuthorName.ne(csv_io::DEFAULT_AUTHOR));
    assert_eq!(authors.count(store.conn()).await.expect("q"), 0, "lines without an author name the importer");

    // Every total, venue by venue: the summary (API, dashboard and report), the report's own
    // table, the roll-up and the live totals.
    let want = expected(&f);
    let summary = eventday_store::queries::campaign_summary(store, cid).await.expect("summary");
    let report = eventday_store::report_data::campaign_report_data(store, cid, eventday_domain::Lang::Zh)
        .await
        .expect("report data");
    let rollup = eventday_store::rollup::rollup_venues(store, &[cid]).await.expect("roll-up");
    assert_eq!(summary.totals.per_venue.len(), VENUES);
    for (v, w) in want.iter().enumerate() {
        let name = venue_name(v);
        let s = summary.totals.per_venue.iter().find(|x| x.name == name).expect("venue in the summary");
        assert_eq!(arr(&s.figures), *w, "summary of {name}");
        let r = rollup.iter().find(|x| x.name == name).expect("venue in the roll-up");
        assert_eq!(arr(&r.figures), *w, "roll-up of {name}");
        let p = report.venues.iter().find(|x| x.name == name).expect("venue in the report");
        let shown = [p.visitors, p.consultations, p.complaints_received, p.complaints_settled];
        assert_eq!(
            shown.map(|x| i64::try_from(x).unwrap_or(-1)),
            [w[0], w[1], w[2], w[3]],
            "report of {name}"
        );
        assert_eq!(p.money_recovered_fen, w[4], "report of {name}");
        // Tallies are not log entries: each venue counts exactly its 50 lines.
        assert_eq!(s.log_entries, 50, "log entries of {name}");
    }
    let mut whole = [0i64; 5];
    for w in &want {
        add(&mut whole, w);
    }
    assert_eq!(arr(&summary.totals.figures), whole);
    assert_eq!(summary.totals.log_entries, LOG_LINES as i64);
    assert_eq!(report.totals.log_entries, LOG_LINES as u64, "the report never counts tallies as entries");
    let live = eventday_store::live::campaign_totals(store, cid).await.expect("live totals");
    assert_eq!(arr(&live.figures), whole);
    let org = camp.organization_id;
    let up = eventday_store::rollup::rollup_totals(store, org, 2013).await.expect("roll-up totals");
    assert_eq!(arr(&up.figures), whole);
    // The tallies changed something: without them the sums would differ.
    let raw: i64 = f.lines.iter().map(|l| l.figures[0]).sum();
    assert_ne!(raw, whole[0]);
    db.cleanup().await;
}

#[tokio::test]
async fn a_log_file_whose_derived_ids_collide_is_refused_line_by_line_and_nothing_is_written() {
    let db = TestDb::new().await;
    let store = &db.store;
    let f = build_files();
    let mut files: Vec<(String, Vec<u8>)> =
        f.files.iter().filter(|(n, _)| !n.starts_with("log-entries")).cloned().collect();
    let v0 = venue_name(0);
    let v1 = venue_name(1);
    let log = csv(&[
        row(&["会场", "时间", "咨询人次", "备注"]),
        row(&[&v0, "09:00", "3", "咨询"]),
        row(&[&v0, "09:00", "3", "咨询"]),
        row(&[&v1, "09:00", "3", "咨询"]),
        row(&[&v0, "09:00", "3", "咨询"]),
    ]);
    files.push(("log-entries.csv".into(), log));
    let r = csv_io::import_folder(store, None, &files, ImportOptions::default()).await.expect("runs");
    let (kind, _, failed) = r.failed().expect("refused");
    assert_eq!(*kind, Kind::LogEntries);
    let lines: Vec<u64> = failed.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 5], "{:?}", failed.errors);
    assert!(failed.errors[0].message.contains("line 2"), "{:?}", failed.errors);
    assert_eq!(campaign::Entity::find().count(store.conn()).await.expect("count"), 0, "all or nothing");
    assert_eq!(organization::Entity::find().count(store.conn()).await.expect("count"), 0);
    db.cleanup().await;
}

#[tokio::test]
async fn an_unknown_venue_setting_is_refused_with_the_allowed_values_in_chinese() {
    let db = TestDb::new().await;
    let f = build_files();
    let mut files: Vec<(String, Vec<u8>)> =
        f.files.iter().filter(|(n, _)| n.contains("campaign")).cloned().collect();
    files.push((
        "venues.csv".into(),
        csv(&[row(&["名称", "类型", "场所类型"]), row(&["甲", "主会场", "体育馆"])]),
    ));
    let r = csv_io::import_folder(&db.store, None, &files, ImportOptions::default()).await.expect("runs");
    let (_, _, failed) = r.failed().expect("refused");
    let e = &failed.errors[0];
    assert_eq!((e.line, e.column.as_str()), (2, "场所类型"));
    assert!(e.message.contains("广场、社区、学校、市场、商场、街道办事处、其他"), "{}", e.message);
    db.cleanup().await;
}

#[test]
fn the_cli_sets_up_a_campaign_loads_a_folder_and_accepts_days_without_a_server() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("fresh.db").display());
    let folder = dir.path().join("files");
    std::fs::create_dir(&folder).expect("folder");
    for (name, bytes) in build_files().files.into_iter().filter(|(n, _)| !n.contains("campaign")) {
        std::fs::write(folder.join(name), bytes).expect("write");
    }
    let (code, out, err) = run_eventday(&[
        "campaign",
        "add",
        "--org",
        "命令行区消费者协会",
        "--date",
        "2013-03-15",
        "--title",
        "命令行区2013年“3·15”活动",
        "--division-code",
        "420100",
        "--database-url",
        &url,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("campaign 1 created"), "{out}");
    let (code, out, _) = run_eventday(&["campaign", "list", "--database-url", &url]);
    assert_eq!(code, 0);
    assert!(out.contains("命令行区消费者协会"), "{out}");

    let dir_arg = folder.display().to_string();
    let (code, out, err) =
        run_eventday(&["import-folder", &dir_arg, "--campaign", "1", "--dry-run", "--database-url", &url]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("dry run, nothing written) log-entries from log-entries.csv: 850 created"), "{out}");
    let (code, out, err) =
        run_eventday(&["import-folder", &dir_arg, "--campaign", "1", "--database-url", &url]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("imported log-entries from log-entries.csv: 850 created"), "{out}");
    let (code, out, _) = run_eventday(&["campaign", "show", "1", "--database-url", &url]);
    assert_eq!(code, 0);
    assert!(out.contains("17 venues, 43 booths, 850 log entries") && out.contains("masked as xx"), "{out}");

    // Nothing is submitted yet: accepting all does nothing and says so; a venue that is not
    // submitted is refused.
    let (code, _, err) = run_eventday(&["campaign", "accept-days", "1", "--database-url", &url]);
    assert_ne!(code, 0);
    assert!(err.contains("nothing accepted"), "{err}");
    let (code, _, err) =
        run_eventday(&["campaign", "accept-days", "1", "--venue", "2", "--database-url", &url]);
    assert_ne!(code, 0);
    assert!(err.contains("cannot become accepted"), "{err}");
}

#[tokio::test]
async fn many_venue_days_are_accepted_at_once_all_or_nothing_each_audited() {
    use eventday_domain::DayStatus;
    let mut app = crate::helpers::spawn_app().await;
    let store = app.db.store.clone();
    let file = eventday_store::demo::parse(eventday::DEMO_CAMPAIGN_JSON).expect("demo parses");
    let cid = eventday_store::demo::load(&store, &file).await.expect("demo loads").campaign_id();
    crate::helpers::open_days(&store, cid).await;
    app.act_as_organizer_of(cid).await;
    let venues =
        venue::Entity::find().filter(venue::Column::CampaignId.eq(cid)).all(store.conn()).await.expect("q");
    let (a, b, open) = (venues[1].id, venues[2].id, venues[3].id);
    for v in [a, b] {
        eventday_store::scope::move_day(&store, v, DayStatus::Submitted, None, None).await.expect("submit");
    }
    let url = app.url(&format!("/api/v1/campaigns/{cid}/days/accept"));

    // A listed day that is not submitted refuses the whole request.
    let r = app.client.post(&url).json(&serde_json::json!({"venue_ids": [a, open]})).send().await.expect("r");
    assert_eq!(r.status().as_u16(), 409);
    let still = venue::Entity::find_by_id(a).one(store.conn()).await.expect("q").expect("venue");
    assert_eq!(still.day_status, DayStatus::Submitted, "nothing accepted");
    // Another campaign's venue is named.
    let r = app.client.post(&url).json(&serde_json::json!({"venue_ids": [999_999]})).send().await.expect("r");
    assert_eq!(r.status().as_u16(), 422);
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(body["error"]["fields"]["venue_ids.999999"].is_string(), "{body}");

    // No body: every submitted day, each with its own audit event.
    let r = app.client.post(&url).send().await.expect("r");
    assert_eq!(r.status().as_u16(), 200);
    let body: serde_json::Value = r.json().await.expect("json");
    let ids: Vec<i64> =
        body["accepted"].as_array().expect("list").iter().filter_map(|v| v["venue_id"].as_i64()).collect();
    assert_eq!(ids, [i64::from(a), i64::from(b)]);
    for v in [a, b] {
        let n = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("day_accept"))
            .filter(audit_event::Column::EntityId.eq(v.to_string()))
            // The demo loader closed its days without an acting user; this is the organizer's.
            .filter(audit_event::Column::UserId.is_not_null())
            .count(store.conn())
            .await
            .expect("q");
        assert_eq!(n, 1, "venue {v} audited once");
    }
    app.stop().await;
}
