//! The summary report over HTTP and from the command line, filled from the logged figures.

use crate::helpers::{client_with_token, spawn_app, user_with_token};
use eventday_domain::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::process::Command;

fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).ok()?;
    let out = Command::new("pdftotext").args(["-layout"]).arg(&path).arg("-").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::test]
async fn the_report_pdf_carries_the_logged_figures_and_every_venue() {
    let mut app = spawn_app().await;
    let id = eventday::load_demo(&app.db.store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(id).await;
    let summary = eventday_store::queries::campaign_summary(&app.db.store, id).await.expect("summary");

    let resp =
        app.client.get(app.url(&format!("/api/v1/campaigns/{id}/report.pdf"))).send().await.expect("get");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let pdf = resp.bytes().await.expect("body");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");

    match pdftotext(&pdf) {
        None => println!("pdftotext is not installed: checked the PDF header only"),
        Some(text) => {
            let flat: String = text.split_whitespace().collect();
            assert!(flat.contains("xx区消费者协会2013年“3·15”活动总结"), "title missing");
            for v in &summary.totals.per_venue {
                let name: String = v.name.split_whitespace().collect();
                assert!(flat.contains(&name), "venue {} missing", v.name);
            }
            let visitors = summary.totals.figures.visitors;
            let grouped = format!("{},{:03}", visitors / 1000, visitors % 1000);
            assert!(
                flat.contains(&grouped) || flat.contains(&visitors.to_string()),
                "visitor total {visitors} missing"
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn report_options_are_checked_and_unknown_campaigns_are_404() {
    let mut app = spawn_app().await;
    let id = eventday::load_demo(&app.db.store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(id).await;
    let (status, body) =
        app.get_json(&format!("/api/v1/campaigns/{id}/report.pdf?lang=fr&style=fancy")).await;
    assert_eq!(status, 422);
    assert!(
        body["error"]["fields"]["lang"].is_string() && body["error"]["fields"]["style"].is_string(),
        "{body}"
    );
    let (status, _) = app.get_json("/api/v1/campaigns/4242/report.pdf").await;
    assert_eq!(status, 404);

    let en = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{id}/report.pdf?lang=en&style=gbt9704")))
        .send()
        .await
        .expect("get");
    assert_eq!(en.status().as_u16(), 200);
    if let Some(text) = pdftotext(&en.bytes().await.expect("body")) {
        assert!(text.contains("Campaign Summary") || text.contains("Summary"), "English title missing");
    }
    app.stop().await;
}

#[test]
fn the_report_command_writes_identical_bytes_with_deterministic() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("r.db").display());
    let bin = env!("CARGO_BIN_EXE_eventday");
    let ok = Command::new(bin).args(["demo", "--database-url", &url]).output().expect("demo");
    assert!(ok.status.success());
    let mut outputs = Vec::new();
    for n in 0..2 {
        let out = dir.path().join(format!("r{n}.pdf"));
        let run = Command::new(bin)
            .args([
                "report",
                "--campaign",
                "1",
                "--deterministic",
                "--style",
                "gbt9704",
                "--database-url",
                &url,
            ])
            .arg("--out")
            .arg(&out)
            .output()
            .expect("report");
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        outputs.push(std::fs::read(&out).expect("pdf"));
    }
    assert!(outputs[0].len() > 10_000);
    assert_eq!(outputs[0], outputs[1], "deterministic output differs");
}

#[tokio::test]
async fn report_settings_default_save_with_audit_refuse_bad_fields_and_reach_the_report() {
    let mut app = spawn_app().await;
    let id = eventday::load_demo(&app.db.store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(id).await;
    let path = format!("/api/v1/campaigns/{id}/report-settings");
    let (status, body) = app.get_json(&path).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["settings"]["title"], "");
    assert_eq!(body["default_title"], "xx区消费者协会2013年“3·15”活动总结");
    assert_eq!(body["default_issuer"], "xx区消费者协会");
    assert_eq!(body["default_report_date"], "2013-03-15");

    // A bad field: 422 naming it, nothing saved.
    let long = "长".repeat(201);
    let resp =
        app.client.put(app.url(&path)).json(&serde_json::json!({ "title": long })).send().await.expect("put");
    assert_eq!(resp.status().as_u16(), 422);
    let err: serde_json::Value = resp.json().await.expect("json");
    assert!(err["error"]["fields"]["title"].is_string(), "{err}");
    assert_eq!(app.get_json(&path).await.1["settings"]["title"], "");

    let want = serde_json::json!({
        "title": "关于2013年“3·15”活动情况的报告", "subtitle": "", "issuer": "xx区工商行政管理分局",
        "report_date": "2013-03-20", "addressee": "武汉市消费者协会", "copy_to": "区委办公室"
    });
    for _ in 0..2 {
        let resp = app.client.put(app.url(&path)).json(&want).send().await.expect("put");
        assert_eq!(resp.status().as_u16(), 200);
    }
    let (_, body) = app.get_json(&path).await;
    assert_eq!(body["settings"], want);
    let audited = eventday_store::entities::audit_event::Entity::find()
        .filter(eventday_store::entities::audit_event::Column::Entity.eq("report_settings"))
        .all(app.db.store.conn())
        .await
        .expect("audit");
    assert_eq!(audited.len(), 2, "one audit event per write");

    // Readers read, only organizers write.
    let org = eventday_store::entities::campaign::Entity::find_by_id(id)
        .one(app.db.store.conn())
        .await
        .expect("query")
        .expect("campaign")
        .organization_id;
    let viewer = client_with_token(
        &user_with_token(&app.db.store, "report-viewer", Role::Viewer, Some(org), vec![]).await,
    );
    assert_eq!(viewer.get(app.url(&path)).send().await.expect("get").status().as_u16(), 200);
    assert_eq!(viewer.put(app.url(&path)).json(&want).send().await.expect("put").status().as_u16(), 403);

    let data =
        eventday_store::report_data::campaign_report_data(&app.db.store, id, eventday_domain::Lang::Zh)
            .await
            .expect("data");
    assert_eq!(data.settings.issuer, "xx区工商行政管理分局");
    assert_eq!(data.settings.report_date, chrono::NaiveDate::from_ymd_opt(2013, 3, 20));
    app.stop().await;
}

#[tokio::test]
async fn the_demo_report_data_counts_units_without_the_organizer_and_speaks_english_in_english() {
    let app = spawn_app().await;
    let id = eventday::load_demo(&app.db.store).await.expect("demo").campaign_id();
    let zh = eventday_store::report_data::campaign_report_data(&app.db.store, id, eventday_domain::Lang::Zh)
        .await
        .expect("zh");
    let names: Vec<&String> = zh.units.iter().flat_map(|g| &g.names).collect();
    assert!(!names.iter().any(|n| n.as_str() == "xx区消费者协会"), "the organizer counted as a participant");
    assert_eq!(zh.totals.units, names.len() as u64);
    assert!(zh.totals.money_recorded, "the demo records money recovered");
    let class_of = |name: &str| zh.units.iter().find(|g| g.names.iter().any(|n| n == name)).map(|g| g.class);
    assert_eq!(class_of("后湖街道办事处"), Some(Some(eventday_report::AgencyClass::StreetOffice)));
    assert_eq!(class_of("xx区人民代表大会常务委员会"), Some(Some(eventday_report::AgencyClass::Leadership)));
    assert_eq!(class_of("xx区工商分局"), Some(None));

    let en = eventday_store::report_data::campaign_report_data(&app.db.store, id, eventday_domain::Lang::En)
        .await
        .expect("en");
    let cjk = |s: &str| s.chars().any(|c| ('\u{3400}'..='\u{9fff}').contains(&c));
    assert_eq!(en.organization, "xx District Consumers' Association");
    assert!(en.venues.iter().all(|v| !cjk(&v.name) && !cjk(&v.host_unit)), "{:?}", en.venues);
    assert!(en.materials.iter().all(|m| !cjk(&m.name)));
    assert!(en.units.iter().flat_map(|g| &g.names).all(|n| !cjk(n)));
    assert!(!en.narrative_only_in_other_language && !en.sections.is_empty());

    let pdf = eventday_store::report_data::render_campaign(
        &app.db.store,
        id,
        eventday_report::RenderOptions { lang: eventday_domain::Lang::En, ..Default::default() },
    )
    .await
    .expect("render");
    if let Some(text) = pdftotext(&pdf.pdf) {
        let title = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        assert!(!cjk(title), "Chinese in the English title: {title}");
        for l in text.lines().map(str::trim) {
            let heading = l.split_once(". ").is_some_and(|(n, _)| n.parse::<u32>().is_ok())
                || (l.starts_with('(') && l.chars().nth(2) == Some(')'));
            if heading {
                assert!(!cjk(l), "Chinese in an English heading: {l}");
            }
        }
    }
    app.stop().await;
}

/// `word/document.xml` of a DOCX, inflated (read through the ZIP's central directory).
fn docx_document(bytes: &[u8]) -> String {
    let u16_at = |i: usize| usize::from(u16::from_le_bytes([bytes[i], bytes[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize;
    let end = bytes.len() - 22;
    let mut at = u32_at(end + 16);
    for _ in 0..u16_at(end + 10) {
        let name_len = u16_at(at + 28);
        let name = &bytes[at + 46..at + 46 + name_len];
        if name == b"word/document.xml" {
            let local = u32_at(at + 42);
            let data = local + 30 + u16_at(local + 26) + u16_at(local + 28);
            let mut plain = Vec::with_capacity(u32_at(at + 24) + 16);
            flate2::Decompress::new(false)
                .decompress_vec(&bytes[data..], &mut plain, flate2::FlushDecompress::Finish)
                .expect("inflate");
            return String::from_utf8(plain).expect("utf-8");
        }
        at += 46 + name_len + u16_at(at + 30) + u16_at(at + 32);
    }
    panic!("no word/document.xml in the package");
}

#[tokio::test]
async fn the_report_docx_carries_the_logged_figures_and_checks_its_options() {
    let mut app = spawn_app().await;
    let id = eventday::load_demo(&app.db.store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(id).await;
    let summary = eventday_store::queries::campaign_summary(&app.db.store, id).await.expect("summary");

    let resp =
        app.client.get(app.url(&format!("/api/v1/campaigns/{id}/report.docx"))).send().await.expect("get");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let disposition = resp.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    assert!(disposition.contains(&format!("campaign-{id}-report.docx")), "{disposition}");
    let docx = resp.bytes().await.expect("body");
    assert!(docx.starts_with(b"PK\x03\x04"), "not a ZIP package");
    let xml = docx_document(&docx);
    assert!(xml.contains("xx区消费者协会2013年“3·15”活动总结"), "title missing");
    for v in &summary.totals.per_venue {
        assert!(xml.contains(&v.name), "venue {} missing", v.name);
    }
    let visitors = summary.totals.figures.visitors;
    assert!(xml.contains(&format!("{},{:03}", visitors / 1000, visitors % 1000)), "visitor total missing");

    // English, GB/T 9704: the official page grid, English words.
    let en = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{id}/report.docx?lang=en&style=gbt9704")))
        .send()
        .await
        .expect("get");
    assert_eq!(en.status().as_u16(), 200);
    let xml = docx_document(&en.bytes().await.expect("body"));
    assert!(
        xml.contains("w:type=\"linesAndChars\"") && xml.contains("Summary"),
        "English GB/T 9704 document"
    );

    let (status, body) =
        app.get_json(&format!("/api/v1/campaigns/{id}/report.docx?lang=fr&style=fancy")).await;
    assert_eq!(status, 422);
    assert!(
        body["error"]["fields"]["lang"].is_string() && body["error"]["fields"]["style"].is_string(),
        "{body}"
    );
    let (status, _) = app.get_json("/api/v1/campaigns/4242/report.docx").await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[test]
fn the_report_command_writes_word_documents_of_a_campaign_and_of_a_rollup() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("r.db").display());
    let bin = env!("CARGO_BIN_EXE_eventday");
    let ok = Command::new(bin).args(["demo", "--database-url", &url]).output().expect("demo");
    assert!(ok.status.success());
    let run = |extra: &[&str], out: &std::path::Path| {
        let run = Command::new(bin)
            .args(["report", "--format", "docx", "--deterministic", "--database-url", &url])
            .args(extra)
            .arg("--out")
            .arg(out)
            .output()
            .expect("report");
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        std::fs::read(out).expect("docx")
    };
    let a = run(&["--campaign", "1"], &dir.path().join("a.docx"));
    let b = run(&["--campaign", "1"], &dir.path().join("b.docx"));
    assert!(a.starts_with(b"PK\x03\x04"));
    assert_eq!(a, b, "deterministic output differs");
    assert!(docx_document(&a).contains("二七航天双城"));
    let rollup = run(&["--rollup", "--org", "1", "--year", "2013"], &dir.path().join("r.docx"));
    let xml = docx_document(&rollup);
    assert!(xml.contains("2013年“3·15”活动情况汇总") && xml.contains("<w:tblHeader/>"), "roll-up");
}
