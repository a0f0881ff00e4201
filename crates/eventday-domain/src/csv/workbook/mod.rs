//! Workbooks (.xlsx, and .xls for reading) with the same columns as the CSV files.
//!
//! Reading turns a workbook's first worksheet into the very [`Table`](super::Table) a CSV file
//! becomes (cell values as the text a CSV would hold), so the rows meet the same checks; errors
//! then also name the sheet and cell (`Sheet1!C5`). Formulas give their cached values (nothing
//! is evaluated), merged cells and hidden sheets are refused with a message saying so, dates
//! may be real dates, Excel serial numbers or text. A zip archive is measured from its central
//! directory (entry count and uncompressed sizes) and inflated once into a counter before the
//! spreadsheet reader opens it, so a zip bomb is refused without being expanded in memory.
//!
//! Writing gives each kind's file as a workbook (numbers as numbers, dates as dates, a frozen
//! header row, columns fitted with CJK characters counted double), a blank template per kind
//! with a notes sheet listing the allowed values, and any set of plain tables (the report's).

mod read;
mod types;
mod write;

pub use read::{MAX_ENTRIES, MAX_UNCOMPRESSED, is_workbook, read_table};
pub use types::{CellType, allowed_values, cell_type};
pub use write::{Sheet, XCell, export_workbook, template_workbook, text_width, write_workbook};

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the workbook: {0}")]
pub struct WorkbookError(pub String);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv::{Kind, Lang, UnitRow, parse_rows};
    use rust_xlsxwriter::{Format, Formula, Workbook};

    fn book(f: impl FnOnce(&mut Workbook)) -> Vec<u8> {
        let mut b = Workbook::new();
        f(&mut b);
        b.save_to_buffer().unwrap_or_default()
    }

    fn units_sheet(b: &mut Workbook) -> &mut rust_xlsxwriter::Worksheet {
        let ws = b.add_worksheet();
        for (c, h) in ["名称", "类型", "联系方式"].iter().enumerate() {
            let _ = ws.write_string(0, c as u16, *h);
        }
        ws
    }

    #[test]
    fn an_exported_workbook_reads_back_as_the_same_cells() {
        let rows = vec![vec![
            "后湖分会场".to_owned(),
            String::new(),
            "分会场".to_owned(),
            "区消协".to_owned(),
            String::new(),
            "xx".to_owned(),
            "20.5".to_owned(),
            "10".to_owned(),
            "09:00".to_owned(),
            "11:30".to_owned(),
            "广场".to_owned(),
        ]];
        let bytes = export_workbook(Kind::Venues, Lang::Zh, &rows).unwrap_or_default();
        assert!(is_workbook(&bytes));
        let table = read_table(Kind::Venues, &bytes).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(table.rows.len(), 1);
        let (line, cells) = &table.rows[0];
        assert_eq!(*line, 2);
        let mut want = rows[0].clone();
        while want.last().is_some_and(String::is_empty) {
            want.pop();
        }
        assert_eq!(cells, &want);
    }

    #[test]
    fn formulas_give_their_cached_values_and_errors_name_sheet_and_cell() {
        let bytes = book(|b| {
            let ws = units_sheet(b);
            let _ = ws.write_string(1, 0, "后湖工商所");
            let _ = ws.write_formula(1, 1, Formula::new("=\"职能\"&\"部门\"").set_result("职能部门"));
            let _ = ws.write_formula(1, 2, Formula::new("=1+2").set_result("3"));
            let _ = ws.write_string(2, 0, "某企业");
            let _ = ws.write_string(2, 1, "不存在的类型");
        });
        let errors = parse_rows::<UnitRow>(&bytes).err().unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].cell.as_deref(), Some("Sheet1!B3"), "{errors:?}");
        assert_eq!(errors[0].line, 3);
        let bytes = book(|b| {
            let ws = units_sheet(b);
            let _ = ws.write_string(1, 0, "后湖工商所");
            let _ = ws.write_formula(1, 1, Formula::new("=\"企业\"").set_result("企业"));
            let _ = ws.write_formula(1, 2, Formula::new("=1+2").set_result("3"));
        });
        let (rows, _) = parse_rows::<UnitRow>(&bytes).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows[0].1.contact.as_deref(), Some("3"));
        assert_eq!(rows[0].1.kind, crate::UnitKind::Enterprise);
    }

    #[test]
    fn merged_cells_and_hidden_sheets_are_refused_with_a_clear_message() {
        let merged = book(|b| {
            let ws = units_sheet(b);
            let _ = ws.merge_range(1, 0, 2, 0, "后湖工商所", &Format::new());
            let _ = ws.write_string(1, 1, "企业");
            let _ = ws.write_string(2, 1, "企业");
        });
        let e = read_table(Kind::Units, &merged).err().unwrap_or_default();
        assert!(e[0].message.contains("merged cells (A2:A3)"), "{e:?}");
        assert_eq!(e[0].cell.as_deref(), Some("Sheet1!A2:A3"));
        let hidden = book(|b| {
            units_sheet(b);
            let ws = b.add_worksheet();
            let _ = ws.set_name("旧数据");
            let _ = ws.set_hidden(true);
        });
        let e = read_table(Kind::Units, &hidden).err().unwrap_or_default();
        assert!(e[0].message.contains("hidden sheet (\"旧数据\")"), "{e:?}");
    }

    #[test]
    fn dates_work_as_serial_numbers_as_dates_and_as_text() {
        let bytes = book(|b| {
            let ws = b.add_worksheet();
            for (c, h) in ["事项", "完成时限"].iter().enumerate() {
                let _ = ws.write_string(0, c as u16, *h);
            }
            let _ = ws.write_string(1, 0, "印发方案");
            let _ = ws.write_number(1, 1, 41_340.0);
            let _ = ws.write_string(2, 0, "布置会场");
            let _ = ws.write_string(2, 1, "2013-03-14");
            let _ = ws.write_string(3, 0, "准备物资");
            let _ = ws.write_number_with_format(3, 1, 41_341.0, &Format::new().set_num_format("yyyy/m/d"));
        });
        let (rows, _) = parse_rows::<crate::csv::TaskRow>(&bytes).unwrap_or_else(|e| panic!("{e:?}"));
        let due: Vec<String> = rows.iter().map(|(_, r)| r.due_on.to_string()).collect();
        assert_eq!(due, ["2013-03-07", "2013-03-14", "2013-03-08"]);
    }

    #[test]
    fn a_zip_bomb_and_a_zip_of_too_many_parts_are_refused_before_they_are_read() {
        use std::io::Write;
        let mut bomb = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().large_file(true);
        let _ = bomb.start_file("xl/worksheets/sheet1.xml", opts);
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..(MAX_UNCOMPRESSED >> 20) + 1 {
            let _ = bomb.write_all(&zeros);
        }
        let bytes = bomb.finish().map(std::io::Cursor::into_inner).unwrap_or_default();
        assert!(bytes.len() < 2 << 20, "a bomb is small: {}", bytes.len());
        let e = read_table(Kind::Units, &bytes).err().unwrap_or_default();
        assert!(e[0].message.contains("expands to more than"), "{e:?}");
        let mut many = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..=MAX_ENTRIES {
            let _ = many.start_file(format!("x/{i}.xml"), zip::write::SimpleFileOptions::default());
        }
        let bytes = many.finish().map(std::io::Cursor::into_inner).unwrap_or_default();
        let e = read_table(Kind::Units, &bytes).err().unwrap_or_default();
        assert!(e[0].message.contains("parts"), "{e:?}");
    }

    #[test]
    fn a_template_has_the_header_an_example_row_and_notes_with_allowed_values() {
        let bytes = template_workbook(Kind::Disputes, Lang::Zh).unwrap_or_default();
        let table = read_table(Kind::Disputes, &bytes).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(table.rows.len(), 1);
        assert!(table.columns.iter().all(Option::is_some));
        let mut b = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
            .unwrap_or_else(|e| panic!("{e}"));
        use calamine::Reader;
        let notes = b.worksheet_range("填写说明").unwrap_or_else(|e| panic!("{e}"));
        let text: Vec<String> = notes.rows().flat_map(|r| r.iter().map(ToString::to_string)).collect();
        assert!(text.iter().any(|c| c.contains("已和解")), "{text:?}");
    }
}
