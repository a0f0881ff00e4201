//! The pages of complaint cases: the lead's intake form (offline, like the log), the organizers'
//! case page (the only place a full phone is shown, on request and audited), the printable
//! receipt slip with its QR code, the campaign's case list, and the public status page a
//! consumer reaches from the receipt (status only: no name, phone, amount or description).

use super::i18n::{PageLang, format_date};
use super::organizer::{in_campaign, may_log, may_plan};
use super::{PageError, PageResult, Viewer, base, render, sv};
use crate::AppState;
use crate::extract::ApiPath;
use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use eventday_domain::cases::{CONSENT_PURPOSE_EN, CONSENT_PURPOSE_ZH};
use eventday_domain::money::format_yuan;
use eventday_domain::{CaseStage, Role};
use eventday_store::cases::{self, CaseView, Lookup};
use eventday_store::{planning, views};
use minijinja::{Value, context};
use std::net::SocketAddr;

type Page = Result<Html<String>, PageError>;

/// The link a receipt's QR code holds.
fn status_link(s: &AppState, headers: &HeaderMap, code: &str) -> String {
    let base = match &s.config.public_url {
        Some(u) => u.trim_end_matches('/').to_owned(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            let scheme = if s.config.secure_cookies { "https" } else { "http" };
            format!("{scheme}://{host}")
        }
    };
    format!("{base}/case/{code}")
}

fn consent_purpose(lang: super::Lang) -> &'static str {
    match lang {
        super::Lang::Zh => CONSENT_PURPOSE_ZH,
        super::Lang::En => CONSENT_PURPOSE_EN,
    }
}

/// A case as pages show it (labels in the page's language; amounts in yuan).
fn shown(c: &CaseView, lang: super::Lang) -> Value {
    let steps: Vec<Value> = c
        .steps
        .iter()
        .map(|s| {
            context! {
                stage => s.stage.label(lang),
                on => format_date(lang, s.on),
                means => s.means.clone(),
                result => s.result.clone(),
                recovered => s.amount_recovered_fen.map(format_yuan),
                reference => s.reference_12315.clone(),
            }
        })
        .collect();
    context! {
        c => sv(c),
        stage => c.stage.label(lang),
        received => format_date(lang, c.received_on),
        claimed => format_yuan(c.amount_claimed_fen),
        recovered => format_yuan(c.amount_recovered_fen),
        deadline => c.odr_deadline.map(|d| format_date(lang, d)),
        steps => steps,
    }
}

/// The public status page of a receipt code: the stage and the days of each step, nothing else.
/// An unknown code gets a 404 page (codes are 8 characters of 31: not guessable), and an address
/// that looked up too many unknown codes gets a 429 page saying when to try again (with
/// `Retry-After`), for every code until its lock ends.
pub async fn status(
    State(s): State<AppState>,
    viewer: Viewer,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    ApiPath(code): ApiPath<String>,
) -> Response {
    let lang = viewer.lang;
    let address = crate::auth::client_address(connect);
    let found = match cases::lookup(&s.store, &code, &address).await {
        Ok(f) => f,
        Err(e) => return PageError::with(e, lang).into_response(),
    };
    let title = lang.t("case_status_page");
    let (status, ctx, retry_after) = match &found {
        Lookup::Found(p) => (
            StatusCode::OK,
            context! {
                found => true,
                code => p.code.clone(),
                stage => p.stage.label(lang),
                stage_key => p.stage.as_str(),
                received => format_date(lang, p.received_on),
                deadline => p.odr_deadline.map(|d| format_date(lang, d)),
                steps => p.steps.iter().map(|(st, on)| context! { stage => st.label(lang), on => format_date(lang, *on) }).collect::<Vec<_>>(),
                ..base(&viewer, title)
            },
            None,
        ),
        Lookup::Unknown => (StatusCode::NOT_FOUND, context! { found => false, ..base(&viewer, title) }, None),
        Lookup::Throttled { retry_after_secs } => {
            let secs = (*retry_after_secs).max(1);
            let minutes = (secs + 59) / 60;
            let locked = lang.t("case_lookup_locked").replace("{m}", &super::i18n::format_count(minutes));
            (
                StatusCode::TOO_MANY_REQUESTS,
                context! { found => false, locked => locked, ..base(&viewer, title) },
                Some(secs),
            )
        }
    };
    match render("case_status.html", ctx) {
        Ok(html) => {
            let mut resp = (status, [(header::CACHE_CONTROL, "no-store")], html).into_response();
            if let Some(secs) = retry_after {
                resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            resp
        }
        Err(e) => e.into_response(),
    }
}

/// Whether the viewer may see a case's evidence photos: the campaign's organizers (whom the
/// case page's rule already admitted) and the leads of the case's venue; not viewers, nor the
/// leads of other venues (the photo routes answer them 403 too).
fn may_see_evidence(viewer: &Viewer, venue_id: i32) -> bool {
    viewer.caller.as_ref().is_some_and(|c| match c.principal.role {
        Role::Organizer => true,
        Role::Lead => c.principal.venue_ids.contains(&venue_id),
        Role::Viewer => false,
    })
}

/// The organizers' case page: everything about the case, the contact masked until an organizer
/// asks for it (the API records each view), the evidence photos (thumbnails linking to the full
/// picture, for those who may see them) and the step form.
pub async fn case_page(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let key = s.case_key().page(lang)?;
    let c = cases::get(&s.store, key, id).await.page(lang)?;
    let (_, ctx) = in_campaign(&s, &viewer, c.campaign_id, "disputes").await?;
    let venue = planning::venues::get(&s.store, c.venue_id).await.page(lang)?;
    let moves: Vec<(&str, &str)> = CaseStage::ALL
        .iter()
        .filter(|n| c.stage.can_move_to(**n))
        .map(|n| (n.as_str(), n.label(lang)))
        .collect();
    let show_evidence = may_see_evidence(&viewer, c.venue_id);
    let evidence: Vec<Value> = if show_evidence {
        cases::list_evidence(&s.store, c.dispute_id)
            .await
            .page(lang)?
            .iter()
            .enumerate()
            .map(|(i, e)| {
                context! { id => e.id, alt => lang.t("case_evidence_alt").replace("{n}", &(i + 1).to_string()) }
            })
            .collect()
    } else {
        Vec::new()
    };
    let data = serde_json::json!({ "dispute_id": c.dispute_id, "today": cases::today() });
    render(
        "case.html",
        context! {
            case => shown(&c, lang),
            show_evidence => show_evidence,
            evidence => evidence,
            can_add_evidence => show_evidence && c.purged_at.is_none(),
            venue => venue.name,
            can_step => may_log(&viewer) && !moves.is_empty(),
            moves => moves,
            can_reveal => may_plan(&viewer),
            provisional => c.odr_deadline_provisional,
            data => sv(&data),
            ..ctx
        },
    )
}

/// The printable receipt: the case code, its QR code linking to the public status page, the day,
/// category and enterprise, and the consent statement when one was given. No phone or name.
pub async fn slip(
    State(s): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i32>,
) -> Page {
    let lang = viewer.lang;
    let key = s.case_key().page(lang)?;
    let c = cases::get(&s.store, key, id).await.page(lang)?;
    let link = status_link(&s, &headers, &c.code);
    let qr = qrcode::QrCode::new(link.as_bytes())
        .map_err(|e| crate::AppError::Internal(std::sync::Arc::new(e)))
        .page(lang)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    let campaign = planning::campaigns::get(&s.store, c.campaign_id).await.page(lang)?;
    render(
        "case_slip.html",
        context! {
            case => shown(&c, lang),
            link => link,
            // The SVG is made here by the qrcode crate from the link (no user text inside).
            qr_svg => Value::from_safe_string(qr),
            campaign => sv(&campaign),
            purpose => consent_purpose(lang),
            ..base(&viewer, lang.t("case_receipt"))
        },
    )
}

/// A campaign's cases, newest first (contacts masked), with the reconciliation against the
/// complaints the venues counted.
pub async fn list(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "disputes").await?;
    let key = s.case_key().page(lang)?;
    let files = cases::list(&s.store, key, id).await.page(lang)?;
    let with_file: std::collections::HashSet<i32> = files.iter().map(|c| c.dispute_id).collect();
    // Every dispute recorded is a case of the campaign (the figures count them all); those taken
    // with the intake form also have a case file: a receipt code, steps and contacts.
    let mut rows: Vec<(chrono::NaiveDate, i32, Value)> = files
        .iter()
        .map(|c| {
            let v = shown(c, lang);
            (c.received_on, c.dispute_id, context! { file => true, ..v })
        })
        .collect();
    let names = views::unit_names(&s.store).await.page(lang)?;
    for d in planning::disputes::list(&s.store, id).await.page(lang)? {
        if with_file.contains(&d.id) {
            continue;
        }
        let v = context! {
            file => false,
            c => context! {
                dispute_id => d.id,
                category => d.category.clone(),
                enterprise => d.enterprise_unit_id.and_then(|u| names.get(&u).cloned()).unwrap_or_default(),
            },
            stage => d.status.label(lang),
            received => format_date(lang, d.received_on),
            recovered => format_yuan(d.amount_recovered_fen),
        };
        rows.push((d.received_on, d.id, v));
    }
    rows.sort_by_key(|r| std::cmp::Reverse((r.0, r.1)));
    let venues = planning::venues::list(&s.store, id).await.page(lang)?;
    let summary = eventday_store::queries::campaign_summary(&s.store, id).await.page(lang)?;
    let r = eventday_domain::cases::CaseReconciliation::of(&summary.totals);
    let with_receipt = lang
        .t("case_with_receipt")
        .replace("{k}", &super::i18n::format_count(i64::try_from(files.len()).unwrap_or(i64::MAX)));
    render(
        "cases.html",
        context! {
            rows => rows.into_iter().map(|(_, _, v)| v).collect::<Vec<_>>(),
            venues => sv(&venues),
            can_take => may_log(&viewer),
            reconcile => reconcile_text(lang, &r),
            with_receipt => with_receipt,
            reconcile_over => r.more_cases_than_complaints,
            ..ctx
        },
    )
}

/// "N cases recorded of M complaints received" in the page's language.
pub(super) fn reconcile_text(lang: super::Lang, r: &eventday_domain::cases::CaseReconciliation) -> String {
    lang.t("case_reconcile")
        .replace("{n}", &super::i18n::format_count(r.recorded))
        .replace("{m}", &super::i18n::format_count(r.received))
}

/// The lead's intake page for a venue (works offline: cases wait in the phone's queue).
pub async fn intake(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let venue = planning::venues::get(&s.store, id).await.page(lang)?;
    let c = planning::campaigns::get(&s.store, venue.campaign_id).await.page(lang)?;
    let names = views::unit_names(&s.store).await.page(lang)?;
    let parts = planning::participations::list(&s.store, c.id).await.page(lang)?;
    let mut units: Vec<Value> = parts
        .iter()
        .filter_map(|p| {
            names
                .get(&p.unit_id)
                .map(|n| context! { id => p.unit_id, name => n, odr => p.reconciliation_member })
        })
        .collect();
    units.sort_by_key(|u| !u.get_attr("odr").map(|v| v.is_true()).unwrap_or(false));
    let data = serde_json::json!({ "venue_id": venue.id, "campaign_date": c.date,
        "max_evidence": cases::INTAKE_EVIDENCE });
    let title = format!("{} · {}", lang.t("case_intake"), venue.name);
    let evidence_hint = lang.t("case_evidence_hint").replace("{n}", &cases::INTAKE_EVIDENCE.to_string());
    render(
        "case_intake.html",
        context! {
            venue => sv(&venue),
            campaign => sv(&c),
            units => units,
            purpose => consent_purpose(lang),
            evidence_hint => evidence_hint,
            data => sv(&data),
            ..base(&viewer, &title)
        },
    )
}
