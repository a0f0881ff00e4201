//! CSV import and export: every kind, encodings, bad files, atomicity, round trips, HTTP, CLI.
#![expect(clippy::expect_used, reason = "a test stops at its first failed step")]

use crate::helpers::{TestDb, run_eventday as eventday, spawn_app};
use chrono::{NaiveDate, Utc};
use eventday_domain::csv::{Kind, Lang};
use eventday_store::Store;
use eventday_store::csv_io::{self, ImportOptions};
use eventday_store::demo::{self, table_counts};
use eventday_store::entities::{campaign, organization};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};

/// Creates an empty campaign (its own organization) and returns its id.
pub(crate) async fn empty_campaign(store: &Store, name: &str) -> i32 {
    let now = Utc::now();
    let org = organization::ActiveModel {
        id: NotSet,
        name: Set(name.into()),
        name_en: Set(None),
        parent_id: Set(None),
        created_at: Set(now),
    }
    .insert(store.conn())
    .await
    .expect("organization");
    campaign::ActiveModel {
        id: NotSet,
        organization_id: Set(org.id),
        year: Set(2013),
        date: Set(NaiveDate::from_ymd_opt(2013, 3, 15).expect("date")),
        timezone: Set("Asia/Shanghai".into()),
        title: Set("空白活动".into()),
        theme: Set("消费与服务".into()),
        status: Set(eventday_domain::CampaignStatus::Planning),
        undertaker: NotSet,
        division_code: NotSet,
        mask_official_names: NotSet,
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(store.conn())
    .await
    .expect("campaign")
    .id
}

/// The kinds the demo has data of and that move between campaigns: a `campaign` file describes
/// the campaign itself (another organization's campaign refuses it), and the demo has no tallies.
fn copied_kinds() -> impl Iterator<Item = &'static Kind> {
    Kind::ALL.iter().filter(|k| !matches!(k, Kind::Campaign | Kind::Tallies))
}

pub(crate) async fn load_demo(store: &Store) -> i32 {
    let file = demo::parse(eventday::DEMO_CAMPAIGN_JSON).expect("demo parses");
    demo::load(store, &file).await.expect("demo loads").campaign_id()
}

async fn import(store: &Store, id: i32, kind: Kind, bytes: &[u8]) -> eventday_domain::csv::ImportReport {
    csv_io::import(store, id, kind, bytes, ImportOptions::default()).await.expect("import runs")
}

const VENUES: &str = "名称,类型,承办单位,地址,负责人,宽（米）,深（米）,开始时间,结束时间\n\
                      主会场,主会场,区消协,中山大道,xx,60,30,09:00,12:00\n\
                      后湖分会场,分会场,后湖工商所,后湖大道,xx,20,10,09:00,11:30\n";

#[tokio::test]
async fn every_kind_of_the_demo_exports_and_imports_into_an_empty_campaign_identically() {
    // Log entry ids are global, so the copy goes into a campaign of another database.
    let db = TestDb::new().await;
    let target = TestDb::new().await;
    let demo_id = load_demo(&db.store).await;
    let fresh = empty_campaign(&target.store, "空白协会").await;
    for kind in copied_kinds() {
        let original = csv_io::export(&db.store, demo_id, *kind, Lang::Zh).await.expect("export");
        assert!(original.starts_with(b"\xEF\xBB\xBF"), "{kind}: BOM");
        let report = import(&target.store, fresh, *kind, &original).await;
        assert!(report.errors.is_empty(), "{kind}: {:?}", report.errors);
        // Records, not lines: narrative bodies hold line breaks inside quoted cells.
        let text = String::from_utf8_lossy(&original);
        let records =
            eventday_domain::csv::parse_table(*kind, &text).map(|t| t.rows.len()).unwrap_or(0) as u64;
        assert_eq!(report.created + report.updated + report.unchanged, records, "{kind}");
        assert!(records > 0, "{kind} has data in the demo");
        let copy = csv_io::export(&target.store, fresh, *kind, Lang::Zh).await.expect("export copy");
        assert_eq!(String::from_utf8_lossy(&copy), String::from_utf8_lossy(&original), "{kind}");
    }
    // Importing the same files again changes nothing.
    for kind in copied_kinds() {
        let bytes = csv_io::export(&db.store, demo_id, *kind, Lang::En).await.expect("export en");
        let report = import(&target.store, fresh, *kind, &bytes).await;
        assert_eq!((report.created, report.updated, report.errors.len()), (0, 0, 0), "{kind}: {report:?}");
    }
    db.cleanup().await;
    target.cleanup().await;
}

#[tokio::test]
async fn a_bad_row_at_line_9999_of_10000_log_entries_leaves_the_database_unchanged() {
    let db = TestDb::new().await;
    let id = empty_campaign(&db.store, "大文件协会").await;
    assert!(import(&db.store, id, Kind::Venues, VENUES.as_bytes()).await.errors.is_empty());
    let mut file = String::from("id,venue,recorded_at,author,visitors\n");
    for n in 2..=10_000u32 {
        let visitors = if n == 9_999 { "-3".to_owned() } else { n.to_string() };
        file.push_str(&format!("{},主会场,2013-03-15 10:00,xx,{visitors}\n", uuid::Uuid::new_v4()));
    }
    let before = table_counts(db.store.conn()).await.expect("counts");
    let report = import(&db.store, id, Kind::LogEntries, file.as_bytes()).await;
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 9_999);
    assert_eq!(report.errors[0].column, "visitors");
    assert_eq!(table_counts(db.store.conn()).await.expect("counts"), before);

    let good = file.replace(",-3\n", ",3\n");
    let report = import(&db.store, id, Kind::LogEntries, good.as_bytes()).await;
    assert_eq!((report.created, report.errors.len()), (9_999, 0));
    db.cleanup().await;
}

#[tokio::test]
async fn a_gbk_encoded_file_with_chinese_headers_and_labels_is_imported() {
    let db = TestDb::new().await;
    let id = empty_campaign(&db.store, "编码协会").await;
    let text = "名称,类型,联系方式\n区市场监督管理局,职能部门,027-1\n武商集团,企业,\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
    let report = import(&db.store, id, Kind::Units, &gbk).await;
    assert_eq!((report.created, report.errors.len()), (2, 0), "{report:?}");
    let out = String::from_utf8(csv_io::export(&db.store, id, Kind::Units, Lang::En).await.expect("export"))
        .expect("UTF-8");
    assert!(out.contains("区市场监督管理局,,agency,027-1,true"), "{out}");
    db.cleanup().await;
}

#[tokio::test]
async fn duplicate_unknown_and_missing_columns_and_mixed_encodings_are_rejected() {
    let db = TestDb::new().await;
    let id = empty_campaign(&db.store, "表头协会").await;
    let report = import(&db.store, id, Kind::Units, "名称,name,类型\nA,A,企业\n".as_bytes()).await;
    assert!(
        report.errors.iter().any(|e| e.line == 1 && e.column == "name" && e.message.contains("duplicate"))
    );
    let report = import(&db.store, id, Kind::Units, "名称,类型,颜色\nA,企业,红\n".as_bytes()).await;
    assert!(report.errors.iter().any(|e| e.column == "颜色" && e.message.contains("unknown column")));
    let report = import(&db.store, id, Kind::Units, "类型\n企业\n".as_bytes()).await;
    assert!(report.errors.iter().any(|e| e.field == "name" && e.message.contains("missing")));
    let mut mixed = "名称,类型\n甲公司,企业\n".as_bytes().to_vec();
    mixed.extend_from_slice(&encoding_rs::GBK.encode("乙公司,企业\n").0);
    let report = import(&db.store, id, Kind::Units, &mixed).await;
    assert_eq!(report.errors.first().map(|e| e.line), Some(3), "{report:?}");
    assert!(
        table_counts(db.store.conn())
            .await
            .expect("counts")
            .iter()
            .all(|(t, n)| *n == 0 || *t == "organizations" || *t == "campaigns")
    );
    db.cleanup().await;
}

#[tokio::test]
async fn nul_bytes_and_ten_thousand_character_names_are_rejected_with_line_and_column() {
    let db = TestDb::new().await;
    let id = empty_campaign(&db.store, "坏值协会").await;
    let file = format!("name,kind\n好单位,企业\n坏\0单位,企业\n{},企业\n", "长".repeat(10_000));
    let report = import(&db.store, id, Kind::Units, file.as_bytes()).await;
    let at: Vec<(u64, &str)> = report.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(at, [(3, "name"), (4, "name")], "{report:?}");
    assert_eq!(report.created, 0);
    let units = table_counts(db.store.conn()).await.expect("counts");
    assert!(units.iter().any(|(t, n)| *t == "units" && *n == 0));
    db.cleanup().await;
}

#[tokio::test]
async fn formula_cells_are_neutralised_on_export_and_restored_on_import() {
    let db = TestDb::new().await;
    let id = empty_campaign(&db.store, "公式协会").await;
    let file = "名称,类型,联系方式\n\"=cmd|' /C calc'!A0\",企业,+86 27\n@SUM,企业,-1\n";
    assert!(import(&db.store, id, Kind::Units, file.as_bytes()).await.errors.is_empty());
    let out = csv_io::export(&db.store, id, Kind::Units, Lang::Zh).await.expect("export");
    let text = String::from_utf8_lossy(&out);
    for line in text.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{line}");
        }
    }
    assert!(text.contains("'=cmd") && text.contains("'+86 27") && text.contains("'@SUM"), "{text}");
    let other = empty_campaign(&db.store, "公式协会二").await;
    let report = import(&db.store, other, Kind::Units, &out).await;
    // The units already exist by name: nothing is created, so the names came back identical.
    assert_eq!((report.created, report.errors.len()), (0, 0), "{report:?}");
    db.cleanup().await;
}

#[tokio::test]
async fn dry_run_reports_changes_and_writes_nothing() {
    let db = TestDb::new().await;
    let id = empty_campaign(&db.store, "演练协会").await;
    let before = table_counts(db.store.conn()).await.expect("counts");
    let opts = ImportOptions { dry_run: true, ..ImportOptions::default() };
    let report = csv_io::import(&db.store, id, Kind::Venues, VENUES.as_bytes(), opts).await.expect("dry run");
    assert_eq!((report.created, report.errors.len()), (2, 0));
    assert_eq!(table_counts(db.store.conn()).await.expect("counts"), before);
    db.cleanup().await;
}

#[tokio::test]
async fn booths_outside_the_venue_or_overlapping_a_stored_booth_are_rejected() {
    let db = TestDb::new().await;
    let id = empty_campaign(&db.store, "展位协会").await;
    assert!(import(&db.store, id, Kind::Venues, VENUES.as_bytes()).await.errors.is_empty());
    let first = "venue,topic,kind,x,y,w,h\n主会场,烟草识别专题咨询,咨询,0,0,4,3\n";
    assert_eq!(import(&db.store, id, Kind::Booths, first.as_bytes()).await.created, 1);
    let bad =
        "venue,topic,kind,x,y,w,h\n主会场,民生消费咨询台,咨询,2,1,4,3\n后湖分会场,大展台,展示,18,0,4,3\n";
    let report = import(&db.store, id, Kind::Booths, bad.as_bytes()).await;
    assert!(
        report.errors.iter().any(|e| e.line == 2 && e.message.contains("烟草识别专题咨询")),
        "{report:?}"
    );
    // The booth rule of the one write path, as the API states it.
    assert!(
        report.errors.iter().any(|e| e.line == 3 && e.column == "x" && e.message.contains("must lie inside")),
        "{report:?}"
    );
    db.cleanup().await;
}

#[tokio::test]
async fn a_stored_log_entry_id_with_other_content_is_an_error_not_an_overwrite() {
    let db = TestDb::new().await;
    let id = empty_campaign(&db.store, "幂等协会").await;
    assert!(import(&db.store, id, Kind::Venues, VENUES.as_bytes()).await.errors.is_empty());
    let uuid = uuid::Uuid::new_v4();
    let file = |v: u32| format!("id,venue,recorded_at,author,visitors\n{uuid},主会场,10:00,xx,{v}\n");
    assert_eq!(import(&db.store, id, Kind::LogEntries, file(5).as_bytes()).await.created, 1);
    assert_eq!(import(&db.store, id, Kind::LogEntries, file(5).as_bytes()).await.unchanged, 1);
    let report = import(&db.store, id, Kind::LogEntries, file(6).as_bytes()).await;
    assert_eq!(report.errors.first().map(|e| (e.line, e.column.as_str())), Some((2, "id")));
    db.cleanup().await;
}

#[tokio::test]
async fn csv_upload_and_download_over_http() {
    let mut app = spawn_app().await;
    let id = empty_campaign(&app.db.store, "接口协会").await;
    app.act_as_organizer_of(id).await;
    let upload = |body: &'static str, dry: bool| {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(body.as_bytes()).file_name("venues.csv"));
        app.client
            .post(app.url(&format!("/api/v1/campaigns/{id}/import/venues?dry_run={dry}")))
            .multipart(form)
            .send()
    };
    let resp = upload(VENUES, true).await.expect("dry run");
    assert_eq!(resp.status().as_u16(), 200);
    let body: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(body["created"], 2);
    let resp = upload(VENUES, false).await.expect("import");
    assert_eq!(resp.status().as_u16(), 200);
    let resp = upload("名称,类型,宽（米）,深（米）,开始时间,结束时间\n,主会场,10,10,09:00,10:00\n", false)
        .await
        .expect("bad import");
    assert_eq!(resp.status().as_u16(), 422);
    let body: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(body["errors"][0]["line"], 2);

    let resp = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{id}/export/venues.csv")))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = resp.headers()["content-disposition"].to_str().unwrap_or_default().to_owned();
    assert!(disposition.contains(&format!("campaign-{id}-venues.csv")), "{disposition}");
    let bytes = resp.bytes().await.expect("body");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF") && String::from_utf8_lossy(&bytes).contains("后湖分会场"));
    let (status, _) = app.get_json(&format!("/api/v1/campaigns/{id}/export/stadiums.csv")).await;
    assert_eq!(status, 404);
    let (status, _) = app.get_json("/api/v1/campaigns/99999/export/venues.csv").await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn the_cli_exports_the_demo_and_imports_it_into_a_fresh_campaign() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("cli.db").display());
    let (code, _, err) = eventday(&["demo", "--database-url", &url]);
    assert_eq!(code, 0, "{err}");
    // Log entry ids are global, so the copy goes into a campaign of another database.
    let target = format!("sqlite://{}?mode=rwc", dir.path().join("copy.db").display());
    let (code, _, err) = eventday(&["migrate", "--database-url", &target]);
    assert_eq!(code, 0, "{err}");
    let store = Store::connect(&target).await.expect("connect");
    let fresh = empty_campaign(&store, "命令行协会").await.to_string();
    for kind in copied_kinds() {
        let path = dir.path().join(format!("{kind}.csv"));
        let p = path.to_str().expect("path");
        let (code, _, err) =
            eventday(&["export", kind.as_str(), "--campaign", "1", "--out", p, "--database-url", &url]);
        assert_eq!(code, 0, "{err}");
        let (code, out, err) =
            eventday(&["import", kind.as_str(), "--campaign", &fresh, p, "--database-url", &target]);
        assert_eq!(code, 0, "{kind}: {err}");
        assert!(out.contains("created"), "{out}");
        let (_, copy, _) =
            eventday(&["export", kind.as_str(), "--campaign", &fresh, "--database-url", &target]);
        assert_eq!(copy, std::fs::read_to_string(&path).expect("read"), "{kind}");
    }
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "名称,类型\n好,企业\n坏,城堡\n").expect("write");
    let (code, _, err) = eventday(&[
        "import",
        "units",
        "--campaign",
        &fresh,
        bad.to_str().expect("path"),
        "--database-url",
        &target,
    ]);
    assert_ne!(code, 0);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("line 3") && lines[0].contains("类型"), "{err}");
    store.conn().clone().close().await.ok();
}

#[tokio::test]
async fn the_checklist_imports_with_chinese_headers_all_or_nothing_and_exports_as_a_kind() {
    let mut app = spawn_app().await;
    let id = empty_campaign(&app.db.store, "分工协会").await;
    app.act_as_organizer_of(id).await;
    assert!(import(&app.db.store, id, Kind::Venues, VENUES.as_bytes()).await.errors.is_empty());
    let upload = |body: String, dry: bool| {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(body.into_bytes()).file_name("tasks.csv"));
        app.client
            .post(app.url(&format!("/api/v1/campaigns/{id}/import/tasks?dry_run={dry}")))
            .multipart(form)
            .send()
    };
    let good = "阶段,事项,责任单位,责任人,会场,完成时限,状态\n\
                筹划阶段,召开筹备会,区消协,xx,,2013-01-20,已完成\n\
                实施阶段,物资送达,区消协,xx,后湖分会场,2013-03-13,进行中\n\
                实施阶段,现场布置检查,后湖工商所,xx,后湖分会场,2013-03-14,\n";
    let resp = upload(good.to_owned(), true).await.expect("dry run");
    let status = resp.status().as_u16();
    let body: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["created"], 3);
    assert!(
        eventday_store::planning::tasks::list(&app.db.store, id).await.expect("tasks").is_empty(),
        "dry run"
    );

    // One bad row among good ones: nothing is written, and the error names line and column.
    let cases = [
        (good.replace("2013-03-13,进行中", "3月13日,进行中"), (3, "完成时限")),
        (good.replace("后湖分会场,2013-03-14", "月亮分会场,2013-03-14"), (4, "会场")),
    ];
    for (bad, (line, column)) in cases {
        let resp = upload(bad, false).await.expect("bad import");
        assert_eq!(resp.status().as_u16(), 422);
        let body: serde_json::Value = resp.json().await.expect("json");
        let errors: Vec<(i64, String)> = body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| (e["line"].as_i64().unwrap_or(0), e["column"].as_str().unwrap_or("").to_owned()))
            .collect();
        assert_eq!(errors, [(line, column.to_owned())], "{body}");
    }
    assert!(eventday_store::planning::tasks::list(&app.db.store, id).await.expect("tasks").is_empty());

    let resp = upload(good.to_owned(), false).await.expect("import");
    assert_eq!(resp.status().as_u16(), 200);
    let tasks = eventday_store::planning::tasks::list(&app.db.store, id).await.expect("tasks");
    let seen: Vec<(&str, &str)> = tasks.iter().map(|t| (t.title.as_str(), t.status.as_str())).collect();
    assert_eq!(seen, [("召开筹备会", "done"), ("物资送达", "in_progress"), ("现场布置检查", "open")]);
    assert!(tasks[0].venue_id.is_none() && tasks[1].venue_id.is_some());
    // The same file again changes nothing.
    let body: serde_json::Value =
        upload(good.to_owned(), false).await.expect("again").json().await.expect("json");
    assert_eq!((body["created"].as_i64(), body["unchanged"].as_i64()), (Some(0), Some(3)), "{body}");

    let resp = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{id}/export/tasks.csv")))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status().as_u16(), 200);
    let text = String::from_utf8_lossy(&resp.bytes().await.expect("body")).into_owned();
    assert!(text.starts_with("\u{feff}阶段,事项,责任单位,责任人,会场,完成时限,状态,备注,佐证材料"), "{text}");
    assert!(text.contains("实施阶段,物资送达,区消协,xx,后湖分会场,2013-03-13,进行中"), "{text}");
    assert_eq!("tasks".parse::<Kind>(), Ok(Kind::Tasks), "a kind of the command line");
    app.stop().await;
}

#[tokio::test]
async fn the_planner_downloads_one_venues_booths_and_a_venue_is_refused_for_other_kinds() {
    let mut app = spawn_app().await;
    let id = load_demo(&app.db.store).await;
    app.act_as_organizer_of(id).await;
    let get = |path: String| app.client.get(app.url(&path)).send();
    let venues: Vec<serde_json::Value> =
        get(format!("/api/v1/campaigns/{id}/venues")).await.expect("venues").json().await.expect("json");
    let mut checked = 0;
    for v in &venues {
        let vid = v["id"].as_i64().expect("id");
        let booths: Vec<serde_json::Value> =
            get(format!("/api/v1/venues/{vid}/booths")).await.expect("booths").json().await.expect("json");
        let resp =
            get(format!("/api/v1/campaigns/{id}/export/booths.csv?venue={vid}")).await.expect("export");
        assert_eq!(resp.status().as_u16(), 200);
        let text = resp.text().await.expect("text");
        let rows: Vec<&str> = text.lines().skip(1).filter(|l| !l.is_empty()).collect();
        assert_eq!(rows.len(), booths.len(), "{}: {text}", v["name"]);
        let name = v["name"].as_str().expect("name");
        assert!(rows.iter().all(|r| r.contains(name)), "only {name}'s booths: {text}");
        checked += usize::from(!booths.is_empty());
        let resp = get(format!("/api/v1/campaigns/{id}/export/booths.xlsx?venue={vid}")).await.expect("xlsx");
        assert_eq!(resp.status().as_u16(), 200);
        assert_eq!(resp.headers()["content-type"], csv_io::XLSX_CONTENT_TYPE);
    }
    assert!(checked >= 2, "the demo has booths in several venues");

    let resp = get(format!("/api/v1/campaigns/{id}/export/booths.csv?venue=999999")).await.expect("export");
    assert_eq!(resp.status().as_u16(), 404, "a venue not in the campaign");
    let vid = venues[0]["id"].as_i64().expect("id");
    for bad in [format!("venues.csv?venue={vid}"), "booths.csv?venue=abc".to_owned()] {
        let resp = get(format!("/api/v1/campaigns/{id}/export/{bad}")).await.expect("export");
        assert_eq!(resp.status().as_u16(), 400, "{bad}");
        let err: serde_json::Value = resp.json().await.expect("json");
        assert!(err["error"]["fields"]["venue"].is_string(), "{err}");
    }
    app.stop().await;
}
