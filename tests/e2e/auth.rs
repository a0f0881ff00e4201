//! Accounts and permissions: login, sessions, CSRF, tokens, throttling, invitations, closing the
//! day, and every route against every role.

use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app};
use eventday_domain::Role;
use eventday_store::accounts::{self, NewUser};
use eventday_store::entities::{audit_event, invitation, login_throttle, organization, venue};
use eventday_store::{StoreError, scope};
use reqwest::header::{COOKIE, HeaderMap, SET_COOKIE};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

/// Everyone the tests act as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Organizer,
    LeadA,
    LeadB,
    Viewer,
    /// An organizer of an unrelated organization.
    Outsider,
    Disabled,
    Anonymous,
}

const EVERYONE: [Who; 7] =
    [Who::Organizer, Who::LeadA, Who::LeadB, Who::Viewer, Who::Outsider, Who::Disabled, Who::Anonymous];

struct Account {
    id: i32,
    login: String,
    cookie: String,
    csrf: String,
}

/// The demo campaign with one account per role, each with a session.
struct World {
    app: TestApp,
    campaign: i32,
    org: i32,
    venue_a: i32,
    venue_b: i32,
    accounts: HashMap<Who, Account>,
}

impl World {
    async fn new() -> World {
        World::on(spawn_app().await).await
    }

    async fn on(mut app: TestApp) -> World {
        // These tests say who they are on every request.
        app.client = reqwest::Client::new();
        let store = &app.db.store;
        let campaign = eventday::load_demo(store).await.expect("demo").campaign_id();
        let org = scope::campaign_organization(store.conn(), campaign).await.expect("query").expect("org");
        let days = scope::venue_days(store.conn(), campaign).await.expect("venues");
        let (venue_a, venue_b) = (days[1].venue_id, days[2].venue_id);
        crate::helpers::open_days(store, campaign).await;
        let outsider_org = organization::ActiveModel {
            name: Set("另一个协会".into()),
            parent_id: Set(None),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(store.conn())
        .await
        .expect("outsider org")
        .id;
        let mut accounts = HashMap::new();
        for (who, login, role, o, venues) in [
            (Who::Organizer, "org", Role::Organizer, Some(org), vec![]),
            (Who::LeadA, "lead-a", Role::Lead, None, vec![venue_a]),
            (Who::LeadB, "lead-b", Role::Lead, None, vec![venue_b]),
            (Who::Viewer, "viewer", Role::Viewer, Some(org), vec![]),
            (Who::Outsider, "outsider", Role::Organizer, Some(outsider_org), vec![]),
            (Who::Disabled, "gone", Role::Organizer, Some(org), vec![]),
        ] {
            let id = create(store, login, role, o, venues).await;
            let (cookie, csrf) = accounts::create_session(store, id).await.expect("session");
            accounts.insert(who, Account { id, login: login.into(), cookie, csrf });
        }
        accounts::set_user_disabled(store, accounts[&Who::Disabled].id, true, None).await.expect("disable");
        // The disabled user's session was deleted; make a new one directly so its refusal is
        // the per-request check, not a missing row.
        let (cookie, csrf) =
            accounts::create_session(store, accounts[&Who::Disabled].id).await.expect("session");
        if let Some(a) = accounts.get_mut(&Who::Disabled) {
            a.cookie = cookie;
            a.csrf = csrf;
        }
        World { app, campaign, org, venue_a, venue_b, accounts }
    }

    /// A request as `who`: session cookie plus CSRF header (none for `Anonymous`).
    fn req(&self, who: Who, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let r = self.app.client.request(method, self.app.url(path));
        match self.accounts.get(&who) {
            Some(a) => {
                r.header(COOKIE, format!("eventday_session={}", a.cookie)).header("x-csrf-token", &a.csrf)
            }
            None => r,
        }
    }

    async fn set_day(&self, venue_id: i32, status: &str) {
        let v =
            venue::Entity::find_by_id(venue_id).one(self.app.db.store.conn()).await.expect("q").expect("v");
        let mut am = v.into_active_model();
        am.day_status = Set(status.parse().expect("a day status"));
        am.update(self.app.db.store.conn()).await.expect("set day");
    }

    async fn day(&self, venue_id: i32) -> String {
        venue::Entity::find_by_id(venue_id)
            .one(self.app.db.store.conn())
            .await
            .expect("q")
            .expect("v")
            .day_status
            .to_string()
    }
}

async fn create(
    store: &eventday_store::Store,
    login: &str,
    role: Role,
    org: Option<i32>,
    venues: Vec<i32>,
) -> i32 {
    let new = NewUser {
        login: login.into(),
        display_name: String::new(),
        role,
        organization_id: org,
        venue_ids: venues,
        password: TEST_PASSWORD.into(),
    };
    accounts::create_user(store, new, None).await.expect("create user").id
}

fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}{}", N.fetch_add(1, Ordering::SeqCst))
}

async fn json_of(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn login(app: &TestApp, login: &str, password: &str) -> (u16, HeaderMap, Value) {
    let resp = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "login": login, "password": password }))
        .send()
        .await
        .expect("login");
    let headers = resp.headers().clone();
    let (status, body) = json_of(resp).await;
    (status, headers, body)
}

fn session_of(headers: &HeaderMap) -> String {
    let c = headers.get(SET_COOKIE).and_then(|v| v.to_str().ok()).expect("Set-Cookie");
    c.split(';').next().expect("cookie pair").to_owned()
}

#[tokio::test]
async fn login_sets_a_session_cookie_me_answers_and_logout_ends_it() {
    let w = World::new().await;
    let (status, headers, body) = login(&w.app, "LEAD-A ", TEST_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    let set_cookie = headers.get(SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attr), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain http by default: {set_cookie}");
    assert_eq!(body["user"]["login"], "lead-a");
    assert_eq!(body["user"]["venue_ids"], json!([w.venue_a]));
    let csrf = body["csrf_token"].as_str().expect("csrf").to_owned();
    let cookie = session_of(&headers);

    let me = |c: &str| w.app.client.get(w.app.url("/api/v1/auth/me")).header(COOKIE, c.to_owned()).send();
    let (status, body) = json_of(me(&cookie).await.expect("me")).await;
    assert_eq!((status, body["user"]["role"].as_str()), (200, Some("lead")), "{body}");
    assert_eq!(body["csrf_token"].as_str(), Some(csrf.as_str()));

    let out = w
        .app
        .client
        .post(w.app.url("/api/v1/auth/logout"))
        .header(COOKIE, cookie.clone())
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .expect("logout");
    assert_eq!(out.status().as_u16(), 200);
    assert!(
        out.headers().get(SET_COOKIE).and_then(|v| v.to_str().ok()).is_some_and(|c| c.contains("Max-Age=0"))
    );
    let (status, body) = json_of(me(&cookie).await.expect("me")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("unauthorized")));
    w.app.stop().await;
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_identical_answers() {
    let w = World::new().await;
    let (s1, h1, b1) = login(&w.app, "lead-a", "not the password").await;
    let (s2, h2, b2) = login(&w.app, "no-such-person", "not the password").await;
    let (s3, _, b3) = login(&w.app, "gone", TEST_PASSWORD).await;
    assert_eq!(s1, 401);
    assert_eq!((s1, &b1), (s2, &b2));
    assert_eq!((s1, &b1), (s3, &b3), "a disabled account answers like a wrong password");
    assert!(h1.get(SET_COOKIE).is_none() && h2.get(SET_COOKIE).is_none());
    w.app.stop().await;
}

#[tokio::test]
async fn throttling_locks_an_account_after_five_failures_and_an_address_after_twenty() {
    let w = World::new().await;
    for _ in 0..5 {
        assert_eq!(login(&w.app, "lead-a", "wrong password!").await.0, 401);
    }
    // Even the right password is refused now, with a clear message and Retry-After.
    let (status, headers, body) = login(&w.app, "lead-a", TEST_PASSWORD).await;
    assert_eq!(status, 429, "{body}");
    let retry: i64 =
        headers.get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok()).expect("Retry-After");
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    assert_eq!(body["error"]["code"], "too_many_requests");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("try again")), "{body}");
    // The counters live in the database, where every server instance sees them.
    let rows = login_throttle::Entity::find().all(w.app.db.store.conn()).await.expect("rows");
    assert!(rows.iter().any(|r| r.key == "account:lead-a" && r.locked_until.is_some()), "{rows:?}");
    // Another account still logs in from this address...
    assert_eq!(login(&w.app, "lead-b", TEST_PASSWORD).await.0, 200);
    // ...until the address has failed twenty times, whatever the login names.
    for i in 0..15 {
        assert_eq!(login(&w.app, &format!("nobody-{i}"), "wrong password!").await.0, 401, "attempt {i}");
    }
    let (status, _, body) = login(&w.app, "lead-b", TEST_PASSWORD).await;
    assert_eq!(status, 429, "{body}");
    w.app.stop().await;
}

#[tokio::test]
async fn a_disabled_users_session_and_token_stop_working_at_once() {
    let w = World::new().await;
    let lead = &w.accounts[&Who::LeadA];
    let (status, body) = json_of(
        w.req(Who::LeadA, reqwest::Method::POST, "/api/v1/auth/tokens")
            .json(&json!({"name": "phone"}))
            .send()
            .await
            .expect("t"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let token = body["secret"].as_str().expect("secret").to_owned();
    let by_token = || w.app.client.get(w.app.url("/api/v1/auth/me")).bearer_auth(&token).send();
    assert_eq!(by_token().await.expect("me").status().as_u16(), 200);

    let path = format!("/api/v1/users/{}/disable", lead.id);
    let (status, body) =
        json_of(w.req(Who::Organizer, reqwest::Method::POST, &path).send().await.expect("d")).await;
    assert_eq!((status, body["user"]["disabled"].as_bool()), (200, Some(true)), "{body}");

    let (status, _) =
        json_of(w.req(Who::LeadA, reqwest::Method::GET, "/api/v1/auth/me").send().await.expect("me")).await;
    assert_eq!(status, 401, "session refused");
    assert_eq!(by_token().await.expect("me").status().as_u16(), 401, "token refused");
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("disable"))
        .filter(audit_event::Column::EntityId.eq(lead.id.to_string()))
        .one(w.app.db.store.conn())
        .await
        .expect("q")
        .expect("disable audited");
    assert_eq!(audit.user_id, Some(w.accounts[&Who::Organizer].id));
    w.app.stop().await;
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_token_and_bearer_writes_do_not() {
    let w = World::new().await;
    let lead = &w.accounts[&Who::LeadA];
    let path = format!("/api/v1/venues/{}/day/submit", w.venue_a);
    let cookie = format!("eventday_session={}", lead.cookie);
    for bad in [None, Some("forged")] {
        let mut r = w.app.client.post(w.app.url(&path)).header(COOKIE, cookie.clone());
        if let Some(b) = bad {
            r = r.header("x-csrf-token", b);
        }
        let (status, body) = json_of(r.send().await.expect("post")).await;
        assert_eq!((status, body["error"]["code"].as_str()), (403, Some("csrf")), "{body}");
    }
    assert_eq!(w.day(w.venue_a).await, "open", "a refused request changes nothing");
    let (status, body) =
        json_of(w.req(Who::LeadA, reqwest::Method::POST, &path).send().await.expect("post")).await;
    assert_eq!((status, body["day_status"].as_str()), (200, Some("submitted")), "{body}");

    // A form post may carry the token as a field instead.
    let form = w
        .app
        .client
        .post(w.app.url("/api/v1/auth/logout"))
        .header(COOKIE, cookie.clone())
        .form(&[("csrf_token", lead.csrf.as_str())])
        .send()
        .await
        .expect("logout");
    assert_eq!(form.status().as_u16(), 200);

    // Bearer tokens need no CSRF token: browsers never attach them on their own.
    let (_, body) = json_of(
        w.req(Who::Organizer, reqwest::Method::POST, "/api/v1/auth/tokens")
            .json(&json!({"name": "script"}))
            .send()
            .await
            .expect("t"),
    )
    .await;
    let token = body["secret"].as_str().expect("secret").to_owned();
    let accept = format!("/api/v1/venues/{}/day/accept", w.venue_a);
    let resp = w.app.client.post(w.app.url(&accept)).bearer_auth(&token).send().await.expect("accept");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(w.day(w.venue_a).await, "accepted");
    let revoked = w
        .app
        .client
        .get(w.app.url("/api/v1/auth/me"))
        .bearer_auth("edt_not-a-token")
        .send()
        .await
        .expect("me");
    assert_eq!(revoked.status().as_u16(), 401);
    w.app.stop().await;
}

#[tokio::test]
async fn invitations_are_one_time_expire_and_set_a_password() {
    let w = World::new().await;
    let path = format!("/api/v1/venues/{}/invitations", w.venue_a);
    let (status, body) =
        json_of(w.req(Who::Organizer, reqwest::Method::POST, &path).send().await.expect("inv")).await;
    assert_eq!(status, 201, "{body}");
    let link = body["link"].as_str().expect("link").to_owned();
    let invite_path = link.split_once(&w.app.addr).map(|(_, p)| p.to_owned()).expect("link to this server");
    let token = invite_path.trim_start_matches("/invite/").to_owned();

    let svg = w
        .req(Who::Organizer, reqwest::Method::GET, body["qr_svg"].as_str().expect("svg"))
        .send()
        .await
        .expect("svg");
    assert_eq!(svg.status().as_u16(), 200);
    assert!(svg.text().await.expect("svg").contains("<svg"));
    let png = w
        .req(Who::Organizer, reqwest::Method::GET, body["qr_png"].as_str().expect("png"))
        .send()
        .await
        .expect("png");
    assert_eq!(png.status().as_u16(), 200);
    assert!(png.bytes().await.expect("png").starts_with(b"\x89PNG"));
    let id = body["invitation"]["id"].as_i64().expect("id");
    let wrong = w
        .req(Who::Organizer, reqwest::Method::GET, &format!("/api/v1/invitations/{id}/qr.svg?token=abc"))
        .send()
        .await
        .expect("qr");
    assert_eq!(wrong.status().as_u16(), 404);

    let page = w.app.client.get(w.app.url(&invite_path)).send().await.expect("page");
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.expect("page").contains("<form"));
    let post = |login: &'static str, password: &'static str| {
        w.app
            .client
            .post(w.app.url(&invite_path))
            .form(&[("login", login), ("display_name", "<b>王</b>"), ("password", password)])
            .send()
    };
    let short = post("newlead", "short").await.expect("post");
    assert_eq!(short.status().as_u16(), 422);
    let text = short.text().await.expect("page");
    assert!(text.contains("密码至少 10 个字符。"), "said in the page's words: {text}");
    assert!(text.contains("value=\"newlead\""), "what was typed is kept: {text}");
    // In English when the page is English (the language choice is kept in a cookie).
    let en = w.app.client.get(w.app.url(&format!("{invite_path}?lang=en"))).send().await.expect("page");
    let en = en.text().await.expect("page");
    assert!(en.contains("Choose a login and a password") && !en.contains("请设置"), "{en}");
    // Accepted: signed in (a session cookie) and sent straight to the venue's page.
    let no_redirect =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let ok = no_redirect
        .post(w.app.url(&invite_path))
        .form(&[("login", "newlead"), ("display_name", "<b>王</b>"), ("password", "a long enough password")])
        .send()
        .await
        .expect("post");
    assert_eq!(ok.status().as_u16(), 303);
    let to = ok.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(to, format!("/lead/venues/{}", w.venue_a));
    let cookie = ok.headers().get(SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let session = cookie.split(';').next().unwrap_or_default().to_owned();
    assert!(session.starts_with("eventday_session=") && session.len() > 30, "{cookie}");
    let page = no_redirect.get(w.app.url(&to)).header(COOKIE, session).send().await.expect("venue page");
    assert_eq!(page.status().as_u16(), 200, "the new lead's session opens their venue's page");
    let (status, _, body) = login(&w.app, "newlead", "a long enough password").await;
    assert_eq!((status, body["user"]["venue_ids"].clone()), (200, json!([w.venue_a])), "{body}");

    let again = post("otherlead", "a long enough password").await.expect("post");
    assert_eq!(again.status().as_u16(), 410);
    assert!(again.text().await.expect("page").contains("此邀请链接已使用过"));
    assert_eq!(login(&w.app, "otherlead", "a long enough password").await.0, 401);

    // An expired invitation is refused, on the page and on submission.
    let (_, token2) = accounts::create_invitation(
        &w.app.db.store,
        w.venue_b,
        w.accounts[&Who::Organizer].id,
        chrono::Duration::hours(1),
    )
    .await
    .expect("invitation");
    let inv = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(accounts::secret_hash(&token2)))
        .one(w.app.db.store.conn())
        .await
        .expect("q")
        .expect("row");
    let mut am = inv.into_active_model();
    am.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    am.update(w.app.db.store.conn()).await.expect("expire");
    let page = w.app.client.get(w.app.url(&format!("/invite/{token2}"))).send().await.expect("page");
    assert_eq!(page.status().as_u16(), 410);
    assert!(page.text().await.expect("page").contains("此邀请链接已过期"));
    let late = w
        .app
        .client
        .post(w.app.url(&format!("/invite/{token2}")))
        .form(&[("login", "latelead"), ("password", "a long enough password")])
        .send()
        .await
        .expect("post");
    assert_eq!(late.status().as_u16(), 410);
    assert!(accounts::user_id_by_login(&w.app.db.store, "latelead").await.is_err());

    // A revoked invitation opens nothing; a used one cannot be revoked (409).
    let (inv3, token3) = accounts::create_invitation(
        &w.app.db.store,
        w.venue_b,
        w.accounts[&Who::Organizer].id,
        chrono::Duration::hours(1),
    )
    .await
    .expect("invitation");
    let revoked = w
        .req(Who::Organizer, reqwest::Method::POST, &format!("/api/v1/invitations/{}/revoke", inv3.id))
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status().as_u16(), 200);
    let page = w.app.client.get(w.app.url(&format!("/invite/{token3}"))).send().await.expect("page");
    assert_eq!(page.status().as_u16(), 410);
    assert!(page.text().await.expect("page").contains("已被组织者撤销"));
    let used = w
        .req(Who::Organizer, reqwest::Method::POST, &format!("/api/v1/invitations/{id}/revoke"))
        .send()
        .await
        .expect("revoke");
    assert_eq!(used.status().as_u16(), 409);
    let trail = audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq("invitation"))
        .filter(audit_event::Column::EntityId.eq(inv3.id.to_string()))
        .filter(audit_event::Column::Action.eq("revoke"))
        .count(w.app.db.store.conn())
        .await
        .expect("audit");
    assert_eq!(trail, 1, "the revocation is audited");
    assert_ne!(token, token2);
    w.app.stop().await;
}

#[tokio::test]
async fn the_error_page_offers_signing_in_only_to_visitors_who_are_not_signed_in() {
    let w = World::new().await;
    let page =
        |who: Who, path: &str| w.req(who, reqwest::Method::GET, path).header("accept", "text/html").send();
    // Lead B may not see venue A's log page: refused, as the signed-in lead B.
    let resp = page(Who::LeadB, &format!("/lead/venues/{}", w.venue_a)).await.expect("page");
    assert_eq!(resp.status().as_u16(), 403);
    let html = resp.text().await.expect("html");
    assert!(html.contains("无权查看") && html.contains("已登录：</span>lead-b"), "{html}");
    assert!(!html.contains("id=\"signin-link\""), "no sign-in link for a signed-in user: {html}");
    // A record that does not exist, asked for by a signed-in organizer.
    let resp = page(Who::Organizer, "/campaigns/999999").await.expect("page");
    assert_eq!(resp.status().as_u16(), 404);
    let html = resp.text().await.expect("html");
    assert!(html.contains("id=\"signout\"") && !html.contains("id=\"signin-link\""), "{html}");
    // Nobody signed in: the sign-in link is there.
    let resp = page(Who::Anonymous, "/no-such-page").await.expect("page");
    assert_eq!(resp.status().as_u16(), 404);
    let html = resp.text().await.expect("html");
    assert!(html.contains("id=\"signin-link\"") && !html.contains("id=\"signout\""), "{html}");
    w.app.stop().await;
}

#[tokio::test]
async fn a_campaigns_invitations_are_listed_with_their_status_and_without_secrets() {
    let w = World::new().await;
    let org = w.accounts[&Who::Organizer].id;
    let store = &w.app.db.store;
    let hour = chrono::Duration::hours(1);
    let (fresh, fresh_token) = accounts::create_invitation(store, w.venue_a, org, hour).await.expect("inv");
    let (_, used_token) = accounts::create_invitation(store, w.venue_a, org, hour).await.expect("inv");
    let (old, _) = accounts::create_invitation(store, w.venue_b, org, hour).await.expect("inv");
    accounts::accept_invitation(store, &used_token, "listed-lead", "", TEST_PASSWORD.into())
        .await
        .expect("db")
        .expect("accepted");
    let row = invitation::Entity::find_by_id(old.id).one(store.conn()).await.expect("q").expect("row");
    let mut am = row.into_active_model();
    am.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    am.update(store.conn()).await.expect("expire");

    let list = |q: &str| {
        let path = format!("/api/v1/campaigns/{}/invitations{q}", w.campaign);
        w.req(Who::Organizer, reqwest::Method::GET, &path).send()
    };
    let (status, body) = json_of(list("").await.expect("list")).await;
    assert_eq!(status, 200, "{body}");
    let items = body.as_array().expect("array");
    let status_of = |id: i32| {
        items.iter().find(|i| i["id"] == json!(id)).map(|i| i["status"].as_str().unwrap_or("").to_owned())
    };
    assert_eq!(status_of(fresh.id).as_deref(), Some("unused"), "{body}");
    assert_eq!(status_of(old.id).as_deref(), Some("expired"), "{body}");
    assert_eq!(items.iter().filter(|i| i["status"] == "used").count(), 1, "{body}");
    let text = body.to_string();
    assert!(!text.contains(&fresh_token) && !text.contains("token"), "no secrets listed: {text}");

    let (status, body) = json_of(list("?status=expired").await.expect("list")).await;
    assert_eq!((status, body.as_array().map(Vec::len)), (200, Some(1)), "{body}");
    let (status, body) = json_of(list("?status=lost").await.expect("list")).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["fields"]["status"].is_string(), "{body}");
    let bad = w.req(Who::Organizer, reqwest::Method::GET, "/api/v1/campaigns/x/invitations");
    let (status, body) = json_of(bad.send().await.expect("bad")).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("id")), "{body}");
    // Leads of the campaign read it, but its invitations are for its planners only.
    let path = format!("/api/v1/campaigns/{}/invitations", w.campaign);
    let (status, _) =
        json_of(w.req(Who::LeadA, reqwest::Method::GET, &path).send().await.expect("lead")).await;
    assert_eq!(status, 403);
    w.app.stop().await;
}

/// Runs `eventday serve` on a test database, logging at debug level; returns the app (its
/// address) and the server process, whose standard error is the captured log.
async fn external_server() -> (TestApp, std::process::Child) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let db = crate::helpers::TestDb::new().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventday"))
        .args(["serve", "--bind", "127.0.0.1:0", "--log", "debug", "--database-url", &db.url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn server");
    let mut addr = String::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line.expect("line");
            if let Some(a) = line.strip_prefix("eventday is serving on http://") {
                addr = a.trim().to_owned();
                break;
            }
        }
    }
    assert!(!addr.is_empty(), "the server started");
    let app =
        TestApp { addr, client: reqwest::Client::new(), db, server: tokio::spawn(async {}), root_org: 0 };
    (app, child)
}

#[tokio::test]
async fn passwords_and_secrets_never_appear_in_responses_logs_or_the_audit_trail() {
    let (app, server) = external_server().await;
    let w = World::on(app).await;
    let mut responses = String::new();
    let chosen = "chosen-password-7731";
    let (status, body) = json_of(
        w.req(Who::Organizer, reqwest::Method::POST, "/api/v1/users")
            .json(&json!({"login": "v2", "role": "viewer", "password": chosen}))
            .send()
            .await
            .expect("create"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    responses.push_str(&body.to_string());
    let (status, body) = json_of(
        w.req(Who::Organizer, reqwest::Method::POST, "/api/v1/users")
            .json(&json!({"login": "v3", "role": "viewer"}))
            .send()
            .await
            .expect("create"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let generated = body["generated_password"].as_str().expect("generated once").to_owned();
    for (l, p) in [("v2", chosen), ("v2", "wrong-password-5512"), ("nobody", "wrong-password-5512")] {
        let (_, headers, body) = login(&w.app, l, p).await;
        responses.push_str(&body.to_string());
        responses.push_str(&format!("{headers:?}"));
    }
    let (status, _, body) = login(&w.app, "v3", &generated).await;
    assert_eq!(status, 200, "{body}");
    let (_, inv) = json_of(
        w.req(Who::Organizer, reqwest::Method::POST, &format!("/api/v1/venues/{}/invitations", w.venue_a))
            .send()
            .await
            .expect("inv"),
    )
    .await;
    let link = inv["link"].as_str().expect("link").to_owned();
    let invite_token = link.rsplit('/').next().expect("token").to_owned();
    let page = w
        .app
        .client
        .post(link)
        .form(&[("login", "invited"), ("password", "invited-password-9120")])
        .send()
        .await
        .expect("accept");
    responses.push_str(&page.text().await.expect("page"));

    let audit: String = audit_event::Entity::find()
        .all(w.app.db.store.conn())
        .await
        .expect("audit")
        .iter()
        .map(|e| format!("{} {}\n", e.before.as_deref().unwrap_or(""), e.after.as_deref().unwrap_or("")))
        .collect();
    let mut server = server;
    server.kill().ok();
    let out = server.wait_with_output().expect("server output");
    let logged = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(logged.contains("logged in"), "the capture works: {}", logged.get(..3000).unwrap_or(&logged));
    assert!(audit.contains("\"login\":\"v2\""), "the audit trail is there: {audit}");
    assert!(logged.contains("path=/invite/…"), "request spans are captured, with the token cut off");
    for secret in
        [chosen, "wrong-password-5512", "invited-password-9120", generated.as_str(), invite_token.as_str()]
    {
        assert!(!logged.contains(secret), "{secret} logged");
        assert!(!audit.contains(secret), "{secret} audited");
    }
    for secret in [chosen, "wrong-password-5512", "invited-password-9120", "$argon2"] {
        assert!(!responses.contains(secret), "{secret} in a response");
    }
    assert!(!audit.contains("$argon2") && !logged.contains("$argon2"));
    w.app.stop().await;
}

#[tokio::test]
async fn an_accepted_venues_figures_refuse_writes_until_reopened() {
    let w = World::new().await;
    let post = |who: Who, step: &str, venue: i32| {
        w.req(who, reqwest::Method::POST, &format!("/api/v1/venues/{venue}/day/{step}")).send()
    };
    assert_eq!(
        post(Who::LeadA, "submit", w.venue_b).await.expect("p").status().as_u16(),
        403,
        "not their venue"
    );
    assert_eq!(
        post(Who::LeadA, "accept", w.venue_a).await.expect("p").status().as_u16(),
        403,
        "not a lead's step"
    );
    let (status, body) = json_of(post(Who::Organizer, "accept", w.venue_a).await.expect("p")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("conflict")),
        "nothing submitted yet: {body}"
    );
    assert_eq!(post(Who::LeadA, "submit", w.venue_a).await.expect("p").status().as_u16(), 200);
    assert_eq!(post(Who::Organizer, "accept", w.venue_a).await.expect("p").status().as_u16(), 200);

    let tx = w.app.db.store.write_tx().await.expect("tx");
    let locked = scope::ensure_venue_writable(&tx, w.venue_a).await;
    assert!(
        matches!(locked, Err(StoreError::VenueLocked { venue_id, .. }) if venue_id == w.venue_a),
        "{locked:?}"
    );
    assert!(scope::ensure_venue_writable(&tx, w.venue_b).await.is_ok());
    drop(tx);
    assert_eq!(post(Who::LeadA, "submit", w.venue_a).await.expect("p").status().as_u16(), 409);

    let (_, summary) = json_of(
        w.req(Who::Viewer, reqwest::Method::GET, &format!("/api/v1/campaigns/{}/summary", w.campaign))
            .send()
            .await
            .expect("s"),
    )
    .await;
    let days = summary["venue_days"].as_array().expect("venue_days");
    let status_of = |v: i32| days.iter().find(|d| d["venue_id"] == json!(v)).map(|d| d["day_status"].clone());
    assert_eq!(status_of(w.venue_a), Some(json!("accepted")));
    assert_eq!(status_of(w.venue_b), Some(json!("open")));

    assert_eq!(post(Who::Organizer, "reopen", w.venue_a).await.expect("p").status().as_u16(), 200);
    let tx = w.app.db.store.write_tx().await.expect("tx");
    assert!(scope::ensure_venue_writable(&tx, w.venue_a).await.is_ok());
    drop(tx);
    let trail = audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq("venue"))
        .filter(audit_event::Column::EntityId.eq(w.venue_a.to_string()))
        .order_by_asc(audit_event::Column::Id)
        .all(w.app.db.store.conn())
        .await
        .expect("audit");
    // The demo loader's own steps (closing its campaign's days) have no acting user.
    let steps: Vec<(String, Option<i32>)> = trail
        .into_iter()
        .filter(|e| e.action.starts_with("day_") && e.user_id.is_some())
        .map(|e| (e.action, e.user_id))
        .collect();
    let (org, lead) = (Some(w.accounts[&Who::Organizer].id), Some(w.accounts[&Who::LeadA].id));
    assert_eq!(
        steps,
        [("day_submit".into(), lead), ("day_accept".into(), org), ("day_reopen".into(), org)],
        "both steps audited with the acting user"
    );
    w.app.stop().await;
}

/// The status each of [`EVERYONE`] gets, in that order.
type Expect = [u16; 7];

const PUBLIC: Expect = [200, 200, 200, 200, 200, 200, 200];
const ANY_USER: Expect = [200, 200, 200, 200, 200, 401, 401];
const ANY_USER_CREATED: Expect = [201, 201, 201, 201, 201, 401, 401];
const ORGANIZERS: Expect = [200, 403, 403, 403, 200, 401, 401];
const ORGANIZER_OF: Expect = [200, 403, 403, 403, 403, 401, 401];
const READERS: Expect = [200, 200, 200, 200, 403, 401, 401];
/// Organization-wide views (roll-up, subtree feed): organizers and viewers; a lead reads only
/// their campaign.
const ORG_READERS: Expect = [200, 403, 403, 200, 403, 401, 401];
const LEAD_A_OR_ORGANIZER: Expect = [200, 200, 403, 403, 403, 401, 401];

/// Who may write a CRUD resource.
#[derive(Clone, Copy)]
enum Writers {
    /// Organizers of the campaign's tree.
    Plan,
    /// Those and the leads of venue A.
    Log,
    /// Any organizer (the shared unit directory).
    AnyOrganizer,
}

impl Writers {
    /// The statuses for a write answering `ok` when allowed.
    fn expect(self, ok: u16) -> Expect {
        match self {
            Writers::Plan => [ok, 403, 403, 403, 403, 401, 401],
            Writers::Log => [ok, ok, 403, 403, 403, 401, 401],
            Writers::AnyOrganizer => [ok, 403, 403, 403, ok, 401, 401],
        }
    }
}

/// The CRUD resources: list path, item path, who reads, who writes.
const CRUD: &[(&str, &str, Expect, Writers)] = &[
    ("/api/v1/organizations", "/api/v1/organizations/{id}", ANY_USER, Writers::Plan),
    ("/api/v1/units", "/api/v1/units/{id}", ANY_USER, Writers::AnyOrganizer),
    ("/api/v1/campaigns/{id}/venues", "/api/v1/venues/{id}", READERS, Writers::Plan),
    ("/api/v1/campaigns/{id}/participations", "/api/v1/participations/{id}", READERS, Writers::Plan),
    ("/api/v1/venues/{id}/booths", "/api/v1/booths/{id}", READERS, Writers::Plan),
    ("/api/v1/venues/{id}/activities", "/api/v1/activities/{id}", READERS, Writers::Plan),
    ("/api/v1/campaigns/{id}/materials", "/api/v1/materials/{id}", READERS, Writers::Plan),
    ("/api/v1/campaigns/{id}/media", "/api/v1/media/{id}", READERS, Writers::Plan),
    ("/api/v1/campaigns/{id}/officials", "/api/v1/officials/{id}", READERS, Writers::Plan),
    ("/api/v1/campaigns/{id}/disputes", "/api/v1/disputes/{id}", READERS, Writers::Log),
    ("/api/v1/campaigns/{id}/narrative", "/api/v1/narrative/{id}", READERS, Writers::Plan),
    ("/api/v1/venues/{id}/tallies", "/api/v1/tallies/{id}", READERS, Writers::Log),
    ("/api/v1/campaigns/{id}/tasks", "/api/v1/tasks/{id}", READERS, Writers::Plan),
];

impl World {
    /// A write as the organizer, to set things up; returns the body.
    async fn setup(&self, method: reqwest::Method, path: &str, body: &Value) -> Value {
        let resp = self.req(Who::Organizer, method, path).json(body).send().await.expect("setup");
        let status = resp.status().as_u16();
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        assert!(status < 300, "setting up {path}: {status} {v}");
        v
    }

    async fn fresh_unit(&self) -> i64 {
        let v = self
            .setup(reqwest::Method::POST, "/api/v1/units", &json!({"name": unique("单位"), "kind": "media"}))
            .await;
        v["id"].as_i64().expect("unit id")
    }

    /// The list URL of a CRUD resource (its parent made fresh where writes would collide) and a
    /// valid new row for it.
    async fn crud_input(&self, list: &str) -> (String, Value) {
        let (c, va) = (self.campaign, self.venue_a);
        let n = unique("");
        match list {
            "/api/v1/organizations" => {
                (list.into(), json!({"name": format!("分会{n}"), "parent_id": self.org}))
            }
            "/api/v1/units" => (list.into(), json!({"name": format!("单位{n}"), "kind": "enterprise"})),
            "/api/v1/campaigns/{id}/venues" => (
                format!("/api/v1/campaigns/{c}/venues"),
                json!({"kind": "sub", "name": format!("分会场{n}"), "width_m": 20.0, "depth_m": 10.0}),
            ),
            "/api/v1/campaigns/{id}/participations" => (
                format!("/api/v1/campaigns/{c}/participations"),
                json!({"unit_id": self.fresh_unit().await, "media": true}),
            ),
            "/api/v1/venues/{id}/booths" => {
                // A venue of its own, so booths never overlap those of other samples.
                let v = self
                    .setup(
                        reqwest::Method::POST,
                        &format!("/api/v1/campaigns/{c}/venues"),
                        &json!({"kind": "sub", "name": format!("展位会场{n}"), "width_m": 20.0, "depth_m": 10.0}),
                    )
                    .await;
                let venue = v["id"].as_i64().expect("venue id");
                // The booth must be at venue A's campaign: the rule is checked on the venue.
                (
                    format!("/api/v1/venues/{venue}/booths"),
                    json!({"topic": "民生消费咨询台", "kind": "consultation", "x": 0, "y": 0, "w": 2, "h": 2}),
                )
            }
            "/api/v1/venues/{id}/activities" => (
                format!("/api/v1/venues/{va}/activities"),
                json!({"kind": "school_lecture", "title": format!("进校园{n}"), "starts_at": "2013-03-15T01:00:00Z", "ends_at": "2013-03-15T02:00:00Z"}),
            ),
            "/api/v1/campaigns/{id}/materials" => (
                format!("/api/v1/campaigns/{c}/materials"),
                json!({"name": format!("资料{n}"), "unit_label": "份", "planned": 10}),
            ),
            "/api/v1/campaigns/{id}/media" => (
                format!("/api/v1/campaigns/{c}/media"),
                json!({"outlet_unit_id": self.fresh_unit().await, "channel": "tv", "format": "live", "date": "2013-03-15", "headline": "直播"}),
            ),
            "/api/v1/campaigns/{id}/officials" => {
                (format!("/api/v1/campaigns/{c}/officials"), json!({"name": "张三", "title": "副区长"}))
            }
            "/api/v1/campaigns/{id}/disputes" => (
                format!("/api/v1/campaigns/{c}/disputes"),
                json!({"venue_id": va, "category": "食品", "amount_claimed_fen": 5000, "received_on": "2013-03-15"}),
            ),
            "/api/v1/campaigns/{id}/narrative" => (
                format!("/api/v1/campaigns/{c}/narrative"),
                json!({"lang": "zh", "key": format!("k{n}"), "heading": "工作开展情况"}),
            ),
            "/api/v1/venues/{id}/tallies" => {
                // A booth of its own at venue A (not placed), so tallies never collide.
                let b = self
                    .setup(
                        reqwest::Method::POST,
                        &format!("/api/v1/venues/{va}/booths"),
                        &json!({"topic": format!("咨询台{n}"), "kind": "consultation"}),
                    )
                    .await;
                (
                    format!("/api/v1/venues/{va}/tallies"),
                    json!({"booth_id": b["id"], "figures": {"visitors": 12, "consultations": 3,
                        "complaints_received": 1, "complaints_settled": 1, "money_recovered_fen": 0}}),
                )
            }
            "/api/v1/campaigns/{id}/tasks" => (
                format!("/api/v1/campaigns/{c}/tasks"),
                json!({"title": format!("布置会场{n}"), "due_on": "2013-03-14", "venue_id": va}),
            ),
            other => panic!("no CRUD input for {other}"),
        }
    }

    /// A new row of a CRUD resource, made by the organizer; returns its item URL and an input
    /// that may replace it.
    async fn crud_item(&self, list: &str, item: &str) -> (String, Value) {
        let (list_url, body) = self.crud_input(list).await;
        let row = self.setup(reqwest::Method::POST, &list_url, &body).await;
        let id = row["id"].as_i64().expect("id");
        let mut again = body.clone();
        if let Some(name) = again.get_mut("name") {
            *name = json!(format!("{}改", name.as_str().unwrap_or("x")));
        }
        (item.replace("{id}", &id.to_string()), again)
    }

    /// A complaint case at venue A, with a consented phone.
    async fn new_case(&self) -> Value {
        let body = json!({"client_id": uuid::Uuid::new_v4(), "category": "食品", "consent": true,
            "consumer_name": "张三", "consumer_phone": "13812341234"});
        self.setup(reqwest::Method::POST, &format!("/api/v1/venues/{}/cases", self.venue_a), &body).await
    }

    async fn venue_a_entry(&self) -> String {
        let entry = json!({"id": uuid::Uuid::new_v4().to_string(), "recorded_at": "2013-03-15T02:00:00Z",
            "author_name": "xx", "visitors": 3});
        let v =
            self.setup(reqwest::Method::POST, &format!("/api/v1/venues/{}/log", self.venue_a), &entry).await;
        v["id"].as_str().expect("entry id").to_owned()
    }
}

fn png_bytes() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend((0..200u32).map(|i| (i % 251) as u8));
    png
}

/// A sample request for `route` as `who` (made valid so that only authorization decides), and
/// the statuses expected. A route without a sample fails the enumeration test.
async fn sample(
    w: &World,
    method: &reqwest::Method,
    path: &str,
    who: Who,
) -> (reqwest::RequestBuilder, Expect) {
    use reqwest::Method as M;
    let store = &w.app.db.store;
    let org_id = w.accounts[&Who::Organizer].id;
    let own_id = w.accounts.get(&who).map_or(org_id, |a| a.id);
    let (va, c) = (w.venue_a, w.campaign);
    let new_invitation = || async {
        accounts::create_invitation(store, va, org_id, chrono::Duration::hours(1)).await.expect("invitation")
    };
    if !path.contains("/day/") {
        // Other samples leave venue A's day as they please; writes need it open.
        w.set_day(va, "open").await;
    }
    match (method.clone(), path) {
        (M::GET, "/") => (w.req(who, M::GET, "/"), PUBLIC),
        (M::GET, "/healthz") => (w.req(who, M::GET, "/healthz"), PUBLIC),
        (M::GET, "/login") => (w.req(who, M::GET, "/login"), PUBLIC),
        (M::GET, "/assets/{*path}") => (w.req(who, M::GET, "/assets/app.css"), PUBLIC),
        (M::GET, "/lead-sw.js") => (w.req(who, M::GET, "/lead-sw.js"), PUBLIC),
        (M::GET, "/lead") => (w.req(who, M::GET, "/lead"), ANY_USER),
        (M::GET, "/lead/venues/{id}") => {
            (w.req(who, M::GET, &format!("/lead/venues/{va}")), LEAD_A_OR_ORGANIZER)
        }
        (M::GET, "/lead/venues/{id}/case") => {
            (w.req(who, M::GET, &format!("/lead/venues/{va}/case")), LEAD_A_OR_ORGANIZER)
        }
        (M::POST, "/api/v1/venues/{id}/cases") => {
            let body = json!({"client_id": uuid::Uuid::new_v4(), "category": "食品", "consent": false});
            (w.req(who, M::POST, &format!("/api/v1/venues/{va}/cases")).json(&body), Writers::Log.expect(201))
        }
        (M::GET, "/api/v1/campaigns/{id}/cases") => {
            (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/cases")), READERS)
        }
        (M::GET, "/case/{code}") => {
            let case = w.new_case().await;
            (w.req(who, M::GET, &format!("/case/{}", case["code"].as_str().expect("code"))), PUBLIC)
        }
        (M::GET, "/disputes/{id}/case" | "/disputes/{id}/case/slip" | "/api/v1/disputes/{id}/case") => {
            let case = w.new_case().await;
            (w.req(who, M::GET, &path.replace("{id}", &case["dispute_id"].to_string())), READERS)
        }
        (M::POST, "/api/v1/disputes/{id}/case/steps") => {
            let case = w.new_case().await;
            let url = format!("/api/v1/disputes/{}/case/steps", case["dispute_id"]);
            (
                w.req(who, M::POST, &url).json(&json!({"stage": "mediating", "on": "2013-03-15"})),
                LEAD_A_OR_ORGANIZER,
            )
        }
        (M::POST, "/api/v1/disputes/{id}/case/contact") => {
            let case = w.new_case().await;
            let url = format!("/api/v1/disputes/{}/case/contact", case["dispute_id"]);
            (w.req(who, M::POST, &url), ORGANIZER_OF)
        }
        (M::POST, "/api/v1/disputes/{id}/case/evidence") => {
            let case = w.new_case().await;
            let url = format!("/api/v1/disputes/{}/case/evidence", case["dispute_id"]);
            let r = w.req(who, M::POST, &url).header("content-type", "image/png");
            (r.body(png_bytes()), Writers::Log.expect(201))
        }
        (M::GET, "/api/v1/disputes/{id}/case/evidence" | "/api/v1/case-evidence/{id}") => {
            // Personal data: the case's venue's leads and the campaign's organizers only.
            let case = w.new_case().await;
            let dispute = i32::try_from(case["dispute_id"].as_i64().expect("id")).expect("i32");
            let (photo, _) = eventday_store::cases::add_evidence(store, None, dispute, png_bytes())
                .await
                .expect("db")
                .expect("a photo");
            let id = if path.starts_with("/api/v1/disputes") { dispute } else { photo.id };
            (w.req(who, M::GET, &path.replace("{id}", &id.to_string())), LEAD_A_OR_ORGANIZER)
        }
        (M::PUT, "/api/v1/organizations/{id}/case-settings") => {
            let url = format!("/api/v1/organizations/{}/case-settings", w.org);
            (w.req(who, M::PUT, &url).json(&json!({"retention_days": 365})), ORGANIZER_OF)
        }
        (M::GET, "/venues/{id}/plan" | "/venues/{id}/plan/print") => {
            (w.req(who, M::GET, &path.replace("{id}", &va.to_string())), READERS)
        }
        (M::GET, "/campaigns/{id}/invitations" | "/api/v1/campaigns/{id}/invitations") => {
            (w.req(who, M::GET, &path.replace("{id}", &c.to_string())), ORGANIZER_OF)
        }
        (M::GET, p) if p.starts_with("/campaigns/{id}") => {
            (w.req(who, M::GET, &p.replace("{id}", &c.to_string())), READERS)
        }
        (M::GET, "/organizations/{id}/rollup" | "/organizations/{id}/rollup/live") => (
            w.req(who, M::GET, &format!("{}?year=2013", path.replace("{id}", &w.org.to_string()))),
            ORG_READERS,
        ),
        (M::GET, "/api/v1/campaigns") => (w.req(who, M::GET, "/api/v1/campaigns"), ANY_USER),
        (M::GET, "/api/v1/campaigns/{id}/summary") => {
            (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/summary")), READERS)
        }
        (M::GET, "/api/v1/campaigns/{id}/report-settings") => {
            (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/report-settings")), READERS)
        }
        (M::PUT, "/api/v1/campaigns/{id}/report-settings") => {
            let body = json!({"title": "2013年“3·15”活动总结", "issuer": "区消费者协会"});
            (w.req(who, M::PUT, &format!("/api/v1/campaigns/{c}/report-settings")).json(&body), ORGANIZER_OF)
        }
        (M::POST, "/api/v1/auth/login") => {
            let login = w.accounts.get(&who).map_or("nobody", |a| a.login.as_str());
            let body = json!({"login": login, "password": TEST_PASSWORD});
            (w.req(who, M::POST, path).json(&body), [200, 200, 200, 200, 200, 401, 401])
        }
        (M::POST, "/api/v1/auth/logout") => {
            // A session of its own, so the shared one survives.
            let r = if who == Who::Anonymous {
                w.app.client.post(w.app.url(path))
            } else {
                let session = accounts::create_session(store, own_id).await.expect("session");
                with_session(w, &session, M::POST, path)
            };
            (r, ANY_USER)
        }
        (M::GET, "/api/v1/auth/me" | "/api/v1/auth/tokens") => (w.req(who, M::GET, path), ANY_USER),
        (M::POST, "/api/v1/auth/tokens") => {
            (w.req(who, M::POST, path).json(&json!({"name": "enumeration"})), ANY_USER_CREATED)
        }
        (M::DELETE, "/api/v1/auth/tokens/{id}") => {
            let (t, _) = accounts::create_api_token(store, own_id, "to revoke").await.expect("token");
            (w.req(who, M::DELETE, &format!("/api/v1/auth/tokens/{}", t.id)), ANY_USER)
        }
        (M::GET, "/api/v1/users") => (w.req(who, M::GET, path), ORGANIZERS),
        (M::POST, "/api/v1/users") => {
            let body = json!({"login": unique("enum-user-"), "role": "viewer", "password": TEST_PASSWORD});
            (w.req(who, M::POST, path).json(&body), [201, 403, 403, 403, 201, 401, 401])
        }
        (M::POST, "/api/v1/users/{id}/disable") => {
            let id = create(store, &unique("victim-"), Role::Viewer, Some(w.org), vec![]).await;
            (w.req(who, M::POST, &format!("/api/v1/users/{id}/disable")), ORGANIZER_OF)
        }
        (M::POST, "/api/v1/venues/{id}/day/submit") => {
            w.set_day(va, "open").await;
            (w.req(who, M::POST, &format!("/api/v1/venues/{va}/day/submit")), LEAD_A_OR_ORGANIZER)
        }
        (M::POST, "/api/v1/venues/{id}/day/accept") => {
            w.set_day(va, "submitted").await;
            (w.req(who, M::POST, &format!("/api/v1/venues/{va}/day/accept")), ORGANIZER_OF)
        }
        (M::POST, "/api/v1/campaigns/{id}/days/accept") => {
            w.set_day(va, "submitted").await;
            let body = json!({"venue_ids": [va]});
            (w.req(who, M::POST, &format!("/api/v1/campaigns/{c}/days/accept")).json(&body), ORGANIZER_OF)
        }
        (M::POST, "/api/v1/venues/{id}/day/reopen") => {
            w.set_day(va, "accepted").await;
            (w.req(who, M::POST, &format!("/api/v1/venues/{va}/day/reopen")), ORGANIZER_OF)
        }
        (M::POST, "/api/v1/venues/{id}/invitations") => (
            w.req(who, M::POST, &format!("/api/v1/venues/{va}/invitations")),
            [201, 403, 403, 403, 403, 401, 401],
        ),
        (M::GET, "/api/v1/invitations/{id}/qr.svg" | "/api/v1/invitations/{id}/qr.png") => {
            let (inv, token) = new_invitation().await;
            let p = path.replace("{id}", &inv.id.to_string());
            (w.req(who, M::GET, &format!("{p}?token={token}")), ORGANIZER_OF)
        }
        (M::POST, "/api/v1/invitations/{id}/revoke") => {
            let (inv, _) = new_invitation().await;
            (w.req(who, M::POST, &format!("/api/v1/invitations/{}/revoke", inv.id)), ORGANIZER_OF)
        }
        (M::GET, "/invite/{token}") => {
            let (_, token) = new_invitation().await;
            (w.req(who, M::GET, &format!("/invite/{token}")), PUBLIC)
        }
        (M::POST, "/invite/{token}") => {
            // Accepting signs the new lead in and sends them on to their venue (303), whoever
            // sent the form; the redirect is looked at, not followed.
            let (_, token) = new_invitation().await;
            let login = unique("invited-");
            let form = [("login", login.as_str()), ("password", TEST_PASSWORD)];
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client");
            let mut r = client.post(w.app.url(&format!("/invite/{token}"))).form(&form);
            if let Some(a) = w.accounts.get(&who) {
                r = r
                    .header(COOKIE, format!("eventday_session={}", a.cookie))
                    .header("x-csrf-token", &a.csrf);
            }
            (r, [303; 7])
        }
        (M::GET, "/api/openapi.json") => (w.req(who, M::GET, path), PUBLIC),
        (M::POST, "/api/v1/campaigns/{id}/import/{kind}") => {
            // A dry run: checks every row, writes nothing.
            let csv = format!(
                "名称,类型,承办单位,地址,负责人,宽（米）,深（米）,开始时间,结束时间\n\
                               导入会场{},分会场,区消协,中山大道,xx,20,10,09:00,12:00\n",
                unique("")
            );
            let form = reqwest::multipart::Form::new()
                .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("venues.csv"));
            let url = format!("/api/v1/campaigns/{c}/import/venues?dry_run=true");
            (w.req(who, M::POST, &url).multipart(form), Writers::Plan.expect(200))
        }
        (M::GET, "/api/v1/campaigns/{id}/export/{file}") => {
            (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/export/venues.csv")), READERS)
        }
        (M::GET, "/api/v1/campaigns/{id}/report.xlsx") => {
            (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/report.xlsx")), READERS)
        }
        (M::GET, "/api/v1/export/template/{file}") => {
            (w.req(who, M::GET, "/api/v1/export/template/venues.xlsx"), [200, 200, 200, 200, 200, 401, 401])
        }
        (M::GET, "/api/v1/campaigns/{id}/report.pdf") => {
            (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/report.pdf")), READERS)
        }
        (M::GET, "/api/v1/campaigns/{id}/report.docx") => {
            (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/report.docx")), READERS)
        }
        (M::GET, "/api/v1/audit") => (w.req(who, M::GET, path), ORGANIZERS),
        (M::POST, "/api/v1/campaigns") => {
            let date = chrono::NaiveDate::from_ymd_opt(2014, 1, 1).expect("date")
                + chrono::Duration::days(unique("").parse::<i64>().unwrap_or(0));
            let body = json!({"organization_id": w.org, "year": 2014, "date": date, "title": "活动", "theme": "主题"});
            (w.req(who, M::POST, path).json(&body), Writers::Plan.expect(201))
        }
        (M::GET | M::PUT | M::DELETE, "/api/v1/campaigns/{id}") => {
            if *method == M::GET {
                return (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}")), READERS);
            }
            let date = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).expect("date")
                + chrono::Duration::days(unique("").parse::<i64>().unwrap_or(0));
            let body = json!({"organization_id": w.org, "year": 2015, "date": date, "title": "活动", "theme": "主题"});
            let row = w.setup(M::POST, "/api/v1/campaigns", &body).await;
            let url = format!("/api/v1/campaigns/{}", row["id"]);
            if *method == M::PUT {
                (w.req(who, M::PUT, &url).json(&body), Writers::Plan.expect(200))
            } else {
                (w.req(who, M::DELETE, &url), Writers::Plan.expect(204))
            }
        }
        (M::POST, "/api/v1/disputes/{id}/status") => {
            let (url, _) = w.crud_item("/api/v1/campaigns/{id}/disputes", "/api/v1/disputes/{id}").await;
            (
                w.req(who, M::POST, &format!("{url}/status")).json(&json!({"status": "mediating"})),
                LEAD_A_OR_ORGANIZER,
            )
        }
        (M::GET, "/api/v1/materials/{id}/allocations") => {
            let (url, _) = w.crud_item("/api/v1/campaigns/{id}/materials", "/api/v1/materials/{id}").await;
            (w.req(who, M::GET, &format!("{url}/allocations")), READERS)
        }
        (M::PUT | M::DELETE, "/api/v1/materials/{id}/allocations/{venue_id}") => {
            let (url, _) = w.crud_item("/api/v1/campaigns/{id}/materials", "/api/v1/materials/{id}").await;
            let url = format!("{url}/allocations/{va}");
            let body = json!({"quantity": 5});
            if *method == M::PUT {
                (w.req(who, M::PUT, &url).json(&body), Writers::Plan.expect(200))
            } else {
                w.setup(M::PUT, &url, &body).await;
                (w.req(who, M::DELETE, &url), Writers::Plan.expect(204))
            }
        }
        (M::PUT, "/api/v1/activities/{id}/figures") => {
            let (url, _) = w.crud_item("/api/v1/venues/{id}/activities", "/api/v1/activities/{id}").await;
            (
                w.req(who, M::PUT, &format!("{url}/figures")).json(&json!({"participants": 40})),
                LEAD_A_OR_ORGANIZER,
            )
        }
        (M::POST, "/api/v1/venues/{id}/log") => {
            let entry = json!({"id": uuid::Uuid::new_v4().to_string(), "recorded_at": "2013-03-15T02:00:00Z",
                "author_name": "xx", "visitors": 3});
            (w.req(who, M::POST, &format!("/api/v1/venues/{va}/log")).json(&entry), Writers::Log.expect(201))
        }
        (M::GET, "/api/v1/venues/{id}/log") => {
            (w.req(who, M::GET, &format!("/api/v1/venues/{va}/log")), READERS)
        }
        (M::GET, "/api/v1/campaigns/{id}/log") => {
            (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/log")), READERS)
        }
        (M::GET, "/api/v1/log/{entry_id}" | "/api/v1/log/{entry_id}/photos") => {
            let e = w.venue_a_entry().await;
            (w.req(who, M::GET, &path.replace("{entry_id}", &e)), READERS)
        }
        (M::POST, "/api/v1/log/{entry_id}/photos") => {
            let e = w.venue_a_entry().await;
            let r =
                w.req(who, M::POST, &format!("/api/v1/log/{e}/photos")).header("content-type", "image/png");
            (r.body(png_bytes()), Writers::Log.expect(201))
        }
        // The thumbnail of these bytes (not a real picture) is the photo itself: still 200.
        (M::GET, "/api/v1/photos/{id}" | "/api/v1/photos/{id}/thumb") => {
            let e = w.venue_a_entry().await;
            let photo = eventday_store::log::add_photo(store, &e, png_bytes(), None)
                .await
                .expect("db")
                .expect("photo");
            (w.req(who, M::GET, &path.replace("{id}", &photo.id.to_string())), READERS)
        }
        (M::PUT, "/api/v1/photos/{id}/star" | "/api/v1/photos/{id}/caption") => {
            let e = w.venue_a_entry().await;
            let photo = eventday_store::log::add_photo(store, &e, png_bytes(), None)
                .await
                .expect("db")
                .expect("photo");
            let body =
                if path.ends_with("/star") { json!({"starred": true}) } else { json!({"caption": "现场"}) };
            let url = path.replace("{id}", &photo.id.to_string());
            (w.req(who, M::PUT, &url).json(&body), Writers::Log.expect(200))
        }
        (M::GET, "/api/v1/campaigns/{id}/photos" | "/api/v1/campaigns/{id}/photos.zip") => {
            (w.req(who, M::GET, &path.replace("{id}", &c.to_string())), READERS)
        }
        // Before the day: cloning, checklist, check-ins, messages.
        (M::GET, "/check-in/{id}/{participant}") => {
            let unit =
                eventday_store::planning::participations::list(store, c).await.expect("units")[0].unit_id;
            (w.req(who, M::GET, &format!("/check-in/{c}/unit-{unit}")), READERS)
        }
        (M::POST, "/api/v1/campaigns/{id}/clone") => {
            let date = chrono::NaiveDate::from_ymd_opt(2016, 1, 1).expect("date")
                + chrono::Duration::days(unique("").parse::<i64>().unwrap_or(0));
            let body = json!({"date": date, "parts": ["checklist", "narrative"]});
            (
                w.req(who, M::POST, &format!("/api/v1/campaigns/{c}/clone")).json(&body),
                Writers::Plan.expect(201),
            )
        }
        (M::POST, "/api/v1/campaigns/{id}/tasks/default") => {
            (w.req(who, M::POST, &format!("/api/v1/campaigns/{c}/tasks/default")), Writers::Plan.expect(201))
        }
        (M::PUT, "/api/v1/tasks/{id}/status") => {
            // A task of venue A: its leads may change the status, like the organizers.
            let t = w
                .setup(
                    M::POST,
                    &format!("/api/v1/campaigns/{c}/tasks"),
                    &json!({"title": unique("物资送达"), "due_on": "2013-03-14", "venue_id": va}),
                )
                .await;
            let body = json!({"status": "done", "notes": "已送到"});
            (
                w.req(who, M::PUT, &format!("/api/v1/tasks/{}/status", t["id"])).json(&body),
                Writers::Log.expect(200),
            )
        }
        (M::POST, "/api/v1/tasks/{id}/evidence") => {
            let t = w
                .setup(
                    M::POST,
                    &format!("/api/v1/campaigns/{c}/tasks"),
                    &json!({"title": unique("横幅制作"), "due_on": "2013-03-10", "venue_id": va}),
                )
                .await;
            let r = w
                .req(who, M::POST, &format!("/api/v1/tasks/{}/evidence?name=banner.png", t["id"]))
                .header("content-type", "image/png");
            (r.body(png_bytes()), Writers::Log.expect(201))
        }
        (M::GET, "/api/v1/tasks/{id}/evidence" | "/api/v1/evidence/{id}") => {
            let t = w
                .setup(
                    M::POST,
                    &format!("/api/v1/campaigns/{c}/tasks"),
                    &json!({"title": unique("方案印发"), "due_on": "2013-03-01"}),
                )
                .await;
            let task = i32::try_from(t["id"].as_i64().expect("id")).expect("i32");
            let e = eventday_store::preparation::add_evidence(
                store,
                None,
                task,
                "方案.pdf",
                b"%PDF-1.4\n".to_vec(),
            )
            .await
            .expect("db")
            .expect("evidence");
            let id = if path.starts_with("/api/v1/tasks") { task } else { e.id };
            (w.req(who, M::GET, &path.replace("{id}", &id.to_string())), READERS)
        }
        (M::GET, "/api/v1/campaigns/{id}/tasks.pdf" | "/api/v1/campaigns/{id}/check-in-sheet.pdf") => {
            (w.req(who, M::GET, &path.replace("{id}", &c.to_string())), READERS)
        }
        (M::GET, "/api/v1/campaigns/{id}/readiness" | "/api/v1/campaigns/{id}/check-ins") => {
            (w.req(who, M::GET, &path.replace("{id}", &c.to_string())), READERS)
        }
        (M::POST, "/api/v1/venues/{id}/check-ins") => {
            let body = json!({"id": uuid::Uuid::new_v4(), "participant_kind": "staff", "name": unique("志愿者"), "method": "list"});
            (
                w.req(who, M::POST, &format!("/api/v1/venues/{va}/check-ins")).json(&body),
                Writers::Log.expect(201),
            )
        }
        (M::POST, "/api/v1/campaigns/{id}/messages") => {
            let body = json!({"body": "下雨：改用室内方案", "venue_ids": [va]});
            (
                w.req(who, M::POST, &format!("/api/v1/campaigns/{c}/messages")).json(&body),
                Writers::Plan.expect(201),
            )
        }
        (M::GET, "/api/v1/campaigns/{id}/messages") => {
            (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/messages")), ORGANIZER_OF)
        }
        (M::GET, "/api/v1/venues/{id}/messages" | "/api/v1/venues/{id}/messages/live") => {
            (w.req(who, M::GET, &path.replace("{id}", &va.to_string())), LEAD_A_OR_ORGANIZER)
        }
        (M::POST, "/api/v1/venues/{id}/messages/{message_id}/read") => {
            let m = w
                .setup(M::POST, &format!("/api/v1/campaigns/{c}/messages"), &json!({"body": "物资已送到"}))
                .await;
            let url = format!("/api/v1/venues/{va}/messages/{}/read", m["id"]);
            (w.req(who, M::POST, &url), Writers::Log.expect(204))
        }
        (M::GET, "/api/v1/organizations/{id}/rollup") => {
            (w.req(who, M::GET, &format!("/api/v1/organizations/{}/rollup?year=2013", w.org)), ORG_READERS)
        }
        // Submissions: the world's organizer runs the district itself, so it submits (200) but
        // never decides (403: only the level above does); the PDF exists only once submitted.
        (M::GET, "/api/v1/campaigns/{id}/submission") => {
            (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/submission")), READERS)
        }
        (M::GET, "/api/v1/campaigns/{id}/submission/report.pdf") => (
            w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/submission/report.pdf")),
            [404, 404, 404, 404, 403, 401, 401],
        ),
        (M::POST, "/api/v1/campaigns/{id}/submission/submit") => (
            w.req(who, M::POST, &format!("/api/v1/campaigns/{c}/submission/submit"))
                .json(&json!({"note": "x"})),
            Writers::Plan.expect(200),
        ),
        (M::POST, "/api/v1/campaigns/{id}/submission/return") => (
            w.req(who, M::POST, &format!("/api/v1/campaigns/{c}/submission/return"))
                .json(&json!({"comment": "x"})),
            [403, 403, 403, 403, 403, 401, 401],
        ),
        (M::POST, p) if p.starts_with("/api/v1/campaigns/{id}/submission/") => {
            (w.req(who, M::POST, &p.replace("{id}", &c.to_string())), [403, 403, 403, 403, 403, 401, 401])
        }
        (M::GET, "/api/v1/organizations/{id}/completeness") => (
            w.req(who, M::GET, &format!("/api/v1/organizations/{}/completeness?year=2013", w.org)),
            ORG_READERS,
        ),
        (M::GET, "/api/v1/organizations/{id}/rollup.pdf") => (
            w.req(who, M::GET, &format!("/api/v1/organizations/{}/rollup.pdf?year=2013", w.org)),
            ORG_READERS,
        ),
        (M::PUT, "/api/v1/organizations/{id}/submission-cutoff") => (
            w.req(who, M::PUT, &format!("/api/v1/organizations/{}/submission-cutoff", w.org))
                .json(&json!({"year": 2013, "cutoff_at": "2013-03-20T17:00:00+08:00"})),
            ORGANIZER_OF,
        ),
        // The feeds answer with their headers at once; the test drops the stream unread.
        (M::GET, "/api/v1/organizations/{id}/live") => {
            (w.req(who, M::GET, &format!("/api/v1/organizations/{}/live", w.org)), ORG_READERS)
        }
        (M::GET, "/api/v1/campaigns/{id}/live") => {
            (w.req(who, M::GET, &format!("/api/v1/campaigns/{c}/live")), READERS)
        }
        (m, p) => {
            let Some((list, item, read, write)) = CRUD.iter().find(|(l, i, _, _)| *l == p || *i == p) else {
                panic!("no sample request for {m} {p}: add one (with expected statuses) to this test")
            };
            match (m, p == *list) {
                (M::GET, true) => (w.req(who, M::GET, &w.crud_input(list).await.0), *read),
                (M::POST, true) => {
                    let (url, body) = w.crud_input(list).await;
                    (w.req(who, M::POST, &url).json(&body), write.expect(201))
                }
                (M::GET, false) => (w.req(who, M::GET, &w.crud_item(list, item).await.0), *read),
                (M::PUT, false) => {
                    let (url, body) = w.crud_item(list, item).await;
                    (w.req(who, M::PUT, &url).json(&body), write.expect(200))
                }
                (M::DELETE, false) => {
                    (w.req(who, M::DELETE, &w.crud_item(list, item).await.0), write.expect(204))
                }
                (m, _) => panic!("no sample request for {m} {p}"),
            }
        }
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_its_rule_says() {
    let w = World::new().await;
    let table = eventday_web::route_table();
    assert!(table.len() >= 90, "the table lists every route: {}", table.len());
    let mut failures = Vec::new();
    for r in &table {
        let method = reqwest::Method::from_bytes(r.method.as_str().as_bytes()).expect("method");
        for (i, who) in EVERYONE.iter().enumerate() {
            let (req, expect) = sample(&w, &method, &r.path, *who).await;
            let resp = req.send().await.expect("request");
            let got = resp.status().as_u16();
            if got != expect[i] {
                let body = resp.text().await.unwrap_or_default();
                failures.push(format!(
                    "{} {} as {who:?} ({}): got {got}, want {}: {body}",
                    r.method,
                    r.path,
                    r.rule.name(),
                    expect[i]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    w.app.stop().await;
}

#[tokio::test]
async fn the_user_command_adds_lists_disables_and_resets_accounts() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("u.db").display());
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eventday"))
            .args(args)
            .args(["--database-url", &url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(input.as_bytes()).expect("stdin");
        }
        let out = child.wait_with_output().expect("wait");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(run(&["demo"], None).0, 0);
    let (code, out, err) = run(
        &["user", "add", "--login", "Boss", "--role", "organizer", "--org", "1", "--password-stdin"],
        Some("stdin password 1\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("added boss") && !out.contains("stdin password"), "{out}");
    let (code, out, err) = run(
        &["user", "add", "--login", "founder", "--role", "organizer", "--org-name", "新区消费者协会"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("added founder") && out.contains("password: "), "{out}");
    let (code, out, err) = run(&["user", "add", "--login", "lead7", "--role", "lead", "--venue", "3"], None);
    assert_eq!(code, 0, "{err}");
    let generated =
        out.lines().find_map(|l| l.strip_prefix("password: ")).expect("printed password").to_owned();
    assert!(generated.len() >= 10);
    let (code, _, err) = run(&["user", "add", "--login", "x y", "--role", "lead"], None);
    assert_ne!(code, 0);
    assert!(err.contains("login") && err.contains("venue_ids"), "{err}");
    let (_, out, _) = run(&["user", "list"], None);
    assert!(out.contains("boss") && out.contains("lead7") && out.contains("active"), "{out}");
    assert_eq!(run(&["user", "disable", "lead7"], None).0, 0);
    let (_, out, _) = run(&["user", "list"], None);
    assert!(out.lines().any(|l| l.contains("lead7") && l.contains("disabled")), "{out}");
    let (code, out, err) = run(&["user", "reset-password", "boss"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("password: "), "{out}");
    let (code, _, err) = run(&["user", "disable", "nobody"], None);
    assert_ne!(code, 0);
    assert!(err.contains("no user with login"), "{err}");
}

#[tokio::test]
async fn serve_demo_prints_the_demo_credentials_once() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    let serve = || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eventday"))
            .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--database-url", &url])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut lines = Vec::new();
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines() {
                let line = line.expect("line");
                let done = line.contains("is serving on");
                lines.push(line);
                if done {
                    break;
                }
            }
        }
        child.kill().ok();
        let stderr = child
            .wait_with_output()
            .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
            .unwrap_or_default();
        (lines, stderr)
    };
    let (first, log) = serve();
    let creds: Vec<&String> = first.iter().filter(|l| l.trim_start().starts_with("demo-")).collect();
    assert_eq!(creds.len(), 18, "an organizer and 17 leads: {first:?}");
    let password = creds[0].split_whitespace().nth(1).expect("password column").to_owned();
    assert!(!log.contains(&password), "passwords are printed, never logged");
    let (second, _) = serve();
    assert!(second.iter().all(|l| !l.contains(&password)), "{second:?}");
    assert!(second.iter().any(|l| l.contains("already exist")), "{second:?}");
}

#[tokio::test]
async fn an_accepted_venue_refuses_log_activity_dispute_and_photo_writes_until_reopened() {
    use reqwest::Method as M;
    let w = World::new().await;
    let va = w.venue_a;
    let entry = json!({"id": uuid::Uuid::new_v4().to_string(), "recorded_at": "2013-03-15T02:00:00Z",
        "author_name": "xx", "visitors": 3});
    let stored = w.setup(M::POST, &format!("/api/v1/venues/{va}/log"), &entry).await;
    let entry_id = stored["id"].as_str().expect("id").to_owned();
    let (activity, _) = w.crud_item("/api/v1/venues/{id}/activities", "/api/v1/activities/{id}").await;
    let (dispute, dispute_body) =
        w.crud_item("/api/v1/campaigns/{id}/disputes", "/api/v1/disputes/{id}").await;
    w.set_day(va, "accepted").await;

    let new_entry = json!({"id": uuid::Uuid::new_v4().to_string(), "recorded_at": "2013-03-15T03:00:00Z",
        "author_name": "xx", "visitors": 5});
    let attempts = [
        w.req(Who::LeadA, M::POST, &format!("/api/v1/venues/{va}/log")).json(&new_entry),
        w.req(Who::LeadA, M::POST, &format!("/api/v1/log/{entry_id}/photos"))
            .header("content-type", "image/png")
            .body(png_bytes()),
        w.req(Who::LeadA, M::PUT, &format!("{activity}/figures")).json(&json!({"participants": 9})),
        w.req(Who::Organizer, M::PUT, &activity).json(&json!({"kind": "school_lecture", "title": "改",
            "starts_at": "2013-03-15T01:00:00Z", "ends_at": "2013-03-15T02:00:00Z"})),
        w.req(Who::LeadA, M::PUT, &dispute).json(&dispute_body),
        w.req(Who::LeadA, M::POST, &format!("{dispute}/status")).json(&json!({"status": "mediating"})),
        w.req(Who::LeadA, M::POST, &format!("/api/v1/campaigns/{}/disputes", w.campaign)).json(&dispute_body),
        w.req(Who::Organizer, M::DELETE, &dispute),
    ];
    for (i, r) in attempts.into_iter().enumerate() {
        let (status, body) = json_of(r.send().await.expect("request")).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (423, Some("venue_day_accepted")),
            "attempt {i}: {body}"
        );
    }
    // A phone retrying an entry stored before the acceptance still gets its answer.
    let (status, _) = json_of(
        w.req(Who::LeadA, M::POST, &format!("/api/v1/venues/{va}/log")).json(&entry).send().await.expect("r"),
    )
    .await;
    assert_eq!(status, 200);
    let (_, page) = json_of(
        w.req(Who::Organizer, M::GET, &format!("/api/v1/venues/{va}/log?limit=500")).send().await.expect("r"),
    )
    .await;
    assert!(!page.to_string().contains(new_entry["id"].as_str().expect("id")), "nothing stored while locked");

    // A reason too long is refused naming the field, and the day stays accepted.
    let (status, body) = json_of(
        w.req(Who::Organizer, M::POST, &format!("/api/v1/venues/{va}/day/reopen"))
            .json(&json!({"reason": "数".repeat(501)}))
            .send()
            .await
            .expect("r"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["fields"]["reason"].is_string(), "{body}");
    let (status, body) = json_of(
        w.req(Who::Organizer, M::POST, &format!("/api/v1/venues/{va}/day/reopen"))
            .json(&json!({"reason": "  补录社区活动的咨询人数  "}))
            .send()
            .await
            .expect("r"),
    )
    .await;
    assert_eq!((status, body["day_status"].as_str()), (200, Some("open")), "{body}");
    assert_eq!(body["reopen_reason"], "补录社区活动的咨询人数", "kept trimmed for the lead");
    let (status, body) = json_of(
        w.req(Who::LeadA, M::POST, &format!("/api/v1/venues/{va}/log"))
            .json(&new_entry)
            .send()
            .await
            .expect("r"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["author_user_id"], json!(w.accounts[&Who::LeadA].id), "the entry names its author");
    let (status, body) = json_of(
        w.req(Who::LeadA, M::PUT, &format!("{activity}/figures"))
            .json(&json!({"participants": 9}))
            .send()
            .await
            .expect("r"),
    )
    .await;
    assert_eq!((status, body["participants"].as_i64()), (200, Some(9)), "{body}");
    let trail = audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq("activity"))
        .filter(audit_event::Column::Action.eq("update"))
        .all(w.app.db.store.conn())
        .await
        .expect("audit");
    assert_eq!(
        trail.last().and_then(|e| e.user_id),
        Some(w.accounts[&Who::LeadA].id),
        "audited with the acting lead"
    );
    w.app.stop().await;
}

#[tokio::test]
async fn a_lead_cannot_move_a_dispute_to_another_venue_or_file_one_there() {
    use reqwest::Method as M;
    let w = World::new().await;
    let (dispute, mut body) = w.crud_item("/api/v1/campaigns/{id}/disputes", "/api/v1/disputes/{id}").await;
    body["venue_id"] = json!(w.venue_b);
    let (status, _) = json_of(w.req(Who::LeadA, M::PUT, &dispute).json(&body).send().await.expect("r")).await;
    assert_eq!(status, 403, "moving it to venue B");
    let create = format!("/api/v1/campaigns/{}/disputes", w.campaign);
    let (status, _) = json_of(w.req(Who::LeadA, M::POST, &create).json(&body).send().await.expect("r")).await;
    assert_eq!(status, 403, "filing it at venue B");
    let (status, _) = json_of(w.req(Who::LeadB, M::POST, &create).json(&body).send().await.expect("r")).await;
    assert_eq!(status, 201, "venue B's own lead may");
    let (status, _) = json_of(
        w.req(Who::LeadA, M::POST, &format!("/api/v1/campaigns/{}/disputes", w.campaign + 1000))
            .json(&body)
            .send()
            .await
            .expect("r"),
    )
    .await;
    assert_eq!(status, 404, "an unknown campaign");
    w.app.stop().await;
}

#[tokio::test]
async fn a_token_used_then_revoked_is_refused_at_once() {
    // Lookups are cached for a moment; revoking must not wait for that.
    let w = World::new().await;
    let (status, body) = json_of(
        w.req(Who::LeadA, reqwest::Method::POST, "/api/v1/auth/tokens")
            .json(&json!({"name": "phone"}))
            .send()
            .await
            .expect("t"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (id, secret) = (body["token"]["id"].as_i64().expect("id"), body["secret"].as_str().expect("secret"));
    let me = || w.app.client.get(w.app.url("/api/v1/auth/me")).bearer_auth(secret).send();
    assert_eq!(me().await.expect("me").status().as_u16(), 200);
    let path = format!("/api/v1/auth/tokens/{id}");
    let (status, body) =
        json_of(w.req(Who::LeadA, reqwest::Method::DELETE, &path).send().await.expect("revoke")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(me().await.expect("me").status().as_u16(), 401);
    w.app.stop().await;
}

#[tokio::test]
async fn moving_a_campaign_to_another_organization_moves_its_venues_at_once() {
    // Where a venue belongs is cached for a moment; a planning change must not wait for that.
    use reqwest::Method as M;
    let w = World::new().await;
    let store = &w.app.db.store;
    let city = parent_of(store, w.org).await.expect("the district has a parent");
    let boss = organizer_session(store, "city-mover", city).await;
    let as_boss = |m: M, path: &str| with_session(&w, &boss, m, path);
    let log = format!("/api/v1/venues/{}/log", w.venue_a);
    let entry = || {
        json!({"id": uuid::Uuid::new_v4().to_string(), "recorded_at": "2013-03-15T02:00:00Z",
            "author_name": "xx", "visitors": 1})
    };
    let (status, body) =
        json_of(w.req(Who::Organizer, M::POST, &log).json(&entry()).send().await.expect("r")).await;
    assert_eq!(status, 201, "the district logs its own venue: {body}");

    let (status, sibling) = json_of(
        as_boss(M::POST, "/api/v1/organizations")
            .json(&json!({"name": "邻区分会", "parent_id": city}))
            .send()
            .await
            .expect("r"),
    )
    .await;
    assert_eq!(status, 201, "{sibling}");
    let path = format!("/api/v1/campaigns/{}", w.campaign);
    let (_, c) = json_of(as_boss(M::GET, &path).send().await.expect("r")).await;
    let moved = json!({"organization_id": sibling["id"], "year": c["year"], "date": c["date"],
        "timezone": c["timezone"], "title": c["title"], "theme": c["theme"]});
    let (status, body) = json_of(as_boss(M::PUT, &path).json(&moved).send().await.expect("r")).await;
    assert_eq!(status, 200, "{body}");

    let (status, body) =
        json_of(w.req(Who::Organizer, M::POST, &log).json(&entry()).send().await.expect("r")).await;
    assert_eq!(status, 403, "the venue now belongs to the sibling district: {body}");
    w.app.stop().await;
}

#[tokio::test]
async fn an_organizer_of_a_parent_organization_plans_its_children_but_not_the_reverse() {
    use reqwest::Method as M;
    let w = World::new().await;
    let store = &w.app.db.store;
    let city = parent_of(store, w.org).await.expect("the district has a parent");
    let boss = organizer_session(store, "city-boss", city).await;
    let as_boss = |m: M, path: &str| with_session(&w, &boss, m, path);
    let summary = format!("/api/v1/campaigns/{}/summary", w.campaign);
    assert_eq!(as_boss(M::GET, &summary).send().await.expect("r").status().as_u16(), 200);
    let venue = format!("/api/v1/campaigns/{}/venues", w.campaign);
    let body = json!({"kind": "sub", "name": "市里加的会场", "width_m": 20.0, "depth_m": 10.0});
    assert_eq!(as_boss(M::POST, &venue).json(&body).send().await.expect("r").status().as_u16(), 201);

    let child = json!({"name": "新街道分会", "parent_id": city});
    let (status, _) = json_of(
        w.req(Who::Organizer, M::POST, "/api/v1/organizations").json(&child).send().await.expect("r"),
    )
    .await;
    assert_eq!(status, 403, "the district may not add to the city");
    let (status, _) = json_of(
        w.req(Who::Organizer, M::PUT, &format!("/api/v1/organizations/{city}"))
            .json(&json!({"name": "改名"}))
            .send()
            .await
            .expect("r"),
    )
    .await;
    assert_eq!(status, 403, "nor rename it");
    let (status, body) =
        json_of(as_boss(M::POST, "/api/v1/organizations").json(&child).send().await.expect("r")).await;
    assert_eq!(status, 201, "{body}");
    let (status, _) = json_of(
        w.req(Who::Organizer, M::POST, "/api/v1/organizations")
            .json(&json!({"name": "自立门户"}))
            .send()
            .await
            .expect("r"),
    )
    .await;
    assert_eq!(status, 403, "a new root organization comes from the command line (user add --org-name)");
    w.app.stop().await;
}

/// The parent of organization `id`.
async fn parent_of(store: &eventday_store::Store, id: i32) -> Option<i32> {
    organization::Entity::find_by_id(id).one(store.conn()).await.expect("q").and_then(|o| o.parent_id)
}

/// A session of a new organizer of `org`: (cookie, CSRF token).
async fn organizer_session(store: &eventday_store::Store, login: &str, org: i32) -> (String, String) {
    let id = create(store, login, Role::Organizer, Some(org), vec![]).await;
    accounts::create_session(store, id).await.expect("session")
}

/// A request with a session cookie and its CSRF token.
fn with_session(
    w: &World,
    (cookie, csrf): &(String, String),
    m: reqwest::Method,
    path: &str,
) -> reqwest::RequestBuilder {
    w.app
        .client
        .request(m, w.app.url(path))
        .header(COOKIE, format!("eventday_session={cookie}"))
        .header("x-csrf-token", csrf)
}

/// The `entity_id`s of the audit events the session sees for `query`.
async fn audit_ids(w: &World, session: &(String, String), query: &str) -> Vec<String> {
    let path = format!("/api/v1/audit?{query}");
    let (status, body) =
        json_of(with_session(w, session, reqwest::Method::GET, &path).send().await.expect("r")).await;
    assert_eq!(status, 200, "{body}");
    body.as_array()
        .expect("a list")
        .iter()
        .map(|e| e["entity_id"].as_str().expect("entity_id").to_owned())
        .collect()
}

#[tokio::test]
async fn the_audit_trail_shows_an_organizer_only_the_events_of_their_organization_tree() {
    let w = World::new().await;
    let store = &w.app.db.store;
    // The demo district is under a city, itself under the province (a root organization).
    let city = parent_of(store, w.org).await.expect("the district has a city");
    let province = parent_of(store, city).await.expect("the city has a province");
    assert_eq!(parent_of(store, province).await, None, "the province is a root");
    let sibling = organization::ActiveModel {
        name: Set("另一个区消费者协会".into()),
        parent_id: Set(Some(city)),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(store.conn())
    .await
    .expect("sibling district")
    .id;
    let district = {
        let a = &w.accounts[&Who::Organizer];
        (a.cookie.clone(), a.csrf.clone())
    };
    let sibling_boss = organizer_session(store, "sibling-boss", sibling).await;
    let city_boss = organizer_session(store, "city-boss", city).await;
    let province_boss = organizer_session(store, "province-boss", province).await;

    // Each organizer adds a child organization under their own: one audit event each, with that
    // organizer as its actor.
    let mut made = HashMap::new();
    for (name, session, under) in [
        ("district", &district, w.org),
        ("sibling", &sibling_boss, sibling),
        ("city", &city_boss, city),
        ("province", &province_boss, province),
    ] {
        let body = json!({"name": format!("{name}的下级"), "parent_id": under});
        let resp = with_session(&w, session, reqwest::Method::POST, "/api/v1/organizations")
            .json(&body)
            .send()
            .await
            .expect("r");
        let (status, created) = json_of(resp).await;
        assert_eq!(status, 201, "{created}");
        made.insert(name, created["id"].as_i64().expect("id").to_string());
    }
    let sees = |ids: &[String], name: &str| ids.contains(&made[name]);
    let query = "entity=organization&limit=1000";

    let ids = audit_ids(&w, &district, query).await;
    assert!(sees(&ids, "district"), "a district organizer sees their own district's events");
    assert!(!sees(&ids, "sibling"), "but not a sibling district's");
    assert!(!sees(&ids, "city"), "nor the city's");
    assert!(!sees(&ids, "province"), "nor the province's");

    let ids = audit_ids(&w, &sibling_boss, query).await;
    assert!(sees(&ids, "sibling") && !sees(&ids, "district") && !sees(&ids, "city"), "{ids:?}");

    let ids = audit_ids(&w, &city_boss, query).await;
    assert!(sees(&ids, "city"), "a city organizer sees their own events");
    assert!(sees(&ids, "district") && sees(&ids, "sibling"), "and their districts'");
    assert!(!sees(&ids, "province"), "but not the province's");

    let ids = audit_ids(&w, &province_boss, query).await;
    assert!(["district", "sibling", "city", "province"].iter().all(|n| sees(&ids, n)), "{ids:?}");

    // Users made here were made without an actor, as the command line does: only organizers of a
    // root organization see those events.
    let cli = format!("entity=user&entity_id={}", w.accounts[&Who::Organizer].id);
    assert_eq!(
        audit_ids(&w, &province_boss, &cli).await.len(),
        1,
        "a root organizer sees events without an actor"
    );
    assert!(audit_ids(&w, &city_boss, &cli).await.is_empty(), "a city (not a root) does not");
    assert!(audit_ids(&w, &district, &cli).await.is_empty(), "nor a district");
    // The filters and the limit still apply within what is visible.
    let ids = audit_ids(&w, &city_boss, &format!("entity=organization&entity_id={}", made["sibling"])).await;
    assert_eq!(ids, vec![made["sibling"].clone()]);
    assert_eq!(audit_ids(&w, &province_boss, "entity=organization&limit=2").await.len(), 2);
    w.app.stop().await;
}
