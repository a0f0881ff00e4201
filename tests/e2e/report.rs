//! The summary report over HTTP and from the command line, filled from the logged figures.

use crate::helpers::spawn_app;
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
