//! Converters into the input types of the store's one write path: the demo loader writes each
//! record through the same function as the API, CSV and cloning.

use super::*;
use crate::inputs::*;
use chrono::{DateTime, Utc};

impl UnitRec {
    /// The unit as the directory takes it.
    #[must_use]
    pub fn input(&self) -> UnitInput {
        UnitInput {
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            kind: self.kind,
            contact: self.contact.clone(),
            short_name: None,
            industry: None,
            platform_joined_year: None,
        }
    }
}

impl ParticipationRec {
    /// The participation of the unit with id `unit_id`.
    #[must_use]
    pub fn input(&self, unit_id: i32) -> ParticipationInput {
        ParticipationInput {
            unit_id,
            staffs_booth: self.staffs_booth,
            reconciliation_member: self.reconciliation_member,
            media: self.media,
            sponsor: self.sponsor,
            to_confirm: false,
        }
    }
}

impl VenueRec {
    /// The venue, shown at `position`.
    #[must_use]
    pub fn input(&self, position: i32) -> VenueInput {
        VenueInput {
            kind: self.kind,
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            host_unit: self.host_unit.clone(),
            address: self.address.clone(),
            lead_name: self.lead.clone(),
            setting: crate::VenueSetting::Other,
            width_m: Some(self.width_m),
            depth_m: Some(self.depth_m),
            opens_at: self.opens_at.clone(),
            closes_at: self.closes_at.clone(),
            position,
        }
    }
}

impl BoothRec {
    /// The booth, staffed by the units with `unit_ids`.
    #[must_use]
    pub fn input(&self, unit_ids: Vec<i32>) -> BoothInput {
        BoothInput {
            topic: self.topic.clone(),
            kind: self.kind,
            x: Some(self.x),
            y: Some(self.y),
            w: Some(self.w),
            h: Some(self.h),
            rotation_deg: self.rotation_deg,
            unit_ids,
        }
    }
}

impl ActivityRec {
    /// The activity, its local times already placed on the day.
    #[must_use]
    pub fn input(&self, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> ActivityInput {
        ActivityInput {
            kind: self.kind,
            title: self.title.clone(),
            place: self.place.clone(),
            starts_at,
            ends_at,
            participants: self.participants,
            note: self.note.clone(),
        }
    }
}

impl MaterialRec {
    /// The catalogue item.
    #[must_use]
    pub fn input(&self) -> MaterialInput {
        MaterialInput {
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            unit_label: self.unit_label.clone(),
            planned: self.planned,
            stock: None,
        }
    }
}

impl MediaRec {
    /// The coverage by the outlet with id `outlet_unit_id` of the venues with `venue_ids`.
    #[must_use]
    pub fn input(&self, outlet_unit_id: i32, venue_ids: Vec<i32>) -> MediaInput {
        MediaInput {
            outlet_unit_id,
            channel: self.channel,
            format: self.format,
            date: self.date,
            headline: self.headline.clone(),
            link: self.link.clone(),
            estimated_reach: self.estimated_reach,
            slot: String::new(),
            venue_ids,
        }
    }
}

impl OfficialRec {
    /// The official, at the venue with `venue_id` if any.
    #[must_use]
    pub fn input(&self, venue_id: Option<i32>) -> OfficialInput {
        OfficialInput {
            name: self.name.clone(),
            title: self.title.clone(),
            organization: self.organization.clone(),
            venue_id,
            role: self.role.clone(),
            masked: self.masked,
        }
    }
}

impl DisputeRec {
    /// The dispute as received, and the move to its recorded status when it is past "received".
    #[must_use]
    pub fn input(
        &self,
        venue_id: i32,
        enterprise_unit_id: Option<i32>,
    ) -> (DisputeInput, Option<DisputeStatusChange>) {
        let input = DisputeInput {
            venue_id,
            booth_id: None,
            enterprise_unit_id,
            category: self.category.clone(),
            summary: self.summary.clone(),
            amount_claimed_fen: self.amount_claimed_fen,
            received_on: self.received_on,
        };
        let change = (self.status != DisputeStatus::Received).then(|| DisputeStatusChange {
            status: self.status,
            amount_recovered_fen: (self.status == DisputeStatus::Settled)
                .then_some(self.amount_recovered_fen),
            closed_on: self.closed_on.filter(|_| self.status.is_final()),
        });
        (input, change)
    }
}

impl NarrativeRec {
    /// The section, at `position` among those of its language.
    #[must_use]
    pub fn input(&self, position: i32) -> NarrativeInput {
        NarrativeInput {
            lang: self.lang,
            key: self.key.clone(),
            position,
            heading: self.heading.clone(),
            body: self.body.clone(),
            next_steps: self.next_steps,
        }
    }
}

impl CampaignFile {
    /// The campaign's preparation checklist: for a closed campaign, the steps of the default
    /// checklist that fall before the event day, every one done (the day itself and the summary
    /// after it are not preparations); none for a campaign still being planned or run.
    #[must_use]
    pub fn checklist(&self) -> Vec<TaskInput> {
        if self.campaign.status != crate::CampaignStatus::Closed {
            return Vec::new();
        }
        default_checklist(self.campaign.date)
            .into_iter()
            .filter(|t| t.due_on < self.campaign.date)
            .map(|t| TaskInput { status: crate::TaskStatus::Done, ..t })
            .collect()
    }
}
