@entrapass @sim-only
Feature: Record at a site, replay in the lab
  pacsim record between the driver and the head-end records every exchange,
  redacted; pacsim replay serves the recording back to a driver, answering
  identical requests in recorded order and naming what differs when nothing
  matches, or compares it with a live server. Source: SPEC.md §9, catalogue
  RP-….

  Background:
    Given the default site
    And pacsim record is between the driver and the server
    And the driver is connected

  @RP-RECORD
  Scenario: Every exchange between the driver and the server is recorded, in order
    When card "100:1001" is presented at reader "Front Door entry"
    And the operator sends "Pass" with 5 seconds to door "Front Door"
    And 5 seconds pass
    Then the recording holds every exchange the server answered, in order

  @RP-REDACT
  Scenario: Passwords, session keys, card numbers and names are not in the recording; door names are
    When card "100:1001" is presented at reader "Front Door entry"
    And card "100:1002" is presented at reader "Server Room entry"
    Then the recording does not contain "password=pacsim"
    And the recording does not contain "Alice Martin"
    And the recording does not contain "Bruno Bernard"
    And the recording does not contain "100:1001"
    And the recording does not contain "100[COLON]1001"
    And the recording's session keys are pseudonyms that still match one another
    And the recording contains "Front Door"
    And the recording contains "Server Room"

  @RP-REPLAY
  Scenario: A driver run against the replay reaches the same asset states
    When card "100:1001" is presented at reader "Front Door entry"
    And door "Back Door" is opened
    And the recording is served by pacsim replay
    And a second driver runs against the replay
    Then door "Back Door" shows "Forced Open"

  @RP-SEQUENCE
  Scenario: Identical requests are answered in recorded order, the last answer repeating
    When card "100:1001" is presented at reader "Front Door entry"
    And 1 seconds pass
    And card "100:1002" is presented at reader "Front Door entry"
    And the recording is served by pacsim replay
    And "GET /SmartService/Events?sdKey=SDKEY" is sent to the replay 6 times
    Then the replay answered them in recorded order, the last answer repeating

  @RP-MISMATCH
  Scenario: A request that matches nothing is answered 404 naming the field that differed
    When the recording is served by pacsim replay
    And "GET /SmartService/Doors/99?sdKey=SDKEY" is sent to the replay 1 time
    Then the replay answered 404 naming the nearest exchange and the field "path"

  @RP-DIFF
  Scenario: The recording compared with the server it was made with: no difference
    When the recording is compared with the server
    Then the comparison reports no difference

  @RP-DIFF @fault
  Scenario: The recording compared with a server that answers otherwise: each difference reported
    When the fault "entrapass:app-fault,path=/SmartService/GatewaysSites" is injected
    And the recording is compared with the server
    Then the comparison reports a difference for "GET /SmartService/GatewaysSites"

  @RP-VERSION
  Scenario: A recording of an unknown version is refused, naming its line
    When a recording whose header says version 2 is read
    Then it is refused with "line 1: recording version 2: this pacsim reads version 1"
