"""Impact indicators (issue 22): the sets in the rulebook, checking submitted values, comparison
and aggregates, and which aggregate cells are kept from readers outside the entitled."""
