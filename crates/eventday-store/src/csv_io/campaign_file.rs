//! The campaign itself: a `campaign` file has one row. Imported into a campaign it updates the
//! campaign's own fields; a folder import without a campaign finds or creates the campaign it
//! names, by (organization, date), creating the organization when missing.

use super::{Ctx, ExportCtx};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::{Saved, campaigns, organizations};
use chrono::Datelike;
use eventday_domain::csv::{CampaignRow, CsvRow, Headers, ImportReport, RowError, parse_rows};
use eventday_domain::inputs::{CampaignInput, OrganizationInput};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};

fn column(field: &str) -> &str {
    match field {
        "organization_id" => "organization",
        "year" => "date",
        f => f,
    }
}

fn input(
    row: &CampaignRow,
    organization_id: i32,
    status: Option<eventday_domain::CampaignStatus>,
) -> CampaignInput {
    CampaignInput {
        organization_id,
        year: row.date.year(),
        date: row.date,
        timezone: row.timezone.clone(),
        title: row.title.clone(),
        theme: row.theme.clone(),
        status,
        undertaker: row.undertaker.clone(),
        division_code: row.division_code.clone(),
        mask_official_names: row.mask_official_names,
    }
}

fn same(c: &campaign::Model, i: &CampaignInput) -> bool {
    (c.date, &c.timezone, &c.title, &c.theme, &c.undertaker, &c.division_code, c.mask_official_names)
        == (i.date, &i.timezone, &i.title, &i.theme, &i.undertaker, &i.division_code, i.mask_official_names)
}

fn one_row(rows: Vec<(u64, CampaignRow)>, headers: &Headers) -> Result<(u64, CampaignRow), Vec<RowError>> {
    let mut rows = rows.into_iter();
    match (rows.next(), rows.next()) {
        (Some(r), None) => Ok(r),
        (None, _) => Err(vec![RowError::line(2, "a campaign file has one row: the campaign")]),
        (Some(_), Some((line, _))) => {
            Err(vec![headers.error(line, "title", "a campaign file has one row: the campaign")])
        }
    }
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, CampaignRow)>) -> Result<(), StoreError> {
    let (line, row) = match one_row(rows, &ctx.headers) {
        Ok(r) => r,
        Err(mut e) => {
            ctx.report.errors.append(&mut e);
            return Ok(());
        }
    };
    let org = organization::Entity::find_by_id(ctx.campaign.organization_id).one(&ctx.tx).await?;
    if org.is_none_or(|o| o.name != row.organization) {
        ctx.err(line, "organization", "is not the organization of this campaign");
        return Ok(());
    }
    let i = input(&row, ctx.campaign.organization_id, None);
    if same(&ctx.campaign, &i) {
        ctx.unchanged();
        return Ok(());
    }
    let written = campaigns::change(&ctx.tx, ctx.actor(), ctx.campaign.id, &i).await;
    let written = ctx.outcome(line, super::Change::Updated, written, column)?;
    if let Some(c) = written {
        ctx.campaign = c;
    }
    Ok(())
}

/// Finds or creates (or updates) the campaign a `campaign` file names, inside `tx`.
/// Returns the campaign id and what was done, or the file's errors.
pub(super) async fn resolve(
    tx: &DatabaseTransaction,
    actor: Option<i32>,
    bytes: &[u8],
) -> Result<Result<(i32, ImportReport), Vec<RowError>>, StoreError> {
    let (rows, headers) = match parse_rows::<CampaignRow>(bytes) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    let (line, row) = match one_row(rows, &headers) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let errors = |v: eventday_domain::ValidationError| {
        v.fields.into_iter().map(|(f, why)| headers.error(line, column(&f), why)).collect::<Vec<_>>()
    };
    let mut report = ImportReport::default();
    let parent = match &row.parent_organization {
        Some(p) => match org_named(tx, actor, p, None, &mut report).await? {
            Ok(id) => Some(id),
            Err(v) => return Ok(Err(errors(v))),
        },
        None => None,
    };
    let org = match org_named(tx, actor, &row.organization, parent, &mut report).await? {
        Ok(id) => id,
        Err(v) => return Ok(Err(errors(v))),
    };
    let existing = campaign::Entity::find()
        .filter(campaign::Column::OrganizationId.eq(org))
        .filter(campaign::Column::Date.eq(row.date))
        .one(tx)
        .await?;
    let i = input(&row, org, None);
    if existing.as_ref().is_some_and(|c| same(c, &i)) {
        report.unchanged += 1;
        return Ok(Ok((existing.map_or(0, |c| c.id), report)));
    }
    match campaigns::save(tx, actor, 0, existing.map(|c| c.id), &i).await {
        Ok(Saved::Created(c)) => {
            report.created += 1;
            Ok(Ok((c.id, report)))
        }
        Ok(Saved::Updated(c)) => {
            report.updated += 1;
            Ok(Ok((c.id, report)))
        }
        Err(StoreError::Invalid(v)) => Ok(Err(errors(v))),
        Err(e) => Err(e),
    }
}

/// The organization named `name`, created (under `parent`) when missing.
async fn org_named(
    tx: &DatabaseTransaction,
    actor: Option<i32>,
    name: &str,
    parent: Option<i32>,
    report: &mut ImportReport,
) -> Result<Result<i32, eventday_domain::ValidationError>, StoreError> {
    if let Some(o) = organization::Entity::find().filter(organization::Column::Name.eq(name)).one(tx).await? {
        return Ok(Ok(o.id));
    }
    let input = OrganizationInput { name: name.to_owned(), name_en: None, parent_id: parent };
    match organizations::insert(tx, actor, 0, &input).await {
        Ok(o) => {
            report.created += 1;
            Ok(Ok(o.id))
        }
        Err(StoreError::Invalid(mut v)) => {
            if let Some(why) = v.fields.remove("name") {
                v.fields.insert("organization".into(), why);
            }
            Ok(Err(v))
        }
        Err(e) => Err(e),
    }
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let Some(c) = campaign::Entity::find_by_id(x.campaign_id).one(db).await? else {
        return Ok(Vec::new());
    };
    let org = organization::Entity::find_by_id(c.organization_id).one(db).await?;
    let parent = match org.as_ref().and_then(|o| o.parent_id) {
        Some(p) => organization::Entity::find_by_id(p).one(db).await?.map(|p| p.name),
        None => None,
    };
    Ok(vec![
        CampaignRow {
            organization: org.map(|o| o.name).unwrap_or_default(),
            parent_organization: parent,
            date: c.date,
            title: c.title,
            theme: c.theme,
            undertaker: c.undertaker,
            division_code: c.division_code,
            timezone: c.timezone,
            mask_official_names: c.mask_official_names,
        }
        .cells(x.lang),
    ])
}
