@entrapass
Feature: The events of a gap: the driver restarted, and a gap longer than the history's batch
  SmartService event rows have no id and a session's queue starts at its
  login: what happened while the driver was not polling is only in the
  history (Events?startDate=), which answers one batch of the newest rows.
  A driver process stopped and started again keeps its place in a state
  file and fetches the gap once; an outage that raised more than a batch
  loses the oldest, and the driver says between which times. Source:
  SPEC.md §2 and §6 (Resilience); README "The driver".

  @sim-only @EP-DOOR-E-ACCESS-GRANTED @EP-DOOR-E-ACCESS-DENIED
  Scenario: The driver stopped and started again: the events raised meanwhile are fetched once, from the history
    Given the default site
    And the driver is connected
    When card "100:1001" is presented at reader "Front Door entry"
    Then 1 Last Access Event was published for door "Front Door"
    When the driver is stopped
    And 10 seconds pass
    And card "100:1002" is presented at reader "Front Door entry"
    And 5 seconds pass
    And card "100:9999" is presented at reader "Shop Front entry"
    And the driver is started again
    Then the last poll succeeded
    And the server received an "Events" request
    And 2 Last Access Events were published for door "Front Door"
    And the last access event of door "Front Door" has:
      | Username | Bruno Bernard       |
      | DateTime | 2026-01-05 09:00:10 |
    And 1 Last Access Event was published for door "Shop Front"
    When the driver polls 2 times
    Then 2 Last Access Events were published for door "Front Door"
    And 1 Last Access Event was published for door "Shop Front"

  @sim-only @fault @FT-SERVER-DOWN @EP-LOG-TROUBLESHOOT
  Scenario: An outage that raised more events than the history's batch: the driver delivers the newest batch and logs what may be missing
    Given the default site with an event batch of 5
    And the driver is connected
    When the server goes down
    And 10 seconds pass
    And card "100:1001" is presented 8 times at reader "Front Door entry"
    And the server comes back
    Then the last poll succeeded
    And 5 Last Access Events were published for door "Front Door"
    And the driver log has a line containing "may be missing"
