//! Blanking one free-text field in stored audit events, for the purge: the trail keeps every
//! event and every other field (in its order), only the personal free text goes.

use crate::entities::audit_event;
use crate::error::StoreError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;

/// A JSON object with its fields in their stored order.
struct Ordered(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(Fields)
    }
}

impl serde::Serialize for Ordered {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// `json` with its top-level string field `field` set to `""`; `None` when there is nothing to
/// blank (no such field, already empty, or not a JSON object).
fn blanked(json: &str, field: &str) -> Option<String> {
    let mut o: Ordered = serde_json::from_str(json).ok()?;
    let mut changed = false;
    for (k, v) in &mut o.0 {
        if k == field && v.as_str().is_some_and(|s| !s.is_empty()) {
            *v = Value::String(String::new());
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    serde_json::to_string(&o).ok()
}

/// Sets the field `field` to `""` in the before and after states of every audit event about
/// the rows `ids` of `entity` (as `audit::record` stored them), inside `tx`. Answers how many
/// events changed.
pub(super) async fn blank_audit_field(
    tx: &impl ConnectionTrait,
    entity: &str,
    ids: &[String],
    field: &str,
) -> Result<usize, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq(entity))
        .filter(audit_event::Column::EntityId.is_in(ids.iter().cloned()))
        .all(tx)
        .await?;
    let mut changed = 0;
    for row in rows {
        let before = row.before.as_deref().and_then(|j| blanked(j, field));
        let after = row.after.as_deref().and_then(|j| blanked(j, field));
        if before.is_none() && after.is_none() {
            continue;
        }
        let mut am = row.into_active_model();
        if let Some(b) = before {
            am.before = Set(Some(b));
        }
        if let Some(a) = after {
            am.after = Set(Some(a));
        }
        am.update(tx).await?;
        changed += 1;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::blanked;

    #[test]
    fn only_the_named_field_is_blanked_and_the_order_stays() {
        let j = r#"{"id":7,"summary":"电视机坏了","status":"settled","amount_claimed_fen":500,"x":null}"#;
        assert_eq!(
            blanked(j, "summary").as_deref(),
            Some(r#"{"id":7,"summary":"","status":"settled","amount_claimed_fen":500,"x":null}"#)
        );
        assert_eq!(blanked(r#"{"id":7,"summary":""}"#, "summary"), None);
        assert_eq!(blanked(r#"{"id":7}"#, "summary"), None);
        assert_eq!(blanked("null", "summary"), None);
        assert_eq!(blanked(r#"{"summary":{"nested":1}}"#, "summary"), None);
    }
}
