//! Checks a campaign file before it is loaded.

use super::*;

struct Check {
    errors: FieldErrors,
}

impl Check {
    fn err(&mut self, field: String, why: impl Into<String>) {
        self.errors.entry(field).or_insert_with(|| why.into());
    }
    fn name(&mut self, field: String, v: &str) {
        validate::name(&mut self.errors, &field, v, MAX_NAME_CHARS);
    }
    fn count(&mut self, field: String, v: i64) {
        let max = validate::max_of(&field);
        validate::bounded(&mut self.errors, &field, v, max);
    }
    fn key(&mut self, field: String, v: &str, set: &HashSet<&str>, what: &str) {
        if !set.contains(v) {
            self.err(field, format!("unknown {what} {v:?}"));
        }
    }
    fn unique<'a>(&mut self, field: String, v: &'a str, seen: &mut HashSet<&'a str>) {
        if !seen.insert(v) {
            self.err(field, format!("duplicate {v:?}"));
        }
    }
}

/// The keys records refer to each other by.
struct Keys<'a> {
    units: HashSet<&'a str>,
    venues: HashSet<&'a str>,
}

impl CampaignFile {
    /// Checks the whole file: names, counts, references between records, times. Every
    /// problem is reported with its path, e.g. `booths[3].venue`. The rules of what is stored
    /// (one main venue, booths inside their venue and apart, ...) are the store's write
    /// functions', which the loader calls.
    ///
    /// # Errors
    /// A [`ValidationError`] naming every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Check { errors: FieldErrors::new() };
        self.check_campaign(&mut c);
        let keys = self.check_directory(&mut c);
        self.check_plan(&mut c, &keys);
        self.check_records(&mut c, &keys);
        self.check_log(&mut c, &keys);
        ValidationError::check(c.errors)
    }

    fn check_campaign(&self, c: &mut Check) {
        c.name("organization.name".into(), &self.organization.name);
        for (i, p) in self.organization.parents.iter().enumerate() {
            c.name(format!("organization.parents[{i}]"), p);
        }
        let camp = &self.campaign;
        c.name("campaign.title".into(), &camp.title);
        c.name("campaign.theme".into(), &camp.theme);
        if camp.timezone.parse::<chrono_tz::Tz>().is_err() {
            c.err("campaign.timezone".into(), format!("unknown time zone {:?}", camp.timezone));
        }
        if chrono::Datelike::year(&camp.date) != camp.year {
            c.err("campaign.year".into(), "must be the year of campaign.date");
        }
    }

    /// Units, their participation and the venues; returns the keys others refer to.
    fn check_directory(&self, c: &mut Check) -> Keys<'_> {
        let mut seen = HashSet::new();
        for (i, u) in self.units.iter().enumerate() {
            c.name(format!("units[{i}].key"), &u.key);
            c.unique(format!("units[{i}].key"), &u.key, &mut seen);
            c.name(format!("units[{i}].name"), &u.name);
        }
        let units: HashSet<&str> = self.units.iter().map(|u| u.key.as_str()).collect();
        let mut seen = HashSet::new();
        for (i, p) in self.participations.iter().enumerate() {
            c.key(format!("participations[{i}].unit"), &p.unit, &units, "unit");
            c.unique(format!("participations[{i}].unit"), &p.unit, &mut seen);
        }

        let mut seen = HashSet::new();
        for (i, v) in self.venues.iter().enumerate() {
            c.name(format!("venues[{i}].key"), &v.key);
            c.unique(format!("venues[{i}].key"), &v.key, &mut seen);
            c.name(format!("venues[{i}].name"), &v.name);
            c.name(format!("venues[{i}].host_unit"), &v.host_unit);
            validate::positive_metres(&mut c.errors, &format!("venues[{i}].width_m"), v.width_m);
            validate::positive_metres(&mut c.errors, &format!("venues[{i}].depth_m"), v.depth_m);
            match (parse_hhmm(&v.opens_at), parse_hhmm(&v.closes_at)) {
                (Ok(o), Ok(cl)) if o < cl => {}
                (Ok(_), Ok(_)) => c.err(format!("venues[{i}].closes_at"), "must be after opens_at"),
                (Err(e), _) => c.err(format!("venues[{i}].opens_at"), e),
                (_, Err(e)) => c.err(format!("venues[{i}].closes_at"), e),
            }
        }
        // A second main venue is refused by the store's one rule for every door; here only a
        // file without any is.
        if !self.venues.iter().any(|v| v.kind == VenueKind::Main) {
            c.err("venues".into(), "must have a main venue");
        }
        let venues = self.venues.iter().map(|v| v.key.as_str()).collect();
        Keys { units, venues }
    }

    /// Booths, activities and materials.
    fn check_plan(&self, c: &mut Check, keys: &Keys<'_>) {
        let Keys { units, venues } = keys;
        let mut topics = HashSet::new();
        for (i, b) in self.booths.iter().enumerate() {
            c.key(format!("booths[{i}].venue"), &b.venue, venues, "venue");
            c.name(format!("booths[{i}].topic"), &b.topic);
            if !topics.insert((b.venue.as_str(), b.topic.as_str())) {
                c.err(format!("booths[{i}].topic"), "duplicate topic at this venue");
            }
            for (j, u) in b.units.iter().enumerate() {
                c.key(format!("booths[{i}].units[{j}]"), u, units, "unit");
            }
        }

        for (i, a) in self.activities.iter().enumerate() {
            c.key(format!("activities[{i}].venue"), &a.venue, venues, "venue");
            c.name(format!("activities[{i}].title"), &a.title);
            c.name(format!("activities[{i}].place"), &a.place);
            c.count(format!("activities[{i}].participants"), a.participants);
            match (parse_hhmm(&a.starts_at), parse_hhmm(&a.ends_at)) {
                (Ok(s), Ok(e)) if s < e => {}
                (Ok(_), Ok(_)) => c.err(format!("activities[{i}].ends_at"), "must be after starts_at"),
                (Err(e), _) => c.err(format!("activities[{i}].starts_at"), e),
                (_, Err(e)) => c.err(format!("activities[{i}].ends_at"), e),
            }
        }

        let mut seen = HashSet::new();
        for (i, m) in self.materials.iter().enumerate() {
            c.name(format!("materials[{i}].key"), &m.key);
            c.unique(format!("materials[{i}].key"), &m.key, &mut seen);
            c.name(format!("materials[{i}].name"), &m.name);
            c.name(format!("materials[{i}].unit_label"), &m.unit_label);
            c.count(format!("materials[{i}].planned"), m.planned);
            for (venue, qty) in &m.allocations {
                c.key(format!("materials[{i}].allocations.{venue}"), venue, venues, "venue");
                c.count(format!("materials[{i}].allocations.{venue}"), *qty);
            }
        }
    }

    /// Media, officials, disputes and the narrative.
    fn check_records(&self, c: &mut Check, keys: &Keys<'_>) {
        let Keys { units, venues } = keys;
        for (i, m) in self.media.iter().enumerate() {
            c.key(format!("media[{i}].outlet"), &m.outlet, units, "unit");
            c.name(format!("media[{i}].headline"), &m.headline);
            if let Some(r) = m.estimated_reach {
                c.count(format!("media[{i}].estimated_reach"), r);
            }
            for (j, v) in m.venues.iter().enumerate() {
                c.key(format!("media[{i}].venues[{j}]"), v, venues, "venue");
            }
        }
        for (i, o) in self.officials.iter().enumerate() {
            c.name(format!("officials[{i}].name"), &o.name);
            c.name(format!("officials[{i}].title"), &o.title);
            if let Some(v) = &o.venue {
                c.key(format!("officials[{i}].venue"), v, venues, "venue");
            }
        }
        for (i, d) in self.disputes.iter().enumerate() {
            c.key(format!("disputes[{i}].venue"), &d.venue, venues, "venue");
            if let Some(e) = &d.enterprise {
                c.key(format!("disputes[{i}].enterprise"), e, units, "unit");
            }
            c.count(format!("disputes[{i}].amount_claimed_fen"), d.amount_claimed_fen);
            c.count(format!("disputes[{i}].amount_recovered_fen"), d.amount_recovered_fen);
            if d.amount_recovered_fen > 0 && d.status != DisputeStatus::Settled {
                c.err(format!("disputes[{i}].amount_recovered_fen"), "only a settled dispute recovers money");
            }
            if d.closed_on.is_some() != d.status.is_final() {
                c.err(
                    format!("disputes[{i}].closed_on"),
                    "set exactly when the dispute is settled, referred or closed",
                );
            }
        }
        let mut seen = HashSet::new();
        for (i, n) in self.narrative.iter().enumerate() {
            c.name(format!("narrative[{i}].heading"), &n.heading);
            validate::text(&mut c.errors, &format!("narrative[{i}].body"), &n.body, MAX_TEXT_CHARS);
            if !seen.insert((n.lang, n.key.as_str())) {
                c.err(format!("narrative[{i}].key"), "duplicate key for this language");
            }
        }
    }

    /// The day's log.
    fn check_log(&self, c: &mut Check, keys: &Keys<'_>) {
        let materials: HashSet<&str> = self.materials.iter().map(|m| m.key.as_str()).collect();
        let venues = &keys.venues;
        let mut seen = HashSet::new();
        for (i, e) in self.log_entries.iter().enumerate() {
            let p = format!("log_entries[{i}]");
            if !seen.insert(e.id) {
                c.err(format!("{p}.id"), "duplicate id");
            }
            c.key(format!("{p}.venue"), &e.venue, venues, "venue");
            if let Some(topic) = &e.booth
                && !self.booths.iter().any(|b| b.venue == e.venue && &b.topic == topic)
            {
                c.err(format!("{p}.booth"), format!("no booth {topic:?} at venue {:?}", e.venue));
            }
            if let Some(title) = &e.activity
                && !self.activities.iter().any(|a| a.venue == e.venue && &a.title == title)
            {
                c.err(format!("{p}.activity"), format!("no activity {title:?} at venue {:?}", e.venue));
            }
            if let Err(err) = parse_hhmm(&e.time) {
                c.err(format!("{p}.time"), err);
            }
            c.name(format!("{p}.author"), &e.author);
            validate::text(&mut c.errors, &format!("{p}.note"), &e.note, MAX_TEXT_CHARS);
            if let Err(err) = e.figures().validate() {
                for (k, v) in err.fields {
                    c.err(format!("{p}.{k}"), v);
                }
            }
            for (m, qty) in &e.materials {
                c.key(format!("{p}.materials.{m}"), m, &materials, "material");
                c.count(format!("{p}.materials.{m}"), *qty);
            }
        }
    }
}
