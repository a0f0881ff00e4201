//! PDF-level tests: determinism, metadata, and the text a reader extracts.
#![allow(clippy::expect_used, reason = "tests")]

use std::process::Command;

use eventday_report::{FontSet, Lang, RenderOptions, ReportData, Style, render};

fn demo() -> ReportData {
    serde_json::from_str(include_str!("fixtures/demo-2013.json")).expect("fixture parses")
}

#[test]
fn deterministic_output_is_byte_identical() {
    let fonts = FontSet::bundled().expect("fonts");
    let opts = RenderOptions { lang: Lang::Zh, style: Style::Gbt9704, deterministic: true };
    let a = render(&demo(), &opts, &fonts).expect("render");
    let b = render(&demo(), &opts, &fonts).expect("render");
    assert!(a.pdf.starts_with(b"%PDF-"));
    assert_eq!(a.pdf, b.pdf);
    assert!(a.missing_chars.is_empty(), "{:?}", a.missing_chars);
}

#[test]
fn pdftotext_shows_venues_figures_and_headings_in_order() {
    let fonts = FontSet::bundled().expect("fonts");
    let d = demo();
    let out =
        render(&d, &RenderOptions { lang: Lang::Zh, style: Style::Modern, deterministic: true }, &fonts)
            .expect("render");
    let dir = std::env::temp_dir().join(format!("eventday-report-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let pdf = dir.join("demo.pdf");
    std::fs::write(&pdf, &out.pdf).expect("write");
    let txt = match Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(&pdf).arg("-").output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).replace([' ', '\n', '\u{c}'], ""),
        _ => {
            println!("pdftotext is not installed; skipping the extraction check");
            return;
        }
    };
    let mut at = 0;
    let mut expect = vec![
        "xx区消费者协会2013年“3·15”活动总结".to_string(),
        "一、突出服务企业".into(),
        "二、突出和谐消费".into(),
        "活动组织情况".into(),
        "五芳斋食品有限公司".into(),
        "活动成效".into(),
    ];
    expect.extend(d.venues.iter().map(|v| v.name.clone()));
    expect.push(eventday_report::fmt::count(d.totals.visitors));
    expect.extend(["与往年比较".into(), "创历史新高".into(), "下一步工作".into()]);
    for e in expect {
        let e = e.replace(' ', "");
        match txt[at..].find(&e) {
            Some(i) => at += i + e.len(),
            None => panic!("{e} not found after position {at} in:\n{txt}"),
        }
    }
    let fonts_out = Command::new("pdffonts").arg(&pdf).output();
    if let Ok(o) = fonts_out {
        let s = String::from_utf8_lossy(&o.stdout);
        for line in s.lines().skip(2) {
            assert!(line.contains('+') && line.contains(" yes yes "), "not an embedded subset: {line}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_rollup_streams_every_district_and_venue_with_totals() {
    use eventday_report::{RollupDistrict, RollupHeader, Totals, VenueRow, render_rollup};
    let fonts = FontSet::bundled().expect("fonts");
    let districts: Vec<RollupDistrict> = (1..=4)
        .map(|i| {
            let venues: Vec<VenueRow> = (0..17)
                .map(|k| VenueRow {
                    name: format!("区{i}会场{k}"), visitors: 10 * k, ..Default::default()
                })
                .collect();
            let visitors = venues.iter().map(|v| v.visitors).sum();
            RollupDistrict {
                name: format!("第{i}区"),
                parent: "某市".into(),
                totals: Totals { visitors, ..Default::default() },
                venues,
            }
        })
        .collect();
    let header = RollupHeader { organization: "某省消委会".into(), year: 2013, top_n: 3 };
    let mut out = Vec::new();
    let r = render_rollup(
        &header,
        districts.into_iter(),
        &RenderOptions { deterministic: true, ..Default::default() },
        &fonts,
        &mut out,
    )
    .expect("rollup");
    assert_eq!(r.districts, 4);
    assert_eq!(r.bytes as usize, out.len());
    assert!(out.starts_with(b"%PDF-") && r.pages >= 2);
    let dir = std::env::temp_dir().join(format!("eventday-rollup-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let pdf = dir.join("rollup.pdf");
    std::fs::write(&pdf, &out).expect("write");
    if let Ok(o) = Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(&pdf).arg("-").output() {
        let txt = String::from_utf8_lossy(&o.stdout).replace([' ', '\n', '\u{c}'], "");
        for i in 1..=4 {
            assert!(txt.contains(&format!("第{i}区")), "{txt}");
            assert!(txt.contains(&format!("区{i}会场16")));
        }
        // Grand total of visitors: 4 districts x (10 x (0 + 1 + ... + 16)).
        assert!(txt.contains("5,440"), "{txt}");
        assert!(txt.contains("接待人次前3名"));
    } else {
        println!("pdftotext is not installed; skipping the extraction check");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
