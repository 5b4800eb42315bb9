-- relationship_strength: one row per person, a unique rank, strength = sum of its parts.
select person_id
from relationship_strength
group by person_id
having count(*) > 1
union all
select any_value(person_id)
from relationship_strength
group by strength_rank
having count(*) > 1
union all
select person_id
from relationship_strength
where strength < 0
    or abs(strength - (sent_score + received_score + network_score + favour_score
        + meeting_score))
        > 1e-9 * greatest(strength, 1)
    or tier not between 1 and 5
