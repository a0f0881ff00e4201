//! Renders a ReportData JSON file: `cargo run -p eventday-report --example render -- IN.json OUT.pdf [zh|en] [modern|gbt9704]`
//! (OUT.docx: a Word document).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let input = args.get(1).ok_or("usage: render IN.json OUT.pdf [lang] [style]")?;
    let output = args.get(2).ok_or("usage: render IN.json OUT.pdf [lang] [style]")?;
    let lang = args.get(3).map_or(Ok(eventday_report::Lang::Zh), |s| eventday_report::parse_lang(s))?;
    let style = args.get(4).map_or(Ok(eventday_report::Style::Modern), |s| s.parse())?;
    let data: eventday_report::ReportData = serde_json::from_str(&std::fs::read_to_string(input)?)?;
    let opts = eventday_report::RenderOptions { lang, style, deterministic: true };
    if output.ends_with(".docx") {
        let t = std::time::Instant::now();
        let docx = eventday_report::render_docx(&data, &opts)?;
        eprintln!("{} bytes, {:?}", docx.len(), t.elapsed());
        std::fs::write(output, &docx)?;
        return Ok(());
    }
    let fonts = eventday_report::FontSet::bundled()?;
    let t = std::time::Instant::now();
    let out = eventday_report::render(
        &data,
        &eventday_report::RenderOptions { lang, style, deterministic: true },
        &fonts,
    )?;
    eprintln!(
        "{} pages, {} bytes, {:?}, missing {:?}",
        out.pages,
        out.pdf.len(),
        t.elapsed(),
        out.missing_chars
    );
    std::fs::write(output, &out.pdf)?;
    Ok(())
}
