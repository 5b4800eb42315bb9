-- int_identity_keys: one row per key that belongs to a person (an e-mail address, a LinkedIn
-- URL or member URN, a Connections row's connection key), with whether that person is the
-- owner. Every interaction model joins its events to
-- people through these keys; identities that resolved to no person give no rows.
with

identities as (select * from person_identities),

people_flags as (select person_id, is_owner from people),

final as (
    select
        identities.kind,
        identities.value,
        identities.person_id,
        coalesce(people_flags.is_owner, false) as is_owner
    from identities
    left join people_flags on people_flags.person_id = identities.person_id
    where identities.kind in ('email', 'linkedin_url', 'linkedin_urn', 'linkedin_connection')
)

select * from final
