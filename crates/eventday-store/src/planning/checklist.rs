//! The preparation checklist: tasks with phase, responsible unit and person, venue, due date
//! and status (the 工作分工表).

use super::*;

/// Tasks.
pub struct Tasks;
impl Resource for Tasks {
    type Input = TaskInput;
    type Model = task::Model;
    type Active = task::ActiveModel;
    fn active(parent: i32, i: &TaskInput, _: Option<&task::Model>) -> Self::Active {
        task::ActiveModel {
            id: NotSet,
            campaign_id: Set(parent),
            phase: Set(i.phase.trim().to_owned()),
            title: Set(i.title.trim().to_owned()),
            responsible_unit: Set(i.responsible_unit.trim().to_owned()),
            responsible_person: Set(i.responsible_person.trim().to_owned()),
            venue_id: Set(i.venue_id),
            due_on: Set(i.due_on),
            status: Set(i.status),
            notes: Set(i.notes.clone()),
            evidence: Set(i.evidence.trim().to_owned()),
            position: Set(i.position),
            updated_at: Set(Utc::now()),
        }
    }
    fn parent_of(m: &task::Model) -> i32 {
        m.campaign_id
    }
    async fn check(
        tx: &DatabaseTransaction,
        campaign_id: i32,
        i: &TaskInput,
        _: Option<&task::Model>,
    ) -> Result<(), StoreError> {
        let mut e = FieldErrors::new();
        if let Some(v) = i.venue_id {
            let found = venue::Entity::find_by_id(v).one(tx).await?;
            if found.is_none_or(|f| f.campaign_id != campaign_id) {
                e.insert("venue_id".into(), format!("campaign {campaign_id} has no venue {v}"));
            }
        }
        Ok(ValidationError::check(e)?)
    }
}
crud!(
    /// The campaign's preparation checklist, by due date.
    tasks, Tasks, task, "task", parent campaign.CampaignId; order DueOn Position Id
);

/// Adds the default checklist (the phases and steps of a real district plan, dated from the
/// event day) to a campaign, through [`tasks::insert`]; in a transaction of its own.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, database errors.
pub async fn add_default_checklist(
    store: &Store,
    actor: Option<i32>,
    campaign_id: i32,
) -> Result<Vec<task::Model>, StoreError> {
    let tx = store.write_tx().await?;
    let c = campaign::Entity::find_by_id(campaign_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: campaign_id.to_string() })?;
    let mut rows = Vec::new();
    for t in eventday_domain::inputs::default_checklist(c.date) {
        rows.push(tasks::insert(&tx, actor, campaign_id, &t).await?);
    }
    tx.commit().await?;
    Ok(rows)
}

/// Changes a task's status (and its notes when given) through [`tasks::change`], keeping every
/// other field: what a venue lead may do with their venue's tasks. In a transaction of its own.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown task, [`StoreError::Invalid`] for bad notes,
/// database errors.
pub async fn set_task_status(
    store: &Store,
    actor: Option<i32>,
    id: i32,
    change: &eventday_domain::inputs::TaskStatusInput,
) -> Result<task::Model, StoreError> {
    let tx = store.write_tx().await?;
    let t = task::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "task", id: id.to_string() })?;
    let input = TaskInput {
        status: change.status,
        notes: change.notes.clone().unwrap_or_else(|| t.notes.clone()),
        ..task_input(&t)
    };
    let row = tasks::change(&tx, actor, id, &input).await?;
    tx.commit().await?;
    Ok(row)
}

/// The input that would write `t` as it is.
#[must_use]
pub fn task_input(t: &task::Model) -> TaskInput {
    TaskInput {
        phase: t.phase.clone(),
        title: t.title.clone(),
        responsible_unit: t.responsible_unit.clone(),
        responsible_person: t.responsible_person.clone(),
        venue_id: t.venue_id,
        due_on: t.due_on,
        status: t.status,
        notes: t.notes.clone(),
        evidence: t.evidence.clone(),
        position: t.position,
    }
}
