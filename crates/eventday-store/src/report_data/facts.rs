//! Everything the summary report says about one campaign, read in one place (as stored; the
//! parent module turns it into the report's data).

use crate::Store;
use crate::entities::*;
use crate::error::StoreError;
use crate::queries::{CampaignSummary, campaign_summary};
use chrono::NaiveDate;
use eventday_domain::totals::CampaignTotals;
use eventday_domain::{ActivityKind, BoothKind, DayStatus, Lang, MediaChannel, MediaFormat, UnitKind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// A venue as the report shows it.
#[derive(Debug, Clone)]
pub struct VenueFact {
    /// Id.
    pub id: i32,
    /// Name.
    pub name: String,
    /// Host unit.
    pub host_unit: String,
    /// Where the venue's day is in its approval.
    pub day_status: DayStatus,
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
    /// Participating units: (kind, name, reconciliation member).
    pub units: Vec<(UnitKind, String, bool)>,
    /// Booths.
    pub booths: Vec<BoothFact>,
    /// Activities, by start time.
    pub activities: Vec<ActivityFact>,
    /// Officials: (name, title, organization, masked).
    pub officials: Vec<(String, String, String, bool)>,
    /// Media coverage by date.
    pub media: Vec<MediaFact>,
    /// Narrative in the requested language (falls back to the other language when empty).
    pub narrative: Vec<NarrativeFact>,
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
    let venue_name: HashMap<i32, String> = venues.iter().map(|v| (v.id, v.name.clone())).collect();
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
    let unit_name = |id: i32| units.get(&id).map(|u| u.name.clone()).unwrap_or_default();

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

    let mut narrative = narrative_for(store, campaign_id, lang).await?;
    if narrative.is_empty() {
        let other = if lang == Lang::Zh { Lang::En } else { Lang::Zh };
        narrative = narrative_for(store, campaign_id, other).await?;
    }

    let previous = previous_totals(store, &summary).await?;

    Ok(ReportFacts {
        venues: venues
            .iter()
            .map(|v| VenueFact {
                id: v.id,
                name: v.name.clone(),
                host_unit: v.host_unit.clone(),
                day_status: v.day_status,
            })
            .collect(),
        units: participations
            .iter()
            .filter_map(|p| units.get(&p.unit_id).map(|u| (u.kind, u.name.clone(), p.reconciliation_member)))
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
            .map(|o| (o.name, o.title, o.organization, o.masked || mask_names))
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
        .map(|n| NarrativeFact { heading: n.heading, body: n.body, next_steps: n.next_steps })
        .collect())
}
