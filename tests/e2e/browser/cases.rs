//! A complaint case from the booth to its settlement (issue 22), on a lead's phone at 360 px: taken
//! offline with the consumer's consent, the receipt given at once, sent once when the signal
//! returns, its public status page free of personal data, and an organizer referring it to ODR
//! and later settling it; and a case the server refuses, said in the page's words, corrected and
//! sent again under the receipt code the consumer holds.

use super::driver::{Browser, programs};
use super::{ONE_AT_A_TIME, fixture, post, screenshots, sign_in};
use crate::helpers::{TestApp, scalar, spawn_app};
use serde_json::{Value, json};

const NAME: &str = "李海燕";
const PHONE_TYPED: &str = "138 2468 1357";
const PHONE: &str = "13824681357";
const PHONE_MASKED: &str = "138****1357";

/// Sets a form control's value and tells the page it changed.
async fn set_value(b: &Browser, css: &str, value: &str) {
    b.js(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
         e.dispatchEvent(new Event('change', {bubbles: true})); return true",
        vec![json!(css), json!(value)],
    )
    .await;
}

/// Runs `body` with `k` (the local-storage key of the venue's case queue) and `q` (the queue).
async fn with_cases(b: &Browser, body: &str) -> Value {
    let script = format!(
        "const k = Object.keys(localStorage).find(k => k.startsWith('eventday.cases.'));
         const q = JSON.parse(localStorage.getItem(k) || '[]'); {body}"
    );
    b.js(&script, vec![]).await
}

/// The lead signs in at 360 px and opens the case intake of their venue from the venue's page.
async fn intake_page(app: &TestApp, venue: i64) -> Browser {
    let (chromium, chromedriver) = programs("case_phone").expect("checked by the caller");
    let b = Browser::start(&chromium, &chromedriver, 360, 780).await;
    sign_in(&b, app, "lead1").await;
    b.goto(&app.url(&format!("/lead/venues/{venue}"))).await;
    b.click("#case-intake-link").await;
    b.wait_for(&format!("return location.pathname === '/lead/venues/{venue}/case'"), "the intake page").await;
    b.wait_text("#pending-count", "0").await;
    b
}

/// Fills the intake form: enterprise (when given), category, amount, description; with consent,
/// the name and phone.
async fn fill(b: &Browser, enterprise: Option<i64>, consent: bool) {
    if let Some(u) = enterprise {
        set_value(b, "#c-enterprise", &u.to_string()).await;
    }
    b.type_into("#c-category", "家用电器").await;
    b.type_into("#c-amount", "899.50").await;
    b.type_into("#c-description", "电视机买回一周屏幕出现坏点，商家拒绝更换").await;
    if consent {
        b.click("#c-consent").await;
        b.wait_for("return !document.querySelector('#contact').hidden", "the contact fields").await;
        b.type_into("#c-name", NAME).await;
        b.type_into("#c-phone", PHONE_TYPED).await;
    }
}

/// Waits until the element's text contains `want`.
async fn wait_contains(b: &Browser, css: &str, want: &str) {
    b.wait_for(
        &format!("const e = document.querySelector({css:?}); return !!e && e.textContent.includes({want:?})"),
        &format!("{css} to say {want}"),
    )
    .await;
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    scalar(&app.db.store, sql).await
}

async fn get(app: &TestApp, path: &str) -> Value {
    let (status, v) = app.get_json(path).await;
    assert_eq!(status, 200, "GET {path}: {v}");
    v
}

/// Records a step on the organizers' case page and waits for the page to show the new stage.
async fn step(b: &Browser, stage: &str, means: &str, result: &str, amount: Option<&str>, shown: &str) {
    set_value(b, "#step-stage", stage).await;
    b.type_into("#step-means", means).await;
    b.type_into("#step-result", result).await;
    if let Some(a) = amount {
        b.wait_for("return !document.querySelector('#amount-wrap').hidden", "the amount field").await;
        b.type_into("#step-amount", a).await;
    }
    b.click("#step-submit").await;
    b.wait_text("#case-stage", shown).await;
}

#[tokio::test]
async fn a_complaint_taken_offline_with_consent_is_stored_once_and_followed_from_receipt_to_settlement() {
    if programs("case_flow").is_none() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let unit = post(&app, "/api/v1/units", json!({"name": "江城电器商行", "kind": "enterprise"})).await;
    let unit = unit["id"].as_i64().expect("unit id");
    post(
        &app,
        &format!("/api/v1/campaigns/{}/participations", f.campaign),
        json!({"unit_id": unit, "reconciliation_member": true}),
    )
    .await;
    let b = intake_page(&app, f.venue).await;
    // The enterprise is offered, marked as a member of the reconciliation (ODR) platform.
    let offered = b.text(&format!("#c-enterprise option[value='{unit}']")).await;
    assert!(offered.contains("江城电器商行") && offered.contains("和解平台成员"), "{offered}");

    // The signal drops; the consumer agrees to their name and phone being kept.
    b.offline(true).await;
    fill(&b, Some(unit), true).await;
    // A photo of the receipt goes with the case: shrunk on the phone, kept until the case is in.
    let dir = tempfile::tempdir().expect("dir");
    let photo = dir.path().join("小票.png");
    std::fs::write(&photo, super::preparation::RED_PNG).expect("photo");
    b.type_into("#c-evidence", &photo.to_string_lossy()).await;
    b.wait_for(
        "return document.querySelectorAll('#evidence-previews img').length === 1",
        "the photo's preview",
    )
    .await;
    b.click("#c-submit").await;
    // The receipt is there at once: the code and the link to the status page.
    b.wait_for("return !document.querySelector('#receipt').hidden", "the receipt").await;
    let code = b.text("#receipt-code").await;
    assert_eq!(code.len(), 8, "{code}");
    let link = b.text("#receipt-link").await;
    assert_eq!(link, app.url(&format!("/case/{code}")));
    b.wait_text("#pending-count", "1").await;
    b.wait_text("#net-state", "离线").await;
    assert_eq!(b.text(&format!("#taken li[data-code='{code}'] .st")).await, "待发送");
    // The form is empty again for the next consumer, the contact fields hidden.
    assert_eq!(b.js("return document.querySelector('#c-category').value", vec![]).await, json!(""));
    assert_eq!(b.js("return document.querySelector('#contact').hidden", vec![]).await, json!(true));
    screenshots(&b, "case-receipt-offline", 360, false).await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaint_cases").await, 0, "nothing reached the server");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM case_evidence").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM disputes").await, 0);

    // The signal returns: the queue sends the case.
    b.offline(false).await;
    b.wait_text("#pending-count", "0").await;
    b.wait_text(&format!("#taken li[data-code='{code}'] .st"), "已保存到服务器").await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaint_cases").await, 1);
    let id = count(
        &app,
        &format!(
            "SELECT CAST(dispute_id AS BIGINT) FROM complaint_cases WHERE code = '{code}' AND consent = TRUE \
             AND consumer_name_enc IS NOT NULL AND consumer_phone_enc IS NOT NULL"
        ),
    )
    .await;
    // Sealed at rest: the raw row holds neither the name nor the phone (nor its last digits).
    for secret in [NAME, PHONE, "1357", "2468"] {
        let n = count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM complaint_cases WHERE consumer_name_enc LIKE '%{secret}%' \
                 OR consumer_phone_enc LIKE '%{secret}%' OR code LIKE '%{secret}%'"
            ),
        )
        .await;
        assert_eq!(n, 0, "{secret} in plain text");
    }
    let case = get(&app, &format!("/api/v1/disputes/{id}/case")).await;
    assert_eq!(
        (
            case["enterprise_unit_id"].as_i64(),
            case["amount_claimed_fen"].as_i64(),
            case["odr_member"].as_bool()
        ),
        (Some(unit), Some(89_950), Some(true)),
        "{case}"
    );
    assert_eq!(case["consumer_phone_masked"], PHONE_MASKED);
    assert_eq!(case["stage"], "received");

    // Sent again (an answer lost on the way back, then the send button; again, then a reload):
    // the server answers the stored case, and keeps it once.
    let unsend =
        "q.forEach(c => { c.state = 'pending'; }); localStorage.setItem(k, JSON.stringify(q)); return true";
    let all_sent = "const k = Object.keys(localStorage).find(k => k.startsWith('eventday.cases.'));
         const q = JSON.parse(localStorage.getItem(k) || '[]'); return q.length === 1 && q[0].state === 'sent'";
    with_cases(&b, unsend).await;
    assert_eq!(with_cases(&b, "return q[0].state").await, json!("pending"));
    b.click("#send-now").await;
    b.wait_for(all_sent, "the resent case to be answered").await;
    with_cases(&b, unsend).await;
    b.goto(&app.url(&format!("/lead/venues/{}/case", f.venue))).await;
    b.wait_for(all_sent, "the case resent after a reload to be answered").await;
    b.wait_text("#pending-count", "0").await;
    b.wait_text(&format!("#taken li[data-code='{code}'] .st"), "已保存到服务器").await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaint_cases").await, 1, "stored exactly once");
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM case_evidence WHERE dispute_id = {id}")).await,
        1,
        "the photo followed its case, once"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM disputes").await, 1);
    // Once sent, the phone's list links to the printable slip.
    let href = b
        .js(
            &format!(
                "return document.querySelector(\"#taken li[data-code='{code}'] a\").getAttribute('href')"
            ),
            vec![],
        )
        .await;
    assert_eq!(href, json!(format!("/disputes/{id}/case/slip")));

    // Signed out, the consumer's link shows the stage and nothing personal.
    b.click("#signout").await;
    b.wait_for("return location.pathname === '/login'", "signed out").await;
    b.goto(&link).await;
    wait_contains(&b, "#case-stage", "已受理").await;
    assert_eq!(b.text("#case-code").await, code);
    let html = b.js("return document.documentElement.outerHTML", vec![]).await;
    let html = html.as_str().expect("html");
    for secret in [NAME, "李*", PHONE, PHONE_TYPED, PHONE_MASKED, "1357", "2468"] {
        assert!(!html.contains(secret), "the status page holds {secret}");
    }
    let words = b.js("return document.body.innerText", vec![]).await;
    let words = words.as_str().expect("text");
    for secret in ["899", "电视机", "家用电器", "江城电器"] {
        assert!(!words.contains(secret), "the status page shows {secret}: {words}");
    }
    assert!(b.js("return !document.querySelector('#whoami')", vec![]).await.as_bool().unwrap_or(false));
    screenshots(&b, "case-status", 360, false).await;

    // The organizer refers it to the enterprise through ODR: its deadline appears.
    sign_in(&b, &app, "organizer1").await;
    let case_page = app.url(&format!("/disputes/{id}/case"));
    b.goto(&case_page).await;
    assert_eq!(b.text("#case-phone").await, PHONE_MASKED, "masked until asked for");
    assert_eq!(
        b.js("return document.querySelectorAll('#case-evidence img').length", vec![]).await,
        json!(1),
        "the organizer sees the photo taken at the booth"
    );
    step(&b, "referred_odr", "ODR平台", "已转企业处理", None, "已转ODR企业处理").await;
    let deadline = b.text("#case-deadline").await;
    assert!(deadline.contains('年') && deadline.contains('日'), "{deadline}");
    let case = get(&app, &format!("/api/v1/disputes/{id}/case")).await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let want = eventday_domain::workdays::odr_deadline(today).map(|d| d.to_string());
    assert_eq!(case["odr_deadline"].as_str().map(str::to_owned), want, "{case}");
    assert!(b.text("#case-steps").await.contains("ODR平台"));
    // The consumer's page shows the referral and the deadline, still nothing personal.
    let status = reqwest::get(&link).await.expect("status page").text().await.expect("html");
    assert!(status.contains("已转ODR企业处理") && status.contains("ODR处理期限"), "{status}");
    assert!(!status.contains("ODR平台") && !status.contains("已转企业处理"), "no means or result");

    // Later the enterprise settles: 500 yuan recovered.
    step(&b, "settled", "电话调解", "商家退款500元", Some("500"), "已和解").await;
    assert!(b.text("#case-recovered").await.contains("500"), "{}", b.text("#case-recovered").await);
    assert_eq!(
        b.js("return !!document.querySelector('#step-form')", vec![]).await,
        json!(false),
        "a settled case has no further step"
    );
    b.goto(&link).await;
    wait_contains(&b, "#case-stage", "已和解").await;
    assert!(!b.text("main").await.contains("500"), "no amount on the public page");
    let summary = get(&app, &format!("/api/v1/campaigns/{}/summary", f.campaign)).await;
    let d = &summary["totals"]["disputes"];
    assert_eq!(
        (d["received"].as_i64(), d["settled"].as_i64(), d["amount_recovered_fen"].as_i64()),
        (Some(1), Some(1), Some(50_000)),
        "{d}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaint_cases").await, 1);
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn a_case_the_server_refuses_says_why_in_words_and_is_corrected_and_sent_under_its_receipt_code() {
    if programs("case_refused").is_none() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = intake_page(&app, f.venue).await;
    // A phone the page cannot check is refused before anything is queued, in words.
    b.click("#c-consent").await;
    b.wait_for("return !document.querySelector('#contact').hidden", "the contact fields").await;
    b.type_into("#c-category", "餐饮").await;
    b.type_into("#c-phone", "12-3").await;
    b.click("#c-submit").await;
    b.wait_text("#err-consumer_phone", "应为 5 到 20 位数字").await;
    assert_eq!(with_cases(&b, "return q.length").await, json!(0), "nothing queued");

    // Queued offline with a good phone, then changed in the phone's storage as an older page
    // might have stored it: the server refuses it when it arrives.
    b.offline(true).await;
    b.js("document.querySelector('#c-phone').value = ''; return true", vec![]).await;
    b.type_into("#c-phone", PHONE).await;
    b.click("#c-submit").await;
    b.wait_text("#pending-count", "1").await;
    with_cases(
        &b,
        "q[0].body.consumer_phone = '12'; localStorage.setItem(k, JSON.stringify(q)); return true",
    )
    .await;
    b.offline(false).await;
    b.click("#send-now").await;
    b.wait_for(
        "return !!document.querySelector('#taken li[data-state=rejected] .err-reason')",
        "the refusal",
    )
    .await;
    let reason = b.text("#taken li[data-state=rejected] .err-reason").await;
    assert!(reason.contains("联系电话") && reason.contains("应为 5 到 20 位数字"), "{reason}");
    assert!(!reason.contains("consumer_phone") && !reason.contains("digits"), "{reason}");
    assert_eq!(b.text("#taken li[data-state=rejected] .st").await, "被拒绝");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM complaint_cases").await, 0);

    // The lead corrects it and sends it again under the receipt code the consumer holds.
    let code = with_cases(&b, "return q[0].body.code").await;
    let code = code.as_str().expect("code").to_owned();
    b.click("#taken li[data-state=rejected] .edit-case").await;
    b.wait_for(
        "return document.querySelector('#c-category').value === '餐饮'",
        "the refused case in the form",
    )
    .await;
    assert_eq!(b.js("return document.querySelector('#c-phone').value", vec![]).await, json!("12"));
    b.js("document.querySelector('#c-phone').value = ''; return true", vec![]).await;
    b.type_into("#c-phone", PHONE).await;
    b.click("#c-submit").await;
    b.wait_text(&format!("#taken li[data-code='{code}'] .st"), "已保存到服务器").await;
    assert_eq!(b.text("#receipt-code").await, code, "the same receipt");
    assert_eq!(with_cases(&b, "return q.length").await, json!(1), "corrected, not queued twice");
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM complaint_cases WHERE code = '{code}'")).await,
        1,
        "stored under the code the consumer holds"
    );
    b.quit().await;
    app.stop().await;
}
