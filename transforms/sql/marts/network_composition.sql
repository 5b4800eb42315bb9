-- network_composition: one row per dimension x value, dimensions 'company', 'email_domain'
-- and 'tier', plus one row ('network', 'all') with owner-level diversity. Who is in the
-- network (the owner excluded), as of the run's as-of date.
--   company: the company on the person's LinkedIn connection row (the latest connection
--     with one); 'unknown' without. Read from stg_linkedin_connections: no core table
--     carries companies yet.
--   email_domain: the domain of the person's email addresses (the most common one, ties
--     to the alphabetically first); 'unknown' without an address
--   tier: the person's tier in relationship_strength ('1' .. '5')
--   n_people; n_active: people whose last contact (contact_recency) falls in the
--     active_window_d days ending with the as-of date; share = n_people / all people
--   network row: blau_index_company = 1 - sum(p_c^2) over the companies of people with a
--     known company (p_c = that company's share of them); largest_company_share = max p_c;
--     weak_tie_share = people in tier >= weak_tie_min_tier among people with any contact
with

params as (select * from run_params),

settings as (select * from metric_settings),

contacts as (select * from people where not is_owner),

recency as (select person_id, last_contact_at from contact_recency),

strength as (select person_id, tier from relationship_strength),

linkedin_urls as (
    select person_id, value as profile_url
    from person_identities
    where kind = 'linkedin_url'
),

companies as (
    select
        linkedin_urls.person_id,
        arg_max(trim(c.company), c.connected_at) as company
    from stg_linkedin_connections as c
    inner join linkedin_urls on linkedin_urls.profile_url = c.profile_url
    where nullif(trim(c.company), '') is not null
    group by linkedin_urls.person_id
),

domains as (
    select person_id, domain
    from (
        select
            person_id,
            split_part(value, '@', 2) as domain,
            row_number() over (
                partition by person_id
                order by count(*) desc, split_part(value, '@', 2)
            ) as pick
        from person_identities
        where kind = 'email'
        group by person_id, split_part(value, '@', 2)
    )
    where pick = 1
),

profile as (
    select
        contacts.person_id,
        coalesce(companies.company, 'unknown') as company,
        companies.company is not null as has_company,
        coalesce(domains.domain, 'unknown') as email_domain,
        coalesce(strength.tier, 5) as tier,
        recency.last_contact_at is not null as has_contact,
        coalesce(
            recency.last_contact_at
                >= (select as_of_end from params) - to_days(settings.active_window_d),
            false
        ) as is_active
    from contacts
    cross join settings
    left join companies on companies.person_id = contacts.person_id
    left join domains on domains.person_id = contacts.person_id
    left join strength on strength.person_id = contacts.person_id
    left join recency on recency.person_id = contacts.person_id
),

long as (
    select 'company' as dimension, company as value, * from profile
    union all
    select 'email_domain' as dimension, email_domain as value, * from profile
    union all
    select 'tier' as dimension, tier::varchar as value, * from profile
),

grouped as (
    select
        dimension,
        value,
        count(*) as n_people,
        count(*) filter (where is_active) as n_active,
        count(*) / (select count(*) from profile) as share
    from long
    group by dimension, value
),

company_shares as (
    select company, count(*) / sum(count(*)) over () as p
    from profile
    where has_company
    group by company
),

network as (
    select
        'network' as dimension,
        'all' as value,
        (select count(*) from profile) as n_people,
        (select count(*) from profile where is_active) as n_active,
        1.0::double as share,
        (select 1 - sum(p * p) from company_shares) as blau_index_company,
        (select max(p) from company_shares) as largest_company_share,
        (
            select count(*) filter (where tier >= settings.weak_tie_min_tier)
                / nullif(count(*), 0)
            from profile
            where has_contact
        ) as weak_tie_share
    from settings
    where (select count(*) from profile) > 0
),

final as (
    select
        *,
        null::double as blau_index_company,
        null::double as largest_company_share,
        null::double as weak_tie_share
    from grouped
    union all by name
    select * from network
)

select final.*, params.as_of
from final
cross join params
order by dimension, value
