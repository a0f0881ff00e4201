//! CSV over HTTP: multipart upload of one kind into a campaign, and download.

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

/// Largest CSV upload accepted (bytes).
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

/// One bad cell: 1-based line (the header is line 1), column as written, field, why.
#[derive(ToSchema)]
#[expect(dead_code, reason = "read only by the OpenAPI derive")]
struct RowErrorDoc {
    line: u64,
    column: String,
    field: String,
    message: String,
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

fn parse_path(p: Result<Path<(i32, String)>, PathRejection>) -> Result<(i32, String), AppError> {
    let Path(v) = p.map_err(|_| AppError::BadRequest("campaign id must be a whole number".into()))?;
    Ok(v)
}

fn kind(s: &str) -> Result<Kind, AppError> {
    s.parse::<Kind>().map_err(AppError::NotFound)
}

/// Imports a CSV file (multipart field `file`); all rows or none.
#[utoipa::path(
    post,
    path = "/api/v1/campaigns/{id}/import/{kind}",
    params(("id" = i32, Path, description = "campaign"), ("kind" = String, Path, description = "campaign, units, venues, booths, activities, materials, allocations, media, officials, tasks, narrative, log-entries, tallies or disputes"), ImportQuery),
    request_body(content_type = "multipart/form-data", description = "field `file`: the CSV (UTF-8 or GB18030/GBK)"),
    responses(
        (status = 200, description = "imported (or checked, on a dry run)", body = ImportReportDoc),
        (status = 422, description = "some rows are bad; nothing was written", body = ImportReportDoc),
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

/// Downloads one kind of a campaign's data as CSV (UTF-8 with BOM).
#[utoipa::path(
    get,
    path = "/api/v1/campaigns/{id}/export/{file}",
    params(("id" = i32, Path, description = "campaign"), ("file" = String, Path, description = "KIND.csv, e.g. log-entries.csv"), ExportQuery),
    responses(
        (status = 200, description = "the CSV file", content_type = "text/csv"),
        (status = 404, description = "unknown campaign or kind"),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn export(
    State(state): State<AppState>,
    path: Result<Path<(i32, String)>, PathRejection>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let (id, file) = parse_path(path)?;
    let kind = kind(file.strip_suffix(".csv").unwrap_or(&file))?;
    let lang = match q.lang.as_deref() {
        None => Lang::Zh,
        Some(l) => Lang::from_label(l)
            .ok_or_else(|| AppError::BadRequest(format!("unknown language {l:?}; expected zh or en")))?,
    };
    let bytes = csv_io::export(&state.store, id, kind, lang).await?;
    let disposition = format!("attachment; filename=\"{}\"", csv_io::export_file_name(id, kind));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
