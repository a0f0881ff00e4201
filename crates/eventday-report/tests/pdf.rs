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
        "一、精心组织，周密部署".into(),
        "二、突出重点".into(),
        "五芳斋食品有限公司".into(),
        "三、活动组织情况".into(),
    ];
    expect.extend(d.venues.iter().map(|v| v.name.clone()));
    expect.push(eventday_report::fmt::count(d.totals.visitors));
    expect.extend(["与往年比较".into(), "下一步工作".into()]);
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
    use eventday_report::{RollupDistrict, RollupHeader, RollupItem, Totals, VenueRow, render_rollup};
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
                venue_count: 17,
                venues,
                ..Default::default()
            }
        })
        .collect();
    let grand = Totals { visitors: districts.iter().map(|d| d.totals.visitors).sum(), ..Default::default() };
    let header = RollupHeader {
        organization: "某省消委会".into(),
        year: 2013,
        top_n: 3,
        campaigns: 4,
        venues: 68,
        totals: grand,
        ..Default::default()
    };
    let items = districts
        .iter()
        .cloned()
        .map(RollupItem::District)
        .chain(districts.iter().cloned().map(RollupItem::Detail));
    let mut out = Vec::new();
    let r = render_rollup(
        &header,
        items,
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
        // Nothing recorded as money: no money column, no 0.00元.
        assert!(!txt.contains("挽回") && !txt.contains("0.00"), "{txt}");
        // The appendix comes after the signature.
        let sig = txt.rfind("某省消委会").expect("signature");
        assert!(
            txt.find("附件").is_some_and(|a| a > txt.find("接待人次前3名").unwrap_or(usize::MAX)),
            "{txt}"
        );
        assert!(sig < txt.find("区1会场16").unwrap_or(0), "{txt}");
    } else {
        println!("pdftotext is not installed; skipping the extraction check");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rollup_progress_is_reported_once_per_district_in_order() {
    use eventday_report::{RollupDistrict, RollupHeader, RollupItem, render_rollup_with_progress};
    let fonts = FontSet::bundled().expect("fonts");
    let district = |i: usize| RollupDistrict { name: format!("第{i}区"), ..Default::default() };
    let districts = (1..=7)
        .map(|i| RollupItem::District(district(i)))
        .chain((1..=7).map(|i| RollupItem::Detail(district(i))));
    let mut seen = Vec::new();
    let r = render_rollup_with_progress(
        &RollupHeader { organization: "某省消委会".into(), year: 2013, top_n: 3, ..Default::default() },
        districts,
        &RenderOptions { deterministic: true, ..Default::default() },
        &fonts,
        std::io::sink(),
        |n| seen.push(n),
    )
    .expect("rollup");
    assert_eq!(r.districts, 7);
    assert_eq!(seen, (1..=14).collect::<Vec<_>>());
}

#[test]
fn english_narrative_extracts_as_english_text() {
    let fonts = FontSet::bundled().expect("fonts");
    let d: ReportData =
        serde_json::from_str(include_str!("fixtures/demo-2013-en.json")).expect("English fixture parses");
    let out =
        render(&d, &RenderOptions { lang: Lang::En, style: Style::Gbt9704, deterministic: true }, &fonts)
            .expect("render");
    assert!(out.missing_chars.is_empty(), "{:?}", out.missing_chars);
    let dir = std::env::temp_dir().join(format!("eventday-report-en-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let pdf = dir.join("en.pdf");
    std::fs::write(&pdf, &out.pdf).expect("write");
    let Ok(o) = Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(&pdf).arg("-").output() else {
        println!("pdftotext is not installed; skipping the extraction check");
        return;
    };
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let txt = squeeze(&String::from_utf8_lossy(&o.stdout));
    for want in
        ["1. Organization and preparation", "Serving enterprises", "xx District Consumers' Association"]
    {
        assert!(txt.contains(&squeeze(want)), "{want} not in:\n{txt}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn characters_from_the_fallback_font_are_embedded_and_extract() {
    use eventday_report::layout::{Face, Metrics};
    let fonts = FontSet::bundled().expect("fonts");
    let Some(rare) = "堃喆昇珺𠀀龘".chars().find(|c| {
        fonts.advance(Face::SongRegular, *c).is_none() && fonts.advance(Face::Fallback, *c).is_some()
    }) else {
        println!("no fallback font installed (or Fandol has every candidate); skipping");
        return;
    };
    let mut d = demo();
    d.organization = format!("{rare}区消费者协会");
    let out =
        render(&d, &RenderOptions { lang: Lang::Zh, style: Style::Modern, deterministic: true }, &fonts)
            .expect("render");
    assert!(out.missing_chars.is_empty(), "{:?}", out.missing_chars);
    let dir = std::env::temp_dir().join(format!("eventday-report-fallback-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let pdf = dir.join("fallback.pdf");
    std::fs::write(&pdf, &out.pdf).expect("write");
    if let Ok(o) = Command::new("pdffonts").arg(&pdf).output() {
        let s = String::from_utf8_lossy(&o.stdout);
        assert!(s.contains("NOTOSC+"), "{s}");
    }
    if let Ok(o) = Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(&pdf).arg("-").output() {
        let txt = String::from_utf8_lossy(&o.stdout);
        assert!(txt.contains(&format!("{rare}区消费者协会")), "{txt}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The bytes of stream `dict_end..` (after "stream\n") inflated when the dictionary says FlateDecode.
fn stream_data(pdf: &[u8], at: usize) -> (String, Vec<u8>) {
    let dict_end = at + pdf[at..].windows(7).position(|w| w == b"stream\n").expect("stream");
    let dict = String::from_utf8_lossy(&pdf[at..dict_end]).into_owned();
    let len: usize = dict
        .split("/Length ")
        .nth(1)
        .expect("/Length")
        .split([' ', '>'])
        .next()
        .expect("n")
        .parse()
        .expect("length");
    let raw = &pdf[dict_end + 7..dict_end + 7 + len];
    let data = if dict.contains("/FlateDecode") {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(raw), &mut out).expect("inflate");
        out
    } else {
        raw.to_vec()
    };
    (dict, data)
}

/// Checks the cross-reference stream: every object at an offset starts "N 0 obj" there, every object
/// in an object stream is listed in that stream's header under its number, and startxref points at
/// the cross-reference stream itself.
fn check_xref(pdf: &[u8]) {
    let sx = pdf.windows(10).rposition(|w| w == b"startxref\n").expect("startxref");
    let tail = std::str::from_utf8(&pdf[sx + 10..]).expect("ASCII tail");
    let xref: usize = tail.lines().next().expect("offset").trim().parse().expect("number");
    let (dict, rows) = stream_data(pdf, xref);
    assert!(dict.contains("/Type /XRef") && dict.contains("/W [1 4 2]"), "{dict}");
    let size: usize =
        dict.split("/Size ").nth(1).expect("/Size").split(' ').next().expect("n").parse().expect("size");
    assert_eq!(rows.len(), size * 7, "one 7-byte row per object");
    let (mut direct, mut packed) = (0, 0);
    for (id, row) in rows.chunks(7).enumerate() {
        let a = u32::from_be_bytes([row[1], row[2], row[3], row[4]]) as usize;
        let b = u16::from_be_bytes([row[5], row[6]]) as usize;
        match row[0] {
            0 => {}
            1 => {
                assert!(pdf[a..].starts_with(format!("{id} 0 obj").as_bytes()), "object {id} is not at {a}");
                direct += 1;
            }
            2 => {
                let (stream_at, _) = (rows[a * 7], ());
                assert_eq!(stream_at, 1, "object stream {a} is itself at an offset");
                let off =
                    u32::from_be_bytes([rows[a * 7 + 1], rows[a * 7 + 2], rows[a * 7 + 3], rows[a * 7 + 4]]);
                let obj_head = off as usize + format!("{a} 0 obj\n").len();
                let (sdict, data) = stream_data(pdf, obj_head);
                assert!(sdict.contains("/Type /ObjStm"), "{sdict}");
                let head = String::from_utf8_lossy(&data);
                let listed: Vec<&str> = head.split(' ').collect();
                assert_eq!(
                    listed.get(2 * b).copied(),
                    Some(id.to_string().as_str()),
                    "object {id} in stream {a}"
                );
                packed += 1;
            }
            t => panic!("object {id}: row type {t}"),
        }
    }
    assert!(direct > 10, "only {direct} objects at offsets");
    assert!(packed > 10, "only {packed} objects in object streams");
}

#[test]
fn the_cross_reference_stream_points_at_every_object() {
    let fonts = FontSet::bundled().expect("fonts");
    for style in [Style::Modern, Style::Gbt9704] {
        let out = render(&demo(), &RenderOptions { lang: Lang::Zh, style, deterministic: true }, &fonts)
            .expect("render");
        check_xref(&out.pdf);
    }
}

#[test]
fn a_deterministic_rollup_is_byte_identical_and_well_formed() {
    use eventday_report::{RollupDistrict, RollupHeader, RollupItem, Totals, render_rollup};
    let fonts = FontSet::bundled().expect("fonts");
    let make = || {
        (0..40u64).map(|i| {
            RollupItem::District(RollupDistrict {
                name: format!("第{i}区"),
                parent: format!("第{}市", i / 7),
                totals: Totals { visitors: i * 37 % 101, ..Default::default() },
                ..Default::default()
            })
        })
    };
    let header =
        RollupHeader { organization: "某省消委会".into(), year: 2013, top_n: 5, ..Default::default() };
    let opts = RenderOptions { deterministic: true, ..Default::default() };
    let (mut a, mut b) = (Vec::new(), Vec::new());
    render_rollup(&header, make(), &opts, &fonts, &mut a).expect("rollup");
    render_rollup(&header, make(), &opts, &fonts, &mut b).expect("rollup");
    assert_eq!(a, b);
    check_xref(&a);
}

#[test]
fn hostile_data_renders_a_well_formed_pdf_with_boxes_for_missing_characters() {
    let fonts = FontSet::bundled().expect("fonts").without_fallback();
    let mut d = demo();
    d.organization = "xx区消费者协会😀".into();
    d.sections[0].paragraphs.push("消费维权，人人有责；😀 emoji。".repeat(400));
    d.totals.visitors = u64::MAX;
    d.totals.money_recovered_fen = i64::MIN;
    for style in [Style::Modern, Style::Gbt9704] {
        for lang in [Lang::Zh, Lang::En] {
            let out =
                render(&d, &RenderOptions { lang, style, deterministic: true }, &fonts).expect("render");
            assert!(out.missing_chars.contains(&'😀'), "{:?}", out.missing_chars);
            check_xref(&out.pdf);
            // Missing glyphs are stroked boxes drawn after the text; the content streams are deflated,
            // so check the page count instead of the operators.
            assert!(out.pages >= 7, "{style:?} {lang:?}: {} pages", out.pages);
        }
    }
}
