//! The organization tree, campaigns, the unit directory, who takes part, officials and the
//! report's narrative.

use super::*;

/// Organizations.
pub struct Organizations;
impl Resource for Organizations {
    type Input = OrganizationInput;
    type Model = organization::Model;
    type Active = organization::ActiveModel;
    fn active(_: i32, i: &OrganizationInput, old: Option<&organization::Model>) -> Self::Active {
        organization::ActiveModel {
            id: NotSet,
            name: Set(i.name.trim().to_owned()),
            name_en: Set(english_name(i.name_en.as_ref())),
            parent_id: Set(i.parent_id),
            created_at: Set(old.map_or_else(Utc::now, |o| o.created_at)),
        }
    }
    fn parent_of(_: &organization::Model) -> i32 {
        0
    }
    /// Who may move an organization, and no cycles: see [`crate::org_tree::check_parent`].
    async fn check_actor(
        tx: &DatabaseTransaction,
        actor: Option<i32>,
        i: &OrganizationInput,
        old: Option<&organization::Model>,
    ) -> Result<(), StoreError> {
        crate::org_tree::lock_tree(tx).await?;
        crate::org_tree::check_parent(tx, actor, old, i.parent_id).await
    }
}
crud!(
    /// Organizations (district, city, province).
    organizations, Organizations, organization, "organization"; order Name Id
);

/// Campaigns.
pub struct Campaigns;
impl Resource for Campaigns {
    type Input = CampaignInput;
    type Model = campaign::Model;
    type Active = campaign::ActiveModel;
    fn active(_: i32, i: &CampaignInput, old: Option<&campaign::Model>) -> Self::Active {
        let now = Utc::now();
        campaign::ActiveModel {
            id: NotSet,
            organization_id: Set(i.organization_id),
            year: Set(i.year),
            date: Set(i.date),
            timezone: Set(i.timezone.clone()),
            title: Set(i.title.trim().to_owned()),
            theme: Set(i.theme.trim().to_owned()),
            status: Set(i.status.or_else(|| old.map(|o| o.status)).unwrap_or(CampaignStatus::Planning)),
            undertaker: Set(i.undertaker.trim().to_owned()),
            division_code: Set(i.division_code.trim().to_owned()),
            mask_official_names: Set(i.mask_official_names),
            created_at: Set(old.map_or(now, |o| o.created_at)),
            updated_at: Set(now),
        }
    }
    fn parent_of(_: &campaign::Model) -> i32 {
        0
    }
    async fn check(
        tx: &DatabaseTransaction,
        _: i32,
        i: &CampaignInput,
        _: Option<&campaign::Model>,
    ) -> Result<(), StoreError> {
        if organization::Entity::find_by_id(i.organization_id).one(tx).await?.is_none() {
            return Err(invalid("organization_id", format!("no organization {}", i.organization_id)));
        }
        Ok(())
    }
    async fn before_delete(tx: &DatabaseTransaction, m: &campaign::Model) -> Result<(), StoreError> {
        let n = log_entry::Entity::find().filter(log_entry::Column::CampaignId.eq(m.id)).count(tx).await?;
        if n > 0 {
            return Err(StoreError::Conflict(format!(
                "campaign {} has {n} log entries; they would be lost, so it cannot be deleted",
                m.id
            )));
        }
        Ok(())
    }
}
crud!(
    /// Campaigns.
    campaigns, Campaigns, campaign, "campaign"; order Date Id
);

/// Units.
pub struct Units;
impl Resource for Units {
    type Input = UnitInput;
    type Model = unit::Model;
    type Active = unit::ActiveModel;
    fn active(_: i32, i: &UnitInput, old: Option<&unit::Model>) -> Self::Active {
        unit::ActiveModel {
            id: NotSet,
            name: Set(i.name.trim().to_owned()),
            name_en: Set(english_name(i.name_en.as_ref())),
            kind: Set(i.kind),
            contact: Set(i.contact.clone()),
            short_name: Set(i.short_name.as_ref().map(|s| s.trim().to_owned())),
            industry: Set(i.industry.as_ref().map(|s| s.trim().to_owned())),
            platform_joined_year: Set(i.platform_joined_year),
            created_at: Set(old.map_or_else(Utc::now, |o| o.created_at)),
        }
    }
    fn parent_of(_: &unit::Model) -> i32 {
        0
    }
}
crud!(
    /// The directory of units, shared by all campaigns.
    units, Units, unit, "unit"; order Name Id
);

/// Participations.
pub struct Participations;
impl Resource for Participations {
    type Input = ParticipationInput;
    type Model = participation::Model;
    type Active = participation::ActiveModel;
    fn active(parent: i32, i: &ParticipationInput, _: Option<&participation::Model>) -> Self::Active {
        participation::ActiveModel {
            id: NotSet,
            campaign_id: Set(parent),
            unit_id: Set(i.unit_id),
            staffs_booth: Set(i.staffs_booth),
            reconciliation_member: Set(i.reconciliation_member),
            media: Set(i.media),
            sponsor: Set(i.sponsor),
            to_confirm: Set(i.to_confirm),
        }
    }
    fn parent_of(m: &participation::Model) -> i32 {
        m.campaign_id
    }
    async fn check(
        tx: &DatabaseTransaction,
        _: i32,
        i: &ParticipationInput,
        _: Option<&participation::Model>,
    ) -> Result<(), StoreError> {
        if !unit_exists(tx, i.unit_id).await? {
            return Err(invalid("unit_id", format!("no unit {}", i.unit_id)));
        }
        Ok(())
    }
}
crud!(
    /// Units taking part in a campaign.
    participations, Participations, participation, "participation", parent campaign.CampaignId; order Id
);

/// Officials.
pub struct Officials;
impl Resource for Officials {
    type Input = OfficialInput;
    type Model = official::Model;
    type Active = official::ActiveModel;
    fn active(parent: i32, i: &OfficialInput, _: Option<&official::Model>) -> Self::Active {
        official::ActiveModel {
            id: NotSet,
            campaign_id: Set(parent),
            name: Set(i.name.trim().to_owned()),
            title: Set(i.title.clone()),
            organization: Set(i.organization.clone()),
            venue_id: Set(i.venue_id),
            role: Set(i.role.clone()),
            masked: Set(i.masked),
        }
    }
    fn parent_of(m: &official::Model) -> i32 {
        m.campaign_id
    }
    async fn check(
        tx: &DatabaseTransaction,
        campaign_id: i32,
        i: &OfficialInput,
        _: Option<&official::Model>,
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
    /// Officials who attended.
    officials, Officials, official, "official", parent campaign.CampaignId; order Id
);

/// Narrative sections.
pub struct Narrative;
impl Resource for Narrative {
    type Input = NarrativeInput;
    type Model = narrative_section::Model;
    type Active = narrative_section::ActiveModel;
    fn active(parent: i32, i: &NarrativeInput, _: Option<&narrative_section::Model>) -> Self::Active {
        narrative_section::ActiveModel {
            id: NotSet,
            campaign_id: Set(parent),
            lang: Set(i.lang),
            key: Set(i.key.trim().to_owned()),
            position: Set(i.position),
            heading: Set(i.heading.trim().to_owned()),
            body: Set(i.body.clone()),
            next_steps: Set(i.next_steps),
            updated_at: Set(Utc::now()),
        }
    }
    fn parent_of(m: &narrative_section::Model) -> i32 {
        m.campaign_id
    }
}
crud!(
    /// The campaign's narrative sections for the report, ordered per language.
    narrative, Narrative, narrative_section, "narrative_section", parent campaign.CampaignId;
    order Lang Position Id
);

/// The organization named `name`, created under `parent` (through [`organizations::insert`])
/// when there is none; inside `tx`.
///
/// # Errors
/// [`StoreError::Invalid`] for a bad name, database errors.
pub async fn organization_named(
    tx: &DatabaseTransaction,
    actor: Option<i32>,
    name: &str,
    parent: Option<i32>,
) -> Result<organization::Model, StoreError> {
    match organization::Entity::find().filter(organization::Column::Name.eq(name.trim())).one(tx).await? {
        Some(o) => Ok(o),
        None => {
            let input = OrganizationInput { name: name.to_owned(), name_en: None, parent_id: parent };
            organizations::insert(tx, actor, 0, &input).await
        }
    }
}

/// Creates a campaign of the organization named `organization` (created when missing, under
/// the organization named `parent`), in a transaction of its own: what a fresh installation
/// needs before anything else, without a server or a token. `input.organization_id` is set
/// here.
///
/// # Errors
/// [`StoreError::Invalid`] naming every bad field, database errors.
pub async fn add_campaign(
    store: &Store,
    actor: Option<i32>,
    organization: &str,
    parent: Option<&str>,
    input: &CampaignInput,
) -> Result<campaign::Model, StoreError> {
    let tx = store.write_tx().await?;
    let parent_id = match parent {
        Some(p) => Some(organization_named(&tx, actor, p, None).await?.id),
        None => None,
    };
    let org = organization_named(&tx, actor, organization, parent_id).await?;
    let input = CampaignInput { organization_id: org.id, ..input.clone() };
    let row = campaigns::insert(&tx, actor, 0, &input).await?;
    tx.commit().await?;
    Ok(row)
}
