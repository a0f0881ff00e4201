//! The start page: campaigns and their totals at a glance (the full organizer workspace is
//! built on top of the API).

use crate::auth::{RouteSpec, Rule, route};
use crate::html::escape;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::Method;
use axum::response::Html;
use eventday_domain::money::format_yuan;
use eventday_store::queries;
use serde_json::{Value, json};
use std::fmt::Write;

/// Routes outside `/api`, each with its access rule.
pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![route(Method::GET, "/", Rule::Public, index), route(Method::GET, "/healthz", Rule::Public, healthz)]
}

#[tracing::instrument(skip_all)]
async fn healthz(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    state.store.ping().await?;
    Ok(Json(json!({"status": "ok"})))
}

#[tracing::instrument(skip_all)]
async fn index(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let campaigns = queries::list_campaigns(&state.store).await?;
    let mut body = String::new();
    if campaigns.is_empty() {
        body.push_str("<p>还没有活动。运行 <code>eventday demo</code> 载入 2013 年示例。</p>");
    }
    for c in campaigns.iter().take(20) {
        let s = queries::campaign_summary(&state.store, c.id).await?;
        let t = &s.totals;
        let _ = write!(
            body,
            "<section><h2>{title}</h2><p>{org} · {date} · 主题：{theme} · 主会场 1 个，分会场 {subs} 个</p>\
             <p>接待群众 <b>{v}</b> 人次 · 咨询 <b>{cons}</b> 人次 · 受理投诉 <b>{cr}</b> 件（现场解决 {cs} 件）· \
             挽回经济损失 <b>{money}</b> 元 · 参与单位 {units} 个 · 展位 {booths} 个</p>\
             <p><a href=\"/api/v1/campaigns/{id}/summary\">JSON</a></p><table><thead><tr><th>会场</th><th>接待</th>\
             <th>咨询</th><th>投诉</th><th>解决</th><th>记录</th></tr></thead><tbody>",
            title = escape(&c.title),
            org = escape(&c.organization),
            date = c.date,
            theme = escape(&c.theme),
            subs = t.sub_venues,
            v = t.figures.visitors,
            cons = t.figures.consultations,
            cr = t.figures.complaints_received,
            cs = t.figures.complaints_settled,
            money = format_yuan(t.figures.money_recovered_fen),
            units = t.units,
            booths = t.booths,
            id = c.id,
        );
        for v in &t.per_venue {
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&v.name),
                v.figures.visitors,
                v.figures.consultations,
                v.figures.complaints_received,
                v.figures.complaints_settled,
                v.log_entries
            );
        }
        body.push_str("</tbody></table></section>");
    }
    Ok(Html(format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>eventday</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ccc;padding:.3rem;text-align:right}}\
         td:first-child,th:first-child{{text-align:left}}</style></head><body><h1>eventday · “3·15”活动</h1>{body}</body></html>"
    )))
}
