//! The summary report route. Reading the data and rendering live in
//! `eventday_store::report_data`, which the `eventday report` command uses too.

use crate::extract::{ApiPath, ApiQuery};
use crate::{AppError, AppState};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use eventday_report::{RenderOptions, Style};
use eventday_store::report_data::{ReportFailure, render_campaign, render_campaign_docx};
use serde::Deserialize;
use std::sync::Arc;

impl From<ReportFailure> for AppError {
    fn from(e: ReportFailure) -> Self {
        match e {
            ReportFailure::Store(s) => s.into(),
            ReportFailure::Render(m) => AppError::Internal(Arc::new(std::io::Error::other(m))),
        }
    }
}

/// Query of the report route.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `zh` (default) or `en`.
    pub lang: Option<String>,
    /// `modern` (default) or `gbt9704`.
    pub style: Option<String>,
}

/// The report options of a query; a bad value is a 422 naming its field.
fn render_options(q: &ReportQuery) -> Result<RenderOptions, AppError> {
    let mut bad = eventday_domain::FieldErrors::new();
    let lang = q
        .lang
        .as_deref()
        .map_or(Ok(eventday_report::Lang::Zh), eventday_report::parse_lang)
        .map_err(|e| bad.insert("lang".into(), e.to_string()));
    let style = q
        .style
        .as_deref()
        .unwrap_or("modern")
        .parse::<Style>()
        .map_err(|e| bad.insert("style".into(), e.to_string()));
    let (Ok(lang), Ok(style)) = (lang, style) else { return Err(AppError::Invalid(bad)) };
    Ok(RenderOptions { lang, style, deterministic: false })
}

/// The campaign's summary report as a Word document (DOCX): the PDF's content, to edit in Word
/// or WPS before it is signed.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/report.docx", tag = "report",
    params(("id" = i32, Path, description = "campaign id"), ReportQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = crate::openapi::Binary, description = "the report"),
        (status = 400, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody),
        (status = 422, body = crate::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn report_docx(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, AppError> {
    let docx = render_campaign_docx(&state.store, id, render_options(&q)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, eventday_report::Format::Docx.mime().to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"campaign-{id}-report.docx\"")),
        ],
        docx,
    )
        .into_response())
}

/// The campaign's summary report as PDF. Characters no font has are drawn as boxes and listed in
/// the `X-Eventday-Missing-Chars` response header.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/report.pdf", tag = "report",
    params(("id" = i32, Path, description = "campaign id"), ReportQuery),
    responses((status = 200, content_type = "application/pdf", body = crate::openapi::Binary, description = "the report",
            headers(("X-Eventday-Missing-Chars" = String, description = "characters drawn as boxes, e.g. `U+4E00 U+4E01`; absent when none"))),
        (status = 400, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody),
        (status = 422, body = crate::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn report_pdf(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, AppError> {
    let out = render_campaign(&state.store, id, render_options(&q)?).await?;
    let missing: String =
        out.missing_chars.iter().map(|c| format!("U+{:04X}", u32::from(*c))).collect::<Vec<_>>().join(" ");
    let mut resp = (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"campaign-{id}-report.pdf\"")),
        ],
        out.pdf,
    )
        .into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&missing)
        && !missing.is_empty()
    {
        // Characters no font has: the PDF shows a box for each; the client should tell the user.
        resp.headers_mut().insert("x-eventday-missing-chars", v);
    }
    Ok(resp)
}

/// The campaign's report settings (title, subtitle, issuer, report date, 主送 and 抄送 lines) as
/// saved, with the defaults the report uses for empty fields.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/report-settings", tag = "report",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, body = eventday_store::planning::ReportSettingsView),
        (status = 400, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn get_report_settings(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<axum::Json<eventday_store::planning::ReportSettingsView>, AppError> {
    Ok(axum::Json(eventday_store::planning::report_settings_of(&state.store, id).await?))
}

/// Replaces the campaign's report settings (every field; an empty one takes its default).
#[utoipa::path(put, path = "/api/v1/campaigns/{id}/report-settings", tag = "report",
    params(("id" = i32, Path, description = "campaign id")),
    request_body = eventday_domain::inputs::ReportSettingsInput,
    responses((status = 200, body = eventday_store::planning::ReportSettingsView),
        (status = 400, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody),
        (status = 413, body = crate::ErrorBody), (status = 415, body = crate::ErrorBody),
        (status = 422, body = crate::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn put_report_settings(
    State(state): State<AppState>,
    crate::extract::Actor(actor): crate::extract::Actor,
    ApiPath(id): ApiPath<i32>,
    crate::extract::ApiJson(input): crate::extract::ApiJson<eventday_domain::inputs::ReportSettingsInput>,
) -> Result<axum::Json<eventday_store::planning::ReportSettingsView>, AppError> {
    Ok(axum::Json(eventday_store::planning::save_report_settings(&state.store, actor, id, &input).await?))
}

/// Query of the printed sheets.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SheetQuery {
    /// `zh` (default) or `en`.
    pub lang: Option<String>,
}

fn sheet_lang(q: &SheetQuery) -> Result<eventday_report::Lang, AppError> {
    q.lang.as_deref().map_or(Ok(eventday_report::Lang::Zh), eventday_report::parse_lang).map_err(|e| {
        let mut bad = eventday_domain::FieldErrors::new();
        bad.insert("lang".into(), e.to_string());
        AppError::Invalid(bad)
    })
}

fn pdf_response(out: eventday_report::Rendered, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
        ],
        out.pdf,
    )
        .into_response()
}

/// The 工作分工表 as an A4 PDF (事项 / 责任单位 / 责任人 / 完成时限; cancelled tasks left out;
/// the table header repeated on every page).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/tasks.pdf", tag = "preparation",
    params(("id" = i32, Path, description = "campaign id"), SheetQuery),
    responses((status = 200, content_type = "application/pdf", body = crate::openapi::Binary, description = "the task table"),
        (status = 400, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn tasks_pdf(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(q): ApiQuery<SheetQuery>,
) -> Result<Response, AppError> {
    let lang = sheet_lang(&q)?;
    let sheet = eventday_store::report_data::task_sheet(&state.store, id, lang).await?;
    let out = eventday_store::report_data::render_sheet(sheet, lang).await?;
    Ok(pdf_response(out, format!("campaign-{id}-tasks.pdf")))
}

/// The 签到表 as an A4 PDF (单位 / 姓名 / 职务 / 签名, without phone numbers; the table header
/// repeated on every page).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/check-in-sheet.pdf", tag = "preparation",
    params(("id" = i32, Path, description = "campaign id"), SheetQuery),
    responses((status = 200, content_type = "application/pdf", body = crate::openapi::Binary, description = "the sign-in sheet"),
        (status = 400, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn check_in_sheet_pdf(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(q): ApiQuery<SheetQuery>,
) -> Result<Response, AppError> {
    let lang = sheet_lang(&q)?;
    let sheet = eventday_store::report_data::sign_in_sheet(&state.store, id, lang).await?;
    let out = eventday_store::report_data::render_sheet(sheet, lang).await?;
    Ok(pdf_response(out, format!("campaign-{id}-check-in-sheet.pdf")))
}
