//! The day's photos: the star "for the report" reaching the report's 活动剪影 section, who may
//! star, the streamed ZIP with its index, and the thumbnails the photos page shows.

use crate::helpers::{TestApp, client_with_token, scalar, spawn_app, user_with_token};
use eventday_domain::Role;
use serde_json::{Value, json};
use std::process::Command;

/// The PDF's text in content order (captions of a two-column row stay whole), whitespace
/// removed; `None` without `pdftotext`.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).ok()?;
    let out = Command::new("pdftotext").arg("-raw").arg(&path).arg("-").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).split_whitespace().collect())
}

/// The demo campaign, with `client` an organizer of its organization; its organization's id.
async fn demo(app: &mut TestApp) -> (i32, i32) {
    let id = eventday::load_demo(&app.db.store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(id).await;
    let org = eventday_store::scope::campaign_organization(app.db.store.conn(), id)
        .await
        .expect("query")
        .expect("organization");
    (id, org)
}

async fn photos(client: &reqwest::Client, app: &TestApp, campaign: i32) -> Vec<Value> {
    let resp =
        client.get(app.url(&format!("/api/v1/campaigns/{campaign}/photos"))).send().await.expect("list");
    assert_eq!(resp.status().as_u16(), 200);
    resp.json::<Vec<Value>>().await.expect("JSON")
}

/// The report's text after the 活动剪影 heading (empty when the section is missing), or the
/// captions of its data when `pdftotext` is not installed.
async fn pictures_section(app: &TestApp, campaign: i32, lang: &str) -> String {
    let resp = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{campaign}/report.pdf?lang={lang}")))
        .send()
        .await
        .expect("report");
    assert_eq!(resp.status().as_u16(), 200);
    let pdf = resp.bytes().await.expect("pdf");
    let heading = if lang == "en" { "TheDayinPictures" } else { "活动剪影" };
    match pdf_text(&pdf) {
        Some(text) => text.split_once(heading).map(|(_, rest)| rest.to_owned()).unwrap_or_default(),
        None => {
            println!("pdftotext is not installed: checked the report's data instead of its text");
            let l = if lang == "en" { eventday_domain::Lang::En } else { eventday_domain::Lang::Zh };
            let d = eventday_store::report_data::campaign_report_data(&app.db.store, campaign, l)
                .await
                .expect("data");
            d.photos.iter().map(|p| p.caption.split_whitespace().collect::<String>()).collect()
        }
    }
}

#[tokio::test]
async fn a_starred_photo_reaches_the_reports_day_in_pictures_and_unstarring_takes_it_out() {
    let mut app = spawn_app().await;
    let (c, _) = demo(&mut app).await;
    let all = photos(&app.client, &app, c).await;
    assert_eq!(all.len(), 4, "the demo's photos: {all:?}");
    let starred: Vec<&Value> = all.iter().filter(|p| p["starred"] == json!(true)).collect();
    assert_eq!(starred.len(), 2, "the demo marks two photos for the report");
    let rain =
        all.iter().find(|p| p["caption"].as_str().is_some_and(|s| s.contains("大雨中"))).expect("rain");
    let caption: String = rain["caption"].as_str().unwrap_or_default().split_whitespace().collect();

    let before = pictures_section(&app, c, "zh").await;
    assert!(before.contains("区领导为10家消费纠纷和解单位授牌"), "the demo's starred photo: {before}");
    assert!(!before.contains(&caption), "not starred yet: {before}");

    let star = |on: bool| {
        app.client
            .put(app.url(&format!("/api/v1/photos/{}/star", rain["id"])))
            .json(&json!({"starred": on}))
            .send()
    };
    let resp = star(true).await.expect("star");
    assert_eq!(resp.status().as_u16(), 200);
    let body: Value = resp.json().await.expect("JSON");
    assert_eq!(body["starred"], json!(true));
    let after = pictures_section(&app, c, "zh").await;
    assert!(after.contains(&caption), "the starred photo's caption in 活动剪影: {after}");
    let venue: String = rain["venue"].as_str().unwrap_or_default().split_whitespace().collect();
    assert!(after.contains(&format!("{venue}09:05{caption}")), "venue and time above its caption: {after}");
    let en = pictures_section(&app, c, "en").await;
    assert!(en.contains(&caption), "and in the English report: {en}");

    assert_eq!(star(false).await.expect("unstar").status().as_u16(), 200);
    assert!(!pictures_section(&app, c, "zh").await.contains(&caption), "unstarred: gone");

    // Both steps audited with the acting user (the demo's own caption was audited without one).
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let audited = eventday_store::entities::audit_event::Entity::find()
        .filter(eventday_store::entities::audit_event::Column::Entity.eq("log_photo"))
        .filter(eventday_store::entities::audit_event::Column::EntityId.eq(rain["id"].to_string()))
        .filter(eventday_store::entities::audit_event::Column::Action.eq("update"))
        .filter(eventday_store::entities::audit_event::Column::UserId.is_not_null())
        .all(app.db.store.conn())
        .await
        .expect("audit");
    assert_eq!(audited.len(), 2, "{audited:?}");
    app.stop().await;
}

#[tokio::test]
async fn captions_are_checked_and_a_lead_stars_only_their_own_venues_photos() {
    let mut app = spawn_app().await;
    let (c, org) = demo(&mut app).await;
    let all = photos(&app.client, &app, c).await;
    let venue_of = |p: &Value| i32::try_from(p["venue_id"].as_i64().expect("venue")).expect("id");
    let (own, other) =
        (&all[0], all.iter().find(|p| p["venue_id"] != all[0]["venue_id"]).expect("another venue"));
    let lead = client_with_token(
        &user_with_token(&app.db.store, "photo-lead", Role::Lead, Some(org), vec![venue_of(own)]).await,
    );
    // The lead's listing holds their venue's photos only.
    let theirs = photos(&lead, &app, c).await;
    assert!(!theirs.is_empty() && theirs.iter().all(|p| p["venue_id"] == own["venue_id"]), "{theirs:?}");

    let put = |who: &reqwest::Client, p: &Value, what: &str, body: Value| {
        who.put(app.url(&format!("/api/v1/photos/{}/{what}", p["id"]))).json(&body).send()
    };
    let resp = put(&lead, other, "star", json!({"starred": !other["starred"].as_bool().unwrap_or(false)}))
        .await
        .expect("star");
    assert_eq!(resp.status().as_u16(), 403, "another venue's photo");
    let now = photos(&app.client, &app, c).await;
    let unchanged = now.iter().find(|p| p["id"] == other["id"]).expect("photo");
    assert_eq!(unchanged["starred"], other["starred"], "a refused request changes nothing");
    let resp = put(&lead, own, "caption", json!({"caption": "现场照片"})).await.expect("caption");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.json::<Value>().await.expect("JSON")["caption"], "现场照片");

    // A caption over 200 characters or over two lines: 422 naming the field; nothing saved.
    for bad in ["长".repeat(201), "一行\n两行".to_owned()] {
        let resp = put(&app.client, own, "caption", json!({"caption": bad})).await.expect("caption");
        assert_eq!(resp.status().as_u16(), 422);
        let err: Value = resp.json().await.expect("JSON");
        assert!(err["error"]["fields"]["caption"].is_string(), "{err}");
    }
    let resp = put(&app.client, own, "star", json!({"starred": "yes"})).await.expect("star");
    assert_eq!(resp.status().as_u16(), 400, "a star is true or false");
    let after = photos(&app.client, &app, c).await;
    assert_eq!(after.iter().find(|p| p["id"] == own["id"]).expect("photo")["caption"], "现场照片");

    // Viewers read the photos and may not star them.
    let viewer = client_with_token(
        &user_with_token(&app.db.store, "photo-viewer", Role::Viewer, Some(org), vec![]).await,
    );
    assert_eq!(photos(&viewer, &app, c).await.len(), all.len());
    let resp = put(&viewer, own, "star", json!({"starred": true})).await.expect("star");
    assert_eq!(resp.status().as_u16(), 403);
    app.stop().await;
}

/// The entries of a stored ZIP read from their local headers: (name, bytes).
fn unzip(z: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while z.get(i..i + 4) == Some(b"PK\x03\x04") {
        let u16_at = |k: usize| usize::from(u16::from_le_bytes([z[k], z[k + 1]]));
        let u32_at = |k: usize| u32::from_le_bytes([z[k], z[k + 1], z[k + 2], z[k + 3]]);
        assert_eq!(u16_at(i + 8), 0, "stored, not compressed");
        let size = u32_at(i + 18) as usize;
        let crc = u32_at(i + 14);
        let (name_len, extra) = (u16_at(i + 26), u16_at(i + 28));
        let name = String::from_utf8(z[i + 30..i + 30 + name_len].to_vec()).expect("UTF-8 name");
        let start = i + 30 + name_len + extra;
        let data = z[start..start + size].to_vec();
        assert_eq!(crc32(&data), crc, "{name}: CRC");
        out.push((name, data));
        i = start + size;
    }
    assert_eq!(z.get(i..i + 4), Some(&b"PK\x01\x02"[..]), "the central directory follows the entries");
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[tokio::test]
async fn the_photo_archive_names_each_photo_by_venue_time_and_author_and_indexes_them() {
    let mut app = spawn_app().await;
    let (c, org) = demo(&mut app).await;
    let all = photos(&app.client, &app, c).await;
    let resp =
        app.client.get(app.url(&format!("/api/v1/campaigns/{c}/photos.zip"))).send().await.expect("zip");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "application/zip");
    let z = resp.bytes().await.expect("body");
    let entries = unzip(&z);
    assert_eq!(entries.len(), all.len() + 1, "every photo and the index");
    let (index_name, index) = entries.last().expect("index");
    assert_eq!(index_name, "index.csv");
    let index = String::from_utf8(index.clone()).expect("UTF-8");
    assert!(index.starts_with("\u{feff}file,venue,time,author,caption,starred"), "{index}");
    let zone = chrono_tz::Asia::Shanghai;
    for (p, (name, bytes)) in all.iter().zip(&entries) {
        let at: chrono::DateTime<chrono::Utc> =
            p["recorded_at"].as_str().expect("time").parse().expect("time");
        let hhmm = at.with_timezone(&zone).format("%H%M").to_string();
        let want = format!(
            "{}_{hhmm}_{}.jpg",
            eventday_web::zip_stream::name_part(p["venue"].as_str().unwrap_or_default(), "venue"),
            eventday_web::zip_stream::name_part(p["author"].as_str().unwrap_or_default(), "author"),
        );
        assert_eq!(name, &want);
        let id = p["id"].as_i64().expect("id");
        let stored = eventday_store::photos::bytes(&app.db.store, id).await.expect("bytes");
        assert!(bytes == &stored, "{name}: the stored bytes");
        assert!(index.contains(&format!("\"{name}\"")), "{name} listed in the index: {index}");
    }
    assert_eq!(index.lines().count(), all.len() + 1);
    assert!(index.contains("\"yes\"") && index.contains("\"no\""), "{index}");

    // A lead's archive holds their venue's photos only.
    let venue = i32::try_from(all[0]["venue_id"].as_i64().expect("venue")).expect("id");
    let lead = client_with_token(
        &user_with_token(&app.db.store, "zip-lead", Role::Lead, Some(org), vec![venue]).await,
    );
    let z = lead.get(app.url(&format!("/api/v1/campaigns/{c}/photos.zip"))).send().await.expect("zip");
    let names: Vec<String> = unzip(&z.bytes().await.expect("body")).into_iter().map(|e| e.0).collect();
    let theirs = all.iter().filter(|p| p["venue_id"] == all[0]["venue_id"]).count();
    assert_eq!(names.len(), theirs + 1, "{names:?}");
    app.stop().await;
}

/// A thumbnail request: status, content type, ETag and body.
async fn get_thumb(client: &reqwest::Client, app: &TestApp, id: i64) -> (u16, String, String, Vec<u8>) {
    let resp = client.get(app.url(&format!("/api/v1/photos/{id}/thumb"))).send().await.expect("thumb");
    let status = resp.status().as_u16();
    let header = |h: &str| resp.headers().get(h).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let (ct, etag) = (header("content-type"), header("etag"));
    (status, ct, etag, resp.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn a_thumbnail_is_a_small_jpeg_made_once_kept_in_the_database_and_served_only_to_readers() {
    let mut app = spawn_app().await;
    let (c, org) = demo(&mut app).await;
    let all = photos(&app.client, &app, c).await;
    let first = &all[0];
    let id = first["id"].as_i64().expect("id");
    let count = "SELECT COUNT(*) FROM photo_thumbs";
    assert_eq!(scalar(&app.db.store, count).await, 0, "none made before they are asked for");

    // A JPEG no larger than 320 pixels on its longest side, of the 640×480 photo.
    let (status, ct, etag, made) = get_thumb(&app.client, &app, id).await;
    assert_eq!(status, 200);
    assert_eq!(ct, "image/jpeg");
    let img = image::load_from_memory_with_format(&made, image::ImageFormat::Jpeg).expect("a JPEG");
    assert_eq!((img.width(), img.height()), (320, 240));
    let original = eventday_store::photos::bytes(&app.db.store, id).await.expect("bytes");
    assert!(made.len() < original.len(), "{} bytes for the {}-byte photo", made.len(), original.len());
    let sha = eventday_domain::photo::sha256_hex(&original);
    assert!(etag.contains(&sha), "the ETag comes from the photo's checksum: {etag}");
    assert_eq!(scalar(&app.db.store, count).await, 1, "kept in the database");

    // Asked again: served from the database, the same bytes, no second row.
    let (status, _, etag_again, again) = get_thumb(&app.client, &app, id).await;
    assert_eq!((status, &etag_again), (200, &etag));
    assert!(again == made, "the kept thumbnail");
    assert_eq!(scalar(&app.db.store, count).await, 1);
    // A browser holding it is told so.
    let resp = app
        .client
        .get(app.url(&format!("/api/v1/photos/{id}/thumb")))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("thumb");
    assert_eq!(resp.status().as_u16(), 304);

    // A thumbnail that went missing is made again.
    use sea_orm::ConnectionTrait;
    app.db.store.conn().execute_unprepared("DELETE FROM photo_thumbs").await.expect("delete");
    let (status, _, _, remade) = get_thumb(&app.client, &app, id).await;
    assert_eq!(status, 200);
    assert!(image::load_from_memory_with_format(&remade, image::ImageFormat::Jpeg).is_ok());
    assert_eq!(scalar(&app.db.store, count).await, 1, "made again and kept");

    // Those who may see the photo itself, and no one else: a lead of the campaign (as for the
    // photo), but not someone signed out, nor an organizer of an unrelated organization.
    let other = all.iter().find(|p| p["venue_id"] != first["venue_id"]).expect("another venue");
    let venue = i32::try_from(other["venue_id"].as_i64().expect("venue")).expect("id");
    let lead = client_with_token(
        &user_with_token(&app.db.store, "thumb-lead", Role::Lead, Some(org), vec![venue]).await,
    );
    let photo_status = |who: &reqwest::Client| {
        let url = app.url(&format!("/api/v1/photos/{id}"));
        let req = who.get(url);
        async move { req.send().await.expect("photo").status().as_u16() }
    };
    let (status, ..) = get_thumb(&lead, &app, id).await;
    assert_eq!(status, photo_status(&lead).await, "as for the photo itself");
    assert_eq!(status, 200);
    use sea_orm::ActiveModelTrait;
    let unrelated = eventday_store::entities::organization::ActiveModel {
        id: sea_orm::NotSet,
        name: sea_orm::Set("无关协会".into()),
        name_en: sea_orm::Set(None),
        parent_id: sea_orm::Set(None),
        created_at: sea_orm::Set(chrono::Utc::now()),
    }
    .insert(app.db.store.conn())
    .await
    .expect("organization");
    let outsider = client_with_token(
        &user_with_token(&app.db.store, "thumb-outsider", Role::Organizer, Some(unrelated.id), vec![]).await,
    );
    let (status, _, _, body) = get_thumb(&outsider, &app, id).await;
    assert_eq!(status, 403, "an unrelated organization's organizer");
    assert_eq!(photo_status(&outsider).await, 403);
    assert!(body != made, "and no picture");
    let (status, ..) = get_thumb(&reqwest::Client::new(), &app, id).await;
    assert_eq!(status, 401, "signed out");
    let (status, ..) = get_thumb(&app.client, &app, 999_999).await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn a_photo_that_cannot_be_decoded_is_served_as_it_is_in_place_of_its_thumbnail() {
    use sea_orm::{ActiveModelTrait, NotSet, Set};
    let mut app = spawn_app().await;
    let (c, _) = demo(&mut app).await;
    let all = photos(&app.client, &app, c).await;
    // Bytes that start like a PNG (accepted at upload by their magic bytes) but are not one.
    let mut broken = b"\x89PNG\r\n\x1a\n".to_vec();
    broken.extend((0..500u32).map(|i| (i % 251) as u8));
    let row = eventday_store::entities::log_photo::ActiveModel {
        id: NotSet,
        log_entry_id: Set(all[0]["entry_id"].as_str().expect("entry").to_owned()),
        content_type: Set("image/png".into()),
        size_bytes: Set(i64::try_from(broken.len()).expect("size")),
        sha256: Set(eventday_domain::photo::sha256_hex(&broken)),
        bytes: Set(broken.clone()),
        created_at: Set(chrono::Utc::now()),
        taken_at: Set(None),
        caption: Set(String::new()),
        starred: Set(false),
    }
    .insert(app.db.store.conn())
    .await
    .expect("photo");
    for _ in 0..2 {
        let (status, ct, _, body) = get_thumb(&app.client, &app, row.id).await;
        assert_eq!((status, ct.as_str()), (200, "image/png"), "the original, so the page shows something");
        assert!(body == broken);
    }
    let failed = scalar(&app.db.store, "SELECT COUNT(*) FROM photo_thumbs WHERE bytes IS NULL").await;
    assert_eq!(failed, 1, "kept as not decodable, not tried again on every request");
    app.stop().await;
}
