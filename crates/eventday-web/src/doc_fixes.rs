//! What the handlers' annotations cannot say by themselves: which operations answer 423 once a
//! venue's day is accepted, and the shape of the `materials` maps.

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{OpenApi, RefOr, ResponseBuilder};

/// Every operation that writes a venue's figures and so answers 423 (`locked`) while the
/// venue's day is accepted: log entries and their photos, activities (their participants are
/// figures), disputes, and CSV imports of those kinds. The store refuses these writes with
/// `StoreError::VenueLocked` (see `eventday_store::scope::ensure_venue_writable`).
pub const LOCKING_OPERATIONS: &[(&str, &str)] = &[
    ("post", "/api/v1/venues/{id}/log"),
    ("post", "/api/v1/log/{entry_id}/photos"),
    ("post", "/api/v1/venues/{id}/activities"),
    ("put", "/api/v1/activities/{id}"),
    ("delete", "/api/v1/activities/{id}"),
    ("put", "/api/v1/activities/{id}/figures"),
    ("post", "/api/v1/campaigns/{id}/disputes"),
    ("put", "/api/v1/disputes/{id}"),
    ("delete", "/api/v1/disputes/{id}"),
    ("post", "/api/v1/disputes/{id}/status"),
    ("post", "/api/v1/campaigns/{id}/import/{kind}"),
];

/// Adds the 423 answer to [`LOCKING_OPERATIONS`] (the envelope and its description are added
/// with every other error answer afterwards).
pub fn document_locks(doc: &mut OpenApi) {
    for (method, path) in LOCKING_OPERATIONS {
        let Some(item) = doc.paths.paths.get_mut(*path) else { continue };
        let op = match *method {
            "post" => item.post.as_mut(),
            "put" => item.put.as_mut(),
            "delete" => item.delete.as_mut(),
            _ => None,
        };
        if let Some(op) = op {
            op.responses.responses.entry("423".to_owned()).or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description("the venue's day was accepted; its figures are locked")
                        .build(),
                )
            });
        }
    }
}

/// The schema of a `materials` map: JSON object keys are strings, so the keys are material ids
/// written as decimal strings (`{"3": 120}`), the values quantities handed out.
fn materials_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "Materials handed out: each key is a material id of the campaign written as a string of \
             digits (JSON object keys are strings), each value the quantity handed out; at most 200 \
             materials per entry.",
        ))
        .property_names(Some(ObjectBuilder::new().schema_type(Type::String).pattern(Some("^[0-9]+$"))))
        .additional_properties(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(0)),
        ))
        .examples([serde_json::json!({ "3": 120, "4": 15 })])
        .build()
        .into()
}

/// Declares the `materials` of log entries (as sent and as returned) with string keys.
pub fn document_materials(doc: &mut OpenApi) {
    let Some(components) = doc.components.as_mut() else { return };
    for name in ["LogEntry", "LogEntryInput"] {
        if let Some(RefOr::T(Schema::Object(o))) = components.schemas.get_mut(name)
            && o.properties.contains_key("materials")
        {
            o.properties.insert("materials".to_owned(), RefOr::T(materials_schema()));
        }
    }
}
