@genetec @fault
Feature: Genetec event stream faults
  The Genetec Web SDK event stream cut: the visitor-badge connector
  reconnects and resubscribes. Neither the connector (driver/genetec) nor the
  simulated Web SDK (sim/genetec) exists yet, so the scenario is a known
  issue until they do. Source: SPEC.md §4 (stream-cut), catalogue FT-STREAM-CUT.

  @known-issue @FT-STREAM-CUT
  Scenario: The Genetec event stream is cut: the connector reconnects and resubscribes
    Given the default site
    When the Genetec event stream is cut
    Then the last poll succeeded
