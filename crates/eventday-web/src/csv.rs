//! CSV and workbooks over HTTP: multipart upload of one kind into a campaign (CSV, .xlsx or
//! .xls, told apart by content), download as CSV or .xlsx, blank .xlsx templates per kind.

use crate::extract::Actor;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use eventday_domain::csv::{ImportReport, Kind, Lang};
use eventday_store::csv_io::{self, ImportOptions};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Largest upload accepted (bytes), CSV or workbook; a bigger body is refused with 413 before
/// it is read. A workbook's uncompressed size is checked separately (422).
pub const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

/// What an import did (or would do); `errors` lists every bad cell.
#[derive(ToSchema)]
#[expect(dead_code, reason = "read only by the OpenAPI derive")]
struct ImportReportDoc {
    created: u64,
    updated: u64,
    unchanged: u64,
    errors: Vec<RowErrorDoc>,
}

/// One bad cell: 1-based line (the header is line 1; in a workbook, the sheet's row), column as
/// written, field, why, and in a workbook the sheet and cell (`Sheet1!C5`).
#[derive(ToSchema)]
#[expect(dead_code, reason = "read only by the OpenAPI derive")]
struct RowErrorDoc {
    line: u64,
    column: String,
    field: String,
    message: String,
    cell: Option<String>,
}

/// Query of an import.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportQuery {
    /// Check and count only; write nothing.
    #[serde(default)]
    dry_run: bool,
}

/// Query of an export.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExportQuery {
    /// Header language: zh (default) or en.
    lang: Option<String>,
}

/// Query of a campaign's data export.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DataExportQuery {
    /// Header language: zh (default) or en.
    lang: Option<String>,
    /// Only this venue's rows (booths only): the file a venue's planner offers.
    venue: Option<i32>,
}

fn parse_path(p: Result<Path<(i32, String)>, PathRejection>) -> Result<(i32, String), AppError> {
    let Path(v) = p.map_err(|_| AppError::BadRequest("campaign id must be a whole number".into()))?;
    Ok(v)
}

fn kind(s: &str) -> Result<Kind, AppError> {
    s.parse::<Kind>().map_err(AppError::NotFound)
}

/// Imports a CSV file or a workbook (multipart field `file`); all rows or none.
#[utoipa::path(
    post,
    path = "/api/v1/campaigns/{id}/import/{kind}",
    params(("id" = i32, Path, description = "campaign"), ("kind" = String, Path, description = "campaign, units, venues, booths, activities, materials, allocations, media, officials, tasks, narrative, log-entries, tallies or disputes"), ImportQuery),
    request_body(content_type = "multipart/form-data", description = "field `file`: the CSV (UTF-8 or GB18030/GBK) or a workbook (.xlsx or .xls; its first sheet), told apart by content"),
    responses(
        (status = 200, description = "imported (or checked, on a dry run)", body = ImportReportDoc),
        (status = 422, description = "some rows are bad, or the workbook is refused (too big once uncompressed, hidden sheets, merged cells); nothing was written", body = ImportReportDoc),
        (status = 400, description = "no file field or unreadable upload"),
        (status = 404, description = "unknown campaign or kind"),
        (status = 413, description = "file over the body limit"),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn import(
    State(state): State<AppState>,
    Actor(actor): Actor,
    path: Result<Path<(i32, String)>, PathRejection>,
    query: Result<Query<ImportQuery>, axum::extract::rejection::QueryRejection>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let (id, kind_text) = parse_path(path)?;
    let kind = kind(&kind_text)?;
    let Query(q) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| AppError::BadRequest(e.body_text()))? {
        if field.name() == Some("file") {
            file = Some(field.bytes().await.map_err(|e| AppError::BadRequest(e.body_text()))?);
        }
    }
    let bytes = file.ok_or_else(|| AppError::BadRequest("the upload has no field named \"file\"".into()))?;
    let opts = ImportOptions { dry_run: q.dry_run, progress: None, actor, author: None };
    let report: ImportReport = csv_io::import(&state.store, id, kind, &bytes, opts).await?;
    let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)).into_response())
}

/// Downloads one kind of a campaign's data as CSV (UTF-8 with BOM) or as a workbook with the
/// same rows and headers (numbers as numbers, dates as dates).
#[utoipa::path(
    get,
    path = "/api/v1/campaigns/{id}/export/{file}",
    params(("id" = i32, Path, description = "campaign"), ("file" = String, Path, description = "KIND.csv or KIND.xlsx, e.g. log-entries.csv"), DataExportQuery),
    responses(
        (status = 200, description = "the CSV file or the workbook", content_type = "text/csv"),
        (status = 400, description = "bad language, or a venue asked of a kind other than booths"),
        (status = 404, description = "unknown campaign, kind, or a venue not in the campaign"),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn export(
    State(state): State<AppState>,
    path: Result<Path<(i32, String)>, PathRejection>,
    query: Result<Query<DataExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let (id, file) = parse_path(path)?;
    let (kind, format) = kind_and_format(&file)?;
    let Query(q) = query.map_err(|_| venue_error("must be a whole number"))?;
    let lang = export_lang(q.lang.as_deref())?;
    let (bytes, name) = match q.venue {
        None => {
            (csv_io::export_as(&state.store, id, kind, lang, format).await?, format!("campaign-{id}-{kind}"))
        }
        Some(v) if kind == Kind::Booths => (
            csv_io::export_venue_booths(&state.store, id, v, lang, format).await?,
            format!("venue-{v}-{kind}"),
        ),
        Some(_) => return Err(venue_error("applies to booths only")),
    };
    Ok(download(format!("{name}.{}", format.extension()), format.content_type(), bytes))
}

/// 400 naming the export's `venue` parameter.
fn venue_error(why: &str) -> AppError {
    let mut fields = eventday_domain::FieldErrors::new();
    fields.insert("venue".into(), why.to_owned());
    AppError::Malformed { message: format!("venue {why}"), fields }
}

/// The kind and format a file name asks for: `KIND.csv`, `KIND.xlsx`, or a bare `KIND` (CSV).
pub(crate) fn kind_and_format(file: &str) -> Result<(Kind, csv_io::Format), AppError> {
    if let Some(k) = file.strip_suffix(".xlsx") {
        return Ok((kind(k)?, csv_io::Format::Xlsx));
    }
    Ok((kind(file.strip_suffix(".csv").unwrap_or(file))?, csv_io::Format::Csv))
}

/// The header language of an export: zh (default) or en.
pub(crate) fn export_lang(l: Option<&str>) -> Result<Lang, AppError> {
    match l {
        None => Ok(Lang::Zh),
        Some(l) => Lang::from_label(l)
            .ok_or_else(|| AppError::BadRequest(format!("unknown language {l:?}; expected zh or en"))),
    }
}

/// A file to save, under `name`.
pub(crate) fn download(name: String, content_type: &'static str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// Path of a template download.
fn parse_file(p: Result<Path<String>, PathRejection>) -> Result<String, AppError> {
    let Path(v) = p.map_err(|_| AppError::BadRequest("the path names no file".into()))?;
    Ok(v)
}

/// A blank workbook of one kind to fill in: the header row, an example row, and a notes sheet
/// listing each column, whether it is required, its format and its allowed values.
#[utoipa::path(
    get,
    path = "/api/v1/export/template/{file}",
    params(("file" = String, Path, description = "KIND.xlsx, e.g. venues.xlsx"), ExportQuery),
    responses(
        (status = 200, description = "the template", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, description = "unknown kind"),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn template(
    path: Result<Path<String>, PathRejection>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let file = parse_file(path)?;
    let kind = kind(file.strip_suffix(".xlsx").unwrap_or(&file))?;
    let lang = export_lang(q.lang.as_deref())?;
    let bytes = eventday_domain::csv::workbook::template_workbook(kind, lang)
        .map_err(|e| AppError::Internal(std::sync::Arc::new(std::io::Error::other(e.to_string()))))?;
    Ok(download(format!("template-{kind}.xlsx"), csv_io::XLSX_CONTENT_TYPE, bytes))
}

/// The report's tables as a workbook: summary, per venue, materials, media and disputes, one
/// sheet each, from the same data as the PDF.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns/{id}/report.xlsx",
    tag = "report",
    params(("id" = i32, Path, description = "campaign"), ExportQuery),
    responses(
        (status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, description = "bad id or language"),
        (status = 404, description = "unknown campaign"),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn report_xlsx(
    State(state): State<AppState>,
    path: Result<Path<i32>, PathRejection>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let Path(id) = path.map_err(|_| AppError::BadRequest("campaign id must be a whole number".into()))?;
    let lang = export_lang(q.lang.as_deref())?;
    let bytes = eventday_store::report_data::campaign_workbook(&state.store, id, lang).await?;
    Ok(download(format!("campaign-{id}-report.xlsx"), csv_io::XLSX_CONTENT_TYPE, bytes))
}
