//! `eventday campaign add|list|show|accept-days|clone`: setting up and closing a campaign from the
//! command line, on a fresh database, without a running server or a token.

use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand};
use eventday_domain::inputs::{CampaignInput, CloneInput, ClonePart};
use eventday_store::{Store, planning, preparation, queries, scope};

/// Options of `campaign`.
#[derive(Debug, Args)]
pub struct CampaignArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: CampaignCommand,
    /// Database URL: `sqlite://FILE?mode=rwc` (default) or `postgres://USER@HOST/DB`
    /// (global, so it may follow the subcommand).
    #[arg(
        long,
        global = true,
        env = "EVENTDAY_DATABASE_URL",
        hide_env_values = true,
        default_value = "sqlite://eventday.db?mode=rwc"
    )]
    pub database_url: crate::DatabaseUrl,
}

/// The `campaign` sub-commands.
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Create a campaign (the organization is created when missing); prints its id.
    Add(AddArgs),
    /// List every campaign: id, date, organization, title, status.
    List,
    /// Show one campaign: its settings, venues with their day status, and totals.
    Show {
        /// The campaign id.
        id: i32,
    },
    /// Accept the submitted days of many venues at once (every submitted one, or `--venue`),
    /// each audited on its own; all or none.
    AcceptDays {
        /// The campaign id.
        id: i32,
        /// A venue id to accept (repeat for several); default: every submitted day.
        #[arg(long = "venue", value_name = "ID")]
        venues: Vec<i32>,
    },
    /// Make a new campaign from this one (e.g. last year's) on another date, copying venues
    /// with plans and booths, units (to confirm), activities, materials, the checklist and the
    /// narrative headings; never figures, log entries, check-ins or invitations. Prints its id.
    Clone {
        /// The campaign to copy.
        id: i32,
        /// The new event day, YYYY-MM-DD.
        #[arg(long)]
        date: NaiveDate,
        /// Title (default: the old one with the year replaced).
        #[arg(long)]
        title: Option<String>,
        /// Parts to copy, comma separated: venues, units, activities, materials, checklist,
        /// narrative (default: all).
        #[arg(long, value_delimiter = ',')]
        parts: Vec<String>,
    },
}

/// Options of `campaign add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The organization running it, e.g. "江岸区消费者协会" (created when missing).
    #[arg(long)]
    pub org: String,
    /// The organization's parent, when it is created (e.g. the city's association).
    #[arg(long)]
    pub parent: Option<String>,
    /// The event day, YYYY-MM-DD.
    #[arg(long)]
    pub date: NaiveDate,
    /// Title, e.g. "江岸区2013年“3·15”活动".
    #[arg(long)]
    pub title: String,
    /// Theme, e.g. "消费与服务".
    #[arg(long, default_value = "")]
    pub theme: String,
    /// The undertaker (承办单位).
    #[arg(long, default_value = "")]
    pub undertaker: String,
    /// Administrative division code of the district, e.g. 420102.
    #[arg(long, default_value = "")]
    pub division_code: String,
    /// IANA time zone.
    #[arg(long, default_value = "Asia/Shanghai")]
    pub timezone: String,
    /// Show officials' names in the report (by default they are masked as "xx").
    #[arg(long)]
    pub show_official_names: bool,
}

/// Runs a `campaign` sub-command.
///
/// # Errors
/// Bad input (naming the field), an unknown campaign, database errors.
pub async fn run(store: &Store, args: &CampaignArgs) -> Result<()> {
    match &args.command {
        CampaignCommand::Add(a) => {
            let input = CampaignInput {
                organization_id: 0,
                year: a.date.year(),
                date: a.date,
                timezone: a.timezone.clone(),
                title: a.title.clone(),
                theme: a.theme.clone(),
                status: None,
                undertaker: a.undertaker.clone(),
                division_code: a.division_code.clone(),
                mask_official_names: !a.show_official_names,
            };
            let c = planning::add_campaign(store, None, &a.org, a.parent.as_deref(), &input).await?;
            println!("campaign {} created: {} {} ({})", c.id, c.date, c.title, a.org);
        }
        CampaignCommand::List => {
            let list = queries::list_campaigns(store).await?;
            if list.is_empty() {
                println!("no campaigns yet; add one with `eventday campaign add`");
            }
            for c in list {
                println!("{}\t{}\t{}\t{}\t{}", c.id, c.date, c.organization, c.title, c.status);
            }
        }
        CampaignCommand::Show { id } => show(store, *id).await?,
        CampaignCommand::Clone { id, date, title, parts } => {
            let mut chosen = Vec::new();
            for p in parts {
                match ClonePart::parse(p) {
                    Some(part) => chosen.push(part),
                    None => bail!(
                        "--parts: unknown part {p:?}; expected venues, units, activities, materials, checklist or narrative"
                    ),
                }
            }
            let input = CloneInput {
                date: *date,
                title: title.clone(),
                parts: (!chosen.is_empty()).then_some(chosen),
            };
            let out = preparation::clone_campaign(store, None, *id, &input).await?;
            println!(
                "campaign {} created from {}: {} {} (dates moved by {} days)",
                out.campaign.id, id, out.campaign.date, out.campaign.title, out.shift_days
            );
            for (kind, n) in &out.copied {
                println!("copied\t{kind}\t{n}");
            }
        }
        CampaignCommand::AcceptDays { id, venues } => {
            let list = (!venues.is_empty()).then_some(venues.as_slice());
            let accepted = scope::accept_days(store, *id, list, None).await?;
            if accepted.is_empty() {
                bail!("no venue of campaign {id} has a submitted day; nothing accepted");
            }
            for v in &accepted {
                println!("accepted\t{}\t{}", v.venue_id, v.name);
            }
            println!("{} venue days accepted", accepted.len());
        }
    }
    Ok(())
}

async fn show(store: &Store, id: i32) -> Result<()> {
    let c = planning::campaigns::get(store, id).await?;
    let s = queries::campaign_summary(store, id).await?;
    let t = &s.totals;
    println!("campaign {}: {}", c.id, c.title);
    println!("organization\t{}", s.campaign.organization);
    println!("date\t{} ({})", c.date, c.timezone);
    println!("theme\t{}", c.theme);
    println!("undertaker\t{}", c.undertaker);
    println!("division code\t{}", c.division_code);
    println!("status\t{}", c.status);
    println!(
        "officials' names\t{}",
        if c.mask_official_names { "masked as xx in the report (default)" } else { "shown in the report" }
    );
    println!(
        "totals\t{} venues, {} booths, {} log entries; {} visitors, {} consultations, {} complaints ({} settled), {} fen recovered",
        t.venues,
        t.booths,
        t.log_entries,
        t.figures.visitors,
        t.figures.consultations,
        t.figures.complaints_received,
        t.figures.complaints_settled,
        t.figures.money_recovered_fen
    );
    for v in &s.venue_days {
        println!("venue\t{}\t{}\t{}", v.venue_id, v.name, v.day_status);
    }
    Ok(())
}
