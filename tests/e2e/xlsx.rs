//! Workbooks: every kind exported as .xlsx imports back unchanged, GBK CSV and a workbook of
//! the same data give the same rows, oversize and zip-bomb uploads are refused and change
//! nothing, templates and the report's tables download.

use crate::csv::{empty_campaign, load_demo};
use crate::helpers::{TestDb, spawn_app};
use eventday_domain::csv::workbook::{MAX_UNCOMPRESSED, export_workbook};
use eventday_domain::csv::{Kind, Lang};
use eventday_store::csv_io::{self, Format, ImportOptions};
use eventday_store::demo::table_counts;

#[tokio::test]
async fn every_kind_exported_as_a_workbook_imports_back_as_unchanged() {
    let db = TestDb::new().await;
    let id = load_demo(&db.store).await;
    for kind in Kind::ALL {
        for lang in [Lang::Zh, Lang::En] {
            let book = csv_io::export_as(&db.store, id, *kind, lang, Format::Xlsx).await.expect("export");
            assert!(book.starts_with(b"PK\x03\x04"), "{kind}: a zip archive");
            let csv = csv_io::export(&db.store, id, *kind, lang).await.expect("csv");
            let rows = String::from_utf8_lossy(&csv).matches("\r\n").count().saturating_sub(1) as u64;
            let opts = ImportOptions { dry_run: true, ..ImportOptions::default() };
            let r = csv_io::import(&db.store, id, *kind, &book, opts).await.expect("import");
            assert!(r.errors.is_empty(), "{kind} {lang:?}: {:?}", r.errors);
            assert_eq!((r.created, r.updated), (0, 0), "{kind} {lang:?}: {r:?}");
            if !matches!(kind, Kind::Narrative | Kind::Tallies) {
                assert_eq!(r.unchanged, rows, "{kind} {lang:?}: every row unchanged");
            }
        }
    }
    db.cleanup().await;
}

#[tokio::test]
async fn a_gbk_csv_and_the_same_data_as_a_workbook_import_to_identical_rows() {
    let db = TestDb::new().await;
    let a = empty_campaign(&db.store, "编码协会甲").await;
    let b = empty_campaign(&db.store, "编码协会乙").await;
    let venues = "名称,类型,承办单位,地址,负责人,宽（米）,深（米）,开始时间,结束时间\n\
                  主会场,主会场,区消协,中山大道,xx,60,30,09:00,12:00\n";
    let text = "事项,完成时限,责任单位,会场,状态\n\
                印发活动方案,2013-03-01,区消协,主会场,已完成\n\
                布置主会场,2013-03-14,区市场监督管理局,主会场,未开始\n";
    let rows: Vec<Vec<String>> = vec![
        vec![
            "".into(),
            "印发活动方案".into(),
            "区消协".into(),
            "".into(),
            "主会场".into(),
            "2013-03-01".into(),
            "已完成".into(),
        ],
        vec![
            "".into(),
            "布置主会场".into(),
            "区市场监督管理局".into(),
            "".into(),
            "主会场".into(),
            "2013-03-14".into(),
            "未开始".into(),
        ],
    ];
    let book = export_workbook(Kind::Tasks, Lang::Zh, &rows).expect("workbook");
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    for (id, bytes) in [(a, gbk.into_owned()), (b, book)] {
        let r = csv_io::import(&db.store, id, Kind::Venues, venues.as_bytes(), ImportOptions::default())
            .await
            .expect("venues");
        assert!(r.errors.is_empty(), "{r:?}");
        let r = csv_io::import(&db.store, id, Kind::Tasks, &bytes, ImportOptions::default())
            .await
            .expect("tasks");
        assert_eq!((r.created, r.errors.len()), (2, 0), "{r:?}");
    }
    let out_a = csv_io::export(&db.store, a, Kind::Tasks, Lang::Zh).await.expect("a");
    let out_b = csv_io::export(&db.store, b, Kind::Tasks, Lang::Zh).await.expect("b");
    assert_eq!(String::from_utf8_lossy(&out_a), String::from_utf8_lossy(&out_b));
    assert!(String::from_utf8_lossy(&out_a).contains("2013-03-14"));
    db.cleanup().await;
}

/// A zip archive a few hundred KB long that inflates past the limit.
fn zip_bomb() -> Vec<u8> {
    use std::io::Write;
    let mut bomb = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().large_file(true);
    bomb.start_file("xl/worksheets/sheet1.xml", opts).expect("entry");
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..(MAX_UNCOMPRESSED >> 20) + 1 {
        bomb.write_all(&zeros).expect("write");
    }
    bomb.finish().expect("zip").into_inner()
}

#[tokio::test]
async fn oversize_and_zip_bomb_uploads_are_refused_and_change_nothing() {
    let mut app = spawn_app().await;
    let id = load_demo(&app.db.store).await;
    app.act_as_organizer_of(id).await;
    let before = table_counts(app.db.store.conn()).await.expect("counts");
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
        app.client.post(app.url(&format!("/api/v1/campaigns/{id}/import/venues"))).multipart(form).send()
    };
    // Named .csv on purpose: the content decides.
    let resp = upload(zip_bomb(), "venues.csv").await.expect("bomb");
    assert_eq!(resp.status().as_u16(), 422);
    let body: serde_json::Value = resp.json().await.expect("json");
    assert!(
        body["errors"][0]["message"].as_str().unwrap_or_default().contains("expands to more than"),
        "{body}"
    );
    let mut big = b"PK\x03\x04".to_vec();
    big.resize(50 * 1024 * 1024, 0);
    let resp = upload(big, "big.xlsx").await.expect("big");
    assert_eq!(resp.status().as_u16(), 413);
    assert_eq!(table_counts(app.db.store.conn()).await.expect("counts"), before);
    app.stop().await;
}

#[tokio::test]
async fn workbooks_download_and_a_workbook_upload_is_checked_then_imported() {
    let mut app = spawn_app().await;
    let id = empty_campaign(&app.db.store, "表格协会").await;
    app.act_as_organizer_of(id).await;
    let rows = vec![vec![
        "后湖分会场".to_owned(),
        String::new(),
        "分会场".into(),
        "区消协".into(),
        "后湖大道".into(),
        "xx".into(),
        "20".into(),
        "10".into(),
        "09:00".into(),
        "11:30".into(),
    ]];
    let book = export_workbook(Kind::Venues, Lang::Zh, &rows).expect("workbook");
    for dry in [true, false] {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(book.clone()).file_name("x.bin"));
        let resp = app
            .client
            .post(app.url(&format!("/api/v1/campaigns/{id}/import/venues?dry_run={dry}")))
            .multipart(form)
            .send()
            .await
            .expect("upload");
        assert_eq!(resp.status().as_u16(), 200);
        let body: serde_json::Value = resp.json().await.expect("json");
        assert_eq!(body["created"], 1, "{body}");
    }
    for path in [
        format!("/api/v1/campaigns/{id}/export/venues.xlsx"),
        format!("/api/v1/campaigns/{id}/report.xlsx?lang=en"),
        "/api/v1/export/template/disputes.xlsx".to_owned(),
    ] {
        let resp = app.client.get(app.url(&path)).send().await.expect("get");
        assert_eq!(resp.status().as_u16(), 200, "{path}");
        assert_eq!(resp.headers()["content-type"], csv_io::XLSX_CONTENT_TYPE, "{path}");
        assert!(resp.bytes().await.expect("body").starts_with(b"PK\x03\x04"), "{path}");
    }
    let bad = eventday_domain::csv::workbook::template_workbook(Kind::Venues, Lang::Zh).expect("template");
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(bad).file_name("t.xlsx"));
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/campaigns/{id}/import/booths?dry_run=true")))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status().as_u16(), 422);
    let body: serde_json::Value = resp.json().await.expect("json");
    assert!(body["errors"][0]["cell"].as_str().unwrap_or_default().starts_with("会场!"), "{body}");
    app.stop().await;
}
