-- network_composition: each dimension's people add up to the network's, shares to 1.
select dimension
from network_composition
where dimension != 'network'
group by dimension
having sum(n_people) != (select n_people from network_composition where dimension = 'network')
    or abs(sum(share) - 1) > 1e-9
