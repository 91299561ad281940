"""BCP and DRP plans per service, their tests, invocations and required re-tests."""
