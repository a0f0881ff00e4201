//! Report benchmark: `cargo bench -p eventday-report`.
//!
//! Renders the 2013 demo report (both styles) and synthetic roll-ups of 100 and 3,000 districts
//! (17 venues each, deterministic), as PDF and as Word (`docx-*`), each case in its own child process so that peak memory (VmHWM) is
//! the case's own. Prints wall time, peak RSS and file size.

use std::io::Write;
use std::process::Command;
use std::time::Instant;

use eventday_report::{
    FontSet, Lang, RenderOptions, ReportData, RollupDistrict, RollupHeader, RollupItem, Style, Totals,
    VenueKind, VenueRow, render, render_docx, render_rollup, render_rollup_docx,
};

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// A deterministic district: 1 main + 16 sub-venues with figures from a small LCG.
fn district(i: usize) -> RollupDistrict {
    let mut x = (i as u64).wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = |m: u64| {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let mut totals = Totals::default();
    let venues: Vec<VenueRow> = (0..17)
        .map(|k| {
            let v = VenueRow {
                name: if k == 0 {
                    format!("第{i}区主会场")
                } else {
                    format!("第{k}分会场（{}街道）", ["后湖", "四唯", "球场", "岱山", "大智", "一元"][k % 6])
                },
                kind: if k == 0 { VenueKind::Main } else { VenueKind::Sub },
                host_unit: format!("第{k}街道办事处"),
                visitors: 200 + next(3000),
                consultations: 50 + next(800),
                complaints_received: next(40),
                complaints_settled: next(20),
                money_recovered_fen: next(2_000_000) as i64,
                log_entries: 1 + next(5),
                accepted: next(10) != 0,
                money_recorded: true,
            };
            totals.visitors += v.visitors;
            totals.consultations += v.consultations;
            totals.complaints_received += v.complaints_received;
            totals.complaints_settled += v.complaints_settled;
            totals.money_recovered_fen += v.money_recovered_fen;
            totals.log_entries += v.log_entries;
            v
        })
        .collect();
    let venues_unaccepted = venues.iter().filter(|v| !v.accepted).count() as u64;
    RollupDistrict {
        name: format!("第{}市第{i}区消费者协会", i / 13 + 1),
        parent: format!("第{}市消费者协会", i / 13 + 1),
        totals,
        venue_count: 17,
        venues_unaccepted,
        venues,
    }
}

/// CPU time of this (single-threaded) process so far, in ms: robust against other load on the machine.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e6)
}

/// The header of a synthetic roll-up of `n` districts, its totals summed in a first pass as the
/// store's totals query gives them.
fn rollup_header(n: usize) -> RollupHeader {
    let mut totals = Totals::default();
    let mut unaccepted = 0;
    for d in (0..n).map(district) {
        totals.visitors += d.totals.visitors;
        totals.consultations += d.totals.consultations;
        totals.complaints_received += d.totals.complaints_received;
        totals.complaints_settled += d.totals.complaints_settled;
        totals.money_recovered_fen += d.totals.money_recovered_fen;
        unaccepted += d.venues_unaccepted;
    }
    RollupHeader {
        organization: "湖北省消费者委员会".into(),
        year: 2013,
        top_n: 10,
        districts_expected: n as u64,
        districts_reporting: n as u64,
        campaigns: n as u64,
        venues: 17 * n as u64,
        venues_unaccepted: unaccepted,
        money_recorded: true,
        totals,
        previous: None,
        date: chrono::NaiveDate::from_ymd_opt(2013, 3, 20),
        accepted_only: false,
    }
}

/// The district table's pass (sums only), then the appendix's (with venues).
fn rollup_items(n: usize) -> impl Iterator<Item = RollupItem> {
    let table = (0..n).map(|i| RollupItem::District(RollupDistrict { venues: Vec::new(), ..district(i) }));
    table.chain((0..n).map(|i| RollupItem::Detail(district(i))))
}

/// The Word cases: no fonts (Word sets the text), so only the document's own work is measured.
fn run_docx_case(case: &str) -> Result<(), Box<dyn std::error::Error>> {
    let (t, c) = (Instant::now(), cpu_ms());
    let mut again = String::new();
    let (bytes, first, first_cpu) = if let Some(style) = case.strip_prefix("docx-demo-") {
        let data: ReportData = serde_json::from_str(include_str!("../tests/fixtures/demo-2013.json"))?;
        let opts = RenderOptions { lang: Lang::Zh, style: style.parse()?, deterministic: true };
        let out = render_docx(&data, &opts)?;
        let (first, first_cpu) = (t.elapsed(), cpu_ms() - c);
        std::fs::write(std::env::temp_dir().join(format!("eventday-bench-{case}.docx")), &out)?;
        let (tw, cw) = (Instant::now(), cpu_ms());
        let second = render_docx(&data, &opts)?;
        again = format!(
            "; again {:.1} ms (cpu {:.1} ms){}",
            tw.elapsed().as_secs_f64() * 1e3,
            cpu_ms() - cw,
            if second == out { "" } else { " DIFFERENT BYTES" }
        );
        (out.len() as u64, first, first_cpu)
    } else {
        let n: usize = case.trim_start_matches("docx-rollup-").parse()?;
        let path = std::env::temp_dir().join(format!("eventday-bench-{case}.docx"));
        let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let opts = RenderOptions { deterministic: true, ..Default::default() };
        let bytes = render_rollup_docx(&rollup_header(n), rollup_items(n), &opts, file, |_| {})?.bytes;
        (bytes, t.elapsed(), cpu_ms() - c)
    };
    println!(
        "{case:<18} render {:>7.1} ms (cpu {:>7.1} ms){again}  peak {:>6.1} MB  {:>8.1} KB",
        first.as_secs_f64() * 1e3,
        first_cpu,
        peak_rss_kb() as f64 / 1024.0,
        bytes as f64 / 1024.0
    );
    std::io::stdout().flush()?;
    Ok(())
}

fn run_case(case: &str) -> Result<(), Box<dyn std::error::Error>> {
    if case.starts_with("docx-") {
        return run_docx_case(case);
    }
    let t0 = Instant::now();
    let fonts = FontSet::bundled()?;
    let t_fonts = t0.elapsed();
    let t1 = Instant::now();
    let c1 = cpu_ms();
    let mut warm = None;
    let (bytes, pages) = match case {
        "demo-modern" | "demo-gbt9704" => {
            let data: ReportData = serde_json::from_str(include_str!("../tests/fixtures/demo-2013.json"))?;
            let style = if case == "demo-modern" { Style::Modern } else { Style::Gbt9704 };
            let out = render(&data, &RenderOptions { lang: Lang::Zh, style, deterministic: true }, &fonts)?;
            std::fs::write(std::env::temp_dir().join(format!("eventday-bench-{case}.pdf")), &out.pdf)?;
            // A server keeps its FontSet: the second render is the steady state.
            let (tw, cw) = (Instant::now(), cpu_ms());
            let again = render(&data, &RenderOptions { lang: Lang::Zh, style, deterministic: true }, &fonts)?;
            warm = Some((tw.elapsed().as_secs_f64() * 1e3, cpu_ms() - cw, again.pdf == out.pdf));
            (out.pdf.len() as u64, out.pages)
        }
        _ => {
            let n: usize = case.trim_start_matches("rollup-").parse()?;
            let path = std::env::temp_dir().join(format!("eventday-bench-{case}.pdf"));
            let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
            let out = render_rollup(
                &rollup_header(n),
                rollup_items(n),
                &RenderOptions { deterministic: true, ..Default::default() },
                &fonts,
                file,
            )?;
            (out.bytes, out.pages)
        }
    };
    let render_t = t1.elapsed()
        - warm.map_or(std::time::Duration::ZERO, |w: (f64, f64, bool)| {
            std::time::Duration::from_secs_f64(w.0 / 1e3)
        });
    let render_cpu = cpu_ms() - c1 - warm.map_or(0.0, |w| w.1);
    println!(
        "{case:<13} fonts {:>5.1} ms + render {:>7.1} ms (cpu {:>7.1} ms){}  peak {:>6.1} MB  {:>7.1} KB  {pages} pages",
        t_fonts.as_secs_f64() * 1e3,
        render_t.as_secs_f64() * 1e3,
        render_cpu,
        warm.map_or(String::new(), |(w, c, same)| format!(
            "; again {w:.1} ms (cpu {c:.1} ms){}",
            if same { "" } else { " DIFFERENT BYTES" }
        )),
        peak_rss_kb() as f64 / 1024.0,
        bytes as f64 / 1024.0
    );
    std::io::stdout().flush()?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--case") {
        let case = args.get(i + 1).ok_or("--case NAME")?;
        return run_case(case);
    }
    let filter = args.iter().skip(1).find(|a| !a.starts_with("--")).cloned();
    let exe = std::env::current_exe()?;
    println!(
        "eventday-report bench (each case in a fresh process; fonts is the time to open the bundled set, whose faces are read in place on first use inside render; cpu = this process's CPU time)"
    );
    for case in [
        "demo-modern",
        "demo-gbt9704",
        "rollup-100",
        "rollup-3000",
        "docx-demo-modern",
        "docx-demo-gbt9704",
        "docx-rollup-100",
        "docx-rollup-3000",
    ] {
        if filter.as_ref().is_some_and(|f| !case.contains(f.as_str())) {
            continue;
        }
        let st = Command::new(&exe).arg("--case").arg(case).status()?;
        if !st.success() {
            eprintln!("{case} failed: {st}");
        }
    }
    Ok(())
}
