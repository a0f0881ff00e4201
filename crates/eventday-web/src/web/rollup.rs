//! The parent organization's reporting page (`/organizations/{id}/rollup?year=`): who of its
//! children has reported (the completeness rows, keyset-paged), the districts not yet submitted
//! after the cut-off with their contacts, accept / return per submitted row, totals on the
//! chosen basis with the year before, one small SVG bar chart per figure, and the roll-up PDF.
//!
//! The changing part is a fragment (`/organizations/{id}/rollup/live`) that
//! `assets/web/rollup.js` asks for again whenever the organization's live feed reports an entry
//! or a submission (polling every 5 s where the feed cannot be opened).

use super::i18n::{Lang, PageLang, format_count};
use super::organizer::may_plan;
use super::{PageError, PageResult, Viewer, base, render, sv};
use crate::AppState;
use crate::extract::ApiPath;
use axum::extract::{Query, State};
use axum::response::Html;
use chrono::{Datelike, Utc};
use eventday_domain::money::format_yuan;
use eventday_domain::totals::Figures;
use eventday_store::completeness::{self, CompletenessRow};
use eventday_store::rollup::{self, Basis};
use minijinja::{Value, context};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write;

type Page = Result<Html<String>, PageError>;

/// Rows per page of the completeness table unless `limit` says otherwise.
const PAGE_ROWS: u64 = 50;
/// Bars per chart.
const CHART_BARS: usize = 15;
/// Where the page's times are shown (the campaigns' own zone; the product serves China).
const ZONE: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// What the page was asked for (`year`, `basis`, and the keyset page: `after`, `limit`); read leniently (a malformed value falls back to the default,
/// so a hand-edited link still shows the page).
#[derive(Clone, Copy)]
struct Choice {
    year: i32,
    basis: Basis,
    after: Option<i32>,
    limit: u64,
}

impl Choice {
    /// The year asked for, when it is one.
    fn asked_year(q: &HashMap<String, String>) -> Option<i32> {
        q.get("year").and_then(|y| y.trim().parse::<i32>().ok()).filter(|y| (1980..=2200).contains(y))
    }

    fn read(q: &HashMap<String, String>, default_year: i32) -> Choice {
        let year = Self::asked_year(q).unwrap_or(default_year);
        let basis = q.get("basis").and_then(|b| Basis::parse(b)).unwrap_or_default();
        let after = q.get("after").and_then(|a| a.trim().parse::<i32>().ok());
        let limit = q
            .get("limit")
            .and_then(|l| l.trim().parse::<u64>().ok())
            .filter(|l| (1..=completeness::MAX_PAGE).contains(l))
            .unwrap_or(PAGE_ROWS);
        Choice { year, basis, after, limit }
    }

    fn query(&self, lang: Lang) -> String {
        let mut s = format!("year={}&basis={}&lang={}", self.year, self.basis.as_str(), lang.code());
        if self.limit != PAGE_ROWS {
            let _ = write!(s, "&limit={}", self.limit);
        }
        if let Some(a) = self.after {
            let _ = write!(s, "&after={a}");
        }
        s
    }
}

/// One bar of a chart (coordinates in the SVG's user units).
#[derive(Serialize)]
struct Bar {
    label: String,
    value: String,
    y: usize,
    width: f64,
}

/// A chart of one figure by child organization (the largest [`CHART_BARS`] on this page).
#[derive(Serialize)]
struct Chart {
    key: &'static str,
    height: usize,
    bars: Vec<Bar>,
}

fn short(name: &str) -> String {
    let n: String = name.chars().take(8).collect();
    if name.chars().count() > 8 { format!("{n}…") } else { n }
}

fn chart(key: &'static str, rows: &[CompletenessRow], value: fn(&Figures) -> i64) -> Chart {
    let mut picked: Vec<(&CompletenessRow, i64)> = rows.iter().map(|r| (r, value(&r.figures))).collect();
    picked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
    picked.truncate(CHART_BARS);
    let max = picked.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let bars = picked
        .iter()
        .enumerate()
        .map(|(i, (r, v))| Bar {
            label: short(&r.name),
            value: format_count(*v),
            y: i * 20,
            // 180 units of bar at most; the label sits left of it, the value right.
            #[expect(clippy::cast_precision_loss, reason = "a bar's length, not an exact figure")]
            width: ((*v as f64) / (max as f64) * 180.0).max(0.5),
        })
        .collect::<Vec<_>>();
    Chart { key, height: bars.len() * 20 + 4, bars }
}

/// The change on the year before, in words ("+12.5%", "−3.0%", or "—" without a year before).
fn change(now: i64, before: i64) -> (String, &'static str) {
    if before <= 0 {
        return ("—".to_owned(), "");
    }
    #[expect(clippy::cast_precision_loss, reason = "a percentage shown to one decimal")]
    let pct = (now - before) as f64 / before as f64 * 100.0;
    if pct >= 0.0 { (format!("+{pct:.1}%"), "yoy-up") } else { (format!("−{:.1}%", -pct), "yoy-down") }
}

/// The figures of the year and of the year before; `before` is `None` when no campaign was held
/// that year (its figures are unknown: "—", not zeros).
fn figure_rows(lang: Lang, now: &Figures, before: Option<&Figures>) -> Vec<Value> {
    let b = before.copied().unwrap_or_default();
    let items: [(&'static str, i64, i64, bool); 5] = [
        ("visitors", now.visitors, b.visitors, false),
        ("consultations", now.consultations, b.consultations, false),
        ("complaints_received", now.complaints_received, b.complaints_received, false),
        ("complaints_settled", now.complaints_settled, b.complaints_settled, false),
        ("money_recovered", now.money_recovered_fen, b.money_recovered_fen, true),
    ];
    items
        .iter()
        .map(|(key, n, b, money)| {
            let show = |v: i64| if *money { format_yuan(v) } else { format_count(v) };
            let (before_text, (text, class)) = match before {
                Some(_) => (show(*b), change(*n, *b)),
                None => ("—".to_owned(), ("—".to_owned(), "")),
            };
            context! { label => lang.t(key), now => show(*n), before => before_text, change => text, class => class }
        })
        .collect()
}

/// The changing part of the page.
async fn live_ctx(s: &AppState, viewer: &Viewer, id: i32, choice: &Choice) -> Result<Value, PageError> {
    let lang = viewer.lang;
    let page =
        completeness::completeness(&s.store, id, choice.year, choice.after, choice.limit).await.page(lang)?;
    let totals = rollup::rollup_totals_on(&s.store, id, choice.year, choice.basis).await.page(lang)?;
    let before = rollup::rollup_totals_on(&s.store, id, choice.year - 1, choice.basis).await.page(lang)?;
    let can_decide = may_plan(viewer);
    let time = |t: Option<chrono::DateTime<Utc>>| {
        t.map(|t| t.with_timezone(&ZONE).format("%m-%d %H:%M").to_string()).unwrap_or_default()
    };
    let rows: Vec<Value> = page
        .rows
        .iter()
        .map(|r| {
            context! {
                id => r.organization_id,
                name => r.name.clone(),
                has_children => r.has_children,
                districts => r.districts,
                status => r.status.as_str(),
                by_status => sv(r.by_status),
                campaign_id => r.campaign_id,
                report_url => r.report_url.clone(),
                last => time(r.last_entry_at),
                visitors => format_count(r.figures.visitors),
                consultations => format_count(r.figures.consultations),
                complaints => format_count(r.figures.complaints_received),
                money => format_yuan(r.figures.money_recovered_fen),
                decide => can_decide && r.campaign_id.is_some()
                    && r.status == completeness::ReportingStatus::Submitted,
            }
        })
        .collect();
    let charts = vec![
        chart("visitors", &page.rows, |f| f.visitors),
        chart("consultations", &page.rows, |f| f.consultations),
        chart("complaints_received", &page.rows, |f| f.complaints_received),
    ];
    let cutoff_passed = page.cutoff_at.is_some_and(|c| c <= Utc::now());
    let next = page.next_after.map(|a| Choice { after: Some(a), ..*choice }.query(lang));
    let first = choice.after.map(|_| Choice { after: None, ..*choice }.query(lang));
    Ok(context! {
        rows => rows,
        charts => sv(charts),
        figures => figure_rows(lang, &totals.figures, (before.districts > 0).then_some(&before.figures)),
        districts => format_count(page.totals.districts),
        campaigns => format_count(totals.districts),
        by_status => sv(page.totals.by_status),
        year_before => choice.year - 1,
        not_submitted => sv(&page.not_submitted),
        not_submitted_count => page.not_submitted_count,
        cutoff => time(page.cutoff_at),
        cutoff_passed => cutoff_passed,
        next => next,
        first => first,
        updated => Utc::now().with_timezone(&ZONE).format("%H:%M:%S").to_string(),
    })
}

/// What a page asked for; without a (valid) year, the latest year up to this one in which the
/// organization or one below it held a campaign (an association looking back at its last
/// campaign sees it, not an empty year), else this year. The database is asked only then: the
/// page's live refreshes name their year.
async fn choice(
    s: &AppState,
    id: i32,
    q: &HashMap<String, String>,
) -> Result<Choice, eventday_store::StoreError> {
    if let Some(year) = Choice::asked_year(q) {
        return Ok(Choice::read(q, year));
    }
    let this_year = Utc::now().with_timezone(&ZONE).year();
    let year = rollup::latest_campaign_year(&s.store, id, this_year).await?.unwrap_or(this_year);
    Ok(Choice::read(q, year))
}

/// The reporting page of an organization.
pub async fn rollup(
    State(s): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i32>,
    Query(q): Query<HashMap<String, String>>,
) -> Page {
    let lang = viewer.lang;
    let choice = choice(&s, id, &q).await.page(lang)?;
    let name = rollup::organization_name(&s.store, id).await.page(lang)?;
    let live = live_ctx(&s, &viewer, id, &choice).await?;
    let cutoff = eventday_store::submission::cutoff(s.store.conn(), id, choice.year).await.page(lang)?;
    let title = format!("{} · {} · {}", lang.t("rollup_title"), name, choice.year);
    render(
        "rollup.html",
        context! {
            org => context! { id => id, name => name },
            year => choice.year,
            basis => choice.basis.as_str(),
            query => choice.query(lang),
            pdf => format!("/api/v1/organizations/{id}/rollup.pdf?year={}&basis={}&lang={}",
                choice.year, choice.basis.as_str(), lang.code()),
            cutoff_value => cutoff.map(|c| c.with_timezone(&ZONE).format("%Y-%m-%dT%H:%M").to_string()),
            can_plan => may_plan(&viewer),
            live => live,
            ..base(&viewer, &title)
        },
    )
}

/// The changing part of the reporting page, asked for again by the page.
pub async fn rollup_live(
    State(s): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i32>,
    Query(q): Query<HashMap<String, String>>,
) -> Page {
    let lang = viewer.lang;
    let choice = choice(&s, id, &q).await.page(lang)?;
    let live = live_ctx(&s, &viewer, id, &choice).await?;
    render(
        "rollup_live.html",
        context! { live => live, org => context! { id => id }, year => choice.year, ..base(&viewer, lang.t("rollup_title")) },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_change_on_the_year_before_is_signed_and_absent_without_a_year_before() {
        assert_eq!(change(110, 100).0, "+10.0%");
        assert_eq!(change(90, 100), ("−10.0%".to_owned(), "yoy-down"));
        assert_eq!(change(5, 0).0, "—");
    }

    #[test]
    fn a_year_without_campaigns_before_shows_dashes_not_zeros() {
        let now = Figures { visitors: 120, ..Figures::default() };
        let rows = figure_rows(Lang::En, &now, None);
        let first = &rows[0];
        assert_eq!(first.get_attr("now").ok().map(|v| v.to_string()).as_deref(), Some("120"));
        assert_eq!(first.get_attr("before").ok().map(|v| v.to_string()).as_deref(), Some("—"));
        let zero_before = figure_rows(Lang::En, &now, Some(&Figures::default()));
        assert_eq!(zero_before[0].get_attr("before").ok().map(|v| v.to_string()).as_deref(), Some("0"));
    }

    #[test]
    fn a_malformed_choice_falls_back_to_the_defaults() {
        let q: HashMap<String, String> = [("year", "abc"), ("basis", "x"), ("after", "7")]
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        let c = Choice::read(&q, 2013);
        assert_eq!(c.basis, Basis::Logged);
        assert_eq!(c.after, Some(7));
        assert_eq!(c.year, 2013);
    }
}
