//! Everything the summary report says about one campaign, read in one place (as stored; the
//! parent module turns it into the report's data).

use crate::Store;
use crate::entities::*;
use crate::error::StoreError;
use crate::queries::{CampaignSummary, campaign_summary};
use chrono::NaiveDate;
use eventday_domain::totals::CampaignTotals;
use eventday_domain::{ActivityKind, BoothKind, DayStatus, Lang, MediaChannel, MediaFormat, UnitKind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// A venue as the report shows it.
#[derive(Debug, Clone)]
pub struct VenueFact {
    /// Id.
    pub id: i32,
    /// Name in the report's language (the Chinese one when it has no English name).
    pub name: String,
    /// Host unit.
    pub host_unit: String,
    /// Where the venue's day is in its approval.
    pub day_status: DayStatus,
    /// Whether any of its log entries recorded money recovered.
    pub money_recorded: bool,
}

/// A participating unit.
#[derive(Debug, Clone)]
pub struct UnitFact {
    /// Kind.
    pub kind: UnitKind,
    /// Name in the report's language.
    pub name: String,
    /// Chinese name (what its class and the organizer are recognized by).
    pub name_zh: String,
    /// Member of the reconciliation platform.
    pub reconciliation_member: bool,
}

/// A booth with its staffing units.
#[derive(Debug, Clone)]
pub struct BoothFact {
    /// Venue name.
    pub venue: String,
    /// Topic.
    pub topic: String,
    /// Booth kind.
    pub kind: BoothKind,
    /// Staffing unit names.
    pub units: Vec<String>,
}

/// An activity.
#[derive(Debug, Clone)]
pub struct ActivityFact {
    /// Venue name.
    pub venue: String,
    /// Activity kind.
    pub kind: ActivityKind,
    /// Title.
    pub title: String,
    /// Place.
    pub place: String,
    /// Participants.
    pub participants: i64,
}

/// A media item.
#[derive(Debug, Clone)]
pub struct MediaFact {
    /// Outlet name.
    pub outlet: String,
    /// Channel.
    pub channel: MediaChannel,
    /// Format.
    pub format: MediaFormat,
    /// Date.
    pub date: NaiveDate,
    /// Headline.
    pub headline: String,
}

/// A narrative section in one language.
#[derive(Debug, Clone)]
pub struct NarrativeFact {
    /// Key (places the section in the report).
    pub key: String,
    /// Heading.
    pub heading: String,
    /// Body (paragraphs separated by newlines).
    pub body: String,
    /// The closing "next steps" section.
    pub next_steps: bool,
}

/// The report's raw material for one campaign.
#[derive(Debug, Clone)]
pub struct ReportFacts {
    /// The campaign and its totals.
    pub summary: CampaignSummary,
    /// Venues in plan order (the totals carry their figures).
    pub venues: Vec<VenueFact>,
    /// The report's language.
    pub lang: Lang,
    /// The organization's name in the report's language.
    pub organization: String,
    /// Participating units.
    pub units: Vec<UnitFact>,
    /// Whether units signed in (签到): then [`Self::units`] are those present, otherwise those
    /// planned.
    pub attendance_from_check_ins: bool,
    /// Booths.
    pub booths: Vec<BoothFact>,
    /// Activities, by start time.
    pub activities: Vec<ActivityFact>,
    /// Officials: (name, title, organization, masked).
    pub officials: Vec<(String, String, String, bool)>,
    /// Media coverage by date.
    pub media: Vec<MediaFact>,
    /// Narrative in the requested language.
    pub narrative: Vec<NarrativeFact>,
    /// There is no narrative in the requested language but there is in the other one.
    pub narrative_only_in_other_language: bool,
    /// Material names in the report's language, by id.
    pub material_names: HashMap<i64, String>,
    /// Materials some log entry recorded handing out.
    pub materials_logged: Vec<i64>,
    /// The report settings, when the organizers saved some.
    pub settings: Option<report_settings::Model>,
    /// Earlier campaigns of the same organization: (year, totals).
    pub previous: Vec<(i32, CampaignTotals)>,
}

/// Reads the report's facts for a campaign, narrative in `lang`.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign; database errors.
pub async fn report_facts(store: &Store, campaign_id: i32, lang: Lang) -> Result<ReportFacts, StoreError> {
    let db = store.conn();
    let summary = campaign_summary(store, campaign_id).await?;
    let mask_names =
        campaign::Entity::find_by_id(campaign_id).one(db).await?.is_none_or(|c| c.mask_official_names);
    let venues = crate::views::campaign_venues(db, campaign_id).await?;
    let pick = |zh: &str, en: Option<&String>| match (lang, en) {
        (Lang::En, Some(en)) if !en.trim().is_empty() => en.trim().to_owned(),
        _ => zh.to_owned(),
    };
    let venue_name: HashMap<i32, String> =
        venues.iter().map(|v| (v.id, pick(&v.name, v.name_en.as_ref()))).collect();
    let money_venues: Vec<i32> = log_entry::Entity::find()
        .select_only()
        .column(log_entry::Column::VenueId)
        .filter(log_entry::Column::CampaignId.eq(campaign_id))
        .filter(log_entry::Column::MoneyRecoveredFen.ne(0))
        // Only entries that count in the totals (not replaced by a correction, not voids).
        .filter(log_entry::Column::SupersededBy.is_null())
        .filter(log_entry::Column::Void.eq(false))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let venue_ids: Vec<i32> = venues.iter().map(|v| v.id).collect();

    let participations = participation::Entity::find()
        .filter(participation::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await?;
    let mut unit_ids: Vec<i32> = participations.iter().map(|p| p.unit_id).collect();
    let booths = booth::Entity::find()
        .filter(booth::Column::VenueId.is_in(venue_ids.clone()))
        .order_by_asc(booth::Column::VenueId)
        .order_by_asc(booth::Column::Id)
        .all(db)
        .await?;
    let booth_units = booth_unit::Entity::find()
        .filter(booth_unit::Column::BoothId.is_in(booths.iter().map(|b| b.id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    let media = media_coverage::Entity::find()
        .filter(media_coverage::Column::CampaignId.eq(campaign_id))
        .order_by_asc(media_coverage::Column::Date)
        .order_by_asc(media_coverage::Column::Id)
        .all(db)
        .await?;
    unit_ids.extend(booth_units.iter().map(|b| b.unit_id));
    unit_ids.extend(media.iter().map(|m| m.outlet_unit_id));
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let units: HashMap<i32, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let unit_name = |id: i32| units.get(&id).map(|u| pick(&u.name, u.name_en.as_ref())).unwrap_or_default();

    let activities = activity::Entity::find()
        .filter(activity::Column::VenueId.is_in(venue_ids))
        .order_by_asc(activity::Column::StartsAt)
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?;
    let officials = official::Entity::find()
        .filter(official::Column::CampaignId.eq(campaign_id))
        .order_by_asc(official::Column::Id)
        .all(db)
        .await?;
    // Who was there: once units (or officials) signed in on the day, the report lists those
    // that did rather than those planned.
    let check_ins =
        check_in::Entity::find().filter(check_in::Column::CampaignId.eq(campaign_id)).all(db).await?;
    let arrived_units: std::collections::HashSet<i32> = check_ins.iter().filter_map(|c| c.unit_id).collect();
    let arrived_officials: std::collections::HashSet<i32> =
        check_ins.iter().filter_map(|c| c.official_id).collect();

    // No silent switch of language: without a narrative in the report's language the report
    // leaves it out and says so.
    let narrative = narrative_for(store, campaign_id, lang).await?;
    let other = if lang == Lang::Zh { Lang::En } else { Lang::Zh };
    let narrative_only_in_other_language =
        narrative.is_empty() && !narrative_for(store, campaign_id, other).await?.is_empty();
    let materials =
        material::Entity::find().filter(material::Column::CampaignId.eq(campaign_id)).all(db).await?;
    let materials_logged: Vec<i32> = log_entry_material::Entity::find()
        .select_only()
        .column(log_entry_material::Column::MaterialId)
        .filter(
            log_entry_material::Column::MaterialId.is_in(materials.iter().map(|m| m.id).collect::<Vec<_>>()),
        )
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let settings = report_settings::Entity::find()
        .filter(report_settings::Column::CampaignId.eq(campaign_id))
        .one(db)
        .await?;
    let organization = organization::Entity::find_by_id(summary.campaign.organization_id)
        .one(db)
        .await?
        .map_or_else(|| summary.campaign.organization.clone(), |o| pick(&o.name, o.name_en.as_ref()));
    // An official's organization and a venue's host unit are free text: shown in English when a
    // unit of that name has an English name.
    let named: Vec<String> = officials
        .iter()
        .map(|o| o.organization.clone())
        .chain(venues.iter().map(|v| v.host_unit.clone()))
        .collect();
    let official_orgs: HashMap<String, String> = unit::Entity::find()
        .filter(unit::Column::Name.is_in(named))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.name.clone(), pick(&u.name, u.name_en.as_ref())))
        .collect();

    let previous = previous_totals(store, &summary).await?;

    Ok(ReportFacts {
        attendance_from_check_ins: !arrived_units.is_empty(),
        venues: venues
            .iter()
            .map(|v| VenueFact {
                id: v.id,
                name: pick(&v.name, v.name_en.as_ref()),
                host_unit: official_orgs.get(&v.host_unit).cloned().unwrap_or_else(|| v.host_unit.clone()),
                day_status: v.day_status,
                money_recorded: money_venues.contains(&v.id),
            })
            .collect(),
        units: participations
            .iter()
            .filter(|p| arrived_units.is_empty() || arrived_units.contains(&p.unit_id))
            .filter_map(|p| {
                units.get(&p.unit_id).map(|u| UnitFact {
                    kind: u.kind,
                    name: pick(&u.name, u.name_en.as_ref()),
                    name_zh: u.name.clone(),
                    reconciliation_member: p.reconciliation_member,
                })
            })
            .collect(),
        booths: booths
            .iter()
            .map(|b| BoothFact {
                venue: venue_name.get(&b.venue_id).cloned().unwrap_or_default(),
                topic: b.topic.clone(),
                kind: b.kind,
                units: booth_units
                    .iter()
                    .filter(|u| u.booth_id == b.id)
                    .map(|u| unit_name(u.unit_id))
                    .collect(),
            })
            .collect(),
        activities: activities
            .iter()
            .map(|a| ActivityFact {
                venue: venue_name.get(&a.venue_id).cloned().unwrap_or_default(),
                kind: a.kind,
                title: a.title.clone(),
                place: a.place.clone(),
                participants: a.participants,
            })
            .collect(),
        // The campaign's setting masks every name; a row may ask for masking on its own.
        officials: officials
            .into_iter()
            .filter(|o| arrived_officials.is_empty() || arrived_officials.contains(&o.id))
            .map(|o| {
                let org = official_orgs.get(&o.organization).cloned().unwrap_or(o.organization);
                (o.name, o.title, org, o.masked || mask_names)
            })
            .collect(),
        media: media
            .iter()
            .map(|m| MediaFact {
                outlet: unit_name(m.outlet_unit_id),
                channel: m.channel,
                format: m.format,
                date: m.date,
                headline: m.headline.clone(),
            })
            .collect(),
        narrative,
        narrative_only_in_other_language,
        material_names: materials
            .iter()
            .map(|m| (i64::from(m.id), pick(&m.name, m.name_en.as_ref())))
            .collect(),
        materials_logged: materials_logged.into_iter().map(i64::from).collect(),
        settings,
        lang,
        organization,
        previous,
        summary,
    })
}

/// The totals of the organization's campaigns held before this one, oldest first.
async fn previous_totals(
    store: &Store,
    summary: &CampaignSummary,
) -> Result<Vec<(i32, CampaignTotals)>, StoreError> {
    let earlier = campaign::Entity::find()
        .filter(campaign::Column::OrganizationId.eq(summary.campaign.organization_id))
        .filter(campaign::Column::Date.lt(summary.campaign.date))
        .order_by_asc(campaign::Column::Date)
        .all(store.conn())
        .await?;
    let mut previous = Vec::with_capacity(earlier.len());
    for c in earlier {
        previous.push((c.year, campaign_summary(store, c.id).await?.totals));
    }
    Ok(previous)
}

async fn narrative_for(
    store: &Store,
    campaign_id: i32,
    lang: Lang,
) -> Result<Vec<NarrativeFact>, StoreError> {
    Ok(narrative_section::Entity::find()
        .filter(narrative_section::Column::CampaignId.eq(campaign_id))
        .filter(narrative_section::Column::Lang.eq(lang))
        .order_by_asc(narrative_section::Column::Position)
        .order_by_asc(narrative_section::Column::Id)
        .all(store.conn())
        .await?
        .into_iter()
        .map(|n| NarrativeFact { key: n.key, heading: n.heading, body: n.body, next_steps: n.next_steps })
        .collect())
}
