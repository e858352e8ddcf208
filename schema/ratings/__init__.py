"""好差评 in GraphQL: rateCase (anonymous, by the rating code), recordRatingCallback, ratings."""
