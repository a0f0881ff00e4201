//! Corrections and voids of log entries: a correction replaces the corrected entry's figures in
//! every total, a void takes them out, and the running tallies always equal a fresh sum over the
//! log.

use crate::helpers::{TestDb, open_days};
use eventday_domain::inputs::LogEntryInput;
use eventday_store::entities::{audit_event, log_entry, material, venue};
use eventday_store::log::{self as store_log, LogEntry, LogFilter, Outcome};
use eventday_store::{Store, StoreError, demo, queries};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::collections::BTreeMap;

struct Day {
    db: TestDb,
    campaign: i32,
    venue: i32,
    other_venue: i32,
    material: i32,
}

async fn day() -> Day {
    let db = TestDb::new().await;
    let file = demo::parse(eventday::DEMO_CAMPAIGN_JSON).expect("demo parses");
    let campaign = demo::load(&db.store, &file).await.expect("demo loads").campaign_id();
    open_days(&db.store, campaign).await;
    let venues = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign))
        .order_by_asc(venue::Column::Id)
        .all(db.store.conn())
        .await
        .expect("venues");
    let material = material::Entity::find()
        .filter(material::Column::CampaignId.eq(campaign))
        .one(db.store.conn())
        .await
        .expect("q")
        .expect("a material")
        .id;
    Day { campaign, venue: venues[0].id, other_venue: venues[1].id, material, db }
}

fn input(body: Value) -> LogEntryInput {
    let mut base =
        json!({"id": uuid::Uuid::new_v4(), "recorded_at": "2013-03-15T02:30:00Z", "author_name": "后湖分会"});
    if let (Some(b), Some(extra)) = (base.as_object_mut(), body.as_object()) {
        b.extend(extra.clone());
    }
    serde_json::from_value(base).expect("a well-formed input")
}

async fn send(d: &Day, venue: i32, body: Value) -> Result<(LogEntry, Outcome), StoreError> {
    store_log::submit(&d.db.store, venue, input(body), None).await
}

fn id_of(r: &Result<(LogEntry, Outcome), StoreError>) -> String {
    match r {
        Ok((e, _)) => e.id.clone(),
        Err(e) => panic!("expected the entry to be stored: {e:?}"),
    }
}

/// Per venue: (entries, visitors, money) from the tallies the triggers keep.
async fn tallies(store: &Store, campaign: i32) -> BTreeMap<i32, (i64, i64, i64)> {
    let rows = store
        .conn()
        .query_all_raw(sea_orm::Statement::from_string(
            store.conn().get_database_backend(),
            format!(
                "SELECT venue_id, log_entries, visitors, money_recovered_fen FROM venue_tallies \
                 WHERE campaign_id = {campaign}"
            ),
        ))
        .await
        .expect("tallies");
    rows.into_iter()
        .map(|r| {
            let get = |c: &str| r.try_get::<i64>("", c).expect(c);
            (
                r.try_get::<i32>("", "venue_id").expect("venue"),
                (get("log_entries"), get("visitors"), get("money_recovered_fen")),
            )
        })
        .filter(|(_, t)| *t != (0, 0, 0))
        .collect()
}

/// The same, summed afresh in Rust over every entry of the log as the API lists it: an entry
/// counts unless a correction replaced it or it is a void.
async fn fresh_sums(store: &Store, campaign: i32) -> BTreeMap<i32, (i64, i64, i64)> {
    let page =
        store_log::list(store, LogFilter { campaign_id: Some(campaign), limit: 500, ..LogFilter::default() })
            .await
            .expect("log");
    assert!(page.next_cursor.is_none(), "one page holds this test's log");
    let mut out: BTreeMap<i32, (i64, i64, i64)> = BTreeMap::new();
    for e in page.entries.iter().filter(|e| e.superseded_by.is_none() && !e.void) {
        let t = out.entry(e.venue_id).or_default();
        *t = (t.0 + 1, t.1 + e.visitors, t.2 + e.money_recovered_fen);
    }
    out
}

async fn assert_tallies_are_a_fresh_sum(d: &Day) {
    let fresh = fresh_sums(&d.db.store, d.campaign).await;
    assert_eq!(tallies(&d.db.store, d.campaign).await, fresh);
    let summary = queries::campaign_summary(&d.db.store, d.campaign).await.expect("summary");
    let visitors: i64 = fresh.values().map(|t| t.1).sum();
    assert_eq!(summary.totals.figures.visitors, visitors, "the campaign summary sums the same entries");
    let live = eventday_store::live::campaign_totals(&d.db.store, d.campaign).await.expect("live totals");
    assert_eq!(live.figures.visitors, visitors, "the live totals sum the same entries");
    assert_eq!(live.log_entries, fresh.values().map(|t| t.0).sum::<i64>());
}

#[tokio::test]
async fn corrections_of_corrections_a_correction_racing_its_original_and_a_void_leave_tallies_equal_to_a_fresh_sum()
 {
    let d = day().await;
    let m = d.material.to_string();
    // The demo's own log is there too: figures below are compared with what it held.
    let venue_visitors = |s: &queries::CampaignSummary| {
        s.totals.per_venue.iter().find(|v| v.venue_id == i64::from(d.venue)).expect("venue").figures.visitors
    };
    let handed = |s: &queries::CampaignSummary| s.totals.materials.iter().map(|t| t.handed_out).sum::<i64>();
    let start = queries::campaign_summary(&d.db.store, d.campaign).await.expect("summary");

    // 500 typed for 50, corrected, then the correction corrected again.
    let typo = id_of(
        &send(
            &d,
            d.venue,
            json!({"visitors": 500, "money_recovered_fen": 1000, "materials": {m.clone(): 30}}),
        )
        .await,
    );
    send(&d, d.other_venue, json!({"visitors": 9})).await.expect("an entry elsewhere");
    let fix = send(&d, d.venue, json!({"visitors": 50, "money_recovered_fen": 1000, "materials": {m.clone(): 3}, "corrects": typo, "reason": "多打了一个 0"})).await;
    let fix = id_of(&fix);
    assert_tallies_are_a_fresh_sum(&d).await;
    let fix_body = json!({"visitors": 40, "corrects": fix, "reason": "再次核对"});
    let mut again = input(fix_body.clone());
    let again_id = again.id;
    let (second, outcome) =
        store_log::submit(&d.db.store, d.venue, again.clone(), None).await.expect("corrected again");
    assert_eq!((outcome, second.corrects.as_deref()), (Outcome::Created, Some(fix.as_str())));
    // Sent again (a lost answer): stored once.
    let (_, outcome) = store_log::submit(&d.db.store, d.venue, again.clone(), None).await.expect("retry");
    assert_eq!(outcome, Outcome::Existing);
    // The same id with another reason is a conflict, not a second correction.
    again.reason = "别的理由".into();
    assert!(matches!(
        store_log::submit(&d.db.store, d.venue, again, None).await,
        Err(StoreError::Conflict(_))
    ));
    assert_tallies_are_a_fresh_sum(&d).await;
    let summary = queries::campaign_summary(&d.db.store, d.campaign).await.expect("summary");
    assert_eq!(venue_visitors(&summary), venue_visitors(&start) + 40, "only the last of the chain counts");
    assert_eq!(handed(&summary), handed(&start), "the last correction handed out nothing");

    // An entry that is corrected already is not corrected a second time: correct the correction.
    let twice = send(&d, d.venue, json!({"visitors": 1, "corrects": typo, "reason": "第二次改原件"})).await;
    assert!(matches!(twice, Err(StoreError::Conflict(ref m)) if m.contains(&fix)), "{twice:?}");

    // A void: the entry and the void count nothing.
    let stray = id_of(&send(&d, d.venue, json!({"visitors": 7, "money_recovered_fen": 250})).await);
    let void = send(&d, d.venue, json!({"corrects": stray, "reason": "重复记录", "void": true})).await;
    assert!(void.as_ref().is_ok_and(|(e, _)| e.void), "{void:?}");
    assert_tallies_are_a_fresh_sum(&d).await;

    // A correction racing its original: both sent at once, many times over; each pair ends with
    // the correction counted and the original not, and the tallies still agree.
    for round in 0..8 {
        let original = input(json!({"visitors": 100 + round}));
        let correction = input(json!({"visitors": round, "corrects": original.id, "reason": "并发"}));
        let (s1, s2) = (d.db.store.clone(), d.db.store.clone());
        let (v, c1, o1) = (d.venue, correction.clone(), original.clone());
        let fix = tokio::spawn(async move { store_log::submit(&s1, v, c1, None).await });
        let orig = tokio::spawn(async move { store_log::submit(&s2, v, o1, None).await });
        let (fix, orig) = (fix.await.expect("task"), orig.await.expect("task"));
        assert!(orig.is_ok(), "{orig:?}");
        if let Err(e) = fix {
            // Only ever because the original was not stored yet; the phone sends it again.
            assert!(matches!(&e, StoreError::Invalid(v) if v.fields.contains_key("corrects")), "{e:?}");
            store_log::submit(&d.db.store, d.venue, correction.clone(), None).await.expect("resent");
        }
        let stored = store_log::get(&d.db.store, &original.id.to_string()).await.expect("original");
        assert_eq!(stored.superseded_by, Some(correction.id.to_string()));
    }
    // Two corrections of one entry at once: exactly one counts.
    let target = id_of(&send(&d, d.venue, json!({"visitors": 3})).await);
    let racers: Vec<_> = (0..4)
        .map(|n| {
            let s = d.db.store.clone();
            let i = input(json!({"visitors": 10 + n, "corrects": target, "reason": "同时更正"}));
            let v = d.venue;
            tokio::spawn(async move { store_log::submit(&s, v, i, None).await })
        })
        .collect();
    let mut won = 0;
    for r in racers {
        match r.await.expect("task") {
            Ok(_) => won += 1,
            Err(StoreError::Conflict(_)) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(won, 1);
    assert_tallies_are_a_fresh_sum(&d).await;

    // The log keeps every entry; the audit trail names each correction and void.
    let all = log_entry::Entity::find()
        .filter(log_entry::Column::VenueId.eq(d.venue))
        .all(d.db.store.conn())
        .await
        .expect("log");
    assert!(
        all.iter()
            .any(|e| e.id == typo && e.superseded_by.as_deref() == Some(fix.as_str()) && e.visitors == 500)
    );
    assert!(all.iter().any(|e| e.id == again_id.to_string() && e.superseded_by.is_none()));
    let actions: Vec<(String, String)> = audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq("log_entry"))
        .filter(audit_event::Column::Action.is_in(["correct", "void"]))
        .all(d.db.store.conn())
        .await
        .expect("audit")
        .into_iter()
        .map(|a| (a.action, a.entity_id))
        .collect();
    assert!(actions.contains(&("correct".into(), typo.clone())), "{actions:?}");
    assert!(actions.contains(&("correct".into(), fix.clone())), "{actions:?}");
    assert!(actions.contains(&("void".into(), stray.clone())), "{actions:?}");
    d.db.cleanup().await;
}

#[tokio::test]
async fn a_correction_is_refused_for_another_venues_entry_without_a_reason_or_on_an_accepted_day() {
    let d = day().await;
    let elsewhere = id_of(&send(&d, d.other_venue, json!({"visitors": 5})).await);
    let r = send(&d, d.venue, json!({"visitors": 4, "corrects": elsewhere, "reason": "错场地"})).await;
    assert!(matches!(&r, Err(StoreError::Invalid(v)) if v.fields.contains_key("corrects")), "{r:?}");
    let r = send(&d, d.other_venue, json!({"visitors": 4, "corrects": elsewhere})).await;
    assert!(matches!(&r, Err(StoreError::Invalid(v)) if v.fields.contains_key("reason")), "{r:?}");
    let r = send(
        &d,
        d.other_venue,
        json!({"visitors": 4, "corrects": elsewhere, "reason": "作废", "void": true}),
    )
    .await;
    assert!(matches!(&r, Err(StoreError::Invalid(v)) if v.fields.contains_key("void")), "{r:?}");
    d.db.store
        .conn()
        .execute_unprepared(&format!(
            "UPDATE venues SET day_status = 'accepted' WHERE id = {}",
            d.other_venue
        ))
        .await
        .expect("accept");
    let r = send(&d, d.other_venue, json!({"visitors": 4, "corrects": elsewhere, "reason": "验收后"})).await;
    assert!(matches!(r, Err(StoreError::VenueLocked { .. })), "{r:?}");
    assert_tallies_are_a_fresh_sum(&d).await;
    d.db.cleanup().await;
}

#[tokio::test]
async fn a_correction_posted_to_the_api_is_documented_idempotent_and_replaces_the_figures_in_the_summary() {
    let mut app = crate::helpers::spawn_app().await;
    let file = demo::parse(eventday::DEMO_CAMPAIGN_JSON).expect("demo parses");
    let campaign = demo::load(&app.db.store, &file).await.expect("demo loads").campaign_id();
    open_days(&app.db.store, campaign).await;
    app.act_as_organizer_of(campaign).await;
    let venue = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign))
        .one(app.db.store.conn())
        .await
        .expect("q")
        .expect("venue")
        .id;
    let visitors = |s: &Value| s["totals"]["figures"]["visitors"].as_i64().expect("visitors");
    let before = visitors(&app.get_json(&format!("/api/v1/campaigns/{campaign}/summary")).await.1);
    let post =
        |body: Value| app.client.post(app.url(&format!("/api/v1/venues/{venue}/log"))).json(&body).send();
    let original = uuid::Uuid::new_v4();
    let entry = json!({"id": original, "recorded_at": "2013-03-15T02:30:00Z", "author_name": "后湖分会", "visitors": 500});
    assert_eq!(post(entry).await.expect("post").status().as_u16(), 201);
    let fix = json!({"id": uuid::Uuid::new_v4(), "recorded_at": "2013-03-15T02:30:00Z", "author_name": "后湖分会",
        "visitors": 50, "corrects": original, "reason": "多打了一个 0"});
    let resp = post(fix.clone()).await.expect("post");
    assert_eq!(resp.status().as_u16(), 201);
    let stored: Value = resp.json().await.expect("json");
    assert_eq!(
        (stored["corrects"].clone(), stored["reason"].clone()),
        (json!(original), json!("多打了一个 0"))
    );
    assert_eq!(post(fix).await.expect("retry").status().as_u16(), 200, "a retry stores nothing");
    let (_, s) = app.get_json(&format!("/api/v1/campaigns/{campaign}/summary")).await;
    assert_eq!(visitors(&s), before + 50);
    let (_, old) = app.get_json(&format!("/api/v1/log/{original}")).await;
    assert_eq!((old["visitors"].clone(), old["superseded_by"].clone()), (json!(500), stored["id"].clone()));

    // Correcting the corrected entry again names the correction to correct instead.
    let again = json!({"id": uuid::Uuid::new_v4(), "recorded_at": "2013-03-15T02:30:00Z", "author_name": "x",
        "visitors": 5, "corrects": original, "reason": "再改"});
    let resp = post(again).await.expect("post");
    assert_eq!(resp.status().as_u16(), 409);
    let body: Value = resp.json().await.expect("json");
    assert!(
        body["error"]["message"].as_str().unwrap_or_default().contains(stored["id"].as_str().unwrap_or("?")),
        "{body}"
    );
    // Without a reason: 422 naming the field, nothing stored.
    let bare = json!({"id": uuid::Uuid::new_v4(), "recorded_at": "2013-03-15T02:30:00Z", "author_name": "x",
        "corrects": stored["id"]});
    let resp = post(bare).await.expect("post");
    assert_eq!(resp.status().as_u16(), 422);
    let body: Value = resp.json().await.expect("json");
    assert!(body["error"]["fields"]["reason"].is_string(), "{body}");

    let (_, doc) = app.get_json("/api/openapi.json").await;
    let input = &doc["components"]["schemas"]["LogEntryInput"]["properties"];
    assert!(
        input["corrects"].is_object() && input["reason"].is_object() && input["void"].is_object(),
        "{input}"
    );
    let post_doc = doc["paths"]["/api/v1/venues/{id}/log"]["post"].to_string();
    assert!(post_doc.contains("corrects") && post_doc.contains("423"), "{post_doc}");
    app.stop().await;
}

#[tokio::test]
async fn a_booth_tally_replaces_only_the_booth_entries_that_count_not_the_corrected_ones() {
    let d = day().await;
    let b = eventday_store::entities::booth::Entity::find()
        .filter(eventday_store::entities::booth::Column::VenueId.eq(d.venue))
        .one(d.db.store.conn())
        .await
        .expect("q")
        .expect("the demo's main venue has booths");
    let venue_visitors = |s: &queries::CampaignSummary| {
        s.totals.per_venue.iter().find(|v| v.venue_id == i64::from(d.venue)).expect("venue").figures.visitors
    };
    // 500 typed at the booth, corrected to 50.
    let typo = id_of(&send(&d, d.venue, json!({"visitors": 500, "booth_id": b.id})).await);
    send(&d, d.venue, json!({"visitors": 50, "booth_id": b.id, "corrects": typo, "reason": "多打了一个 0"}))
        .await
        .expect("corrected");
    let before = queries::campaign_summary(&d.db.store, d.campaign).await.expect("summary");
    // What the booth's counted entries hold, summed afresh from the log.
    let page = store_log::list(
        &d.db.store,
        LogFilter { campaign_id: Some(d.campaign), limit: 500, ..LogFilter::default() },
    )
    .await
    .expect("log");
    let booth_logged: i64 = page
        .entries
        .iter()
        .filter(|e| e.booth_id == Some(b.id) && e.superseded_by.is_none() && !e.void)
        .map(|e| e.visitors)
        .sum();
    assert!(booth_logged >= 50, "the correction counts at the booth: {booth_logged}");

    let tally: eventday_domain::inputs::TallyInput = serde_json::from_value(json!({
        "booth_id": b.id,
        "figures": {"visitors": 70, "consultations": 0, "complaints_received": 0, "complaints_settled": 0,
                    "money_recovered_fen": 0}
    }))
    .expect("a tally");
    let tx = sea_orm::TransactionTrait::begin(d.db.store.conn()).await.expect("tx");
    eventday_store::planning::tallies::insert(&tx, None, d.venue, &tally).await.expect("tally stored");
    tx.commit().await.expect("commit");

    let after = queries::campaign_summary(&d.db.store, d.campaign).await.expect("summary");
    assert_eq!(
        venue_visitors(&after),
        venue_visitors(&before) - booth_logged + 70,
        "the tally replaces the booth's counted figures; the replaced 500 is not subtracted again"
    );
}
