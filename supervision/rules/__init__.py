"""监察规则: the built-in rule kinds and what a rule sees of a case.

Rules are data: a monitoring point names a kind and its parameters; the kind's evaluator
reads a `CaseView` and answers with findings, each naming the facts it rests on.
"""
